/**
 * The `ImageRetention` inputs: one table (rules, docs, defaults), the tags that carry an image's
 * retirement stage on the image itself, and the checked shape the planner reads. Pure.
 */
import { describeValue, flag, list, object, oneOf, text, id, type Rule, type Field } from "./rules";
import { parseAge } from "./durations";
import { PROPERTIES } from "./properties";
import { UNKNOWN } from "./types";

const isUnknown = (v: unknown): boolean => v === UNKNOWN;

/** An age or a dwell: "14d", "36h", "90s" (days allowed). */
export function age(example = "14d"): Rule<string> {
  const plain = text({ example });
  return {
    type: 'duration such as `"14d"`, `"36h"`, `"90s"`',
    example: JSON.stringify(example),
    check(v, path, report) {
      const s = plain.check(v, path, report);
      if (s === undefined || s === UNKNOWN) return s;
      if (parseAge(s) === undefined)
        return void report(
          path,
          `${JSON.stringify(s)} is not a duration of at least 1ms; write it like "14d", "36h", "30m" or "90s"`,
        );
      return s;
    },
    normalize: (v) => v,
  };
}

/** A whole number ≥ 1. */
export function positiveInteger(example = 5): Rule<number> {
  return {
    type: "integer ≥ 1",
    example: String(example),
    check(v, path, report) {
      if (v === undefined || v === null) return undefined;
      if (isUnknown(v)) return UNKNOWN as never;
      if (typeof v !== "number" || !Number.isInteger(v) || v < 1)
        return void report(path, `must be a whole number of at least 1, not ${describeValue(v)}; e.g. ${example}`);
      return v;
    },
    normalize: (v) => v,
  };
}

const stored = (rule: Rule, doc: string, extra: Partial<Field> = {}): Field => ({
  rule,
  doc,
  change: "update",
  ...extra,
});

const TAGS_RULE = PROPERTIES.tags.rule;

/** The `ImageRetention` inputs, field by field. */
export const RETENTION_FIELDS = {
  family: stored(PROPERTIES.imageFamily.rule, "scope: images of this family (`ImageFamily`)"),
  namePrefix: stored(text({ max: 60, example: "web-" }), "scope: images whose name starts with this"),
  tags: stored(TAGS_RULE, "scope: images with all these tags"),
  keepNewest: stored(positiveInteger(), "keep this many of the newest images of the scope"),
  keepYoungerThan: stored(age(), "keep every image of the scope younger than this"),
  exclude: stored(
    object({
      imageIds: {
        rule: list(id("image"), { unordered: true, noun: "image id" }),
        doc: "never retire",
        change: "update",
      },
      tags: { rule: TAGS_RULE, doc: "never retire an image with any of these tags", change: "update" },
    }),
    "images never retired",
  ),
  retire: stored(
    object({
      deprecate: { rule: age("7d"), doc: "deprecated this long before the next stage", change: "update" },
      unshare: { rule: age("3d"), doc: "shares cancelled this long before the delete", change: "update" },
    }),
    "stages before the delete (none: delete at once)",
  ),
  deletionPolicy: stored(
    object({
      unmanagedShares: {
        rule: oneOf(["block", "unshare"]),
        doc: "a shared image: keep it (block), or cancel its shares and retire it",
        change: "update",
        default: { text: "`block`", value: "block", fill: true },
      },
      deleteSnapshots: {
        rule: flag(),
        doc: "also delete the snapshots bound to a deleted image",
        change: "update",
        default: { text: "`false`", value: false, fill: true },
      },
    }),
    "what a retirement may do with shares and snapshots",
    { default: { text: '`{ unmanagedShares: "block", deleteSnapshots: false }`', fill: true } },
  ),
  dryRun: stored(flag(), "decide and record, change nothing"),
  region: stored(id("region"), "the region (default: the provider's)"),
  profile: stored(text({ example: "prod" }), "the credential profile"),
  managedImageIds: stored(
    list(text({ example: "img-6pb6lrmy" }), { noun: "image id" }),
    "images the stack's CustomImages manage (set by the resource class)",
  ),
} satisfies Record<string, Field>;

/** The input rule, with the rules across fields (a scope, something to keep, stages with durations). */
export const RETENTION_RULE = object(RETENTION_FIELDS, {
  // Across fields, from what was given: a field given but refused has its own refusal, not a second one.
  refine(_v, path, report, given) {
    const has = (k: string) => given[k] !== undefined && given[k] !== null;
    const tags = given.tags;
    const noTags = !has("tags") || (typeof tags === "object" && !Object.keys(tags as object).length);
    if (!has("family") && !has("namePrefix") && noTags)
      report(
        `${path}.family`,
        'no scope: give family, namePrefix or tags (all given must hold), e.g. family: "web"; a retention of every ' +
          "image of the account is refused",
      );
    if (!has("keepNewest") && !has("keepYoungerThan"))
      report(
        `${path}.keepNewest`,
        'nothing to keep: give keepNewest (e.g. 5) or keepYoungerThan (e.g. "14d"), or both',
      );
    const retire = given.retire;
    if (typeof retire === "object" && retire !== null && !Array.isArray(retire)) {
      const stages = retire as Record<string, unknown>;
      if ((stages.deprecate ?? null) === null && (stages.unshare ?? null) === null)
        report(
          `${path}.retire`,
          'retire lists no stage: give retire: { deprecate: "7d" } and/or unshare: "3d", or remove it',
        );
    }
  },
});

/** The checked inputs of an `ImageRetention`. */
export interface RetentionSpec {
  /** Scope: the image family. */
  family?: string;
  /** Scope: the start of the image names. */
  namePrefix?: string;
  /** Scope: tags every image must carry. */
  tags?: Record<string, string>;
  /** Keep this many of the newest usable images. */
  keepNewest?: number;
  /** Keep every image younger than this ("14d"). */
  keepYoungerThan?: string;
  /** Images never retired: by id, or by any one of these tags. */
  exclude?: {
    /** Never retire these. */
    imageIds?: string[];
    /** Never retire an image with any of these tags. */
    tags?: Record<string, string>;
  };
  /** The stages before the delete. */
  retire?: {
    /** Deprecated this long before the next stage. */
    deprecate?: string;
    /** Shares cancelled this long before the delete. */
    unshare?: string;
  };
  /** What a retirement may do with shares and snapshots. */
  deletionPolicy?: {
    /** A shared image: kept (`block`) or its shares cancelled (`unshare`). */
    unmanagedShares?: "block" | "unshare";
    /** Also delete the snapshots bound to a deleted image. */
    deleteSnapshots?: boolean;
  };
  /** Decide and record; change nothing. */
  dryRun?: boolean;
  /** The region. */
  region?: string;
  /** The credential profile. */
  profile?: string;
  /** Images the program's CustomImages manage (never retired). */
  managedImageIds?: string[];
}

/**
 * The tags a retirement writes on the image: its stage, since when (ISO time), and the accounts whose
 * shares it cancelled (so they can be restored), in as many `retention:shares.<n>` tags as needed.
 */
export const RETENTION_TAGS = {
  stage: "retention:stage",
  since: "retention:since",
  sharesPrefix: "retention:shares.",
} as const;

/** The stages an image goes through before its delete, in order. */
export const RETIREMENT_STAGES = ["deprecated", "unshared"] as const;
/** A stage of an image's retirement: `deprecated`, then `unshared`. */
export type RetirementStage = (typeof RETIREMENT_STAGES)[number];

/** What one `up` does with an image of the scope. */
export const RETENTION_ACTIONS = ["keep", "wait", "restore", "deprecate", "unshare", "delete"] as const;
/** What one `up` does with an image of the scope (see {@link RETENTION_ACTIONS}). */
export type RetentionAction = (typeof RETENTION_ACTIONS)[number];
