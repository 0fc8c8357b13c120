/** DescribeImages by filters, every page: the listing behind `getImage`. */
import type { Filter } from "./lookup-rules";
import type { ImageFacts } from "../schema/types";
import { callApi, CallOptions } from "../cloud/call";
import { toFacts } from "../cloud/images";
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
