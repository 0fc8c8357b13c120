// An endpoint nothing listens on (the emulator stopped, a wrong TENCENTCLOUD_CVM_ENDPOINT) fails an
// operation within seconds, not after the full retry budget, with the endpoint, where it came from
// and, for a local address, "is the emulator running?". Once it refused, the other calls of the
// process fail at their first attempt; an answer from it again gives the next refusal its few attempts back.
import { startEmulator, type RunningEmulator } from "@pulumi-tencentcloud-images/cvm-emulator";
import { FIXTURES, provider, rejection, startHarness, up } from "./harness";

let url: string;
let port: number;
let credentials: string[];
let restarted: RunningEmulator | undefined;

beforeAll(async () => {
  const h = await startHarness();
  url = h.emu.url;
  port = h.emu.port;
  credentials = h.emu.accounts.flatMap((a) => [a.secretId, a.secretKey]);
  // The retries of real use: with their budget (8 attempts, backoff from 500 ms up to 20 s), a refused call would take well over 5 s.
  Object.assign(process.env, {
    CVM_IMAGE_RETRY_BASE_MS: "500",
    CVM_IMAGE_RETRY_MAX_MS: "20000",
    CVM_IMAGE_RETRY_ATTEMPTS: "8",
  });
  await h.stop(); // the endpoint now refuses connections
});
afterAll(async () => {
  await restarted?.stop();
});

const read = (imageId: string) => provider.read(imageId, { imageId, region: "ap-guangzhou", sharedWith: [] });

/** The error of `run`, and how long it took to come. */
async function timed(run: () => Promise<unknown>): Promise<{ message: string; ms: number }> {
  const started = Date.now();
  const e = await rejection(run());
  return { message: e.message, ms: Date.now() - started };
}

function expectExplained(message: string): void {
  expect(message).toContain(
    `cannot reach the API endpoint ${url} (set by TENCENTCLOUD_CVM_ENDPOINT): the connection was refused (ECONNREFUSED)`,
  );
  expect(message).toContain("It is a local address: is the emulator running?");
  for (const secret of credentials) expect(message).not.toContain(secret);
}

test("a refused connection fails a read within 5 s, naming the endpoint, where it came from, and asking whether the emulator runs", async () => {
  const { message, ms } = await timed(() => read("img-alic0001"));
  expect(ms).toBeLessThan(5000);
  expect(message).toMatch(
    /^Failed to read image img-alic0001 in ap-guangzhou\.\nCause: DescribeImages failed: cannot reach/,
  );
  expectExplained(message);
  expect(message).toContain("(after 3 attempts)"); // a few quick attempts, not the retry budget's 8
});

test("once the endpoint refused, every other call of the process fails at its first attempt: reads, a create, a delete", async () => {
  const runs = await Promise.all([
    timed(() => read("img-alic0001")),
    timed(() => read("img-bobs0001")),
    timed(() => up("unreachable", { fromInstance: { instanceId: "ins-web00001" } })),
    timed(() => provider.delete("img-alic0001", { imageId: "img-alic0001", region: "ap-guangzhou", sharedWith: [] })),
  ]);
  for (const { message, ms } of runs) {
    expect(ms).toBeLessThan(1000);
    expectExplained(message);
    expect(message).not.toMatch(/after \d+ attempts/);
  }
  expect(runs[2]!.message).toMatch(/^Failed to create image/);
  expect(runs[3]!.message).toMatch(/^Failed to delete image img-alic0001/);
});

test("an answer from the endpoint clears it: the next refusal gets its few attempts again", async () => {
  restarted = await startEmulator({ port, fixtures: FIXTURES as never });
  expect(restarted.url).toBe(url);
  await expect(read("img-alic0001")).resolves.toMatchObject({ id: "img-alic0001" });
  await restarted.stop();
  const { message, ms } = await timed(() => read("img-alic0001"));
  expect(ms).toBeLessThan(5000);
  expectExplained(message);
  expect(message).toContain("(after 3 attempts)");
});

test("a host name that does not resolve fails as fast, and asks to check the address instead", async () => {
  const saved = process.env.TENCENTCLOUD_CVM_ENDPOINT;
  process.env.TENCENTCLOUD_CVM_ENDPOINT = "http://cvm-emulator.invalid:8080";
  try {
    const { message, ms } = await timed(() => read("img-alic0001"));
    expect(ms).toBeLessThan(5000);
    expect(message).toMatch(
      /cannot reach the API endpoint http:\/\/cvm-emulator\.invalid:8080 \(set by TENCENTCLOUD_CVM_ENDPOINT\): its host name (does not resolve \(ENOTFOUND\)|could not be resolved)/,
    );
    expect(message).toContain("Check the address in TENCENTCLOUD_CVM_ENDPOINT");
    expect(message).not.toContain("emulator running");
  } finally {
    process.env.TENCENTCLOUD_CVM_ENDPOINT = saved;
  }
});
