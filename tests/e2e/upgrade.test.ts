// The serialized provider in the state is a shim that loads the implementation from the installed
// package at call time: a package upgrade between `up` and `destroy` is honoured by the destroy.
import * as fs from "node:fs";
import * as path from "node:path";
import { describeImage } from "../support/cloud";
import {
  CUSTOM_IMAGE_TYPE,
  declare,
  e2eProgramDir,
  E2EWorld,
  expectNoCredentialsInState,
  newStack,
  startWorld,
} from "../support/e2e";
import { TestStack } from "../support/stack";
import { repoRoot } from "../support/toolchain";

jest.setTimeout(240_000);

const PACKAGE = "pulumi-tencentcloud-images";
let world: E2EWorld;
let stack: TestStack;
let workDir: string;

/** A copy of the e2e program with its own installed copy of the package, which the test can "upgrade". */
function programWithOwnPackage(): string {
  const dir = path.join(repoRoot, "tests", "e2e", ".work", `upgrade-${process.pid}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const f of ["Pulumi.yaml", "index.ts", "tsconfig.json"])
    fs.copyFileSync(path.join(e2eProgramDir, f), path.join(dir, f));
  const installed = path.join(dir, "node_modules", PACKAGE);
  fs.mkdirSync(installed, { recursive: true });
  for (const f of ["package.json", "dist", "bin"]) {
    fs.cpSync(path.join(repoRoot, "provider", f), path.join(installed, f), { recursive: true });
  }
  return dir;
}

beforeAll(async () => {
  world = await startWorld();
  workDir = programWithOwnPackage();
  stack = await newStack(world, workDir);
});
afterAll(async () => {
  stack?.dispose();
  fs.rmSync(workDir, { recursive: true, force: true });
  await world?.emu.stop();
});

test("destroy after an upgrade runs the upgraded code, not the code serialized at create time", async () => {
  declare(stack, [
    { name: "img", args: { fromInstance: { instanceId: world.instanceId }, sharedWith: [world.uins.bob] } },
  ]);
  expect((await stack.up()).code).toBe(0);
  const [state] = await stack.resourcesOfType(CUSTOM_IMAGE_TYPE);
  const shimText: string = state.outputs.__provider;

  // The shim names the implementation by package, so it resolves to whatever is installed.
  const required = [...shimText.matchAll(/require\("(pulumi-tencentcloud-images[^"]*)"\)/g)].map((m) => m[1]);
  expect(required.length).toBeGreaterThan(0);
  expect(shimText.length).toBeLessThan(20_000);

  // "Upgrade" the installed package: a new version whose implementation leaves a mark when it loads.
  const marker = path.join(stack.dir, "upgrade-marker.txt");
  const installed = path.join(workDir, "node_modules", PACKAGE);
  const pkgJson = JSON.parse(fs.readFileSync(path.join(installed, "package.json"), "utf8"));
  fs.writeFileSync(
    path.join(installed, "package.json"),
    JSON.stringify({ ...pkgJson, version: "9.9.9-upgraded" }, null, 2),
  );
  for (const spec of new Set(required)) {
    const file = require.resolve(spec, { paths: [workDir] });
    expect(file.startsWith(installed)).toBe(true);
    const code = fs.readFileSync(file, "utf8");
    fs.writeFileSync(
      file,
      `if (process.env.E2E_UPGRADE_MARKER) require("fs").appendFileSync(process.env.E2E_UPGRADE_MARKER, ${JSON.stringify(spec)} + " 9.9.9 loaded\\n");\n` +
        code,
    );
  }

  const destroy = await stack.destroy([], { E2E_UPGRADE_MARKER: marker });
  expect(destroy.code).toBe(0);
  // The destroy loaded the upgraded implementation and deleted the image with it.
  expect(fs.readFileSync(marker, "utf8")).toContain("9.9.9 loaded");
  expect(await describeImage(world.alice, state.id)).toBeUndefined();
  await expectNoCredentialsInState(stack, world);
});
