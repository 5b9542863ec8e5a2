/** The stub calls a paged partial-key scan needs. */
export interface PagedScanner {
  createCompositeKey(objectType: string, attributes: string[]): string;
  splitCompositeKey(compositeKey: string): { objectType: string; attributes: string[] };
  getStateByPartialCompositeKeyWithPagination(
    objectType: string,
    attributes: string[],
    pageSize: number,
    bookmark?: string,
  ): Promise<{
    iterator: { next(): Promise<{ value: { key: string; value: Uint8Array }; done: boolean }>; close(): Promise<void> };
    /**
     * Absent at run time for an empty page without a next page, whatever fabric-shim's typings say: the peer's
     * `QueryResponseMetadata` {0 records, bookmark ''} encodes to no bytes, and the shim (2.5) then sets none.
     */
    metadata?: { fetchedRecordsCount: number; bookmark: string };
  }>;
}

/** The default page size of the list transactions. */
export const DEFAULT_PAGE_SIZE = 50;

/** One page of a partial-key scan: the last key attribute of each entry and the next page's bookmark. */
export interface Page {
  readonly items: readonly { readonly attribute: string; readonly value: Uint8Array }[];
  readonly bookmark?: string;
}

/**
 * Pages through the keys `objectType~prefix…~<attribute>` in key order (LevelDB pagination: read-only
 * transactions only). The client-facing bookmark is the last key attribute of the first entry not
 * returned (a case ID or an event position), not Fabric's raw key: it carries no control characters
 * and cannot point outside the scanned family.
 */
export async function scanPage(
  stub: PagedScanner,
  objectType: string,
  prefix: readonly string[],
  pageSize: number,
  bookmark: string | undefined,
): Promise<Page> {
  const fabricBookmark = bookmark === undefined ? '' : stub.createCompositeKey(objectType, [...prefix, bookmark]);
  const { iterator, metadata } = await stub.getStateByPartialCompositeKeyWithPagination(
    objectType,
    [...prefix],
    pageSize,
    fabricBookmark,
  );
  const items: { attribute: string; value: Uint8Array }[] = [];
  try {
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
      const attribute = lastAttribute(stub, r.value.key, objectType, prefix.length + 1);
      if (attribute !== undefined) items.push({ attribute, value: r.value.value });
    }
  } finally {
    await iterator.close();
  }
  const raw = metadata?.bookmark ?? '';
  const next = raw === '' ? undefined : lastAttribute(stub, raw, objectType, prefix.length + 1);
  return next === undefined ? { items } : { items, bookmark: next };
}

function lastAttribute(stub: PagedScanner, key: string, objectType: string, arity: number): string | undefined {
  const split = stub.splitCompositeKey(key);
  if (split.objectType !== objectType || split.attributes.length !== arity) return undefined;
  return split.attributes[arity - 1];
}
