// Lookups against the emulator: `getImage` (none, one, several, the newest; shared images through
// a profile) and the provider's `read` of a `CustomImage.get`, which has only the id.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { writeProfiles } from "@pulumi-tencentcloud-images/cvm-emulator";
import { getImage, getImageOutput, LookupError } from "pulumi-tencentcloud-images";
import { ALICE, BOB, PROVIDER_TEXT, provider, rejection, useHarness } from "./harness";
import { withOutputDefaults } from "../../provider/src/schema/stored";

const h = useHarness();
let dir: string;
let savedDir: string | undefined;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ptci-lookups-"));
  writeProfiles(dir, h.emu, { accounts: ["bob"], names: { bob: "workload" } });
  savedDir = process.env.TENCENTCLOUD_SHARED_CREDENTIALS_DIR;
  process.env.TENCENTCLOUD_SHARED_CREDENTIALS_DIR = dir;
  await h.control("POST", "fixtures", {
    images: [
      // Made a minute apart, so "the newest" does not depend on the order of ids made in the same second.
      {
        region: "ap-guangzhou",
        owner: "alice",
        name: "lookup-web-1",
        tags: [{ Key: "team", Value: "web" }],
        createdTime: "2026-12-01T10:00:00Z",
      },
      {
        region: "ap-guangzhou",
        owner: "alice",
        name: "lookup-web-2",
        tags: [{ Key: "team", Value: "web" }],
        createdTime: "2026-12-01T10:01:00Z",
      },
      { region: "ap-guangzhou", owner: "alice", name: "lookup-db-1", tags: [{ Key: "team", Value: "db" }] },
    ],
  });
});
afterAll(() => {
  if (savedDir === undefined) delete process.env.TENCENTCLOUD_SHARED_CREDENTIALS_DIR;
  else process.env.TENCENTCLOUD_SHARED_CREDENTIALS_DIR = savedDir;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("getImage", () => {
  test("one: by exact name (the API's name filter is fuzzy), with the image's facts", async () => {
    const found = await getImage({ name: "lookup-web-1" });
    expect(found).toMatchObject({
      imageName: "lookup-web-1",
      imageType: "PRIVATE_IMAGE",
      imageState: "NORMAL",
      region: "ap-guangzhou",
      tags: { team: "web" },
    });
    expect(found.imageId).toMatch(/^img-/);
  });

  test("one: by tags", async () => {
    expect((await getImage({ tags: { team: "db" } })).imageName).toBe("lookup-db-1");
  });

  test("none: a clear failure naming the query, the region and the credentials", async () => {
    const e = await rejection(getImage({ name: "lookup-web" }));
    expect(e).toBeInstanceOf(LookupError);
    expect(e.message).toMatch(
      /^getImage: no image matches \{ name: "lookup-web", imageType: "PRIVATE_IMAGE" \} in ap-guangzhou with the environment \(TENCENTCLOUD_SECRET_ID \/ TENCENTCLOUD_SECRET_KEY\)/,
    );
  });

  test("several: listed, and the way out; mostRecent takes the newest", async () => {
    const e = await rejection(getImage({ nameRegex: "^lookup-web-" }));
    expect(e.message).toMatch(
      /^getImage: 2 images match \{ nameRegex: "\^lookup-web-", imageType: "PRIVATE_IMAGE" \}.*"lookup-web-2".*"lookup-web-1".*mostRecent: true/,
    );
    const newest = await getImage({ nameRegex: "^lookup-web-", mostRecent: true });
    expect(newest.imageName).toBe("lookup-web-2");
  });

  test("an image shared with another account, looked up through that account's profile", async () => {
    const shared = await getImage({ name: "bob-shared", imageType: "SHARED_IMAGE" }); // bob's image, shared with alice (the environment)
    expect(shared).toMatchObject({ imageId: "img-bobs0001", imageType: "SHARED_IMAGE" });
    const own = await getImage({ name: "bob-shared", profile: "workload" }); // as bob: his own
    expect(own).toMatchObject({ imageId: "img-bobs0001", imageType: "PRIVATE_IMAGE", profile: "workload" });
  });

  test("a bad query fails before any call", async () => {
    await h.clearCalls();
    await expect(getImage({})).rejects.toThrow(/give at least one of name, nameRegex, tags, imageType or family/);
    await expect(getImage({ nameRegex: "(" })).rejects.toThrow(/not a valid regular expression/);
    expect((await h.control("GET", "calls")).log).toEqual([]);
  });

  test("getImageOutput gives an Output of the same", async () => {
    const out = getImageOutput({ name: "lookup-db-1" });
    const value = await new Promise((resolve) => out.apply(resolve));
    expect(value).toMatchObject({ imageName: "lookup-db-1" });
  });
});

describe("read with only an id (CustomImage.get)", () => {
  test("reads the image into outputs with the default region, manages no share", async () => {
    const r = await provider.read("img-bobs0001", { resourceName: "base", __provider: PROVIDER_TEXT });
    expect(r.id).toBe("img-bobs0001");
    expect(withOutputDefaults(r.props)).toMatchObject({
      imageId: "img-bobs0001",
      region: "ap-guangzhou",
      imageType: "SHARED_IMAGE",
      sharedWith: [],
      adopted: false,
    });
    const own = await provider.read("img-alic0001", { resourceName: "legacy", __provider: PROVIDER_TEXT });
    expect(own.props).toMatchObject({ imageName: "alice-legacy", imageType: "PRIVATE_IMAGE", region: "ap-guangzhou" });
  });

  test("with a profile and a region, as `CustomImage.get(name, id, { profile, region })` passes them", async () => {
    const r = await provider.read("img-bobs0001", {
      resourceName: "base",
      profile: "workload",
      region: "ap-guangzhou",
      __provider: PROVIDER_TEXT,
    });
    expect(r.props).toMatchObject({ imageType: "PRIVATE_IMAGE", profile: "workload", unmanagedShares: [ALICE] });
  });

  test("an unknown id: empty, so the engine reports the resource as not found", async () => {
    expect(await provider.read("img-zzzz9999", { resourceName: "missing", __provider: PROVIDER_TEXT })).toEqual({
      id: "",
      props: {},
    });
  });
  void BOB;
});
