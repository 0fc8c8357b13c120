/**
 * Picks the CustomImage deletions and creations out of a preview (pure).
 */
import type { PreviewDigest, PreviewStep, ResourceState } from "./plan-shape";
import { parseUrn, urnName } from "./urn";

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

/** A CustomImage the plan keeps (unchanged or updated in place): its image holds its name until the update renames it. */
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

/** Collects CustomImage deletions and creations, pairing each replacement with its delete half. */
export function collectImagePlan(digest: PreviewDigest): ImagePlan {
  const deletions: PlannedDeletion[] = [];
  const creations: PlannedCreation[] = [];
  const stays: PlannedStay[] = [];
  const deleteHalves: Array<{ index: number; step: PreviewStep }> = [];
  const createHalves = new Map<string, number>();
  const showsReplacementSteps = digest.steps.some((s) => s.op === "create-replacement" || s.op === "delete-replaced");

  const deletedUrns = new Set(digest.steps.filter((s) => DELETING_OPS.has(s.op)).map((s) => s.urn));
  const isDestroy =
    digest.steps.some((s) => s.op === "delete" && stepType(s) === STACK_TYPE) ||
    (digest.steps.length > 0 && digest.steps.every((s) => s.op === "delete" || s.op === "delete-replaced"));

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
  deletions.sort((a, b) => a.stepIndex - b.stepIndex);
  return { deletions, creations, stays, showsReplacementSteps, deletedUrns, isDestroy };
}
