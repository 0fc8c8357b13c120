#!/usr/bin/env node
"use strict";
// Thin dispatcher: `cvm-image emulator ...` and `cvm-image preflight ...`.
const [command, ...args] = process.argv.slice(2);
const usage = "usage: cvm-image <emulator|preflight> [options]\n  emulator   run the local CVM image API emulator\n  preflight  assess the image deletions a Pulumi plan would make\n";

async function main() {
  let run;
  if (command === "emulator") run = require("@pulumi-tencentcloud-images/cvm-emulator").runEmulatorCli;
  else if (command === "preflight") run = require("pulumi-tencentcloud-images/dist/preflight/cli").runPreflightCli;
  else {
    const help = command === undefined || command === "help" || command === "--help" || command === "-h";
    (help ? process.stdout : process.stderr).write(usage);
    return help ? 0 : 2;
  }
  return run(args);
}

main().then(
  (code) => {
    if (typeof code === "number") process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`cvm-image ${command}: ${err && err.message ? err.message : err}\n`);
    process.exitCode = 1;
  },
);
