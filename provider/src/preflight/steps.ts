/**
 * The CustomImage steps of a plan (pure): reading URNs, picking the image deletions, creations and
 * stays out of a preview, which deletions leave the image in place, and the CustomImage fields a
 * resource state holds (noting which of them are secret or unknown).
 */
import { deleteSpecFromOutputs } from "../provider/deletion-rules";
import { withInputDefaults, withOutputDefaults } from "../schema/stored";
import type { DeletionPolicy } from "../schema/types";
import {
  findOpaque,
  opacityOf,
  type OpaqueValue,
  type PreviewDigest,
  type PreviewStep,
  type ResourceState,
} from "./plan";

// Reading Pulumi URNs: `urn:pulumi:<stack>::<project>::<parent types$type>::<name>`.

/** The parts of a URN. */
export interface UrnParts {
  stack: string;
  project: string;
  /** Parent type chain and type, joined by `$`. */
  qualifiedType: string;
  /** The resource's own type token (last link of the chain). */
  type: string;
  name: string;
}

/** Splits a URN; returns undefined for strings that are not URNs. */
export function parseUrn(urn: string): UrnParts | undefined {
  if (!urn.startsWith("urn:pulumi:")) return undefined;
  const parts = urn.slice("urn:pulumi:".length).split("::");
  if (parts.length < 4) return undefined;
  const [stack, project, qualifiedType, ...name] = parts as [string, string, string, ...string[]];
  const chain = qualifiedType.split("$");
  return { stack, project, qualifiedType, type: chain[chain.length - 1] ?? qualifiedType, name: name.join("::") };
}

/** The resource name of a URN, or the URN itself when it cannot be parsed. */
export function urnName(urn: string): string {
  return parseUrn(urn)?.name ?? urn;
}

// Picks the CustomImage deletions and creations out of a preview.

/** Type token of the provider's CustomImage resources. */
export const CUSTOM_IMAGE_TYPE = "pulumi-nodejs:dynamic/tencentcloud-images:CustomImage";

/** How a deletion appears in the plan. */
export type DeletionOp = "delete" | "replace" | "delete-replaced";

/** A CustomImage the plan deletes (or would, were it not kept). */
export interface PlannedDeletion {
  urn: string;
  name: string;
  op: DeletionOp;
  /** Index of the step in the preview. */
  stepIndex: number;
  /** The resource as stored in state: what gets deleted. */
  state: ResourceState;
  /**
   * For replacements: true when the old image is deleted before its successor
   * is created, false when after; undefined when the plan does not show it
   * (preview run without `--show-replacement-steps`).
   */
  deleteBeforeCreate?: boolean;
}

/** How a creation appears in the plan. */
export type CreationOp = "create" | "replace" | "create-replacement";

/** A CustomImage the plan creates. */
export interface PlannedCreation {
  urn: string;
  name: string;
  op: CreationOp;
  stepIndex: number;
  /** The resource as planned (preview values: inputs, with unknowns). */
  state: ResourceState;
}

/**
 * A CustomImage the plan keeps (unchanged or updated in place): its image holds its name until the update renames it.
 */
export interface PlannedStay {
  urn: string;
  name: string;
  op: "same" | "update";
  /** The resource as stored in state. */
  state: ResourceState;
  /** The resource as planned. */
  newState?: ResourceState;
}

/** The CustomImage steps of a plan. */
export interface ImagePlan {
  deletions: PlannedDeletion[];
  creations: PlannedCreation[];
  /** Images that stay (optional for plans built by hand). */
  stays?: PlannedStay[];
  /** Whether the preview lists `create-replacement`/`delete-replaced` steps. */
  showsReplacementSteps: boolean;
  /** URNs of every resource (of any type) the plan deletes. */
  deletedUrns: Set<string>;
  /**
   * Whether the plan is a destroy: it deletes the stack resource itself (`pulumi:pulumi:Stack`), or
   * every step deletes (a destroy preview that stopped early, e.g. at a protected resource, may not
   * reach the stack; an update always keeps the stack).
   */
  isDestroy: boolean;
}

const DELETING_OPS = new Set(["delete", "replace", "delete-replaced"]);

/** The type token of a step, from its states or, failing that, its URN. */
export function stepType(step: PreviewStep): string | undefined {
  return step.type ?? step.oldState?.type ?? step.newState?.type ?? parseUrn(step.urn)?.type;
}

const isImage = (step: PreviewStep): boolean => stepType(step) === CUSTOM_IMAGE_TYPE;

/** Type token of the stack resource; only a destroy deletes it. */
const STACK_TYPE = "pulumi:pulumi:Stack";

/** The CustomImage steps of a preview, sorted by what they do to the image; replacement halves kept apart. */
interface ImageSteps {
  deletions: PlannedDeletion[];
  creations: PlannedCreation[];
  stays: PlannedStay[];
  /** `delete-replaced` steps, paired with their replacement afterwards. */
  deleteHalves: Array<{ index: number; step: PreviewStep }>;
  /** The index of the first `create-replacement` step of each URN. */
  createHalves: Map<string, number>;
}

/** Sorts the CustomImage steps of a preview into deletions, creations, stays and replacement halves. */
function sortImageSteps(digest: PreviewDigest): ImageSteps {
  const deletions: PlannedDeletion[] = [];
  const creations: PlannedCreation[] = [];
  const stays: PlannedStay[] = [];
  const deleteHalves: Array<{ index: number; step: PreviewStep }> = [];
  const createHalves = new Map<string, number>();
  digest.steps.forEach((step, index) => {
    if (!isImage(step)) return;
    const base = { urn: step.urn, name: urnName(step.urn), stepIndex: index };
    switch (step.op) {
      case "delete":
        if (step.oldState) deletions.push({ ...base, op: "delete", state: step.oldState });
        break;
      case "replace":
        if (step.oldState) deletions.push({ ...base, op: "replace", state: step.oldState });
        if (step.newState) creations.push({ ...base, op: "replace", state: step.newState });
        break;
      case "create":
        if (step.newState) creations.push({ ...base, op: "create", state: step.newState });
        break;
      case "same":
      case "update":
        if (step.oldState)
          stays.push({
            urn: step.urn,
            name: base.name,
            op: step.op,
            state: step.oldState,
            ...(step.newState ? { newState: step.newState } : {}),
          });
        break;
      case "delete-replaced":
        if (step.oldState) deleteHalves.push({ index, step });
        break;
      case "create-replacement":
        if (!createHalves.has(step.urn)) createHalves.set(step.urn, index);
        break;
      default:
        break;
    }
  });
  return { deletions, creations, stays, deleteHalves, createHalves };
}

/**
 * Pairs each `delete-replaced` step with its replacement (telling whether it deletes before it creates); a delete
 * half with no replacement becomes a deletion of its own.
 */
function pairDeleteHalves({ deletions, deleteHalves, createHalves }: ImageSteps): void {
  for (const half of deleteHalves) {
    const old = half.step.oldState as ResourceState;
    const replace = deletions.find(
      (d) =>
        d.op === "replace" && d.urn === half.step.urn && d.state.id === old.id && d.deleteBeforeCreate === undefined,
    );
    if (replace) {
      // Delete-before-replace emits delete-replaced, replace, create-replacement;
      // create-before-delete emits create-replacement, replace and the delete at the very end.
      replace.deleteBeforeCreate = half.index < replace.stepIndex;
      continue;
    }
    // A delete half with no logical replace: a pending delete left by an earlier failed replacement.
    const created = createHalves.get(half.step.urn);
    deletions.push({
      urn: half.step.urn,
      name: urnName(half.step.urn),
      op: "delete-replaced",
      stepIndex: half.index,
      state: old,
      deleteBeforeCreate: created === undefined ? undefined : half.index < created,
    });
  }
}

/** Collects CustomImage deletions and creations, pairing each replacement with its delete half. */
export function collectImagePlan(digest: PreviewDigest): ImagePlan {
  const showsReplacementSteps = digest.steps.some((s) => s.op === "create-replacement" || s.op === "delete-replaced");

  const deletedUrns = new Set(digest.steps.filter((s) => DELETING_OPS.has(s.op)).map((s) => s.urn));
  const isDestroy =
    digest.steps.some((s) => s.op === "delete" && stepType(s) === STACK_TYPE) ||
    (digest.steps.length > 0 && digest.steps.every((s) => s.op === "delete" || s.op === "delete-replaced"));

  const steps = sortImageSteps(digest);
  pairDeleteHalves(steps);
  const { deletions, creations, stays } = steps;
  deletions.sort((a, b) => a.stepIndex - b.stepIndex);
  return { deletions, creations, stays, showsReplacementSteps, deletedUrns, isDestroy };
}

// Which planned deletions leave the image in place.

/** Why the engine will not call the provider's delete for a resource. */
export type KeptReason = "retainOnDelete" | "protect" | "deletedWith";

/** Explanations shown next to a kept image. */
export const KEPT_EXPLANATION: Record<KeptReason, string> = {
  retainOnDelete: "retainOnDelete: removed from the stack, the image stays in the cloud",
  protect: "protect: the engine refuses this delete and the update fails until the resource is unprotected",
  deletedWith: "deletedWith: the engine skips the provider's delete because its owner is deleted in the same plan",
};

/**
 * Returns why `deletion` keeps its image, or undefined when the provider's delete will run.
 * `deletedUrns` are all URNs deleted by the plan (for `deletedWith`).
 */
export function keptReason(deletion: PlannedDeletion, deletedUrns: ReadonlySet<string>): KeptReason | undefined {
  const state = deletion.state;
  if (state.retainOnDelete) return "retainOnDelete";
  // The engine checks protect only for plain deletes; a replacement of a protected resource fails earlier.
  if (state.protect && deletion.op === "delete") return "protect";
  if (state.deletedWith && deletedUrns.has(state.deletedWith)) return "deletedWith";
  return undefined;
}

// Reads the CustomImage fields the preflight needs from a resource state, noting which of them are secret or unknown.

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
