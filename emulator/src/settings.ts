/**
 * Run-time settings of the emulator: timing, limits, load behaviour, and the choices the
 * contract leaves open ([?] facts), each with a documented default.
 */
import { alreadyShared, missingRegion, shareStateRefused, unknownRegion } from "./errors";

/** How long images stay in their transitional states, and how long deleted images stay visible. */
export interface TimingSettings {
  /** CREATING → NORMAL/CREATEFAILED, ms. Default 1500. */
  creatingMs: number;
  /** IMPORTING → NORMAL/IMPORTFAILED, ms. Default 1500. */
  importingMs: number;
  /** SYNCING → NORMAL (source and copies), ms. Default 1500. */
  syncingMs: number;
  /** How long a deleted image stays visible in its owner's DescribeImages, ms. Default 500. */
  deleteLagMs: number;
}

/** Server-side limits. */
export interface LimitSettings {
  /** Largest ImageIds list per DeleteImages call ([?] in the contract). Default 100. */
  maxDeleteBatch: number;
  /** Largest AccountIds list per ModifyImageSharePermission call ([?]). Default 100. */
  maxShareAccountsPerCall: number;
  /** Accounts one image may be shared with. Default 500 (`OverQuota` beyond). */
  shareCapPerImage: number;
  /** Custom images per account per region, also reported by DescribeImageQuota. Default 500. */
  imageQuota: number;
  /** Largest ImageIds list per DescribeImages call ([?]). Default 100. */
  maxDescribeImageIds: number;
}

/** Choices for the facts the contract marks uncertain ([?]). */
export interface BehaviourSettings {
  /**
   * A DeleteImages batch with one bad id fails as a whole and deletes nothing (true,
   * default), or deletes the good ids and still returns the first error (false).
   */
  deleteBatchAtomic: boolean;
  /**
   * Instances launched from an image block its deletion with
   * `InvalidImageId.IncorrectState` (the retired USING state). Default false.
   */
  instancesBlockDelete: boolean;
  /** CREATEFAILED / IMPORTFAILED images may be deleted. Default true. */
  deleteFailedImages: boolean;
  /**
   * CANCEL for an account the image is not shared with: `"success"`
   * (default) or an error code such as `InvalidAccountId.NotFound`.
   */
  cancelNotShared: string;
  /**
   * SHARE for an account the image is already shared with: error code
   * (default `FailedOperation.AccountAlreadyExists`) or `"success"`.
   */
  shareAlreadyShared: string;
  /**
   * SHARE/CANCEL with an empty AccountIds: `"success"` (default, a no-op) or an error code such as `MissingParameter`.
   */
  emptyAccountIds: string;
  /** Error for share operations on a non-NORMAL image. Default `InvalidParameterValue.InvalidImageState`. */
  shareStateError: string;
  /**
   * Whole-instance images (with data-disk snapshots) cannot be shared or synced
   * (`InvalidParameter.InstanceImageNotSupport`). Default true.
   */
  refuseWholeInstanceImageShare: boolean;
  /**
   * DryRun that would pass: `"success"` (plain success, as the
   * official example; default) or `"DryRunOperation"` (the error).
   */
  dryRunResult: "success" | "DryRunOperation";
  /** Error for a request without X-TC-Region. Default `MissingParameter`. */
  missingRegionError: string;
  /** Error for an unknown X-TC-Region. Default `InvalidRegion.NotFound`. */
  unknownRegionError: string;
  /**
   * A deprecated image (`ImageDeprecated: true`) cannot be its family's current image (DescribeImageFromFamily, launch
   * configurations by family): the newest non-deprecated NORMAL image is (true, default, as GCP and Alibaba families);
   * false: the newest NORMAL image, deprecated or not.
   */
  familySkipsDeprecated: boolean;
}

/** All settings; every field can be changed at run time through `PATCH /_emulator/settings`. */
export interface EmulatorSettings {
  /** How long images stay in transitional states, and deleted images stay visible. */
  timing: TimingSettings;
  /** Server-side limits: batch sizes, share caps, the image quota. */
  limits: LimitSettings;
  /** Choices for the facts the contract marks uncertain. */
  behaviour: BehaviourSettings;
  /** Per-action, per-account rate limits at the documented rates. Default true. */
  rateLimits: boolean;
  /** Override the requests/second of some actions, e.g. `{DescribeImages: 5}`. */
  rateOverrides: Record<string, number>;
  /** Extra latency added to every API call, ms. Default 0. */
  latencyMs: number;
  /**
   * An image created or imported whose name contains one of these ends in CREATEFAILED / IMPORTFAILED. Default `[]`.
   */
  failImageNamesContaining: string[];
  /** Allowed clock skew of X-TC-Timestamp, seconds. Default 300. */
  signatureToleranceSec: number;
}

/** Deep-partial settings, as accepted by options and `PATCH /_emulator/settings`. */
export type SettingsPatch = {
  [K in keyof EmulatorSettings]?: EmulatorSettings[K] extends unknown[]
    ? EmulatorSettings[K]
    : EmulatorSettings[K] extends object
      ? Partial<EmulatorSettings[K]>
      : EmulatorSettings[K];
};

/** The documented defaults. */
export function defaultSettings(): EmulatorSettings {
  return {
    timing: { creatingMs: 1500, importingMs: 1500, syncingMs: 1500, deleteLagMs: 500 },
    limits: {
      maxDeleteBatch: 100,
      maxShareAccountsPerCall: 100,
      shareCapPerImage: 500,
      imageQuota: 500,
      maxDescribeImageIds: 100,
    },
    behaviour: {
      deleteBatchAtomic: true,
      instancesBlockDelete: false,
      deleteFailedImages: true,
      cancelNotShared: "success",
      shareAlreadyShared: alreadyShared.code,
      emptyAccountIds: "success",
      shareStateError: shareStateRefused.code,
      refuseWholeInstanceImageShare: true,
      dryRunResult: "success",
      missingRegionError: missingRegion.code,
      unknownRegionError: unknownRegion.code,
      familySkipsDeprecated: true,
    },
    rateLimits: true,
    rateOverrides: {},
    latencyMs: 0,
    failImageNamesContaining: [],
    signatureToleranceSec: 300,
  };
}

/** Apply a patch in place; unknown keys are rejected so typos do not pass silently. */
export function applySettings(target: EmulatorSettings, patch: SettingsPatch): void {
  const t = target as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    if (value === undefined) continue;
    if (!(key in t)) throw new Error(`unknown setting \`${key}\``);
    const current = t[key];
    if (current && typeof current === "object" && !Array.isArray(current) && key !== "rateOverrides") {
      if (typeof value !== "object" || value === null) throw new Error(`setting \`${key}\` must be an object`);
      const group = current as Record<string, unknown>;
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (!(k in group)) throw new Error(`unknown setting \`${key}.${k}\``);
        if (v !== undefined && typeof v !== typeof group[k])
          throw new Error(`setting \`${key}.${k}\` must be a ${typeof group[k]}`);
        if (v !== undefined) group[k] = v;
      }
    } else {
      if (typeof value !== typeof current || Array.isArray(value) !== Array.isArray(current)) {
        throw new Error(`setting \`${key}\` has the wrong type`);
      }
      t[key] = value;
    }
  }
}
