#!/usr/bin/env node
// `npm run docs:inputs`: writes the inputs table of provider/README.md from the property table
// (provider/src/schema/properties.ts, through the built provider/dist/schema/readme-table.js).
// tests/unit/schema.test.ts fails when the README's table differs from the generated one.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { withReadmeInputsTable } = require("../provider/dist/schema/readme-table");

const readmePath = path.join(__dirname, "..", "provider", "README.md");
const before = fs.readFileSync(readmePath, "utf8");
const after = withReadmeInputsTable(before);
if (after === before) {
  console.log("provider/README.md: the inputs table is up to date");
} else {
  fs.writeFileSync(readmePath, after);
  console.log("provider/README.md: inputs table regenerated");
}
