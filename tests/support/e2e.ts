import * as path from "node:path";
import { startEmulator } from "../../emulator/src";
import { cvmClient, CvmClientType, instanceIds } from "./cloud";
import { TestStack } from "./stack";
import type { PreflightOptions } from "../../provider/src/preflight";
import { pulumiBinDir, repoRoot } from "./toolchain";

export type RunningEmulator = Awaited<ReturnType<typeof startEmulator>>;

/** The resource type token of CustomImage in state and preview JSON. */
export const CUSTOM_IMAGE_TYPE = "pulumi-nodejs:dynamic/tencentcloud-images:CustomImage";

/** The e2e program: it declares whatever images the stack config lists. */
export const e2eProgramDir = path.join(repoRoot, "tests", "e2e", "program");

/** One emulator per test file, with quick state transitions, and alice's SDK client. */
export interface E2EWorld {
  emu: RunningEmulator;
  alice: CvmClientType;
  /** An instance of alice's in the default region to make images from. */
  instanceId: string;
  uins: { alice: string; bob: string; carol: string };
}

export async function startWorld(): Promise<E2EWorld> {
  const emu = await startEmulator({
    port: 0,
    timing: { creatingMs: 400, importingMs: 400, syncingMs: 400, deleteLagMs: 200 },
  });
  const alice = cvmClient(emu, "alice");
  const [instanceId] = await instanceIds(alice);
  const uin = (name: string) => emu.accounts.find((a) => a.name === name)!.uin;
  return { emu, alice, instanceId, uins: { alice: uin("alice"), bob: uin("bob"), carol: uin("carol") } };
}

/** A declared image in the e2e program's config. */
export interface DeclaredImage {
  name: string;
  args: Record<string, unknown>;
  retainOnDelete?: boolean;
  protect?: boolean;
  formerNames?: string[];
  /** Inputs the program passes as secrets, e.g. `["sharedWith"]`. */
  secretArgs?: string[];
  /** Resource options that never reach a dynamic provider (the resource warns about them). */
  customTimeouts?: { create?: string; update?: string; delete?: string };
  replaceOnChanges?: string[];
}

/** A fresh stack of the e2e program, in its own backend, acting as alice. */
export async function newStack(world: E2EWorld, programDir = e2eProgramDir): Promise<TestStack> {
  // The emulator's transitions take well under a second, so the provider may poll as often.
  const stack = new TestStack({ programDir, env: { ...world.emu.env("alice"), CVM_IMAGE_POLL_MS: "250" } });
  await stack.init();
  return stack;
}

/** How the preflight reaches a stack of the e2e program: the real CLI, the stack's own config file, the emulator's env. */
export function preflightThrough(stack: TestStack): PreflightOptions {
  return {
    stack: stack.stackName,
    cwd: e2eProgramDir,
    pulumiArgs: ["--config-file", stack.configFile],
    env: { ...stack.cliEnv, PULUMI_BIN: path.join(pulumiBinDir(), "pulumi") },
  };
}

/** Sets the images the e2e program declares. */
export function declare(stack: TestStack, images: DeclaredImage[]): void {
  stack.setConfig({ "e2e-images:images": images });
}

/**
 * Asserts that no credential of any emulator account appears anywhere in the stack's
 * state, read the way a user would: `pulumi stack export --show-secrets`.
 */
export async function expectNoCredentialsInState(stack: TestStack, world: E2EWorld): Promise<void> {
  const { text } = await stack.exportState(true);
  for (const account of world.emu.accounts) {
    expect(text).not.toContain(account.secretKey);
    expect(text).not.toContain(account.secretId);
  }
  expect(text).not.toMatch(/TENCENTCLOUD_SECRET|secretKey"\s*:\s*"[^"[]/i);
}

/**
 * Registers the usual hooks of an end-to-end test file: one emulator and one fresh stack for the
 * file, stopped and removed afterwards. The returned object is filled in by `beforeAll`.
 */
export function worldWithStack(): { world: E2EWorld; stack: TestStack } {
  const ctx = {} as { world: E2EWorld; stack: TestStack };
  beforeAll(async () => {
    ctx.world = await startWorld();
    ctx.stack = await newStack(ctx.world);
  });
  afterAll(async () => {
    ctx.stack?.dispose();
    await ctx.world?.emu.stop();
  });
  return ctx;
}
