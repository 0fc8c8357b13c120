/**
 * Image lookups (`getImage`): the query's checks, the DescribeImages filters it sends, and the
 * choice of exactly one image among those listed (or, by `family`, the one DescribeImageFromFamily
 * answers). Pure.
 */
import type { ImageFacts } from "../schema/types";

/** The image types DescribeImages filters on (`image-type`). */
export const IMAGE_TYPES = ["PRIVATE_IMAGE", "SHARED_IMAGE", "PUBLIC_IMAGE"] as const;
/** An image type: this account's custom images, images shared with it, public images. */
export type ImageType = (typeof IMAGE_TYPES)[number];

/** What a lookup asks for (all given criteria must hold). */
export interface ImageQuery {
  /** The exact image name. */
  name?: string;
  /** A regular expression (JavaScript syntax) the image name must match. */
  nameRegex?: string;
  /** Tags the image must carry, with these values. */
  tags?: Record<string, string>;
  /** The image type; default `PRIVATE_IMAGE` (this account's own custom images). */
  imageType?: ImageType;
  /**
   * An image family of this account: its current image (DescribeImageFromFamily). Not combinable
   * with `name`, `nameRegex` or `tags`; `imageType` may only be `PRIVATE_IMAGE`.
   */
  family?: string;
  /** With several matches, take the newest (by creation time) instead of failing. Default false. */
  mostRecent?: boolean;
}

/** A DescribeImages filter. */
export interface Filter {
  Name: string;
  Values: string[];
}

/** DescribeImages takes at most 10 filters. */
const MAX_FILTERS = 10;

/** The problems of a query's `family` and what it is combined with. */
function familyProblems(q: ImageQuery): string[] {
  if (q.family === undefined) return [];
  if (typeof q.family !== "string" || q.family.trim() === "") return ["family must be a non-empty string"];
  const problems: string[] = [];
  const combined = (["name", "nameRegex", "tags"] as const).filter((k) =>
    k === "tags" ? q.tags && Object.keys(q.tags).length : q[k] !== undefined,
  );
  if (combined.length)
    problems.push(
      `family cannot be combined with ${combined.join(", ")}: a family gives exactly its current image ` +
        "(DescribeImageFromFamily); look the image up by family alone, or by name, nameRegex and tags without family",
    );
  if (q.imageType !== undefined && q.imageType !== "PRIVATE_IMAGE")
    problems.push(
      `family looks up this account's own images: imageType must be PRIVATE_IMAGE or unset, not ${JSON.stringify(
        q.imageType,
      )}`,
    );
  return problems;
}

/** The problems of a query, each naming the field and the fix; empty when it can be sent. */
export function queryProblems(q: ImageQuery): string[] {
  const problems: string[] = [];
  const criteria = [
    q.name,
    q.nameRegex,
    q.tags && Object.keys(q.tags).length ? q.tags : undefined,
    q.imageType,
    q.family,
  ].filter((v) => v !== undefined && v !== "");
  if (!criteria.length) problems.push("give at least one of name, nameRegex, tags, imageType or family");
  problems.push(...familyProblems(q));
  if (q.name !== undefined && (typeof q.name !== "string" || q.name === ""))
    problems.push("name must be a non-empty string");
  if (q.nameRegex !== undefined) {
    try {
      new RegExp(q.nameRegex);
    } catch (e) {
      problems.push(
        `nameRegex ${JSON.stringify(q.nameRegex)} is not a valid regular expression (${(e as Error).message})`,
      );
    }
  }
  if (q.imageType !== undefined && !(IMAGE_TYPES as readonly string[]).includes(q.imageType)) {
    problems.push(`imageType ${JSON.stringify(q.imageType)} is not one of ${IMAGE_TYPES.join(", ")}`);
  }
  for (const [k, v] of Object.entries(q.tags ?? {}))
    if (typeof v !== "string") problems.push(`tags.${k} must be a string`);
  return problems;
}

/**
 * The filters sent: the image type, the name (the API's name filter is fuzzy: the exact match is
 * made by {@link matchesQuery}), and one `tag:<key>` filter per tag while they fit in 10 filters
 * (the rest are matched on the listing).
 */
export function describeFilters(q: ImageQuery): Filter[] {
  const filters: Filter[] = [{ Name: "image-type", Values: [q.imageType ?? "PRIVATE_IMAGE"] }];
  if (q.name) filters.push({ Name: "image-name", Values: [q.name] });
  for (const [k, v] of Object.entries(q.tags ?? {})) {
    if (filters.length >= MAX_FILTERS) break;
    filters.push({ Name: `tag:${k}`, Values: [v] });
  }
  return filters;
}

/** Whether a listed image meets every criterion of the query. */
export function matchesQuery(q: ImageQuery, image: ImageFacts): boolean {
  if (q.imageType !== undefined && image.imageType !== q.imageType) return false;
  if (q.imageType === undefined && image.imageType !== "PRIVATE_IMAGE") return false;
  if (q.name !== undefined && image.imageName !== q.name) return false;
  if (q.family !== undefined && image.imageFamily !== q.family) return false;
  if (q.nameRegex !== undefined && !new RegExp(q.nameRegex).test(image.imageName)) return false;
  for (const [k, v] of Object.entries(q.tags ?? {})) if (image.tags[k] !== v) return false;
  return true;
}

/** The query as messages show it: `{ name: "web", imageType: "PRIVATE_IMAGE" }`. */
export function queryText(q: ImageQuery): string {
  const parts: string[] = [];
  if (q.family !== undefined) parts.push(`family: ${JSON.stringify(q.family)}`);
  if (q.name !== undefined) parts.push(`name: ${JSON.stringify(q.name)}`);
  if (q.nameRegex !== undefined) parts.push(`nameRegex: ${JSON.stringify(q.nameRegex)}`);
  if (q.tags && Object.keys(q.tags).length)
    parts.push(
      `tags: { ${Object.entries(q.tags)
        .map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`)
        .join(", ")} }`,
    );
  parts.push(`imageType: ${JSON.stringify(q.imageType ?? "PRIVATE_IMAGE")}`);
  return `{ ${parts.join(", ")} }`;
}

/** A lookup that found no image, or several without `mostRecent`. */
export class LookupError extends Error {
  /** `LookupError`. */
  override name = "LookupError";
}

const brief = (i: ImageFacts) =>
  `${i.imageId} ("${i.imageName}", ${i.imageState || "state unknown"}, created ` +
  `${i.createdTime || "at an unknown time"})`;

/**
 * Exactly one image among `candidates` (the listing), or a LookupError: none matches, or several
 * do and `mostRecent` is not set (the newest is taken when it is). `where` names the region and
 * account for messages.
 */
export function pickImage(q: ImageQuery, candidates: readonly ImageFacts[], where: string): ImageFacts {
  const found = candidates.filter((i) => matchesQuery(q, i));
  if (found.length === 0) {
    const hint =
      q.family !== undefined
        ? "; a family's current image is the newest available (NORMAL) image of this account with that family " +
          "(deprecated images may not count)"
        : (q.imageType ?? "PRIVATE_IMAGE") === "PRIVATE_IMAGE"
          ? "; an image shared with this account from another one is a SHARED_IMAGE (set imageType)"
          : "";
    throw new LookupError(
      `getImage: no image matches ${queryText(q)} ${where}. Check the criteria, the region and the account${hint}`,
    );
  }
  if (found.length === 1) return found[0]!;
  const newestFirst = [...found].sort((a, b) =>
    b.createdTime > a.createdTime ? 1 : b.createdTime < a.createdTime ? -1 : a.imageId.localeCompare(b.imageId),
  );
  if (q.mostRecent) return newestFirst[0]!;
  const shown = newestFirst.slice(0, 5).map(brief).join("; ");
  throw new LookupError(
    `getImage: ${found.length} images match ${queryText(q)} ${where}: ` +
      `${shown}${found.length > 5 ? `; and ${found.length - 5} more` : ""}. ` +
      "Narrow the criteria (an exact name, tags), or set mostRecent: true to take the newest",
  );
}
