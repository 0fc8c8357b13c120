/**
 * Spots plans that look like refactoring accidents (pure): an image deleted
 * under one URN and created again under another, a new image adopting the one
 * being deleted, and replacements that delete before they create.
 */
import type { ImagePlan, PlannedCreation, PlannedDeletion } from "./image-steps";
import { readImageFacts, type ImageFacts } from "./image-facts";
import { parseUrn } from "./urn";

/** The kinds of suspicious pattern. */
export type FindingKind = "missing-alias" | "adopts-deleted-image" | "delete-before-create";

/** One suspicious pattern in the plan. */
export interface RefactorFinding {
  kind: FindingKind;
  /** `error`: the plan certainly breaks something; `warning`: probably a mistake. */
  severity: "error" | "warning";
  /** The deleted resource. */
  urn: string;
  /** The created resource it pairs with, if any. */
  relatedUrn?: string;
  /** For `missing-alias`: what the two images share. */
  matchedOn?: Array<"imageName" | "source">;
  message: string;
  /** What to change in the program. */
  suggestion?: string;
}

/** Findings plus the creations that could not be compared (name and source unknown or secret). */
export interface RefactorCheck {
  findings: RefactorFinding[];
  uncomparable: string[];
}

/** The `aliases` option that would carry `oldUrn` over to `newUrn`. */
export function aliasSuggestion(oldUrn: string, newUrn: string): string {
  const before = parseUrn(oldUrn);
  const after = parseUrn(newUrn);
  const sameChain =
    before && after && before.stack === after.stack && before.project === after.project && before.qualifiedType === after.qualifiedType;
  const alias = sameChain ? `{ name: ${JSON.stringify(before.name)} }` : JSON.stringify(oldUrn);
  return `add \`aliases: [${alias}]\` to the resource options of "${after?.name ?? newUrn}" so the existing image is kept instead of deleted and recreated`;
}

function matchOn(deleted: ImageFacts, created: ImageFacts): Array<"imageName" | "source"> {
  const matched: Array<"imageName" | "source"> = [];
  if (deleted.imageName !== undefined && deleted.imageName === created.imageName) matched.push("imageName");
  if (deleted.sources.some((s) => created.sources.includes(s))) matched.push("source");
  return matched;
}

function pairFinding(del: PlannedDeletion, delFacts: ImageFacts, cre: PlannedCreation, creFacts: ImageFacts): RefactorFinding | undefined {
  if (delFacts.imageId !== undefined && creFacts.adoptImageId === delFacts.imageId) {
    return {
      kind: "adopts-deleted-image",
      severity: "error",
      urn: del.urn,
      relatedUrn: cre.urn,
      message: `"${cre.name}" adopts image ${delFacts.imageId}, which this plan deletes as "${del.name}": the new resource would point at a deleted image`,
      suggestion: aliasSuggestion(del.urn, cre.urn),
    };
  }
  const matched = matchOn(delFacts, creFacts);
  if (matched.length === 0) return undefined;
  const what = matched
    .map((m) => (m === "imageName" ? `image name "${delFacts.imageName}"` : "source"))
    .join(" and ");
  return {
    kind: "missing-alias",
    severity: "warning",
    urn: del.urn,
    relatedUrn: cre.urn,
    matchedOn: matched,
    message: `"${del.name}" is deleted while "${cre.name}" is created with the same ${what}: likely a rename or move without an alias`,
    suggestion: aliasSuggestion(del.urn, cre.urn),
  };
}

function deleteBeforeCreateFinding(del: PlannedDeletion, facts: ImageFacts): RefactorFinding {
  const image = facts.imageId ?? "the old image";
  return {
    kind: "delete-before-create",
    severity: "warning",
    urn: del.urn,
    message: `replacing "${del.name}" deletes ${image} before its successor exists: if the new image fails to build, the stack is left with neither`,
    suggestion:
      "give the new image a different imageName (or drop the deleteBeforeReplace option) so the replacement is created first",
  };
}

/** Runs every refactor check over the image steps of a plan. */
export function detectRefactorMistakes(plan: ImagePlan): RefactorCheck {
  const findings: RefactorFinding[] = [];
  const deletes = plan.deletions.map((d) => ({ d, facts: readImageFacts(d.state, "outputs") }));
  const creates = plan.creations
    .filter((c) => c.op === "create")
    .map((c) => ({ c, facts: readImageFacts(c.state, "inputs") }));

  const uncomparable = creates
    .filter(({ facts }) => facts.imageName === undefined && facts.sources.length === 0 && facts.adoptImageId === undefined)
    .map(({ c }) => c.urn);

  for (const { d, facts } of deletes) {
    if (d.op === "delete") {
      for (const { c, facts: cf } of creates) {
        const finding = pairFinding(d, facts, c, cf);
        if (finding) findings.push(finding);
      }
    }
    if (d.op !== "delete" && d.deleteBeforeCreate === true) findings.push(deleteBeforeCreateFinding(d, facts));
  }
  return { findings, uncomparable };
}
