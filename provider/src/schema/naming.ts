/** Auto-naming and resource-id formats. Pure. */

/** CreateImage / ModifyImageAttribute limit on ImageName. */
export const MAX_IMAGE_NAME = 60;
/** CreateImage / ModifyImageAttribute limit on ImageDescription. */
export const MAX_IMAGE_DESCRIPTION = 256;
/** Length of Pulumi's conventional auto-name suffix ("-" + 7 hex characters). */
export const AUTO_NAME_SUFFIX_LENGTH = 8;

export const ID_PATTERNS = {
  image: /^img-[a-z0-9]{8,12}$/,
  instance: /^ins-[a-z0-9]{8,12}$/,
  disk: /^disk-[a-z0-9]{8,12}$/,
  snapshot: /^snap-[a-z0-9]{8,12}$/,
  account: /^[1-9][0-9]{4,19}$/,
  region: /^[a-z]{2,}(-[a-z0-9]+)+$/,
} as const;

export const ID_EXAMPLES: Record<keyof typeof ID_PATTERNS, string> = {
  image: "img-6pb6lrmy",
  instance: "ins-r8hr2upy",
  disk: "disk-9eywpsf8",
  snapshot: "snap-fd5ca4wo",
  account: "100000000002 (a root account uin: digits only)",
  region: "ap-guangzhou",
};

/**
 * Pulumi's auto-naming convention: the resource name, a dash and 7 random hex characters,
 * with the name cut so that the result fits the 60-character limit.
 */
export function autoName(resourceName: string, randomHex: string): string {
  const suffix = randomHex
    .toLowerCase()
    .replace(/[^0-9a-f]/g, "")
    .padEnd(7, "0")
    .slice(0, 7);
  const prefix = resourceName.slice(0, MAX_IMAGE_NAME - AUTO_NAME_SUFFIX_LENGTH);
  return `${prefix}-${suffix}`;
}

/**
 * Profile names: letters, digits, `.`, `_` and `-`, starting with
 * a letter or digit, at most 64 (a file name, never a path).
 */
export const PROFILE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
