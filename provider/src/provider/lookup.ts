/**
 * The listing behind `getImage`: DescribeImages by filters, every page; or, for a `family`, the
 * family's current image (DescribeImageFromFamily).
 */
import { describeFilters, type Filter, type ImageQuery } from "./lookup-rules";
import type { ImageFacts } from "../schema/types";
import { callApi, CallOptions } from "../cloud/call";
import { describeImageFromFamily, toFacts } from "../cloud/images";
import type { Settings } from "../cloud/settings";

const PAGE = 100;

/** Every image DescribeImages lists for `filters` (ANDed), in the API's order, page by page. */
export async function listImages(s: Settings, filters: Filter[], opts?: CallOptions): Promise<ImageFacts[]> {
  const out: ImageFacts[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const r = await callApi<{ ImageSet?: Parameters<typeof toFacts>[0][]; TotalCount?: number }>(
      s,
      "DescribeImages",
      { Filters: filters, Offset: offset, Limit: PAGE },
      opts,
    );
    const set = r.ImageSet ?? [];
    out.push(...set.map(toFacts));
    if (set.length < PAGE || offset + PAGE >= (r.TotalCount ?? 0)) return out;
  }
}

/** The images a query chooses from: the family's current image (none or one), else every image the filters list. */
export async function lookupCandidates(s: Settings, q: ImageQuery, opts?: CallOptions): Promise<ImageFacts[]> {
  if (q.family === undefined) return listImages(s, describeFilters(q), opts);
  const current = await describeImageFromFamily(s, q.family, opts);
  return current ? [current] : [];
}
