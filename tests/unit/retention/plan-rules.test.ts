/**
 * The retention planner (`provider/src/retention/plan-rules.ts`), pure: property tests over random
 * scopes (a seeded PRNG, no dependency; each failure names its seed, and `PLAN_RULES_SEED=<seed>`
 * re-runs that one case alone), then examples for the reason texts and the edge cases.
 *
 * The properties compare the plan with an oracle written here from the rules (scope, keep
 * set, every use blocking, shares under "block"), not from the planner's code; the simulated apply
 * does what `retention/apply.ts` does to an image (stage tags first, since kept while in the same
 * stage; unshare records the accounts; restore puts shares back and removes the tags).
 */
import {
  ACCOUNTS_PER_TAG,
  candidates,
  changes,
  inScope,
  keptByScope,
  newestFirst,
  planRetention,
  recordedShares,
  recordedStage,
  refusedRetirement,
  retirementDeleteSpec,
  retirementTagKeys,
  stageTags,
  type RetentionDecision,
  type ScopeImage,
} from "../../../provider/src/retention/plan-rules";
import { RETENTION_RULE, type RetentionSpec } from "../../../provider/src/schema/retention";
import { USAGE_KINDS, type ImageUsage, type LaunchConfigurationUse } from "../../../provider/src/schema/types";

// The random part.

type Rng = () => number;

/** mulberry32: a tiny seeded PRNG, uniform in [0, 1). */
function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const int = (r: Rng, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[int(r, 0, xs.length - 1)]!;
const chance = (r: Rng, p: number): boolean => r() < p;
const subset = <T>(r: Rng, xs: readonly T[], p: number): T[] => xs.filter(() => chance(r, p));

const RUNS = 300;
const ONLY_SEED = process.env.PLAN_RULES_SEED === undefined ? undefined : Number(process.env.PLAN_RULES_SEED);

/** Runs `body` for RUNS seeds (or the one in PLAN_RULES_SEED); a failure names the seed. */
function forAll(base: number, body: (r: Rng, seed: number) => void): void {
  const seeds = ONLY_SEED !== undefined ? [ONLY_SEED] : Array.from({ length: RUNS }, (_, i) => base + i);
  for (const seed of seeds) {
    try {
      body(mulberry32(seed), seed);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      throw new Error(`seed ${seed} (re-run alone with PLAN_RULES_SEED=${seed}):\n${message}`);
    }
  }
}

/** Fails with `what` (and the values that show why) unless `ok`. */
function expectThat(ok: boolean, what: string, ...show: unknown[]): void {
  if (!ok) throw new Error(`${what}\n${show.map((v) => JSON.stringify(v, null, 1)).join("\n")}`);
}

// The world.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse("2025-06-01T12:00:00.000Z");
const REGION = "ap-guangzhou";
const iso = (ms: number): string => new Date(ms).toISOString();
const ACCOUNTS = ["100000000002", "100000000003", "100000000004", "100000000005", "100000000006"];
const ENDED = ["SHUTDOWN", "TERMINATING", "LAUNCH_FAILED"];
const STAGE = "retention:stage";
const SINCE = "retention:since";
const SHARES = "retention:shares.";

/** The durations the specs use, with their length written out here (not by parseAge). */
const AGES: Record<string, number> = {
  "90m": 90 * 60_000,
  "12h": 12 * HOUR,
  "36h": 36 * HOUR,
  "1d12h": 36 * HOUR,
  "3d": 3 * DAY,
  "7d": 7 * DAY,
  "14d": 14 * DAY,
};
const AGE_TEXTS = Object.keys(AGES);

const NO_USE = (): ImageUsage => ({ instances: [], launchTemplates: [], launchConfigurations: [], unchecked: {} });

function randomConfiguration(r: Rng): LaunchConfigurationUse {
  const id = { launchConfigurationId: `asc-${int(r, 10000000, 99999999)}`, launchConfigurationName: "web-lc" };
  if (chance(r, 0.5)) return { ...id, status: pick(r, ["NORMAL", "IMAGE_ABNORMAL"]) };
  return {
    ...id,
    status: "NORMAL",
    imageFamily: "web",
    fallback: chance(r, 0.5) ? { image: { imageId: "img-fallback1", imageName: "web-prev" } } : {},
  };
}

/** What uses an image: now and then an instance (running or ended), a template, a configuration, an unchecked kind. */
function randomUsage(r: Rng): ImageUsage {
  const usage = NO_USE();
  if (chance(r, 0.12))
    usage.instances.push({
      instanceId: `ins-${int(r, 10000000, 99999999)}`,
      instanceName: pick(r, ["", "web-1"]),
      state: pick(r, ["RUNNING", "STOPPED", "PENDING", ...ENDED]),
    });
  if (chance(r, 0.05))
    usage.launchTemplates.push({
      launchTemplateId: `lt-${int(r, 10000000, 99999999)}`,
      launchTemplateName: "web",
      versions: [1, 3],
      defaultVersion: 3,
      includesDefaultVersion: chance(r, 0.5),
    });
  if (chance(r, 0.06)) usage.launchConfigurations.push(randomConfiguration(r));
  if (chance(r, 0.03)) usage.unchecked[pick(r, USAGE_KINDS)] = "AuthFailure.UnauthorizedOperation";
  if (chance(r, 0.03))
    usage.uncheckedFamilies = [
      { imageFamily: "web", launchConfigurations: [randomConfiguration(r)], cause: "RequestLimitExceeded" },
    ];
  return usage;
}

/** Retirement tags as an earlier run (or a person) may have left them, often a little off. */
function randomStageTags(r: Rng): Record<string, string> {
  if (!chance(r, 0.35)) return {};
  const tags: Record<string, string> = {};
  const stage = pick(r, ["deprecated", "deprecated", "unshared", "unshared", "retired"]);
  if (chance(r, 0.95)) tags[STAGE] = stage;
  const since = NOW - int(r, 0, 8 * 24) * HOUR + (chance(r, 0.05) ? 10 * DAY : 0);
  if (chance(r, 0.93)) tags[SINCE] = chance(r, 0.05) ? "yesterday" : iso(since);
  if (stage === "unshared" || chance(r, 0.1)) {
    const accounts = subset(r, ACCOUNTS, 0.4);
    const entries: Array<[string, string]> = [];
    let n = int(r, 0, 2);
    for (let i = 0; i < accounts.length; i += 2) {
      entries.push([`${SHARES}${n}`, accounts.slice(i, i + 2).join(" ")]);
      n += int(r, 1, 9);
    }
    // The cloud lists tags in no particular order: written here in order, or backwards.
    for (const [k, v] of chance(r, 0.5) ? entries.reverse() : entries) tags[k] = v;
  }
  return tags;
}

function randomImage(r: Rng, i: number, previous: ScopeImage | undefined): ScopeImage {
  const family = pick(r, ["web", "web", "web", "api", ""]);
  const stageTags = randomStageTags(r);
  const createdTime =
    previous && chance(r, 0.08)
      ? previous.createdTime
      : chance(r, 0.04)
        ? pick(r, ["", "not a time"])
        : iso(NOW - int(r, -2, 40 * 24) * HOUR - int(r, 0, 59) * 60_000);
  return {
    imageId: `img-${String(i).padStart(8, "0")}`,
    imageName: `${pick(r, ["web-", "web-", "api-", "canary-web-"])}${i}`,
    imageType: chance(r, 0.9) ? "PRIVATE_IMAGE" : pick(r, ["SHARED_IMAGE", "PUBLIC_IMAGE"]),
    imageState: chance(r, 0.88) ? "NORMAL" : pick(r, ["CREATING", "SYNCING", "IMPORTING", "CREATEFAILED"]),
    imageCreator: "100000000001",
    snapshotIds: chance(r, 0.5) ? [`snap-${String(i).padStart(8, "0")}`] : [],
    createdTime,
    imageFamily: family,
    imageDeprecated: stageTags[STAGE] === "deprecated" ? chance(r, 0.8) : chance(r, 0.1),
    tags: {
      ...(chance(r, 0.7) ? { team: pick(r, ["web", "api"]) } : {}),
      ...(chance(r, 0.1) ? { keep: pick(r, ["true", "false"]) } : {}),
      ...stageTags,
    },
    shares: chance(r, 0.25) ? subset(r, ACCOUNTS, 0.4) : [],
    usage: chance(r, 0.7) ? NO_USE() : randomUsage(r),
  };
}

function randomImages(r: Rng): ScopeImage[] {
  const out: ScopeImage[] = [];
  const n = int(r, 0, 24);
  for (let i = 0; i < n; i++) out.push(randomImage(r, i, out[out.length - 1]));
  return out;
}

/** Inputs through the input table, as `check` gives them to the planner (a refusal fails the test). */
function checkedSpec(raw: Record<string, unknown>): RetentionSpec {
  const failures: string[] = [];
  const spec = RETENTION_RULE.check(raw, "", (p, reason) => failures.push(`${p}: ${reason}`));
  expectThat(failures.length === 0 && spec !== undefined, "the generated inputs were refused", raw, failures);
  return spec as unknown as RetentionSpec;
}

function randomSpec(r: Rng, ids: readonly string[]): RetentionSpec {
  const raw: Record<string, unknown> = {};
  const scope = int(r, 1, 7);
  if (scope & 1) raw.family = pick(r, ["web", "web", "api"]);
  if (scope & 2) raw.namePrefix = pick(r, ["web-", "canary-"]);
  if (scope & 4) raw.tags = { team: pick(r, ["web", "api"]) };
  const keep = int(r, 1, 3);
  if (keep & 1) raw.keepNewest = int(r, 1, 4);
  if (keep & 2) raw.keepYoungerThan = pick(r, AGE_TEXTS);
  if (chance(r, 0.4))
    raw.exclude = {
      ...(chance(r, 0.6) ? { imageIds: subset(r, ids, 0.1) } : {}),
      ...(chance(r, 0.6) ? { tags: { keep: "true" } } : {}),
    };
  if (chance(r, 0.3)) raw.managedImageIds = subset(r, ids, 0.1);
  const retire = int(r, 0, 3);
  if (retire)
    raw.retire = {
      ...(retire & 1 ? { deprecate: pick(r, AGE_TEXTS) } : {}),
      ...(retire & 2 ? { unshare: pick(r, AGE_TEXTS) } : {}),
    };
  if (chance(r, 0.7))
    raw.deletionPolicy = {
      unmanagedShares: pick(r, ["block", "unshare"]),
      ...(chance(r, 0.3) ? { deleteSnapshots: true } : {}),
    };
  return checkedSpec(raw);
}

// The oracle: the rules, written out here.

const timeOf = (s: string): number | undefined => {
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
};

/** The scope, newest first (unknown creation times last, ties by id). */
function expectedScope(images: readonly ScopeImage[], spec: RetentionSpec): ScopeImage[] {
  return images
    .filter(
      (i) =>
        i.imageType === "PRIVATE_IMAGE" &&
        (spec.family === undefined || i.imageFamily === spec.family) &&
        (spec.namePrefix === undefined || i.imageName.startsWith(spec.namePrefix)) &&
        Object.entries(spec.tags ?? {}).every(([k, v]) => i.tags[k] === v),
    )
    .sort(
      (a, b) =>
        (timeOf(b.createdTime) ?? 0) - (timeOf(a.createdTime) ?? 0) ||
        (a.imageId < b.imageId ? -1 : a.imageId > b.imageId ? 1 : 0),
    );
}

function inUse(usage: ImageUsage | undefined): boolean {
  if (!usage) return false;
  return (
    usage.instances.some((i) => !ENDED.includes(i.state)) ||
    usage.launchTemplates.length > 0 ||
    usage.launchConfigurations.length > 0 ||
    Object.keys(usage.unchecked).length > 0 ||
    (usage.uncheckedFamilies?.length ?? 0) > 0
  );
}

/** Whether some use could not be checked (a listing refused): the only thing that can hold an image in its stage. */
function usesUnchecked(usage: ImageUsage | undefined): boolean {
  return !!usage && (Object.keys(usage.unchecked).length > 0 || (usage.uncheckedFamilies?.length ?? 0) > 0);
}

/** Uses found for sure: instances not ended, launch template versions, launch configurations. */
function usesFound(usage: ImageUsage | undefined): boolean {
  if (!usage) return false;
  return (
    usage.instances.some((i) => !ENDED.includes(i.state)) ||
    usage.launchTemplates.length > 0 ||
    usage.launchConfigurations.length > 0
  );
}

/**
 * An image mid-retirement kept only because a use could not be checked: held in its stage (`wait`),
 * neither retired further nor restored.
 */
function heldInStage(image: ScopeImage, kept: string[], spec: RetentionSpec): boolean {
  const shared = (image.shares ?? []).length > 0 && spec.deletionPolicy?.unmanagedShares !== "unshare";
  return (
    validStage(image.tags) !== undefined &&
    kept.length === 1 &&
    kept[0] === "in use" &&
    usesUnchecked(image.usage) &&
    !usesFound(image.usage) &&
    !shared
  );
}

/** Each scope image's rank among the usable (NORMAL) images before it: failed or busy ones do not count as newest. */
function usableRank(scope: readonly ScopeImage[], index: number): number {
  return scope.slice(0, index).filter((i) => i.imageState === "NORMAL").length;
}

/** What keeps an image of the scope, in the order the planner looks (empty: it retires). */
function protections(image: ScopeImage, rank: number, spec: RetentionSpec, now: number): string[] {
  const created = timeOf(image.createdTime);
  const young = spec.keepYoungerThan === undefined ? undefined : AGES[spec.keepYoungerThan]!;
  return [
    ...(spec.keepNewest !== undefined && rank < spec.keepNewest ? ["newest"] : []),
    ...(young !== undefined && (created === undefined || now - created < young) ? ["young"] : []),
    ...(spec.exclude?.imageIds?.includes(image.imageId) ? ["excluded id"] : []),
    ...(Object.entries(spec.exclude?.tags ?? {}).some(([k, v]) => image.tags[k] === v) ? ["excluded tag"] : []),
    ...(spec.managedImageIds?.includes(image.imageId) ? ["managed"] : []),
    ...(image.imageState !== "NORMAL" ? ["busy"] : []),
    ...(inUse(image.usage) ? ["in use"] : []),
    ...((image.shares ?? []).length && spec.deletionPolicy?.unmanagedShares !== "unshare" ? ["shared"] : []),
  ];
}

/** What the reason of a kept image says for each protection. */
const REASON: Record<string, RegExp> = {
  newest: /^one of the \d+ newest of the scope \(number \d+\)/,
  young: /^younger than \S+ \(created /,
  "excluded id": /^excluded by id \(exclude\.imageIds\)/,
  "excluded tag": /^excluded by its tag keep=true \(exclude\.tags\)/,
  managed: /^managed by a CustomImage of this stack/,
  busy: /^busy \([A-Z]+\); looked at again at the next up/,
  "in use": /(still run from|still name|as their family's current image|could not be checked|could not be resolved)/,
  shared: /outside the stack, and deletionPolicy\.unmanagedShares is "block"/,
};

const RETIRING = ["deprecate", "unshare", "delete", "wait"];
const hasRetirementTags = (tags: Record<string, string>): boolean =>
  Object.keys(tags).some((k) => k === STAGE || k === SINCE || k.startsWith(SHARES));
const validStage = (tags: Record<string, string>): string | undefined =>
  tags[STAGE] === "deprecated" || tags[STAGE] === "unshared" ? tags[STAGE] : undefined;

/** The accounts recorded in `retention:shares.<n>` tags, by n ascending. */
function expectedRecordedShares(tags: Record<string, string>): string[] {
  return Object.keys(tags)
    .filter((k) => k.startsWith(SHARES))
    .map((k) => ({ n: Number(k.slice(SHARES.length)), k }))
    .sort((a, b) => a.n - b.n)
    .flatMap(({ k }) => tags[k]!.split(" ").filter((a) => a !== ""));
}

// The simulated apply (what retention/apply.ts does to the image).

function withoutRetirementTags(tags: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).filter(([k]) => k !== STAGE && k !== SINCE && !k.startsWith(SHARES)));
}

function writeStage(tags: Record<string, string>, stage: string, since: number, accounts: readonly string[] = []) {
  const out: Record<string, string> = { ...withoutRetirementTags(tags), [STAGE]: stage, [SINCE]: iso(since) };
  for (let i = 0; i * 12 < accounts.length; i++) out[`${SHARES}${i}`] = accounts.slice(i * 12, i * 12 + 12).join(" ");
  return out;
}

function applyOne(image: ScopeImage, d: RetentionDecision, now: number): ScopeImage | undefined {
  const stage = validStage(image.tags);
  const since = timeOf(image.tags[SINCE] ?? "") ?? 0;
  const shares = image.shares ?? [];
  switch (d.action) {
    case "delete":
      return undefined;
    case "deprecate":
      return {
        ...image,
        imageDeprecated: true,
        tags: { ...image.tags, [STAGE]: "deprecated", [SINCE]: d.stageStart ?? iso(now) },
      };
    case "unshare": {
      const accounts = [...new Set([...expectedRecordedShares(image.tags), ...(d.accounts ?? [])])];
      return {
        ...image,
        tags: writeStage(image.tags, "unshared", d.stageStart ? timeOf(d.stageStart)! : now, accounts),
        shares: shares.filter((a) => !(d.accounts ?? []).includes(a)),
      };
    }
    case "restore":
      return {
        ...image,
        imageDeprecated: image.imageDeprecated && !stage,
        tags: withoutRetirementTags(image.tags),
        shares: [...shares, ...(d.accounts ?? []).filter((a) => !shares.includes(a))],
      };
    default:
      return image;
  }
}

function applyPlan(images: readonly ScopeImage[], plan: readonly RetentionDecision[], now: number): ScopeImage[] {
  const byId = new Map(plan.map((d) => [d.imageId, d]));
  return images.flatMap((i) => {
    const d = byId.get(i.imageId);
    const after = d ? applyOne(i, d, now) : i;
    return after ? [after] : [];
  });
}

/** A random world: images, a spec over their ids, and a time near NOW. */
function randomWorld(r: Rng) {
  const images = randomImages(r);
  const spec = randomSpec(
    r,
    images.map((i) => i.imageId),
  );
  const now = NOW + pick(r, [0, 0, int(r, 1, 10 * DAY)]);
  return { images, spec, now };
}

describe("planRetention: properties over random scopes", () => {
  test("never retires a kept image (newest, young, excluded, managed, in use, busy, shared under block); retires every other", () => {
    forAll(1_000, (r) => {
      const { images, spec, now } = randomWorld(r);
      const scope = expectedScope(images, spec);
      const plan = planRetention(images, spec, now, REGION);
      plan.forEach((d, index) => {
        const image = scope[index]!;
        const kept = protections(image, usableRank(scope, index), spec, now);
        if (kept.length) {
          const held = heldInStage(image, kept, spec) && d.action === "wait";
          expectThat(
            ["keep", "restore"].includes(d.action) || held,
            `${d.imageId} is kept (${kept}) but planned`,
            d,
            spec,
          );
          // A reason of the scope: the first one is given. Refusals of the deletion decision: all of them.
          const first = kept[0]!;
          const refusals = ["in use", "shared"];
          for (const k of refusals.includes(first) ? kept : [first])
            expectThat(REASON[k]!.test(d.reason), `${d.imageId}: the reason does not say ${k}`, d, image);
        } else {
          expectThat(RETIRING.includes(d.action), `${d.imageId} is kept by nothing but planned ${d.action}`, d, spec);
        }
      });
    });
  });

  test("the plan lists every image of the scope once, newest first, and nothing outside it", () => {
    forAll(2_000, (r) => {
      const { images, spec, now } = randomWorld(r);
      const plan = planRetention(images, spec, now, REGION);
      const ids = plan.map((d) => d.imageId);
      expectThat(
        JSON.stringify(ids) === JSON.stringify(expectedScope(images, spec).map((i) => i.imageId)),
        "the plan is not the scope newest first",
        ids,
        spec,
      );
      expectThat(new Set(ids).size === ids.length, "an image is listed twice", ids);
      for (const d of plan) {
        const image = images.find((i) => i.imageId === d.imageId)!;
        expectThat(inScope(image, spec), `${d.imageId} is outside the scope`, image, spec);
        expectThat(
          d.imageName === image.imageName && d.createdTime === image.createdTime,
          `${d.imageId}: name or creation time not the image's`,
          d,
        );
      }
      for (let i = 1; i < plan.length; i++) {
        const [a, b] = [images.find((x) => x.imageId === ids[i - 1]), images.find((x) => x.imageId === ids[i])];
        expectThat(newestFirst(a!, b!) < 0, `${ids[i - 1]} listed before the newer ${ids[i]}`, a, b);
      }
    });
  });

  test("candidates are the images of the scope that nothing in the scope keeps (before shares and usage)", () => {
    forAll(3_000, (r) => {
      const { images, spec, now } = randomWorld(r);
      const scope = expectedScope(images, spec);
      const expected = scope
        .filter(
          (image, index) =>
            !protections(image, usableRank(scope, index), spec, now).some((p) => p !== "in use" && p !== "shared"),
        )
        .map((i) => i.imageId);
      const got = candidates(images, spec, now).map((i) => i.imageId);
      expectThat(JSON.stringify(got) === JSON.stringify(expected), "candidates differ", got, expected, spec);
    });
  });

  test("a kept image with retirement tags is restored with its recorded accounts; one without is kept as is", () => {
    forAll(4_000, (r) => {
      const { images, spec, now } = randomWorld(r);
      const scope = expectedScope(images, spec);
      planRetention(images, spec, now, REGION).forEach((d, index) => {
        const image = scope[index]!;
        const kept = protections(image, usableRank(scope, index), spec, now);
        if (!kept.length) return;
        if (heldInStage(image, kept, spec)) {
          expectThat(d.action === "wait" && d.stage === validStage(image.tags), "not held in its stage", d, image);
          return;
        }
        // A busy image is left as it is, stage and all, until it settles.
        if (!hasRetirementTags(image.tags) || image.imageState !== "NORMAL") {
          expectThat(d.action === "keep" && d.stage === undefined && d.accounts === undefined, "not a plain keep", d);
          return;
        }
        expectThat(d.action === "restore", `${d.imageId} has retirement tags, is kept, but is not restored`, d, image);
        const accounts = expectedRecordedShares(image.tags);
        expectThat(
          JSON.stringify(d.accounts ?? []) === JSON.stringify(accounts),
          "the restore does not share with the recorded accounts, in order",
          d,
          image.tags,
        );
        expectThat(/; back in the keep set: not deprecated/.test(d.reason), "the restore's reason", d);
        const stage = validStage(image.tags);
        expectThat(d.stage === stage, "the restore names another stage than the tags'", d, image.tags);
        if (stage)
          expectThat(
            d.stageSince === iso(timeOf(image.tags[SINCE] ?? "") ?? 0),
            "the restore's stageSince is not the tags'",
            d,
          );
      });
    });
  });

  test("a retiring image never moves past its stage before the stage's dwell is over", () => {
    forAll(5_000, (r) => {
      const { images, spec, now } = randomWorld(r);
      const dwell = {
        deprecated: spec.retire?.deprecate === undefined ? undefined : AGES[spec.retire.deprecate],
        unshared: spec.retire?.unshare === undefined ? undefined : AGES[spec.retire.unshare],
      };
      const scope = expectedScope(images, spec);
      planRetention(images, spec, now, REGION).forEach((d, rank) => {
        const image = scope[rank]!;
        const stage = validStage(image.tags) as "deprecated" | "unshared" | undefined;
        const since = timeOf(image.tags[SINCE] ?? "") ?? 0;
        const due = stage ? since + (dwell[stage] ?? 0) : undefined;
        const shares = image.shares ?? [];
        const show = [d, image.tags, image.imageDeprecated, shares, spec.retire, iso(now)];
        if (d.action === "delete") {
          expectThat(due === undefined || now >= due, "deleted before the stage's dwell is over", ...show);
          expectThat(dwell.deprecated === undefined || stage !== undefined, "deleted without deprecating", ...show);
          expectThat(
            dwell.unshared === undefined || !shares.length || stage === "unshared",
            "a shared image deleted without its unshare stage",
            ...show,
          );
          expectThat(d.nextStageDue === undefined, "a delete has no next stage", ...show);
        }
        const held = heldInStage(image, protections(image, usableRank(scope, rank), spec, now), spec);
        if (d.action === "wait")
          expectThat(stage !== undefined && (held || (now < due! && d.nextStageDue === iso(due!))), "a wait", ...show);
        // A stage done again keeps its start within its dwell; past it, the dwell starts over.
        const start = stage && now < due! ? since : now;
        if (d.action === "deprecate") {
          expectThat(dwell.deprecated !== undefined, "deprecated without a deprecate stage", ...show);
          expectThat(stage === undefined || stage === "deprecated", "deprecated out of turn", ...show);
          expectThat(d.stageStart === iso(start), "deprecate's start", ...show);
          expectThat(d.nextStageDue === iso(start + dwell.deprecated!), "deprecate's next stage", ...show);
        }
        if (d.action === "unshare") {
          expectThat(
            dwell.unshared !== undefined || stage === "unshared",
            "unshared without an unshare stage",
            ...show,
          );
          expectThat(JSON.stringify(d.accounts) === JSON.stringify(shares), "unshare names the shares", ...show);
          expectThat(spec.deletionPolicy?.unmanagedShares === "unshare", "unshared under block", ...show);
          expectThat(
            stage === undefined ? dwell.deprecated === undefined : stage === "unshared" || now >= due!,
            "unshared out of turn",
            ...show,
          );
          const unshareStart = stage === "unshared" && now < due! ? since : now;
          expectThat(d.stageStart === iso(unshareStart), "unshare's start", ...show);
        }
        if (RETIRING.includes(d.action) && stage)
          expectThat(d.stage === stage && d.stageSince === iso(since), "the stage of a retiring image", ...show);
        if (RETIRING.includes(d.action) && !stage) expectThat(d.stage === undefined, "a stage from nowhere", ...show);
      });
    });
  });

  test("idempotent: after applying the plan, a second plan at the same time changes nothing", () => {
    forAll(6_000, (r) => {
      const { images, spec, now } = randomWorld(r);
      const first = planRetention(images, spec, now, REGION);
      const after = applyPlan(images, first, now);
      const second = planRetention(after, spec, now, REGION);
      const changing = second.filter(changes);
      expectThat(
        changing.length === 0,
        "the second plan still changes images",
        changing,
        changing.map((d) => [first.find((f) => f.imageId === d.imageId), images.find((i) => i.imageId === d.imageId)]),
        spec,
        iso(now),
      );
    });
  });
});

describe("planRetention: staged retirement across ups (a model of the stages)", () => {
  type Model =
    { stage: "none" } | { stage: "deprecated" | "unshared"; since: number; deprecatedAt?: number } | { stage: "gone" };

  /** What the model expects at `t`, and the model after it. */
  function expected(
    m: Model,
    t: number,
    d1: number | undefined,
    d2: number | undefined,
    shares: string[],
  ): { decision: Partial<RetentionDecision>; next: Model } {
    const unshareOrDelete = (at: Partial<RetentionDecision>) =>
      d2 !== undefined && shares.length
        ? {
            decision: { ...at, action: "unshare" as const, accounts: shares, nextStageDue: iso(t + d2) },
            next: { stage: "unshared" as const, since: t },
          }
        : { decision: { ...at, action: "delete" as const, nextStageDue: undefined }, next: { stage: "gone" as const } };
    if (m.stage === "none")
      return d1 !== undefined
        ? {
            decision: { action: "deprecate", stage: undefined, nextStageDue: iso(t + d1) },
            next: { stage: "deprecated", since: t },
          }
        : unshareOrDelete({ stage: undefined });
    if (m.stage === "gone") throw new Error("planned after the delete");
    const at = { stage: m.stage, stageSince: iso(m.since) };
    const due = m.since + (m.stage === "deprecated" ? d1! : d2!);
    if (t < due) return { decision: { ...at, action: "wait", nextStageDue: iso(due) }, next: m };
    return m.stage === "deprecated"
      ? unshareOrDelete(at)
      : { decision: { ...at, action: "delete", nextStageDue: undefined }, next: { stage: "gone" } };
  }

  test("deprecate, wait out the dwell, unshare (shared, under unshare) or delete, wait, delete: the due times", () => {
    forAll(7_000, (r) => {
      const d1 = chance(r, 0.7) ? int(r, 1, 72) : undefined;
      const d2 = chance(r, 0.7) ? int(r, 1, 72) : undefined;
      const shares = chance(r, 0.5) ? subset(r, ACCOUNTS, 0.6) : [];
      const spec = checkedSpec({
        family: "web",
        keepYoungerThan: "1d",
        ...(d1 !== undefined || d2 !== undefined
          ? {
              retire: {
                ...(d1 !== undefined ? { deprecate: `${d1}h` } : {}),
                ...(d2 !== undefined ? { unshare: `${d2}h` } : {}),
              },
            }
          : {}),
        deletionPolicy: { unmanagedShares: shares.length ? "unshare" : pick(r, ["block", "unshare"]) },
      });
      const old = randomImage(r, 1, undefined);
      let images: ScopeImage[] = [
        {
          ...old,
          imageType: "PRIVATE_IMAGE",
          imageState: "NORMAL",
          imageFamily: "web",
          imageDeprecated: false,
          createdTime: iso(NOW - 60 * DAY),
          tags: {},
          shares,
          usage: NO_USE(),
        },
      ];
      let model: Model = { stage: "none" };
      let t = NOW;
      let deletedAt = t;
      for (let step = 0; model.stage !== "gone"; step++) {
        expectThat(step < 30, "never deleted", model);
        const want = expected(model, t, d1 === undefined ? undefined : d1 * HOUR, d2 && d2 * HOUR, shares);
        const plan = planRetention(images, spec, t, REGION);
        expectThat(plan.length === 1, "one image in the plan", plan);
        const d = plan[0]!;
        for (const [k, v] of Object.entries(want.decision))
          expectThat(
            JSON.stringify((d as unknown as Record<string, unknown>)[k]) === JSON.stringify(v),
            `step ${step} at ${iso(t)}: ${k} is not ${JSON.stringify(v)}`,
            d,
            model,
            { d1, d2, shares },
          );
        if (d.action === "deprecate") expectThat(/deprecated now, next stage after \d+h$/.test(d.reason), "", d);
        if (d.action === "unshare") expectThat(/shares cancelled now, deleted after \d+h$/.test(d.reason), "", d);
        images = applyPlan(images, plan, t);
        model = want.next;
        deletedAt = t;
        if (model.stage === "deprecated") expectThat(images[0]!.imageDeprecated === true, "not deprecated", images);
        if (model.stage === "unshared")
          expectThat(
            images[0]!.shares!.length === 0 &&
              JSON.stringify(recordedShares(images[0]!.tags)) === JSON.stringify(shares),
            "shares not cancelled and recorded",
            images,
          );
        // The next up: at once, 1ms later, just before or exactly at the due time, or a while later.
        const due = d.nextStageDue ? Date.parse(d.nextStageDue) : t;
        t += step > 12 ? Math.max(0, due - t) : pick(r, [0, 1, Math.max(0, due - t - 1), due - t, int(r, 0, 4 * DAY)]);
      }
      const total = (d1 ?? 0) + (d2 !== undefined && shares.length ? d2 : 0);
      expectThat(deletedAt - NOW >= total * HOUR, "deleted before the dwells added up", deletedAt - NOW, total);
      expectThat(images.length === 0, "the image is still there", images);
    });
  });

  test("an image back in the keep set mid-retirement is restored (shares back, not deprecated), then kept", () => {
    forAll(8_000, (r) => {
      const shares = [ACCOUNTS[0]!, ...subset(r, ACCOUNTS.slice(1), 0.5)];
      const base = checkedSpec({
        family: "web",
        keepNewest: 1,
        retire: { deprecate: "2h", unshare: "2h" },
        deletionPolicy: { unmanagedShares: "unshare" },
      });
      const image = (id: string, ageDays: number, s: string[]): ScopeImage => ({
        imageId: id,
        imageName: `web-${id}`,
        imageType: "PRIVATE_IMAGE",
        imageState: "NORMAL",
        imageCreator: "100000000001",
        snapshotIds: [],
        createdTime: iso(NOW - ageDays * DAY),
        imageFamily: "web",
        imageDeprecated: false,
        tags: {},
        shares: s,
        usage: NO_USE(),
      });
      let images = [image("img-00000001", 1, []), image("img-00000002", 5, shares)];
      const ups = int(r, 1, 2); // deprecated, or deprecated then unshared
      let t = NOW;
      for (let i = 0; i < ups; i++) {
        images = applyPlan(images, planRetention(images, base, t, REGION), t);
        t += 2 * HOUR;
      }
      const retiring = images.find((i) => i.imageId === "img-00000002");
      expectThat(retiring !== undefined, "deleted too early", images);
      const recorded = recordedShares(retiring!.tags);
      const back = pick(r, [
        { ...base, keepNewest: 2 },
        { ...base, exclude: { imageIds: ["img-00000002"] } },
        { ...base, managedImageIds: ["img-00000002"] },
        { ...base, keepYoungerThan: "30d" },
      ]);
      const plan = planRetention(images, back, t, REGION);
      const d = plan.find((x) => x.imageId === "img-00000002")!;
      expectThat(d.action === "restore", "not restored", d, retiring);
      expectThat(JSON.stringify(d.accounts ?? []) === JSON.stringify(recorded), "restores other accounts", d, recorded);
      images = applyPlan(images, plan, t);
      const restored = images.find((i) => i.imageId === "img-00000002")!;
      expectThat(
        !restored.imageDeprecated &&
          retirementTagKeys(restored.tags).length === 0 &&
          [...restored.shares!].sort().join() === [...shares].sort().join(),
        "not restored to how it was",
        restored,
      );
      expectThat(
        planRetention(images, back, t, REGION).every((x) => x.action === "keep"),
        "not kept after",
        images,
      );
    });
  });
});

// Examples.

const ONE: ScopeImage = {
  imageId: "img-00000001",
  imageName: "web-1",
  imageType: "PRIVATE_IMAGE",
  imageState: "NORMAL",
  imageCreator: "100000000001",
  snapshotIds: [],
  createdTime: iso(NOW - 30 * DAY),
  imageFamily: "web",
  imageDeprecated: false,
  tags: {},
  shares: [],
  usage: NO_USE(),
};
const img = (n: number, over: Partial<ScopeImage> = {}): ScopeImage => ({
  ...ONE,
  imageId: `img-${String(n).padStart(8, "0")}`,
  imageName: `web-${n}`,
  createdTime: iso(NOW - n * DAY),
  ...over,
});
const spec = (over: Record<string, unknown> = {}): RetentionSpec => checkedSpec({ family: "web", ...over });
const planOf = (images: ScopeImage[], s: RetentionSpec, now = NOW) => planRetention(images, s, now, REGION);
const only = (image: ScopeImage, s: RetentionSpec, now = NOW) => planOf([image], s, now)[0]!;

describe("planRetention: reasons", () => {
  test("kept images say why: newest (with its number), young, excluded by id or tag, managed, busy", () => {
    const plan = planOf(
      [img(1), img(2), img(3), img(4, { imageState: "SYNCING" }), img(5, { tags: { keep: "true" } }), img(6), img(7)],
      spec({
        keepNewest: 1,
        keepYoungerThan: "2d12h",
        exclude: { imageIds: ["img-00000006"], tags: { keep: "true" } },
        managedImageIds: ["img-00000007"],
      }),
    );
    expect(plan.map((d) => [d.action, d.reason])).toEqual([
      ["keep", "one of the 1 newest of the scope (number 1)"],
      ["keep", `younger than 2d12h (created ${iso(NOW - 2 * DAY)})`],
      ["delete", "number 3, past the 1 newest and older than 2d12h"],
      ["keep", "busy (SYNCING); looked at again at the next up"],
      ["keep", "excluded by its tag keep=true (exclude.tags)"],
      ["keep", "excluded by id (exclude.imageIds)"],
      ["keep", "managed by a CustomImage of this stack"],
    ]);
  });

  test("a shared image under block, and an image in use, are kept with the deletion decision's reason", () => {
    const shared = only(img(9, { shares: ["100000000002"] }), spec({ keepYoungerThan: "1d" }));
    expect(shared).toMatchObject({ action: "keep" });
    expect(shared.reason).toContain(
      'image is shared with 1 account (100000000002) outside the stack, and deletionPolicy.unmanagedShares is "block"',
    );
    const usage = { ...NO_USE(), instances: [{ instanceId: "ins-abcdefgh", instanceName: "web", state: "STOPPED" }] };
    const busy = only(img(9, { usage }), spec({ keepYoungerThan: "1d" }));
    expect(busy.reason).toBe(
      'instances still run from the image: ins-abcdefgh "web" (STOPPED), and deletionPolicy.inUse.instances is "block"',
    );
  });

  test("every use blocks, whatever CustomImage's own inUse default (warn) says; an ended instance is no use", () => {
    const s = spec({ keepYoungerThan: "1d" });
    const uses: ImageUsage[] = [
      { ...NO_USE(), instances: [{ instanceId: "ins-abcdefgh", instanceName: "", state: "RUNNING" }] },
      {
        ...NO_USE(),
        launchTemplates: [
          {
            launchTemplateId: "lt-abcdefgh",
            launchTemplateName: "t",
            versions: [2],
            defaultVersion: 1,
            includesDefaultVersion: false,
          },
        ],
      },
      {
        ...NO_USE(),
        launchConfigurations: [
          { launchConfigurationId: "asc-abcdefgh", launchConfigurationName: "", status: "NORMAL" },
        ],
      },
      {
        ...NO_USE(),
        launchConfigurations: [
          {
            launchConfigurationId: "asc-abcdefgh",
            launchConfigurationName: "lc",
            status: "NORMAL",
            imageFamily: "web",
            fallback: {},
          },
        ],
      },
      { ...NO_USE(), unchecked: { launchTemplates: "AuthFailure" } },
      {
        ...NO_USE(),
        uncheckedFamilies: [{ imageFamily: "web", launchConfigurations: [], cause: "RequestLimitExceeded" }],
      },
    ];
    for (const usage of uses) expect([usage, only(img(9, { usage }), s).action]).toEqual([usage, "keep"]);
    const ended = { ...NO_USE(), instances: [{ instanceId: "ins-abcdefgh", instanceName: "", state: "SHUTDOWN" }] };
    expect(only(img(9, { usage: ended }), s).action).toBe("delete");
    expect(retirementDeleteSpec(img(9), s, REGION).deletionPolicy.inUse).toEqual({
      instances: "block",
      launchTemplates: "block",
      launchConfigurations: "block",
    });
  });

  test("a shared image under unshare retires; refusedRetirement says nothing of it", () => {
    const s = spec({ keepYoungerThan: "1d", deletionPolicy: { unmanagedShares: "unshare" } });
    expect(refusedRetirement(img(9, { shares: ["100000000002"] }), s, REGION)).toBeUndefined();
    expect(only(img(9, { shares: ["100000000002"] }), s).action).toBe("delete");
    expect(retirementDeleteSpec(img(9), s, REGION)).toMatchObject({
      imageId: "img-00000009",
      region: REGION,
      sharedWith: [],
      deletionPolicy: { unmanagedShares: "unshare", deleteSnapshots: false },
      recorded: { imageName: "web-9", createdTime: img(9).createdTime },
    });
  });

  test("the stages' reasons: deprecate, unshare, wait (for how long), delete, restore", () => {
    const s = spec({
      keepNewest: 1,
      retire: { deprecate: "7d", unshare: "3d" },
      deletionPolicy: { unmanagedShares: "unshare" },
    });
    const newest = img(1);
    const why = "number 2, past the 1 newest";
    expect(planOf([newest, img(2)], s)[1]).toEqual({
      imageId: "img-00000002",
      imageName: "web-2",
      createdTime: img(2).createdTime,
      action: "deprecate",
      reason: `${why}; deprecated now, next stage after 7d`,
      stageStart: iso(NOW),
      nextStageDue: iso(NOW + 7 * DAY),
    });
    const deprecated = img(2, { imageDeprecated: true, tags: stageTags("deprecated", NOW - 2 * HOUR), shares: [] });
    expect(planOf([newest, deprecated], s)[1]).toMatchObject({
      action: "wait",
      reason: `${why}; deprecated for 2h`,
      stage: "deprecated",
      stageSince: iso(NOW - 2 * HOUR),
      nextStageDue: iso(NOW - 2 * HOUR + 7 * DAY),
    });
    const due = img(2, {
      imageDeprecated: true,
      tags: stageTags("deprecated", NOW - 7 * DAY),
      shares: ["100000000002"],
    });
    expect(planOf([newest, due], s)[1]).toMatchObject({
      action: "unshare",
      reason: `${why}; shares cancelled now, deleted after 3d`,
      accounts: ["100000000002"],
      nextStageDue: iso(NOW + 3 * DAY),
    });
    const unshared = img(2, { tags: stageTags("unshared", NOW - 3 * DAY, ["100000000002"]), shares: [] });
    expect(planOf([newest, unshared], s)[1]).toMatchObject({ action: "delete", reason: why, stage: "unshared" });
    expect(planOf([newest, unshared], spec({ keepNewest: 2, retire: { deprecate: "7d" } }))[1]).toMatchObject({
      action: "restore",
      reason: "one of the 2 newest of the scope (number 2); back in the keep set: not deprecated, shares back",
      accounts: ["100000000002"],
    });
    expect(planOf([newest, deprecated], spec({ keepNewest: 2 }))[1]).toMatchObject({
      action: "restore",
      reason: "one of the 2 newest of the scope (number 2); back in the keep set: not deprecated",
    });
  });

  test("a deprecated image undeprecated outside is deprecated again; one shared again outside is unshared again", () => {
    const s = spec({
      keepNewest: 1,
      retire: { deprecate: "7d", unshare: "3d" },
      deletionPolicy: { unmanagedShares: "unshare" },
    });
    const marked = img(2, { imageDeprecated: false, tags: stageTags("deprecated", NOW - DAY) });
    expect(planOf([img(1), marked], s)[1]).toMatchObject({
      action: "deprecate",
      reason: "number 2, past the 1 newest; deprecated again (undone outside)",
      stageStart: iso(NOW - DAY),
      nextStageDue: iso(NOW + 6 * DAY),
    });
    const reshared = img(2, { tags: stageTags("unshared", NOW - DAY, ["100000000002"]), shares: ["100000000003"] });
    expect(planOf([img(1), reshared], s)[1]).toMatchObject({
      action: "unshare",
      reason: "number 2, past the 1 newest; shares cancelled again (undone outside)",
      accounts: ["100000000003"],
      nextStageDue: iso(NOW + 2 * DAY),
    });
  });

  test("a stage not in effect past its dwell (its call never went through, or undone by hand) starts over", () => {
    const s = spec({
      keepNewest: 1,
      retire: { deprecate: "7d", unshare: "3d" },
      deletionPolicy: { unmanagedShares: "unshare" },
    });
    const never = img(2, { imageDeprecated: false, tags: stageTags("deprecated", NOW - 8 * DAY) });
    expect(planOf([img(1), never], s)[1]).toMatchObject({
      action: "deprecate",
      reason: "number 2, past the 1 newest; deprecated again: the dwell starts over",
      stageStart: iso(NOW),
      nextStageDue: iso(NOW + 7 * DAY),
    });
    const stillShared = img(2, {
      tags: stageTags("unshared", NOW - 4 * DAY, ["100000000002"]),
      shares: ["100000000002"],
    });
    expect(planOf([img(1), stillShared], s)[1]).toMatchObject({
      action: "unshare",
      reason: "number 2, past the 1 newest; shares cancelled again: the dwell starts over",
      accounts: ["100000000002"],
      stageStart: iso(NOW),
      nextStageDue: iso(NOW + 3 * DAY),
    });
  });

  test("an image mid-retirement whose use could not be checked is held in its stage: not retired, not restored", () => {
    const s = spec({ keepNewest: 1, retire: { deprecate: "7d" } });
    const usage = { ...NO_USE(), unchecked: { instances: "DescribeInstances failed: UnauthorizedOperation" } };
    const staged = img(2, { imageDeprecated: true, tags: stageTags("deprecated", NOW - 8 * DAY), usage });
    const d = planOf([img(1), staged], s)[1]!;
    expect(d).toMatchObject({ action: "wait", stage: "deprecated" });
    expect(d.reason).toMatch(/could not be checked .*; held in its stage until it can be checked$/);
    // Not mid-retirement: simply kept.
    expect(planOf([img(1), img(2, { usage })], s)[1]!.action).toBe("keep");
  });
});

describe("planRetention: edge cases", () => {
  test("an image with an unparseable creation time is kept as young, and sorts last", () => {
    for (const createdTime of ["", "not a time"]) {
      const odd = img(0, { createdTime });
      const plan = planOf([odd, img(40)], spec({ keepYoungerThan: "14d" }));
      expect(plan.map((d) => d.imageId)).toEqual(["img-00000040", "img-00000000"]);
      expect(plan[1]).toMatchObject({
        action: "keep",
        reason: `younger than 14d (created ${createdTime || "at an unknown time"})`,
      });
    }
    // With keepNewest alone, it is the oldest of the scope.
    expect(planOf([img(0, { createdTime: "" }), img(40)], spec({ keepNewest: 1 })).map((d) => d.action)).toEqual([
      "keep",
      "delete",
    ]);
  });

  test("ties in creation time are ordered by image id; the listing's order never matters", () => {
    const same = iso(NOW - 9 * DAY);
    const images = [img(3, { createdTime: same }), img(1, { createdTime: same }), img(2, { createdTime: same })];
    const ids = (xs: ScopeImage[]) => planOf(xs, spec({ keepNewest: 1 })).map((d) => [d.imageId, d.action]);
    expect(ids(images)).toEqual([
      ["img-00000001", "keep"],
      ["img-00000002", "delete"],
      ["img-00000003", "delete"],
    ]);
    expect(ids([...images].reverse())).toEqual(ids(images));
  });

  test("an image created in the future is young; an empty scope plans nothing", () => {
    expect(only(img(-3), spec({ keepYoungerThan: "1d" })).action).toBe("keep");
    expect(planOf([], spec({ keepNewest: 1 }))).toEqual([]);
  });

  test("scope: another family, another type, another name prefix or a tag that differs is out", () => {
    const s = spec({ namePrefix: "web-", tags: { team: "web" }, keepNewest: 1 });
    const inside = img(1, { tags: { team: "web" } });
    expect(inScope(inside, s)).toBe(true);
    expect(inScope({ ...inside, imageFamily: "api" }, s)).toBe(false);
    expect(inScope({ ...inside, imageFamily: "" }, s)).toBe(false);
    expect(inScope({ ...inside, imageType: "SHARED_IMAGE" }, s)).toBe(false);
    expect(inScope({ ...inside, imageName: "canary-web-1" }, s)).toBe(false);
    expect(inScope({ ...inside, tags: { team: "api" } }, s)).toBe(false);
    expect(inScope({ ...inside, tags: {} }, s)).toBe(false);
  });

  test("keptByScope: the first reason in order (newest before young before excluded); undefined when none", () => {
    const s = spec({ keepNewest: 2, keepYoungerThan: "14d", exclude: { imageIds: ["img-00000001"] } });
    expect(keptByScope(img(1), 0, s, NOW)).toMatch(/^one of the 2 newest/);
    expect(keptByScope(img(1), 2, s, NOW)).toMatch(/^younger than 14d/);
    expect(keptByScope(img(20), 2, s, NOW)).toBeUndefined();
    expect(keptByScope(img(14), 2, s, NOW)).toBeUndefined(); // exactly 14 days old: not younger
    expect(keptByScope(img(14), 2, s, NOW - 1)).toMatch(/^younger than 14d/);
  });

  test("changes: keep and wait change nothing; restore, deprecate, unshare and delete do", () => {
    expect(
      ["keep", "wait", "restore", "deprecate", "unshare", "delete"].map((a) => changes({ action: a as never })),
    ).toEqual([false, false, true, true, true, true]);
  });
});

describe("retirement tags", () => {
  test("recordedShares reads every retention:shares.<n> tag, by n as a number (2 before 10), and nothing else", () => {
    const tags = {
      "retention:shares.10": "100000000009",
      "retention:shares.2": "100000000004  100000000005",
      "retention:shares.0": " 100000000002 100000000003",
      "retention:stage": "unshared",
      "retention:sharesX": "100000000666",
      team: "web",
    };
    expect(recordedShares(tags)).toEqual([
      "100000000002",
      "100000000003",
      "100000000004",
      "100000000005",
      "100000000009",
    ]);
    expect(recordedShares({})).toEqual([]);
  });

  test("stageTags splits more than 12 accounts across tags, every value at most 255 characters; read back in order", () => {
    const uins = Array.from({ length: 30 }, (_, i) => `1${String(i).padStart(19, "0")}`); // 20 digits each
    const tags = stageTags("unshared", NOW, uins);
    expect(Object.keys(tags)).toEqual([
      "retention:stage",
      "retention:since",
      "retention:shares.0",
      "retention:shares.1",
      "retention:shares.2",
    ]);
    expect(ACCOUNTS_PER_TAG).toBe(12);
    expect(tags["retention:shares.0"]!.split(" ")).toHaveLength(12);
    expect(tags["retention:shares.2"]!.split(" ")).toHaveLength(6);
    for (const v of Object.values(tags)) expect(v.length).toBeLessThanOrEqual(255);
    expect(recordedShares(tags)).toEqual(uins);
    expect(tags["retention:since"]).toBe(iso(NOW));
    expect(stageTags("deprecated", NOW)).toEqual({ "retention:stage": "deprecated", "retention:since": iso(NOW) });
    expect(Object.keys(stageTags("unshared", NOW, uins.slice(0, 12)))).toHaveLength(3);
    expect(Object.keys(stageTags("unshared", NOW, uins.slice(0, 13)))).toHaveLength(4);
  });

  test("recordedStage: a known stage and its time; an unknown stage is none; an unparseable time is 0", () => {
    expect(recordedStage(stageTags("deprecated", NOW))).toEqual({ stage: "deprecated", since: NOW });
    expect(recordedStage({ "retention:stage": "unshared" })).toEqual({ stage: "unshared", since: 0 });
    expect(recordedStage({ "retention:stage": "unshared", "retention:since": "soon" })).toEqual({
      stage: "unshared",
      since: 0,
    });
    expect(recordedStage({ "retention:stage": "retired", "retention:since": iso(NOW) })).toBeUndefined();
    expect(recordedStage({})).toBeUndefined();
  });

  test("retirementTagKeys names the stage, since and shares tags only", () => {
    expect(
      retirementTagKeys({ ...stageTags("unshared", NOW, ["100000000002"]), team: "web", "retention:other": "x" }),
    ).toEqual(["retention:stage", "retention:since", "retention:shares.0"]);
  });

  test("stray retirement tags without a stage still make a kept image a restore (the tags are removed)", () => {
    const d = only(img(1, { tags: { "retention:shares.0": "100000000002" } }), spec({ keepNewest: 1 }));
    expect(d).toMatchObject({ action: "restore", accounts: ["100000000002"] });
    expect(d.stage).toBeUndefined();
  });
});

describe("planRetention: images that are not NORMAL", () => {
  test("failed or busy images do not count among the newest: keepNewest counts images that can launch", () => {
    const plan = planOf(
      [img(1, { imageState: "CREATEFAILED" }), img(2, { imageState: "CREATING" }), img(3), img(4), img(5)],
      spec({ keepNewest: 2 }),
    );
    expect(plan.map((d) => `${d.imageId.slice(-1)}:${d.action}`)).toEqual([
      "1:keep",
      "2:keep",
      "3:keep",
      "4:keep",
      "5:delete",
    ]);
    expect(plan[4]!.reason).toBe("number 3, past the 2 newest");
  });

  test("a busy image mid-retirement is left as it is (not restored) until it settles", () => {
    const tags = { [STAGE]: "deprecated", [SINCE]: iso(NOW - DAY), [`${SHARES}0`]: "100000000002" };
    const d = only(img(9, { imageState: "SYNCING", imageDeprecated: true, tags }), spec({ keepNewest: 3 }));
    expect(d).toMatchObject({ action: "keep", reason: "one of the 3 newest of the scope (number 1)" });
    expect(d.accounts).toBeUndefined();
  });

  test("a wait whose stage began in the future (a clock ahead) shows no negative time", () => {
    const tags = { [STAGE]: "deprecated", [SINCE]: iso(NOW + 5000) };
    const d = planOf(
      [img(1), img(9, { imageDeprecated: true, tags })],
      spec({ keepNewest: 1, retire: { deprecate: "1d" } }),
    )[1]!;
    expect(d.action).toBe("wait");
    expect(d.reason).toMatch(/deprecated for 0ms$/);
  });
});
