// What changed outside the stack, in words (provider/src/provider/drift-rules.ts): the warnings of a
// refresh, a preview and an up.
import {
  copyDriftWarnings,
  driftWarning,
  unmanagedSharesAfterUpWarning,
  unmanagedSharesWarning,
} from "../../../provider/src/provider/drift-rules";

const recorded = {
  imageId: "img-abcd1234",
  imageName: "web",
  imageDescription: "v1",
  sharedWith: ["100000000002"],
  tags: { team: "a" },
  createdTime: "2026-01-01T00:00:00Z",
};

describe("driftWarning", () => {
  test("nothing changed, or nothing recorded yet: no warning", () => {
    expect(driftWarning("img-abcd1234", recorded, { ...recorded })).toBeUndefined();
    // Sets and maps compare whatever their order.
    const two = { ...recorded, sharedWith: ["1", "2"], tags: { a: "1", b: "2" } };
    expect(driftWarning("img-abcd1234", two, { ...two, sharedWith: ["2", "1"], tags: { b: "2", a: "1" } })).toBe(
      undefined,
    );
    expect(driftWarning("img-abcd1234", { imageName: "web" }, { imageName: "other" })).toBeUndefined();
  });

  test("lists each changed output, and the inputs pulumi up puts back", () => {
    const w = driftWarning("img-abcd1234", recorded, { ...recorded, imageName: "renamed", tags: {} });
    expect(w).toBe(
      'image img-abcd1234 ("renamed") changed outside the stack; the state now records it: ' +
        'imageName: "web" → "renamed"; tags: team=a → (none). ' +
        "Run `pulumi up` to put the program's imageName, tags back, or change the program to match.",
    );
  });

  test("ids and creation facts are not drift", () => {
    expect(driftWarning("img-abcd1234", recorded, { ...recorded, createdTime: "2027-01-01T00:00:00Z" })).toBe(
      undefined,
    );
  });
});

describe("unmanagedSharesWarning", () => {
  test("none: no warning", () => {
    expect(unmanagedSharesWarning("img-abcd1234", { unmanagedShares: [] })).toBeUndefined();
    expect(unmanagedSharesWarning("img-abcd1234", {})).toBeUndefined();
  });

  test("under the default policy the delete is blocked, and both ways forward are named", () => {
    const w = unmanagedSharesWarning("img-abcd1234", { imageName: "web", unmanagedShares: ["100000000003"] })!;
    expect(w).toMatch(/^image img-abcd1234 \("web"\) is shared with 1 account \(100000000003\) outside the stack; /);
    expect(w).toContain("`pulumi up` leaves that share in place");
    expect(w).toContain('deleting the image will be blocked (deletionPolicy.unmanagedShares = "block")');
    expect(w).toContain("add the account to sharedWith");
    expect(w).toContain('set deletionPolicy: { unmanagedShares: "unshare" }');
  });

  test('with unmanagedShares "unshare" the delete cancels them first, and no way forward is needed', () => {
    const w = unmanagedSharesWarning("img-abcd1234", {
      unmanagedShares: ["100000000003", "100000000004"],
      deletionPolicy: { unmanagedShares: "unshare" },
    })!;
    expect(w).toBe(
      "image img-abcd1234 is shared with 2 accounts (100000000003, 100000000004) outside the stack; " +
        "`pulumi up` leaves those shares in place, and deleting the image will cancel them first " +
        '(deletionPolicy.unmanagedShares = "unshare").',
    );
  });
});

describe("unmanagedSharesAfterUpWarning", () => {
  const olds = { unmanagedShares: ["100000000003", "100000000004"] };

  test("accounts the new sharedWith takes over are no longer outside the stack", () => {
    const w = unmanagedSharesAfterUpWarning("img-abcd1234", olds, { sharedWith: ["100000000003"] })!;
    expect(w).toContain("shared with 1 account (100000000004) outside the stack");
    expect(unmanagedSharesAfterUpWarning("img-abcd1234", olds, { sharedWith: olds.unmanagedShares })).toBe(undefined);
  });

  test("judged under the new deletion policy", () => {
    const w = unmanagedSharesAfterUpWarning("img-abcd1234", olds, { deletionPolicy: { unmanagedShares: "unshare" } });
    expect(w).toContain("will cancel them first");
  });
});

describe("copyDriftWarnings", () => {
  const copy = (over: Partial<{ imageId: string; sharedWith: string[]; unmanagedShares: string[] }> = {}) => ({
    imageId: "img-copy0001",
    sharedWith: ["100000000002"],
    unmanagedShares: [],
    ...over,
  });
  const was = { "ap-shanghai": copy() };

  test("nothing changed: nothing to say", () => {
    expect(copyDriftWarnings("img-abcd1234", "web", was, was, ["100000000002"], undefined)).toEqual([]);
  });

  test("a copy gone, a managed share cancelled, and a new share outside the stack", () => {
    expect(copyDriftWarnings("img-abcd1234", "web", was, {}, [], undefined)).toEqual([
      'image img-abcd1234 ("web"): its copy img-copy0001 in ap-shanghai no longer exists (deleted outside the stack); ' +
        "`pulumi up` copies the image to ap-shanghai again.",
    ]);
    expect(
      copyDriftWarnings(
        "img-abcd1234",
        undefined,
        was,
        { "ap-shanghai": copy({ sharedWith: [] }) },
        ["100000000002"],
        {},
      ),
    ).toEqual([
      "image img-abcd1234: its copy img-copy0001 in ap-shanghai is no longer shared with 1 account (100000000002); " +
        "`pulumi up` shares it again.",
    ]);
    const [blocked] = copyDriftWarnings(
      "img-abcd1234",
      undefined,
      was,
      { "ap-shanghai": copy({ unmanagedShares: ["100000000009"] }) },
      ["100000000002"],
      undefined,
    );
    expect(blocked).toContain("is shared with 1 account (100000000009) outside the stack");
    expect(blocked).toMatch(/until it is cancelled or deletionPolicy\.unmanagedShares is "unshare"\.$/);
  });
});
