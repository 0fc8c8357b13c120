// The property table (provider/src/schema/properties.ts) is the one declaration of each property:
// the README's inputs table (readme-table.test.ts), check's keys, diff's replace/update sets, the outputs and the
// resource class's declarations all come from it.
import * as pulumi from "@pulumi/pulumi";
import { diffState } from "../../../provider/src/provider/diff-rules";
import { checkInputs } from "../../../provider/src/provider/check-rules";
import { DEFAULT_DELETION_POLICY, DEFAULT_TIMEOUTS, ImageFacts } from "../../../provider/src/schema/types";
import { buildOutputs } from "../../../provider/src/provider/common";
import { CustomImage } from "../../../provider/src/resource/custom-image";
import {
  INPUT_KEYS,
  InputKey,
  INPUTS,
  PROPERTIES,
  PROPERTY_KEYS,
  REPLACE_KEYS,
  UPDATE_KEYS,
} from "../../../provider/src/schema/properties";
import { Field, isObjectRule } from "../../../provider/src/schema/rules";

// The compile-time half (the resource's args, the class's outputs, the state, the facts and getImage's
// result declare the table's properties, with their rules' value types) is in tests/types/schema.ts,
// checked by the compiler in tests/unit/resource/custom-image.types.test.ts.

const ctx = { defaultRegion: "ap-guangzhou", randomHex: () => "abcdef1" };

describe("check's keys", () => {
  const src = { fromInstance: { instanceId: "ins-abcd1234" } };
  test("an unknown key is refused, and the message lists exactly the table's inputs", () => {
    const f = checkInputs({}, { ...src, colour: "red" }, ctx).failures.find((x) => x.property === "colour");
    const listed = [...f!.reason.matchAll(/"([A-Za-z]+)"/g)].map((m) => m[1]).slice(1);
    expect(listed).toEqual([...INPUT_KEYS]);
  });
  test.each([...INPUT_KEYS])("%s is an allowed key", (key) => {
    const failures = checkInputs({}, { ...src, [key]: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }, ctx).failures;
    expect(failures.filter((f) => f.reason.includes("unknown property"))).toEqual([]);
  });
  test.each(INPUTS.filter(([, row]) => isObjectRule(row.rule)).map(([k, row]) => [k, row] as const))(
    "%s: its fields are the allowed keys",
    (key, row) => {
      const rule = row.rule as unknown as { fields: Record<string, Field> };
      const f = checkInputs({}, { ...src, [key]: { nope: 1 } }, ctx).failures.find((x) => x.property === `${key}.nope`);
      expect([...f!.reason.matchAll(/"([A-Za-z]+)"/g)].map((m) => m[1]).slice(1)).toEqual(Object.keys(rule.fields));
    },
  );
  test("defaults that check fills come from the table", () => {
    const { inputs } = checkInputs({}, src, ctx);
    // The documented defaults, as literals (not the code's own constants).
    expect(inputs.deletionPolicy).toEqual({
      unmanagedShares: "block",
      deleteSnapshots: false,
      inUse: { instances: "warn", launchTemplates: "warn", launchConfigurations: "warn" },
    });
    expect(inputs.timeouts).toEqual({ create: "60m", update: "20m", delete: "30m" });
    const filled = INPUTS.filter(([, row]) => row.default?.fill).map(([k]) => k);
    for (const k of filled) expect(inputs).toHaveProperty(k);
  });
});

/** For each input: a stored value and a changed one (typed by the table's keys: a new row must be added here). */
const CHANGES: Record<InputKey, [unknown, unknown]> = {
  fromInstance: [{ instanceId: "ins-abcd1234" }, { instanceId: "ins-zzzz9999" }],
  fromSnapshots: [{ snapshotIds: ["snap-abcd1234"] }, { snapshotIds: ["snap-zzzz9999"] }],
  fromImport: [
    { imageUrl: "https://b/a.qcow2", architecture: "x86_64", osType: "CentOS", osVersion: "7" },
    { imageUrl: "https://b/b.qcow2", architecture: "x86_64", osType: "CentOS", osVersion: "7" },
  ],
  adoptImageId: ["img-abcd1234", "img-zzzz9999"],
  region: ["ap-guangzhou", "ap-shanghai"],
  profile: ["build", "build-2"],
  imageName: ["web", "web-2"],
  imageDescription: ["d", "e"],
  imageFamily: ["fam", "fam-2"],
  imageDeprecated: [false, true],
  tags: [{ team: "web" }, { team: "db" }],
  sharedWith: [["100000000002"], ["100000000003"]],
  copyTo: [["ap-shanghai"], ["ap-beijing"]],
  deletionPolicy: [DEFAULT_DELETION_POLICY, { ...DEFAULT_DELETION_POLICY, unmanagedShares: "unshare" }],
  timeouts: [DEFAULT_TIMEOUTS, { ...DEFAULT_TIMEOUTS, delete: "5m" }],
};

describe("diff's replace and update sets", () => {
  const stored = (key: InputKey, value: unknown) => ({
    region: "ap-guangzhou",
    imageName: "web",
    imageDescription: "",
    imageFamily: "",
    imageDeprecated: false,
    tags: {},
    sharedWith: [],
    deletionPolicy: DEFAULT_DELETION_POLICY,
    timeouts: DEFAULT_TIMEOUTS,
    imageId: "img-self0001",
    imageState: "NORMAL",
    adopted: false,
    ...(key === "fromSnapshots" || key === "fromImport" || key === "adoptImageId"
      ? {}
      : { fromInstance: { instanceId: "ins-abcd1234" } }),
    [key]: value,
  });

  test("the table's sets partition the inputs", () => {
    expect([...REPLACE_KEYS, ...UPDATE_KEYS].sort()).toEqual([...INPUT_KEYS].sort());
    expect(REPLACE_KEYS).toEqual(["fromInstance", "fromSnapshots", "fromImport", "adoptImageId", "region"]);
  });

  test.each([...INPUT_KEYS])("a change of %s lands where its row says", (key) => {
    const [before, after] = CHANGES[key];
    const olds = stored(key, before);
    const { imageId: _i, imageState: _s, adopted: _a, ...inputs } = olds;
    const d = diffState(olds, { ...inputs, [key]: after });
    const row = PROPERTIES[key];
    expect(d.changes).toBe(true);
    if (row.change === "replace") {
      expect(d.replaces).toEqual([key]);
      expect(Object.entries(d.detailedDiff).every(([p, x]) => p.startsWith(key) && x.kind.endsWith("-replace"))).toBe(
        true,
      );
    } else {
      expect(d).toMatchObject({ replaces: [], updates: [key] });
      expect(Object.keys(d.detailedDiff).every((p) => p === key || p.startsWith(`${key}.`))).toBe(true);
      expect(Object.values(d.detailedDiff).every((x) => !x.kind.endsWith("-replace"))).toBe(true);
    }
    expect(Object.keys(d.detailedDiff).length).toBeGreaterThan(0);
  });

  // Each field of a source object: a field whose change replaces replaces; a creation-only one updates the state.
  const sourceFields = INPUTS.filter(([k, row]) => REPLACE_KEYS.includes(k) && isObjectRule(row.rule)).flatMap(
    ([k, row]) =>
      Object.entries((row.rule as unknown as { fields: Record<string, Field> }).fields).map(
        ([f, field]) => [`${k}.${f}`, k, f, field.change] as const,
      ),
  );
  const fieldValues: Record<string, unknown> = {
    instanceId: "ins-zzzz9999",
    dataDiskIds: ["disk-zzzz9999"],
    forcePowerOff: true,
    sysprep: true,
    snapshotIds: ["snap-zzzz9999"],
    imageUrl: "https://b/z.vhd",
    architecture: "arm_64",
    osType: "Ubuntu",
    osVersion: "22.04",
    licenseType: "BYOL",
    bootMode: "UEFI",
    dataDiskImageUrls: ["https://b/d.raw"],
    force: true,
  };
  test.each(sourceFields)("a change of %s: %s", (p, key, field, change) => {
    expect(fieldValues).toHaveProperty(field);
    const before = CHANGES[key][0] as Record<string, unknown>;
    const olds = stored(key, before);
    const { imageId: _i, imageState: _s, adopted: _a, ...inputs } = olds;
    const d = diffState(olds, { ...inputs, [key]: { ...before, [field]: fieldValues[field] } });
    expect(d.replaces).toEqual(change === "replace" ? [key] : []);
    expect(d.updates).toEqual(change === "replace" ? [] : [key]);
    expect(d.detailedDiff[p]?.kind).toMatch(change === "replace" ? /-replace$/ : /^(add|update)$/);
  });

  test("internal fields never show: a rename with aliases and an autoNamed flip are no change", () => {
    const olds = { ...stored("imageName", "web-abcdef1"), autoNamed: true, resourceName: "web", __provider: "P" };
    const { imageId: _i, imageState: _s, adopted: _a, ...inputs } = olds;
    const renamed = diffState(olds, { ...inputs, resourceName: "web-renamed" });
    expect(renamed).toMatchObject({ changes: false, updates: [], detailedDiff: {} });
    const explicit = diffState(olds, { ...inputs, autoNamed: undefined });
    expect(explicit.changes).toBe(false);
    const all = diffState(olds, {
      ...inputs,
      resourceName: "x",
      autoNamed: undefined,
      __provider: "Q",
      imageName: "other",
    });
    expect(Object.keys(all.detailedDiff)).toEqual(["imageName"]);
  });
});

describe("outputs", () => {
  const facts: ImageFacts = {
    imageId: "img-abcd1234",
    imageName: "web",
    imageDescription: "d",
    imageFamily: "fam",
    imageDeprecated: true,
    imageState: "NORMAL",
    imageType: "PRIVATE_IMAGE",
    imageCreator: "100000000001",
    snapshotIds: ["snap-abcd1234"],
    createdTime: "2026-12-01T00:00:00Z",
    architecture: "x86_64",
    platform: "CentOS",
    osName: "CentOS 7",
    tags: { team: "web" },
  };
  test("buildOutputs sets every property of the table (a source only when given), each from where its row says", () => {
    const { inputs } = checkInputs(
      {},
      { fromInstance: { instanceId: "ins-abcd1234" }, sharedWith: ["100000000002"], resourceName: "web" },
      ctx,
    );
    const out = buildOutputs(inputs, facts, ["100000000002", "100000000009"], { adopted: false });
    const unsetSources = ["fromSnapshots", "fromImport", "adoptImageId", "profile"]; // and no profile: the stack's credentials
    expect(Object.keys(out).sort()).toEqual([...PROPERTY_KEYS.filter((k) => !unsetSources.includes(k))].sort());
    for (const k of PROPERTY_KEYS) {
      const from = PROPERTIES[k].output;
      if (from === "cloud") expect(out[k]).toEqual((facts as unknown as Record<string, unknown>)[k]);
      if (from === "input" && inputs[k] !== undefined) expect(out[k]).toEqual(inputs[k]);
    }
    expect(out).toMatchObject({
      sharedWith: ["100000000002"],
      unmanagedShares: ["100000000009"],
      adopted: false,
      autoNamed: true,
    });
  });

  test("the resource class registers every property of the table as an output", async () => {
    const registered: Array<Record<string, unknown>> = [];
    pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered.push(args.inputs);
          return { id: "img-mock0001", state: args.inputs };
        },
        call: (args) => args.inputs,
      },
      "proj",
      "dev",
      true,
    );
    const image = new CustomImage("web", { fromInstance: { instanceId: "ins-abcd1234" } });
    await new Promise<void>((resolve) => image.urn.apply(() => resolve()));
    // At preview the unset outputs arrive unknown; the program's own inputs as given.
    expect(Object.keys(registered[0]!).sort()).toEqual(
      expect.arrayContaining(["fromInstance", "resourceName", "__provider"]),
    );
    for (const k of PROPERTY_KEYS) expect(image).toHaveProperty(k);
  });
});

// The API fields of the attributes and facts (api-fields.ts): tests/unit/schema/api-fields.test.ts.
