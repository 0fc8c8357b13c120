/**
 * Input validation and defaulting for `check`. Pure: no cloud calls, no environment reads
 * (the caller passes the default region and a random source).
 *
 * Each property is checked by its rule in the property table (`schema/properties.ts`), which also
 * gives the allowed keys and the defaults `check` fills. Written here are only the rules across
 * properties: exactly one source, the region's default, the auto-name (kept across updates and
 * aliases), a shared whole-machine image, and copies to the image's own region.
 *
 * Values the engine does not know yet at preview time arrive as {@link UNKNOWN}; they are passed
 * through without validation. Whatever the input's shape, the result holds no `undefined`, so the
 * engine can always serialize it.
 */
import { autoName } from "../schema/naming";
import { CheckedInputs, SOURCE_FIELDS, UNKNOWN } from "../schema/types";
import { INPUTS, INPUT_KEYS, INTERNAL_KEYS } from "../schema/properties";
import { isObjectRule, Report } from "../schema/rules";

/** One rejected field, as Pulumi's CheckFailure. */
export interface CheckFailure {
  property: string;
  reason: string;
}

/** What `check` needs from outside. */
export interface CheckContext {
  /** Region from TENCENTCLOUD_REGION or the `tencentcloud:region` stack config, if any. */
  defaultRegion?: string;
  /**
   * Hex characters (at least 7) for an auto-name. Given a seed (the resource's URN and the name it
   * replaces), the same seed must give the same characters, so that `pulumi preview` shows the name
   * `pulumi up` then creates, and a create re-run after a lost answer looks for the same name.
   */
  randomHex: (seed?: string) => string;
}

type Rec = Record<string, unknown>;

/**
 * The seed of a new auto-name: the URN, the region and the source (what a replacement changes, so
 * it gets another name than the image it replaces), and the name it follows; none without a URN.
 */
function autoNameSeed(olds: Rec, news: Rec): string | undefined {
  if (typeof news.resourceUrn !== "string" || news.resourceUrn === UNKNOWN) return undefined;
  const source = SOURCE_FIELDS.map((k) => JSON.stringify(news[k] ?? null)).join("|");
  const followed = typeof olds.imageName === "string" ? olds.imageName : "";
  return `${news.resourceUrn}|${String(news.region ?? "")}|${source}|${followed}`;
}

const ALLOWED_KEYS: readonly string[] = [...INPUT_KEYS, ...INTERNAL_KEYS];
const present = (v: unknown) => v !== undefined && v !== null;

/** The properties the table declares, checked and defaulted; unknown keys refused. */
function checkProperties(news: Rec, report: Report): Rec {
  const out: Rec = {};
  for (const k of Object.keys(news)) {
    if (!ALLOWED_KEYS.includes(k)) {
      const near = INPUT_KEYS.find((a) => a.toLowerCase() === k.toLowerCase());
      report(
        k,
        `unknown property "${k}"; ${near ? `did you mean "${near}"? ` : ""}the allowed properties are ` +
          `${INPUT_KEYS.map((a) => JSON.stringify(a)).join(", ")}`,
      );
    }
  }
  for (const [key, row] of INPUTS) {
    let value = row.rule.check(news[key], key, report);
    if (value === undefined && row.default?.fill) {
      // An absent (or refused) object with filling defaults is all defaults.
      value = isObjectRule(row.rule) ? row.rule.check({}, key, report) : row.default.value;
    }
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** Exactly one image source. */
function checkOneSource(news: Rec, report: Report): void {
  const given = SOURCE_FIELDS.filter((f) => present(news[f]));
  if (given.length === 0)
    report("fromInstance", `no image source given; set exactly one of ${SOURCE_FIELDS.join(", ")}`);
  else if (given.length > 1)
    report(
      given[1]!,
      `${given.join(" and ")} are both set; set exactly one image source (${SOURCE_FIELDS.join(", ")})`,
    );
}

/**
 * Validates and defaults the inputs. `olds` are the previously checked inputs. They are empty on
 * create, and also for a replacement: once diff says replace, the engine checks again without olds
 * (`prov.Check(urn, nil, goal.Properties, ...)` in the step generator; a targeted `--replace` is
 * checked without olds from the start), so a replacement always draws a fresh auto-name.
 */
export function checkInputs(
  olds: Rec,
  news: Rec,
  ctx: CheckContext,
): { inputs: CheckedInputs & Rec; failures: CheckFailure[] } {
  const failures: CheckFailure[] = [];
  const report: Report = (property, reason) => failures.push({ property, reason });
  const inputs = checkProperties(news, report);
  checkOneSource(news, report);

  inputs.region = checkedRegion(olds, news, inputs, ctx, report);
  if (typeof news.resourceName === "string") inputs.resourceName = news.resourceName;
  if (typeof news.resourceUrn === "string") inputs.resourceUrn = news.resourceUrn;
  if (news.sharedWithSecret === true) inputs.sharedWithSecret = true;
  if (!present(news.imageName) && !present(news.adoptImageId)) {
    inputs.imageName = autoImageName(olds, news, ctx);
    inputs.autoNamed = true;
  }
  checkCombinations(inputs, report);
  return { inputs: inputs as CheckedInputs & Rec, failures };
}

/** The region: the given one, else the one recorded before, else the default; refused when none. */
function checkedRegion(olds: Rec, news: Rec, inputs: Rec, ctx: CheckContext, report: Report): unknown {
  if (present(news.region)) return inputs.region === undefined ? "" : inputs.region;
  const kept = typeof olds.region === "string" && olds.region !== "" ? olds.region : undefined;
  const region = kept ?? ctx.defaultRegion;
  if (region === undefined) {
    report(
      "region",
      "no region given; set `region` on the resource, the TENCENTCLOUD_REGION environment variable, the stack config " +
        "`tencentcloud:region`, or a region in the credential profile's .configure file (`tccli configure set region " +
        "…`)",
    );
  }
  return region ?? "";
}

/** The auto-name: kept across updates, including a rename of the resource with `aliases` (resourceName changes). */
function autoImageName(olds: Rec, news: Rec, ctx: CheckContext): string {
  const oldAuto = olds.autoNamed === true && typeof olds.imageName === "string" && olds.imageName !== UNKNOWN;
  if (oldAuto) return olds.imageName as string;
  const base = typeof news.resourceName === "string" ? news.resourceName : "image";
  return autoName(base, ctx.randomHex(autoNameSeed(olds, news)));
}

/**
 * Refusals of a combination of inputs the API refuses: a copy to
 * the image's own region, a whole-machine image shared or copied.
 */
function checkCombinations(inputs: Rec, report: Report): void {
  const copyTo = inputs.copyTo;
  if (
    Array.isArray(copyTo) &&
    typeof inputs.region === "string" &&
    inputs.region !== "" &&
    copyTo.includes(inputs.region)
  ) {
    report(
      "copyTo",
      `"${inputs.region}" is the image's own region; SyncImages copies only to other regions ` +
        `(InvalidParameterValue.InvalidRegion): remove it from copyTo`,
    );
  }
  const disks = (inputs.fromInstance as Rec | undefined)?.dataDiskIds;
  const shared = inputs.sharedWith;
  if (Array.isArray(disks) && disks.length > 0 && Array.isArray(shared) && shared.length > 0) {
    report(
      "sharedWith",
      "a whole-machine image (fromInstance.dataDiskIds) cannot be shared (InvalidParameter.InstanceImageNotSupport); " +
        "drop sharedWith or the data disks",
    );
  }
  if (Array.isArray(disks) && disks.length > 0 && Array.isArray(copyTo) && copyTo.length > 0) {
    report(
      "copyTo",
      "a whole-machine image (fromInstance.dataDiskIds) cannot be copied to other regions " +
        "(InvalidParameter.InstanceImageNotSupport); drop copyTo or the data disks",
    );
  }
}
