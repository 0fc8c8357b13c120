/**
 * The usage scan's families (pure): which configuration by family uses an image (the family's current
 * image), the image the family falls back to (deprecated images counted as DescribeImageFromFamily
 * counts them, or both candidates when what it answered does not tell), and unresolved families.
 */
import {
  familyFallback,
  type FamilyMember,
  imageUsage,
  type ScannedFamilies,
  skipsDeprecated,
  type UsageScan,
} from "../../../provider/src/cloud/usage-rules";

const member = (imageId: string, month: number, deprecated = false): FamilyMember => ({
  imageId,
  imageName: `${imageId}-name`,
  createdTime: `2026-${String(month).padStart(2, "0")}-01T00:00:00Z`,
  deprecated,
});
const OLD = member("img-old00001", 1);
const CUR = member("img-cur00001", 2);
const DEP_NEWER = member("img-dep00001", 3, true);
const DEP_OLDER = member("img-dep00002", 1, true);
const named = (m: FamilyMember) => ({ imageId: m.imageId, imageName: m.imageName });

describe("skipsDeprecated: what DescribeImageFromFamily's answer tells", () => {
  test("a deprecated current image: deprecated images count", () => {
    expect(skipsDeprecated([OLD, DEP_NEWER], DEP_NEWER)).toBe(false);
  });
  test("a newer deprecated member than the current one: they are skipped", () => {
    expect(skipsDeprecated([OLD, CUR, DEP_NEWER], CUR)).toBe(true);
  });
  test("otherwise: unknown", () => {
    expect(skipsDeprecated([OLD, CUR, DEP_OLDER], CUR)).toBeUndefined();
    expect(skipsDeprecated([CUR], CUR)).toBeUndefined();
  });
});

describe("familyFallback", () => {
  test("the next newest available member", () => {
    expect(familyFallback([OLD, CUR], CUR)).toEqual({ image: named(OLD) });
  });
  test("none left", () => {
    expect(familyFallback([CUR], CUR)).toEqual({});
  });
  test("deprecated images known skipped: the newest one that is not deprecated", () => {
    expect(familyFallback([OLD, CUR, DEP_NEWER], CUR)).toEqual({ image: named(OLD) });
  });
  test("deprecated images known counted: the newest other member, deprecated or not", () => {
    const dep = member("img-dep00003", 4, true);
    expect(familyFallback([OLD, CUR, dep], dep)).toEqual({ image: named(CUR) });
    expect(familyFallback([OLD, DEP_OLDER, member("img-dep00004", 2, true)], member("img-dep00004", 2, true))).toEqual(
      { image: named(OLD) }, // OLD and DEP_OLDER were made at the same time: the first listed wins
    );
  });
  test("unknown, and a deprecated member newer than the fallback: both are named", () => {
    const dep = member("img-dep00005", 2, true);
    const cur = member("img-cur00002", 3);
    expect(familyFallback([OLD, dep, cur], cur)).toEqual({ image: named(OLD), ifDeprecatedCount: named(dep) });
    expect(familyFallback([dep, cur], cur)).toEqual({ ifDeprecatedCount: named(dep) });
  });
  test("unknown, and the deprecated member older than the fallback: the fallback, for sure", () => {
    expect(
      familyFallback([DEP_OLDER, member("img-mid00001", 2), member("img-cur00003", 3)], member("img-cur00003", 3)),
    ).toEqual({ image: named(member("img-mid00001", 2)) });
  });
});

describe("imageUsage: launch configurations by family", () => {
  const config = (id: string, imageFamily: string, imageId = "") => ({
    launchConfigurationId: id,
    launchConfigurationName: `${id}-name`,
    status: "NORMAL",
    imageId,
    imageFamily,
  });
  const scan = (families: ScannedFamilies): UsageScan => ({
    instances: { items: [] },
    launchTemplates: { items: [] },
    launchConfigurations: {
      items: [config("asc-byid0001", "", CUR.imageId), config("asc-web00001", "web"), config("asc-db000001", "db")],
    },
    families,
  });
  const families = (over: Partial<ScannedFamilies> = {}): ScannedFamilies => ({
    resolved: new Map([
      ["web", { current: CUR }],
      ["db", { current: null }],
    ]),
    members: { byFamily: new Map([["web", [OLD, CUR]]]) },
    ...over,
  });

  test("the family's current image is used by its configurations, with the fallback; by id too", () => {
    const u = imageUsage(scan(families()), CUR.imageId);
    expect(u.launchConfigurations).toEqual([
      { launchConfigurationId: "asc-byid0001", launchConfigurationName: "asc-byid0001-name", status: "NORMAL" },
      {
        launchConfigurationId: "asc-web00001",
        launchConfigurationName: "asc-web00001-name",
        status: "NORMAL",
        imageFamily: "web",
        fallback: { image: named(OLD) },
      },
    ]);
    expect(u.uncheckedFamilies).toBeUndefined();
  });

  test("an older member is not in use", () => {
    expect(imageUsage(scan(families()), OLD.imageId).launchConfigurations).toEqual([]);
  });

  test("the members not listed: the use is known, the fallback unknown with why", () => {
    const u = imageUsage(scan(families({ members: { refused: "DescribeImages failed" } })), CUR.imageId);
    expect(u.launchConfigurations[1]!.fallback).toEqual({ unknown: "DescribeImages failed" });
  });

  test("an unresolved family is unchecked for its members only (any image when the members are unknown)", () => {
    const refused = new Map([
      ["web", { refused: "DescribeImageFromFamily failed with UnauthorizedOperation" }],
      ["db", { current: null }],
    ]);
    const u = imageUsage(scan(families({ resolved: refused })), OLD.imageId);
    expect(u.launchConfigurations).toEqual([]);
    expect(u.uncheckedFamilies).toEqual([
      {
        imageFamily: "web",
        cause: "DescribeImageFromFamily failed with UnauthorizedOperation",
        launchConfigurations: [
          {
            launchConfigurationId: "asc-web00001",
            launchConfigurationName: "asc-web00001-name",
            status: "NORMAL",
            imageFamily: "web",
          },
        ],
      },
    ]);
    expect(imageUsage(scan(families({ resolved: refused })), "img-other001").uncheckedFamilies).toBeUndefined();
    const blind = imageUsage(scan(families({ resolved: refused, members: { refused: "x" } })), "img-other001");
    expect(blind.uncheckedFamilies).toHaveLength(1);
  });
});
