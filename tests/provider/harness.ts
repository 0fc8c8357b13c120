/**
 * Test harness: an in-process emulator, the provider called through its serialized shim (which
 * requires the built implementation by package name), the real SDK for out-of-band actions, and
 * the emulator's control surface.
 */
import * as tencentcloud from "tencentcloud-sdk-nodejs-cvm";
import { startEmulator, RunningEmulator, EmulatorOptions } from "@pulumi-tencentcloud-images/cvm-emulator";
import { customImageProvider } from "pulumi-tencentcloud-images";
import { control as emulatorControl } from "../support/cloud";

export const ALICE = "100000000001";
export const BOB = "100000000002";
export const CAROL = "100000000003";
export const DAVE = "100000000004";

/** Fixtures mirroring the default set, with fixed ids the tests refer to. */
export const FIXTURES = {
  defaultAccount: "alice",
  defaultRegion: "ap-guangzhou",
  regions: ["ap-guangzhou", "ap-shanghai"],
  accounts: [
    {
      name: "alice",
      uin: ALICE,
      secretId: "AKIDalice0000000000000000000000000",
      secretKey: "alicesecretkey0000000000000000000",
    },
    {
      name: "bob",
      uin: BOB,
      secretId: "AKIDbob000000000000000000000000000",
      secretKey: "bobsecretkey000000000000000000000",
    },
    {
      name: "carol",
      uin: CAROL,
      secretId: "AKIDcarol0000000000000000000000000",
      secretKey: "carolsecretkey0000000000000000000",
    },
    {
      name: "dave",
      uin: DAVE,
      secretId: "AKIDdave00000000000000000000000000",
      secretKey: "davesecretkey00000000000000000000",
    },
  ],
  images: [
    {
      imageId: "img-pub00001",
      region: "ap-guangzhou",
      owner: "public",
      name: "TencentOS Server 3.1",
      osName: "TencentOS Server 3.1 (TK4)",
    },
    {
      imageId: "img-pub00002",
      region: "ap-shanghai",
      owner: "public",
      name: "TencentOS Server 3.1",
      osName: "TencentOS Server 3.1 (TK4)",
    },
    {
      imageId: "img-alic0001",
      region: "ap-guangzhou",
      owner: "alice",
      name: "alice-legacy",
      snapshotIds: ["snap-alic0001"],
    },
    {
      imageId: "img-bobs0001",
      region: "ap-guangzhou",
      owner: "bob",
      name: "bob-shared",
      sharedWith: ["alice"],
      snapshotIds: ["snap-bobs0001"],
    },
  ],
  snapshots: [
    { snapshotId: "snap-alic0001", region: "ap-guangzhou", owner: "alice", diskUsage: "SYSTEM_DISK" },
    { snapshotId: "snap-bobs0001", region: "ap-guangzhou", owner: "bob", diskUsage: "SYSTEM_DISK" },
    {
      snapshotId: "snap-sys00001",
      region: "ap-guangzhou",
      owner: "alice",
      diskUsage: "SYSTEM_DISK",
      diskId: "disk-sys00001",
    },
    {
      snapshotId: "snap-dat00001",
      region: "ap-guangzhou",
      owner: "alice",
      diskUsage: "DATA_DISK",
      diskId: "disk-dat00001",
    },
  ],
  instances: [
    {
      instanceId: "ins-web00001",
      region: "ap-guangzhou",
      owner: "alice",
      name: "web-1",
      imageId: "img-pub00001",
      systemDisk: { diskId: "disk-sys00001" },
      dataDisks: [{ diskId: "disk-dat00001" }],
    },
    {
      instanceId: "ins-sha00001",
      region: "ap-shanghai",
      owner: "alice",
      name: "sh-1",
      imageId: "img-pub00002",
      systemDisk: { diskId: "disk-sys00002" },
    },
  ],
};

// The provider runs from the built package (as the serialized shim requires it): its warning sink is that module's.
const { setWarningSink } =
  require("pulumi-tencentcloud-images/dist/cloud/diagnostics") as typeof import("../../provider/src/cloud/diagnostics");

/** Runs `run`, collecting the warnings the provider shows meanwhile (instead of printing them). */
export async function shownWhile<T>(run: () => Promise<T>): Promise<{ result: T; shown: string[] }> {
  const shown: string[] = [];
  setWarningSink({ warn: async (_urn, message) => void shown.push(message) });
  try {
    return { result: await run(), shown };
  } finally {
    setWarningSink(undefined);
  }
}

export type Provider = Required<typeof customImageProvider>;
/** The provider exactly as the engine would call it: through the serialized shim. */
export const provider = customImageProvider as Provider;
/** What the engine adds to inputs; any string works for the implementation. */
export const PROVIDER_TEXT = "serialized-shim";

export interface Harness {
  emu: RunningEmulator;
  /** The real SDK client for an emulator account (out-of-band actions). */
  sdk(account?: string, region?: string): { request(action: string, req: unknown): Promise<Record<string, any>> };
  control(method: string, path: string, body?: unknown): Promise<any>;
  /** Counts of API calls per action since the last `clearCalls`. */
  counts(): Promise<Record<string, number>>;
  clearCalls(): Promise<void>;
  state(): Promise<any>;
  stop(): Promise<void>;
}

/** Starts an emulator with short timings and points the provider at it (alice by default). */
export async function startHarness(options: EmulatorOptions = {}): Promise<Harness> {
  const emu = await startEmulator({
    fixtures: FIXTURES as never,
    timing: { creatingMs: 250, importingMs: 250, syncingMs: 250, deleteLagMs: 100 },
    ...options,
  });
  Object.assign(process.env, emu.env("alice"), {
    CVM_IMAGE_POLL_MS: "40",
    CVM_IMAGE_RETRY_BASE_MS: "20",
    CVM_IMAGE_RETRY_MAX_MS: "200",
    CVM_IMAGE_CALL_TIMEOUT: "5s",
    CVM_IMAGE_INSTANCE_SCAN_TTL_MS: "0",
  });
  const control = (method: string, path: string, body?: unknown) => emulatorControl(emu, method, path, body);
  return {
    emu,
    sdk(account = "alice", region = "ap-guangzhou") {
      const env = emu.env(account);
      return new tencentcloud.cvm.v20170312.Client({
        credential: { secretId: env.TENCENTCLOUD_SECRET_ID, secretKey: env.TENCENTCLOUD_SECRET_KEY },
        region,
        profile: { httpProfile: { endpoint: emu.endpoint, protocol: "http://" } },
      }) as never;
    },
    control,
    counts: async () => (await control("GET", "calls")).counts,
    clearCalls: async () => void (await control("DELETE", "calls")),
    state: () => control("GET", "state"),
    stop: () => emu.stop(),
  };
}

/**
 * A harness for the tests of one file: started before them, stopped after them; after each test the
 * fault rules are removed and `afterEachTest` runs. The returned object stands for the harness.
 */
export function useHarness(afterEachTest?: (h: Harness) => Promise<void>, options: EmulatorOptions = {}): Harness {
  let current: Harness | undefined;
  beforeAll(async () => {
    current = await startHarness(options);
  });
  afterAll(() => current?.stop());
  afterEach(async () => {
    await current!.control("DELETE", "faults");
    await afterEachTest?.(current!);
  });
  return new Proxy({} as Harness, { get: (_target, key) => current![key as keyof Harness] });
}

/** check + create, as `pulumi up` does for a new resource. */
export async function up(name: string, props: Record<string, unknown>) {
  const checked = await provider.check({}, { ...props, resourceName: name, __provider: PROVIDER_TEXT });
  if (checked.failures?.length) throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
  const inputs = { ...checked.inputs, __provider: PROVIDER_TEXT };
  const created = await provider.create(inputs);
  return { id: created.id, outs: { ...created.outs, __provider: PROVIDER_TEXT } as Record<string, any>, inputs };
}

/** check (with the old inputs) + diff + update, as `pulumi up` does for a changed resource. */
export async function change(
  name: string,
  id: string,
  oldInputs: Record<string, unknown>,
  olds: Record<string, unknown>,
  props: Record<string, unknown>,
) {
  const checked = await provider.check(oldInputs, { ...props, resourceName: name, __provider: PROVIDER_TEXT });
  if (checked.failures?.length) throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
  const news = { ...checked.inputs, __provider: PROVIDER_TEXT };
  const diff = await provider.diff(id, olds, news);
  const updated = diff.changes && !diff.replaces?.length ? await provider.update(id, olds, news) : undefined;
  return {
    diff,
    news,
    outs: updated ? ({ ...updated.outs, __provider: PROVIDER_TEXT } as Record<string, any>) : undefined,
  };
}

/** DescribeImages through the real SDK as the given account; null when not visible. */
export async function describe(h: Harness, imageId: string, account = "alice", region = "ap-guangzhou") {
  const r = await h.sdk(account, region).request("DescribeImages", { ImageIds: [imageId] });
  return (r.ImageSet?.[0] as Record<string, any>) ?? null;
}

export async function sharesOf(h: Harness, imageId: string): Promise<string[]> {
  const r = await h.sdk().request("DescribeImageSharePermission", { ImageId: imageId });
  return (r.SharePermissionSet ?? []).map((p: { AccountId: string }) => p.AccountId).sort();
}

/** Waits until the image no longer shows (deleted images linger briefly). */
export async function waitGone(h: Harness, imageId: string, ms = 3000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (!(await describe(h, imageId))) return;
    await new Promise((r) => setTimeout(r, 30));
  }
  throw new Error(`${imageId} still shows`);
}

/** The rejection message of a promise (fails the test if it resolves). */
export async function rejection(p: Promise<unknown>): Promise<Error & Record<string, any>> {
  try {
    await p;
  } catch (e) {
    return e as Error & Record<string, any>;
  }
  throw new Error("expected a rejection");
}
