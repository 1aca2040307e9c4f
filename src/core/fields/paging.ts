// Reading every page of a v3 list. The doc does not say whether `page` starts at 0 or 1, nor the default or
// largest `size` (docs/api-assumptions.md), so the reader finds out from the answers:
//   - it starts at page 0 (unless told the base the server showed before); a server that counts from 1
//     answers page 0 with its first page (then page 1 repeats it: skipped, the base is 1), with an empty
//     list, or with -1: page 1 is read next;
//   - it stops at a page shorter than `size`, an empty page, a page that repeats the previous one (or brings
//     nothing new: a server that ignores `page`), or after `maxPages` pages (`complete: false`).
import { VbotError } from '../vbotError';

export const PAGE_SIZE = 50;
/** 10,000 items at PAGE_SIZE: far above any choice list a person picks from, and a bound on a server that never ends. */
export const MAX_PAGES = 200;

export interface PagedRead<T> {
  items: T[];
  /** Requests made. */
  pages: number;
  /**
   * The number of the first page, when the answers showed it (pass it back as `base` next time); undefined when
   * they could not (one short page 0 reads the same from a server counting from 0 and one reading 0 as 1).
   */
  base: 0 | 1 | undefined;
  /** False when MAX_PAGES stopped the read before the list ended. */
  complete: boolean;
}

export interface PagingOptions {
  size?: number;
  maxPages?: number;
  /** The first page's number, when an earlier read showed it. */
  base?: 0 | 1;
}

export async function readAllPages<T>(
  fetchPage: (page: number, size: number) => Promise<T[]>,
  keyOf: (item: T) => string,
  options: PagingOptions = {},
): Promise<PagedRead<T>> {
  const size = options.size ?? PAGE_SIZE;
  const maxPages = options.maxPages ?? MAX_PAGES;
  // Still finding out the base: only while nothing says which it is.
  let probing = options.base === undefined;
  let base: 0 | 1 = options.base ?? 0;
  let page: number = base;
  let pages = 0;
  let previous: string | undefined;
  const seen = new Set<string>();
  const items: T[] = [];
  const countingFromOne = () => {
    probing = false;
    base = 1;
  };
  while (pages < maxPages) {
    let list: T[];
    try {
      list = await fetchPage(page, size);
    } catch (e) {
      pages++;
      if (!(probing && page === 0 && e instanceof VbotError && e.kind === 'invalidParams')) throw e;
      countingFromOne();
      page = 1;
      continue;
    }
    pages++;
    const keys = list.map(keyOf).join('\n');
    if (list.length === 0) {
      if (!(probing && page === 0)) return { items, pages, base: probing ? undefined : base, complete: true };
      countingFromOne();
      page = 1;
      continue;
    }
    if (keys === previous) {
      // Page 1 repeating page 0: page 0 was read as the first page of a server counting from 1.
      if (!(probing && page === 1)) return { items, pages, base: probing ? undefined : base, complete: true };
      countingFromOne();
      page = 2;
      continue;
    }
    if (probing && page >= 1) probing = false; // page 1 was new: counting from 0
    let fresh = 0;
    for (const item of list) {
      const key = keyOf(item);
      if (seen.has(key)) continue;
      seen.add(key);
      items.push(item);
      fresh++;
    }
    if (fresh === 0 || list.length < size) return { items, pages, base: probing ? undefined : base, complete: true };
    previous = keys;
    page++;
  }
  return { items, pages, base: probing ? undefined : base, complete: false };
}
