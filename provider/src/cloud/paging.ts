/** Paging through a listing action by `Offset` and `Limit` until `TotalCount` is reached. */

/** The page size the listing actions the provider pages through allow at most. */
export const PAGE_LIMIT = 100;

/** One page of a listing: the total and the items under the action's set key. */
export type ListingPage<K extends string> = { TotalCount?: number } & Partial<
  Record<K, Array<Record<string, unknown>>>
>;

/** Every item of a listing: `call(offset, limit)` answers one page, whose items are under `set`. */
export async function pageThrough<K extends string>(
  set: K,
  call: (offset: number, limit: number) => Promise<ListingPage<K>>,
): Promise<Array<Record<string, unknown>>> {
  const out: Array<Record<string, unknown>> = [];
  for (let offset = 0; ; offset += PAGE_LIMIT) {
    const r = await call(offset, PAGE_LIMIT);
    const items = r[set] ?? [];
    out.push(...items);
    if (items.length < PAGE_LIMIT || offset + PAGE_LIMIT >= (r.TotalCount ?? 0)) return out;
  }
}
