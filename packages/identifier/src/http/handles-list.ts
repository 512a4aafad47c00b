/** Listing a prefix's handles page by page, bounded, as `GET /api/handles?prefix=` answers it. */
import { ResponseCode } from '@yulian/protocols';
import { HandleError, type RecordStore } from '../records.js';

/** Bounds of a listing: a page holds at most 1,000 handles and starts at most 100,000 in. */
export const handlesListLimits = { maxPageSize: 1000, maxOffset: 100_000 } as const;

/** A listing's page (zero-based) and size; undefined asks for every handle. */
export interface Paging {
  page: number;
  pageSize: number;
}

/**
 * The handles of one page in key order: the rows before it are walked past with `after`, since the key
 * range has no cheap offset on either engine — hence the bound on how far in a page may start.
 * @throws HandleError RC 4 when the page is out of bounds, or when no page was asked for and the prefix has more than a page
 */
export async function listPage(records: RecordStore, prefix: string, paging: Paging | undefined): Promise<{ totalCount: number; handles: string[] }> {
  const { maxPageSize, maxOffset } = handlesListLimits;
  const totalCount = await records.count(prefix);
  if (!paging) {
    // Handle.Net answers every handle; Yulian does up to a page's worth and otherwise asks for paging.
    if (totalCount > maxPageSize) throw new HandleError(ResponseCode.PROTOCOL_ERROR, `${prefix} has ${totalCount} handles, more than ${maxPageSize}: ask page by page with page= and pageSize=.`);
    return { totalCount, handles: await records.list(prefix, { limit: maxPageSize }) };
  }
  const { page, pageSize } = paging;
  if (pageSize > maxPageSize) throw new HandleError(ResponseCode.PROTOCOL_ERROR, `pageSize ${pageSize} is more than ${maxPageSize}.`);
  if (page * pageSize > maxOffset) throw new HandleError(ResponseCode.PROTOCOL_ERROR, `page ${page} of ${pageSize} starts after handle ${maxOffset}, the furthest a listing goes.`);
  if (pageSize === 0) return { totalCount, handles: [] };
  let after: string | undefined;
  for (let skip = page * pageSize; skip > 0; ) {
    const chunk = await records.list(prefix, { after, limit: Math.min(skip, maxPageSize) });
    if (!chunk.length) return { totalCount, handles: [] };
    skip -= chunk.length;
    after = chunk.at(-1);
  }
  return { totalCount, handles: await records.list(prefix, { after, limit: pageSize }) };
}
