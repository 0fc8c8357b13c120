// How a CustomImage is stored (provider/src/schema/stored.ts): defaults left out of the state, put
// back when it is read, so the engine's per-step state write stays small.
import { checkInputs } from "../../../provider/src/provider/check-rules";
import { UNKNOWN } from "../../../provider/src/schema/types";
import { imageFacts } from "../../support/image-facts";
import { buildOutputs } from "../../../provider/src/provider/common";
import { deleteSpecFromOutputs } from "../../../provider/src/provider/deletion-rules";
import { readImageFacts } from "../../../provider/src/preflight/steps";
import {
  DEFAULTED_OUTPUT_KEYS,
  outputDefault,
  storedInputs,
  storedOutputs,
  withInputDefaults,
  withOutputDefaults,
} from "../../../provider/src/schema/stored";

const ctx = { defaultRegion: "ap-guangzhou", randomHex: () => "abcdef12" };
const program = { adoptImageId: "img-00000001", resourceName: "web", resourceUrn: "urn:pulumi:s::p::t::web" };
const facts = imageFacts({ imageId: "img-00000001", snapshotIds: [] });

/** Fields of a value, nested maps and lists counted (what the engine serializes one by one). */
function fieldCount(v: unknown): number {
  if (Array.isArray(v)) return 1 + v.reduce((t: number, x) => t + fieldCount(x), 0);
  if (v && typeof v === "object") return 1 + Object.values(v).reduce((t: number, x) => t + fieldCount(x), 0);
  return 1;
}

describe("checked inputs", () => {
  const full = checkInputs({}, program, ctx).inputs;

  test("a default resource stores none of the defaults check fills", () => {
    const stored = storedInputs(full);
    for (const k of ["sharedWith", "copyTo", "deletionPolicy", "timeouts"]) expect(stored).not.toHaveProperty(k);
    expect(stored).toEqual({
      adoptImageId: "img-00000001",
      region: "ap-guangzhou",
      resourceName: "web",
      resourceUrn: "urn:pulumi:s::p::t::web",
    });
  });

  test("reading them back gives what check returned", () => {
    expect(withInputDefaults(storedInputs(full))).toEqual(full);
  });

  test("a policy with one field changed is stored in full", () => {
    const { inputs } = checkInputs({}, { ...program, deletionPolicy: { unmanagedShares: "unshare" } }, ctx);
    expect(storedInputs(inputs).deletionPolicy).toEqual({
      unmanagedShares: "unshare",
      deleteSnapshots: false,
      inUse: { instances: "warn", launchTemplates: "warn", launchConfigurations: "warn" },
    });
  });

  test("values unknown at preview are stored", () => {
    const { inputs } = checkInputs({}, { ...program, sharedWith: UNKNOWN, timeouts: UNKNOWN }, ctx);
    expect(storedInputs(inputs)).toMatchObject({ sharedWith: UNKNOWN, timeouts: UNKNOWN });
  });

  test("inputs the program left unset stay unset (no output default is put into the inputs)", () => {
    const back = withInputDefaults(storedInputs(full));
    for (const k of ["imageDescription", "imageFamily", "imageDeprecated", "tags"]) expect(back).not.toHaveProperty(k);
  });
});

describe("outputs", () => {
  const inputs = checkInputs({}, program, ctx).inputs;
  const full = buildOutputs(inputs, facts, [], { adopted: true });

  test("a default adopted image stores only what is not a default", () => {
    const stored = storedOutputs(full);
    for (const k of DEFAULTED_OUTPUT_KEYS) if (k !== "adopted") expect(stored).not.toHaveProperty(k);
    expect(stored.adopted).toBe(true);
    // Each field is serialized by the engine at every step of a stack (see stored.ts): 36 fields before.
    expect(fieldCount(stored)).toBeLessThanOrEqual(16);
  });

  test("reading them back gives the full outputs", () => {
    expect(withOutputDefaults(storedOutputs(full))).toEqual(full);
  });

  test("states that stored every field (0.1) read the same", () => {
    expect(withOutputDefaults(full)).toEqual(full);
  });

  test("delete reads the same policy and timeouts from stored and full outputs", () => {
    const a = deleteSpecFromOutputs("img-00000001", storedOutputs(full));
    const b = deleteSpecFromOutputs("img-00000001", full);
    expect(a).toEqual(b);
    // The documented defaults, as literals.
    expect(a.deletionPolicy).toEqual({
      unmanagedShares: "block",
      deleteSnapshots: false,
      inUse: { instances: "warn", launchTemplates: "warn", launchConfigurations: "warn" },
    });
    expect(a.timeouts).toEqual({ create: "60m", update: "20m", delete: "30m" });
  });

  test("the preflight reads stored outputs like full ones", () => {
    const state = (outputs: Record<string, unknown>) => ({
      urn: "urn:x",
      type: "t",
      id: "img-00000001",
      inputs: storedInputs(inputs),
      outputs,
    });
    expect(readImageFacts(state(storedOutputs(full)), "outputs")).toEqual(readImageFacts(state(full), "outputs"));
    expect(readImageFacts(state(storedOutputs(full)), "outputs").sharedWith).toEqual([]);
  });

  test("a default is a fresh copy each time", () => {
    const a = outputDefault("copies") as Record<string, unknown>;
    a.x = 1;
    expect(outputDefault("copies")).toEqual({});
  });
});
