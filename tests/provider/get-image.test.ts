// `getImage` (provider/src/resource/get-image.ts), from the package as a program calls it: how its
// arguments become the query (region, profile, mostRecent, family), the result's shape, and its
// failures (a bad argument before any call; none, several; a failed listing), each naming the query,
// the region and the credentials. (lookup.test.ts covers the matching rules in ap-guangzhou.)
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { writeProfiles } from "@pulumi-tencentcloud-images/cvm-emulator";
import { rejection, useHarness } from "./harness";

const { getImage, LookupError } = require("pulumi-tencentcloud-images") as typeof import("../../provider/src/index");

const h = useHarness();
let dir: string;
let savedDir: string | undefined;
const ENV_CREDENTIALS = "the environment (TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY)";

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ptci-get-image-"));
  writeProfiles(dir, h.emu, { accounts: ["bob"], names: { bob: "workload" } });
  savedDir = process.env.TENCENTCLOUD_SHARED_CREDENTIALS_DIR;
  process.env.TENCENTCLOUD_SHARED_CREDENTIALS_DIR = dir;
  const app = (name: string, createdTime: string, extra: Record<string, unknown> = {}) => ({
    region: "ap-shanghai",
    owner: "alice",
    name,
    family: "gi-app",
    tags: [
      { Key: "app", Value: "gi" },
      { Key: "tier", Value: "web" },
    ],
    createdTime,
    ...extra,
  });
  await h.control("POST", "fixtures", {
    images: [
      // In ap-shanghai, an hour apart, so "the newest" is clear.
      app("gi-app-1", "2026-11-01T10:00:00Z"),
      app("gi-app-2", "2026-11-01T11:00:00Z"),
      {
        region: "ap-shanghai",
        owner: "alice",
        name: "gi-db-1",
        tags: [
          { Key: "app", Value: "gi" },
          { Key: "tier", Value: "db" },
        ],
        createdTime: "2026-11-01T09:00:00Z",
      },
      // The same name in the default region, and in bob's account.
      { region: "ap-guangzhou", owner: "alice", name: "gi-app-1", tags: [{ Key: "app", Value: "gi" }] },
      { region: "ap-shanghai", owner: "bob", name: "gi-app-1" },
    ],
  });
});
afterAll(() => {
  if (savedDir === undefined) delete process.env.TENCENTCLOUD_SHARED_CREDENTIALS_DIR;
  else process.env.TENCENTCLOUD_SHARED_CREDENTIALS_DIR = savedDir;
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The actions called since the last `clearCalls`, in order, with the region each named. */
const calls = async () =>
  ((await h.control("GET", "calls")).log as Array<{ action: string; region?: string; account?: string }>).map(
    (c) => `${c.action} ${c.region}`,
  );

test("by name: the region argument picks where to look, and the result records it, in the documented shape", async () => {
  await h.clearCalls();
  const there = await getImage({ name: "gi-app-1", region: "ap-shanghai" });
  expect(await calls()).toEqual(["DescribeImages ap-shanghai"]);
  const here = await getImage({ name: "gi-app-1" }); // the default region (TENCENTCLOUD_REGION)
  expect(there.region).toBe("ap-shanghai");
  expect(here.region).toBe("ap-guangzhou");
  expect(there.imageId).not.toBe(here.imageId);
  // Exactly the documented fields: no `profile` when none was given.
  expect(Object.keys(there).sort()).toEqual(
    [
      "architecture",
      "createdTime",
      "imageCreator",
      "imageDeprecated",
      "imageDescription",
      "imageFamily",
      "imageId",
      "imageName",
      "imageState",
      "imageType",
      "osName",
      "platform",
      "region",
      "snapshotIds",
      "tags",
    ].sort(),
  );
  expect(there).toMatchObject({
    imageName: "gi-app-1",
    imageFamily: "gi-app",
    imageDeprecated: false,
    imageType: "PRIVATE_IMAGE",
    imageState: "NORMAL",
    createdTime: "2026-11-01T10:00:00Z",
    tags: { app: "gi", tier: "web" },
  });
  expect(Array.isArray(there.snapshotIds)).toBe(true);
});

test("by tags: all must hold", async () => {
  const db = await getImage({ tags: { app: "gi", tier: "db" }, region: "ap-shanghai" });
  expect(db.imageName).toBe("gi-db-1");
  expect(db.tags).toEqual({ app: "gi", tier: "db" });
});

test("several: a clear failure listing them, the same with `mostRecent: false`; `mostRecent: true` takes the newest", async () => {
  const e = await rejection(getImage({ tags: { app: "gi" }, region: "ap-shanghai" }));
  expect(e).toBeInstanceOf(LookupError);
  expect(e.message).toMatch(
    /^getImage: 3 images match \{ tags: \{ "app": "gi" \}, imageType: "PRIVATE_IMAGE" \} in ap-shanghai with the environment \(TENCENTCLOUD_SECRET_ID \/ TENCENTCLOUD_SECRET_KEY\): img-\w+ \("gi-app-2", NORMAL, created 2026-11-01T11:00:00Z\); img-\w+ \("gi-app-1", NORMAL, created 2026-11-01T10:00:00Z\); img-\w+ \("gi-db-1", NORMAL, created 2026-11-01T09:00:00Z\)\. /,
  );
  expect(e.message).toContain("mostRecent: true");
  // `mostRecent: false` is no criterion: the same failure, word for word.
  const off = await rejection(getImage({ tags: { app: "gi" }, region: "ap-shanghai", mostRecent: false }));
  expect(off.message).toBe(e.message);

  const newest = await getImage({ tags: { app: "gi" }, region: "ap-shanghai", mostRecent: true });
  expect(newest).toMatchObject({ imageName: "gi-app-2", createdTime: "2026-11-01T11:00:00Z", region: "ap-shanghai" });
});

test("none: a clear failure naming the query, the region and the credentials", async () => {
  const e = await rejection(getImage({ name: "gi-none", region: "ap-shanghai" }));
  expect(e).toBeInstanceOf(LookupError);
  expect(e.message).toMatch(
    new RegExp(
      `^getImage: no image matches \\{ name: "gi-none", imageType: "PRIVATE_IMAGE" \\} in ap-shanghai with ${ENV_CREDENTIALS.replace(/[()/]/g, "\\$&")}`,
    ),
  );
});

test("a profile: looks in that account, and the result records the profile", async () => {
  await h.clearCalls();
  const bobs = await getImage({ name: "gi-app-1", region: "ap-shanghai", profile: "workload" });
  const log = (await h.control("GET", "calls")).log as Array<{ action: string; account?: string }>;
  expect(log.map((c) => c.account)).toEqual(["100000000002"]);
  const alices = await getImage({ name: "gi-app-1", region: "ap-shanghai" });
  expect(bobs).toMatchObject({ imageName: "gi-app-1", profile: "workload", region: "ap-shanghai" });
  expect(bobs.imageId).not.toBe(alices.imageId);
  expect("profile" in alices).toBe(false);
  // The credentials a failure names are the profile's.
  const e = await rejection(getImage({ name: "gi-app-2", region: "ap-shanghai", profile: "workload" }));
  expect(e.message).toMatch(/in ap-shanghai with profile `workload` from .*workload\.credential/);
});

test("a bad argument fails before any call, every problem named at once", async () => {
  await h.clearCalls();
  const e = await rejection(getImage({ name: "gi-app-1", profile: "" }));
  expect(e).toBeInstanceOf(LookupError);
  expect(e.message).toBe("getImage: profile must be a non-empty profile name");
  const both = await rejection(getImage({ nameRegex: "(", profile: "" }));
  expect(both.message).toMatch(/^getImage: nameRegex "\(" is not a valid regular expression \(.*\); profile must be/);
  const family = await rejection(getImage({ family: "gi-app", name: "gi-app-1", imageType: "SHARED_IMAGE" }));
  expect(family.message).toMatch(
    /^getImage: family cannot be combined with name: .*; family looks up this account's own images: imageType must be PRIVATE_IMAGE or unset, not "SHARED_IMAGE"$/,
  );
  expect(await calls()).toEqual([]);
});

test("by family: the family's current image (its newest), through DescribeImageFromFamily", async () => {
  await h.clearCalls();
  const current = await getImage({ family: "gi-app", region: "ap-shanghai" });
  expect(current).toMatchObject({ imageName: "gi-app-2", imageFamily: "gi-app", region: "ap-shanghai" });
  expect(await calls()).toEqual(["DescribeImageFromFamily ap-shanghai"]);
  const none = await rejection(getImage({ family: "gi-nothing", region: "ap-shanghai" }));
  expect(none.message).toMatch(/^getImage: no image matches \{ .*family: "gi-nothing".* \} in ap-shanghai/);
});

test("a failed call: the message says what was asked, where and with which credentials, and the cause", async () => {
  await h.control("POST", "faults", { action: "DescribeImages", error: "UnauthorizedOperation.PermissionDenied" });
  const listing = await rejection(getImage({ name: "gi-app-1", region: "ap-shanghai" }));
  expect(listing).toBeInstanceOf(LookupError);
  expect(listing.message).toMatch(
    /^getImage: listing the images in ap-shanghai with the environment \(TENCENTCLOUD_SECRET_ID \/ TENCENTCLOUD_SECRET_KEY\) failed: .*UnauthorizedOperation\.PermissionDenied/,
  );
  await h.control("POST", "faults", {
    action: "DescribeImageFromFamily",
    error: "UnauthorizedOperation.PermissionDenied",
  });
  const family = await rejection(getImage({ family: "gi-app", region: "ap-shanghai" }));
  expect(family.message).toMatch(
    /^getImage: asking the current image of family "gi-app" in ap-shanghai with the environment .* failed: /,
  );
});
