/**
 * Spots plans that look like refactoring accidents (pure): an image deleted
 * under one URN and created again under another, a new image adopting the one
 * being deleted, two new images with one name in one region, and replacements
 * that delete before they create.
 */

import {
  keptReason,
  parseUrn,
  readImageFacts,
  type ImagePlan,
  type PlannedCreation,
  type PlannedDeletion,
  type PlannedStay,
  type StateFacts,
} from "./steps";

/** The kinds of suspicious pattern. */
export type FindingKind = "missing-alias" | "adopts-deleted-image" | "duplicate-image-name" | "delete-before-create";

/** One suspicious pattern in the plan. */
export interface RefactorFinding {
  kind: FindingKind;
  /** `error`: the plan certainly breaks something; `warning`: probably a mistake. */
  severity: "error" | "warning";
  /** The deleted resource (for `duplicate-image-name`: the first of the created ones). */
  urn: string;
  /** The created resource it pairs with, if any (for `duplicate-image-name`: the second created one). */
  relatedUrn?: string;
  /** For `missing-alias`: what the two images share. */
  matchedOn?: Array<"imageName" | "resourceName" | "source">;
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
    before &&
    after &&
    before.stack === after.stack &&
    before.project === after.project &&
    before.qualifiedType === after.qualifiedType;
  const alias = sameChain ? `{ name: ${JSON.stringify(before.name)} }` : JSON.stringify(oldUrn);
  return (
    `add \`aliases: [${alias}]\` to the resource options of "${after?.name ?? newUrn}" so the existing image is ` +
    `kept instead of deleted and recreated`
  );
}

type Match = "imageName" | "resourceName" | "source";
const WEIGHT: Record<Match, number> = { imageName: 2, resourceName: 2, source: 1 };

interface Side<T> {
  step: T;
  facts: StateFacts;
}

function matchOn(del: Side<PlannedDeletion>, cre: Side<PlannedCreation>): Match[] {
  const matched: Match[] = [];
  if (del.facts.imageName !== undefined && del.facts.imageName === cre.facts.imageName) matched.push("imageName");
  if (del.step.name === cre.step.name) matched.push("resourceName");
  if (del.facts.sources.some((s) => cre.facts.sources.includes(s))) matched.push("source");
  return matched;
}

const MATCH_TEXT = (m: Match, facts: StateFacts): string =>
  m === "imageName" ? `image name "${facts.imageName}"` : m === "resourceName" ? "resource name" : "source";

function adoptFinding(del: Side<PlannedDeletion>, cre: Side<PlannedCreation>): RefactorFinding | undefined {
  if (del.facts.imageId === undefined || cre.facts.adoptImageId !== del.facts.imageId) return undefined;
  const how =
    del.step.op === "delete" ? `deletes as "${del.step.name}"` : `deletes when it replaces "${del.step.name}"`;
  return {
    kind: "adopts-deleted-image",
    severity: "error",
    urn: del.step.urn,
    relatedUrn: cre.step.urn,
    message:
      `"${cre.step.name}" adopts image ${del.facts.imageId}, which this plan ${how}: the new resource would ` +
      `point at a deleted image`,
    suggestion:
      `either ${aliasSuggestion(del.step.urn, cre.step.urn)} (then adoptImageId is not needed), or set ` +
      `\`retainOnDelete: true\` on "${del.step.name}" and run \`pulumi up\` before removing it`,
  };
}

/**
 * Pairs deleted with created images, strongest likeness first, each side used once,
 * so that two images built from one instance do not both claim the same new one.
 */
function aliasFindings(
  dels: Side<PlannedDeletion>[],
  cres: Side<PlannedCreation>[],
  deletedUrns: ReadonlySet<string>,
): RefactorFinding[] {
  const candidates = dels.flatMap((d) =>
    cres.map((c) => ({ d, c, matched: matchOn(d, c) })).filter((p) => p.matched.length > 0),
  );
  const score = (m: Match[]): number => m.reduce((n, x) => n + WEIGHT[x], 0);
  candidates.sort((a, b) => score(b.matched) - score(a.matched));
  const used = new Set<unknown>();
  const findings: RefactorFinding[] = [];
  for (const { d, c, matched } of candidates) {
    if (used.has(d) || used.has(c)) continue;
    used.add(d).add(c);
    const what =
      `"${d.step.name}" is deleted while "${c.step.name}" is created with the same ` +
      `${matched.map((m) => MATCH_TEXT(m, d.facts)).join(" and ")}`;
    const collides = keepsName(d.facts, c.facts);
    const kept = keptReason(d.step, deletedUrns);
    findings.push({
      kind: "missing-alias",
      severity: collides ? "error" : "warning",
      urn: d.step.urn,
      relatedUrn: c.step.urn,
      matchedOn: matched,
      message: collides
        ? `${what} in ${c.facts.region}: a rename or move without an alias. The engine creates "${c.step.name}" ` +
          `before it deletes "${d.step.name}", and image names are unique per region, so the create collides with ` +
          `the image it replaces: it fails (InvalidImageName.Duplicate), ` +
          (kept
            ? `or takes that image over as its own (${kept} keeps it in the cloud)`
            : `or takes that image over as its own while the delete of "${d.step.name}" then removes it`)
        : `${what}: likely a rename or move without an alias`,
      suggestion: aliasSuggestion(d.step.urn, c.step.urn),
    });
  }
  return findings;
}

/** Whether a creation keeps the explicit image name of a deleted image in its region (so both exist at once). */
function keepsName(del: StateFacts, cre: StateFacts): boolean {
  return (
    del.imageName !== undefined &&
    del.imageName === cre.imageName &&
    !cre.autoNamed &&
    del.region !== undefined &&
    del.region === cre.region
  );
}

/** Creations that share one explicit image name in one region: all but one fail, since names are unique per region. */
function duplicateNameFindings(cres: Side<PlannedCreation>[]): RefactorFinding[] {
  const groups = new Map<string, Side<PlannedCreation>[]>();
  for (const c of cres) {
    const { imageName, region } = c.facts;
    if (imageName === undefined || region === undefined) continue;
    const key = `${region}\u0000${imageName}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  // By resource name: the engine lists parallel creates in no fixed order.
  return [...groups.values()]
    .filter((g) => g.length > 1)
    .map((g) => [...g].sort((a, b) => a.step.name.localeCompare(b.step.name)))
    .map((g) => {
      const [first, second] = g as [Side<PlannedCreation>, Side<PlannedCreation>];
      const names = g.map((c) => `"${c.step.name}"`).join(", ");
      return {
        kind: "duplicate-image-name" as const,
        severity: "error" as const,
        urn: first.step.urn,
        relatedUrn: second.step.urn,
        message:
          `${names} are ${g.length === 2 ? "both" : "all"} created with the image name "${first.facts.imageName}" in ` +
          `${first.facts.region}: image names are unique per region, so only one create can succeed (the others fail ` +
          `with InvalidImageName.Duplicate)`,
        suggestion:
          "give each resource its own `imageName`, or leave `imageName` out to get generated names (`<resource " +
          "name>-<7 hex>`)",
      };
    });
}

function deleteBeforeCreateFinding(del: PlannedDeletion, facts: StateFacts): RefactorFinding {
  const image = facts.imageId ?? "the old image";
  return {
    kind: "delete-before-create",
    severity: "warning",
    urn: del.urn,
    message:
      `replacing "${del.name}" deletes ${image} before its successor exists: if the new image fails to build, ` +
      `the stack is left with neither`,
    suggestion:
      "give the new image a different imageName (or drop the deleteBeforeReplace option) so the replacement is " +
      "created first",
  };
}

/**
 * Creations whose explicit name an image that stays holds now, in the same region: unchanged, it
 * keeps the name and the create fails; renamed in the same update, the rename and the create run
 * in no fixed order, so the create may fail.
 */
function nameHeldFindings(cres: Side<PlannedCreation>[], stays: Side<PlannedStay>[]): RefactorFinding[] {
  const findings: RefactorFinding[] = [];
  for (const c of cres) {
    const { imageName, region } = c.facts;
    if (imageName === undefined || region === undefined || c.facts.autoNamed) continue;
    const holder = stays.find(
      (s) => s.facts.imageName === imageName && s.facts.region === region && s.step.urn !== c.step.urn,
    );
    if (!holder) continue;
    const renamed =
      holder.step.op === "update" &&
      holder.step.newState &&
      readImageFacts(holder.step.newState, "inputs").imageName !== imageName;
    findings.push({
      kind: "duplicate-image-name",
      severity: "error",
      urn: c.step.urn,
      relatedUrn: holder.step.urn,
      message:
        `"${c.step.name}" is created with the image name "${imageName}" in ${region}, which the image of ` +
        `"${holder.step.name}" holds now` +
        (renamed
          ? `: "${holder.step.name}" is renamed in the same update, in no fixed order with the create, so the create ` +
            `may fail (InvalidImageName.Duplicate)`
          : `: image names are unique per region, so the create fails (InvalidImageName.Duplicate)`),
      suggestion: renamed
        ? `rename "${holder.step.name}" with one \`pulumi up\` and create "${c.step.name}" with the next, or give ` +
          `"${c.step.name}" another \`imageName\``
        : `give "${c.step.name}" another \`imageName\`, or leave it out to get a generated name`,
    });
  }
  return findings;
}

/** Runs every refactor check over the image steps of a plan. */
export function detectRefactorMistakes(plan: ImagePlan): RefactorCheck {
  const dels = plan.deletions.map((step) => ({ step, facts: readImageFacts(step.state, "outputs") }));
  const allCreations = plan.creations.map((step) => ({ step, facts: readImageFacts(step.state, "inputs") }));
  const cres = allCreations.filter((c) => c.step.op === "create");
  const plainDeletes = dels.filter((d) => d.step.op === "delete");

  // Every deletion the provider runs removes its image, a replacement's old half included; an image
  // kept by retainOnDelete/protect/deletedWith stays and can be adopted.
  const removed = dels.filter((d) => keptReason(d.step, plan.deletedUrns) === undefined);
  const adopts = removed
    .flatMap((d) => allCreations.map((c) => adoptFinding(d, c)))
    .filter((f): f is RefactorFinding => f !== undefined);
  const adopters = new Set(adopts.map((f) => f.relatedUrn));
  const aliases = aliasFindings(
    plainDeletes,
    cres.filter((c) => !adopters.has(c.step.urn)),
    plan.deletedUrns,
  );
  const stays = (plan.stays ?? []).map((step) => ({ step, facts: readImageFacts(step.state, "outputs") }));
  const duplicates = [...duplicateNameFindings(allCreations), ...nameHeldFindings(allCreations, stays)];
  const ordering = dels
    .filter((d) => d.step.op !== "delete" && d.step.deleteBeforeCreate === true)
    .map((d) => deleteBeforeCreateFinding(d.step, d.facts));

  const uncomparable = cres
    .filter(
      ({ facts }) => facts.imageName === undefined && facts.sources.length === 0 && facts.adoptImageId === undefined,
    )
    .map(({ step }) => step.urn);
  return { findings: [...adopts, ...aliases, ...duplicates, ...ordering], uncomparable };
}
