/**
 * What the Describe actions share: `Filters` (names, limits, the tag filters) and
 * `Offset`/`Limit` paging. Each API answers filter mistakes with its own codes, so the checks
 * take the API's catalogue entries.
 */
import {
  ApiError,
  asFilterInvalid,
  asFilterValuesTooLong,
  asTooManyValues,
  filterTagKeyEmpty,
  filterUnknown,
  filterValuesExceeded,
  limitExceeded,
  valueBelowMinimum,
} from "../errors";
import { Tag } from "../models/types";

/** A `Filters` entry. */
export interface Filter {
  Name: string;
  Values: string[];
}

export const MAX_FILTERS = 10;
export const MAX_FILTER_VALUES = 5;

/** How an API answers filter mistakes. */
export interface FilterErrors {
  tooManyFilters: () => ApiError;
  unknownName: (name: string) => ApiError;
  emptyTagKey: (name: string) => ApiError;
  tooManyValues: (name: string) => ApiError;
}

/** CVM's DescribeImages and DescribeInstances. */
export const CVM_FILTER_ERRORS: FilterErrors = {
  tooManyFilters: () => limitExceeded("Filters", MAX_FILTERS),
  unknownName: filterUnknown,
  emptyTagKey: () => filterTagKeyEmpty(),
  tooManyValues: (name) => filterValuesExceeded(name, MAX_FILTER_VALUES),
};

/** CVM's DescribeLaunchTemplates, whose documented codes have no tag-key one. */
export const LAUNCH_TEMPLATE_FILTER_ERRORS: FilterErrors = { ...CVM_FILTER_ERRORS, emptyTagKey: filterUnknown };

/** Auto Scaling's codes. */
export const AS_FILTER_ERRORS: FilterErrors = {
  tooManyFilters: () => asTooManyValues("Filters", MAX_FILTERS),
  unknownName: asFilterInvalid,
  emptyTagKey: asFilterInvalid,
  tooManyValues: (name) => asFilterValuesTooLong(name, MAX_FILTER_VALUES),
};

/** At most 10 filters of known names (or `tag:<key>`), at most 5 values each. */
export function checkFilters(filters: Filter[], known: readonly string[], errors: FilterErrors): void {
  if (filters.length > MAX_FILTERS) throw errors.tooManyFilters();
  for (const f of filters) {
    if (!known.includes(f.Name) && !f.Name.startsWith("tag:")) throw errors.unknownName(f.Name);
    if (f.Name === "tag:") throw errors.emptyTagKey(f.Name);
    if (f.Values.length > MAX_FILTER_VALUES) throw errors.tooManyValues(f.Name);
  }
}

/** Tag filters (`tag-key`, `tag-value`, `tag:<key>`) against a tag list; undefined for other filter names. */
export function matchTagFilter(filter: Filter, tags: Tag[]): boolean | undefined {
  if (filter.Name === "tag-key") return tags.some((t) => filter.Values.includes(t.Key));
  if (filter.Name === "tag-value") return tags.some((t) => filter.Values.includes(t.Value));
  if (filter.Name.startsWith("tag:")) {
    const key = filter.Name.slice(4);
    return tags.some((t) => t.Key === key && filter.Values.includes(t.Value));
  }
  return undefined;
}

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

/** Offset/Limit paging (Limit ≤ 100, default 20). */
export function page<T>(items: T[], offset: number | undefined, limit: number | undefined): T[] {
  const o = offset ?? 0;
  const l = limit ?? DEFAULT_LIMIT;
  if (o < 0) throw valueBelowMinimum("Offset", 0);
  if (l < 0) throw valueBelowMinimum("Limit", 0);
  if (l > MAX_LIMIT) throw limitExceeded("Limit", MAX_LIMIT);
  return items.slice(o, o + l);
}
