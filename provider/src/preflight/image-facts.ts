/**
 * Reads the CustomImage fields the preflight needs from a resource state (pure),
 * noting which of them are secret or unknown.
 */
import { deleteSpecFromOutputs } from "../provider/deletion-rules";
import { withInputDefaults, withOutputDefaults } from "../schema/stored";
import type { DeletionPolicy } from "../schema/types";
import type { ResourceState } from "./plan-shape";
import { findOpaque, opacityOf, type OpaqueValue } from "./sentinels";

/** The fields of one CustomImage state, as far as they can be read (not the cloud's `ImageFacts`). */
export interface StateFacts {
  imageId?: string;
  imageName?: string;
  region?: string;
  /** The policy the provider's delete would apply (defaults filled in as it does); undefined when masked. */
  policy?: DeletionPolicy;
  sharedWith?: string[];
  /** The shares made outside the stack, as the state last recorded them (`unmanagedShares` output). */
  unmanagedShares?: string[];
  /** Whether the image name was generated (`autoNamed`), not set in the program. */
  autoNamed: boolean;
  adoptImageId?: string;
  /** Where the image comes from, normalised (`instance:ins-1`, `snapshots:snap-a+snap-b`, `import:<url>`). */
  sources: string[];
  /** Secret or unknown values among the fields an assessment depends on. */
  blockers: OpaqueValue[];
  /** Secret or unknown values elsewhere (names, sources): shown, not fatal. */
  masked: OpaqueValue[];
}

type Props = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === "string" && !opacityOf(v) ? v : undefined);
const obj = (v: unknown): Props | undefined =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !opacityOf(v) ? (v as Props) : undefined;
const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) && v.every((x) => typeof x === "string" && !opacityOf(x)) ? (v as string[]) : undefined;

function readSources(props: Props): string[] {
  const sources: string[] = [];
  const instanceId = str(obj(props.fromInstance)?.instanceId);
  if (instanceId) sources.push(`instance:${instanceId}`);
  const snapshots = strings(obj(props.fromSnapshots)?.snapshotIds);
  if (snapshots && snapshots.length > 0) sources.push(`snapshots:${[...snapshots].sort().join("+")}`);
  const url = str(obj(props.fromImport)?.imageUrl);
  if (url) sources.push(`import:${url}`);
  return sources;
}

const CRITICAL = ["imageId", "region", "deletionPolicy", "sharedWith"];

/**
 * Reads a state's CustomImage fields. Outputs win over inputs (`prefer: "outputs"`,
 * for deletions: that is what the provider's delete sees); creations read inputs.
 */
export function readImageFacts(state: ResourceState, prefer: "outputs" | "inputs"): StateFacts {
  // The state leaves defaults out (schema/stored.ts): read it with them put back.
  const outputs = state.outputs ? withOutputDefaults(state.outputs) : {};
  const inputs = state.inputs ? withInputDefaults(state.inputs) : {};
  const first = prefer === "outputs" ? outputs : inputs;
  const second = prefer === "outputs" ? inputs : outputs;
  const props: Props = { ...second, ...first };
  delete props.__provider;

  const opaque = findOpaque(props, "");
  const isCritical = (o: OpaqueValue): boolean =>
    CRITICAL.some((c) => o.path === c || o.path.startsWith(`${c}.`) || o.path.startsWith(`${c}[`));
  // The step's `id` is the image id and is never masked: a masked `imageId` output does not matter then.
  const idFromState = prefer === "outputs" ? str(state.id) : undefined;
  const blockers = opaque.filter(isCritical).filter((o) => !(o.path === "imageId" && idFromState));
  // The policy as the provider's delete (and so the assessment) reads it: from the outputs alone,
  // with the same defaults for older states that stored none.
  const policyFrom: Props = prefer === "outputs" ? outputs : props;
  const policyMasked = findOpaque(policyFrom.deletionPolicy, "deletionPolicy").length > 0;

  return {
    imageId: idFromState ?? str(props.imageId),
    imageName: str(props.imageName),
    region: str(props.region),
    policy: policyMasked ? undefined : deleteSpecFromOutputs("", policyFrom).deletionPolicy,
    sharedWith: strings(props.sharedWith),
    unmanagedShares: strings(props.unmanagedShares),
    autoNamed: props.autoNamed === true,
    adoptImageId: str(props.adoptImageId),
    sources: readSources(props),
    blockers,
    masked: opaque.filter((o) => !isCritical(o)),
  };
}
