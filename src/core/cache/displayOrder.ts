// The order in which people see a project's customer types: by name, then by code, as a
// Vietnamese reader sorts them ("Đại lý" after "Cửa hàng", "KH2" before "KH10").
//
// Sorting 10,000 names with the Vietnamese collator takes tens of milliseconds, far more than
// drawing them, so the order is worked out once per type list (lists never change: a change makes a
// new list) and remembered: the tree works it out the first time it shows a project (a 10,000-type
// project costs some 25 ms once, when opened), and later changes are placed into it one by one.
import type { CachedType } from './model';

// Made on first use: building a collator loads ICU's Vietnamese data, some 10 ms, which an empty cache never needs.
let vietnamese: Intl.Collator | undefined;
const collator = () => (vietnamese ??= new Intl.Collator('vi', { sensitivity: 'base', numeric: true }));

/** Name, then code, by the collator; ties (equal to the collator) in code-unit order, so the order is total. */
export function compareForDisplay(a: CachedType, b: CachedType): number {
  return compareNameThenCode(a.typeName, a.typeNo, b.typeName, b.typeNo);
}

/** compareForDisplay for whatever holds a name and a code (the tree's nodes), without making CachedTypes. */
export function compareNameThenCode(aName: string, aNo: string, bName: string, bNo: string): number {
  const { compare } = collator();
  return compare(aName, bName) || compare(aNo, bNo) || (aNo < bNo ? -1 : aNo > bNo ? 1 : 0);
}

/** Two project labels in the order the tree lists them. */
export function compareLabels(a: string, b: string): number {
  return collator().compare(a, b);
}

const orders = new WeakMap<ReadonlyArray<CachedType>, ReadonlyArray<CachedType>>();

/** `types` in display order; worked out on the first call for a list and remembered while the list lives. */
export function inDisplayOrder(types: ReadonlyArray<CachedType>): ReadonlyArray<CachedType> {
  let ordered = orders.get(types);
  if (!ordered) {
    ordered = Object.freeze(types.slice().sort(compareForDisplay));
    orders.set(types, ordered);
  }
  return ordered;
}

/** What placeChanges needs of an item drawn for a type (the tree's node): its code and the name it shows. */
export interface DisplayedType {
  readonly typeNo: string;
  readonly currentName: string;
}

/** Above this many changed types, placeChanges gives up and the caller sorts the whole list again. */
export const MAX_PLACED_CHANGES = 64;

/**
 * The items in display order for `next`, made from those drawn for `previous` (in display order) by taking
 * out the types that went or changed and putting the new ones in their place by binary search: the same list
 * a full sort gives (`inDisplayOrder(next)`), since both lists are in code order and ties fall back to it.
 * Undefined when there is too much to move (or a list is not in code order): the caller sorts from scratch.
 * The tree uses it so that a change of a few types in a project of thousands does not sort them all again.
 */
export function placeChanges<N extends DisplayedType>(
  previous: ReadonlyArray<CachedType>,
  previousItems: ReadonlyArray<N>,
  next: ReadonlyArray<CachedType>,
  make: (t: CachedType) => N,
  maxChanges = MAX_PLACED_CHANGES,
): N[] | undefined {
  const gone = new Set<string>();
  const added: CachedType[] = [];
  let i = 0;
  let j = 0;
  while (i < previous.length || j < next.length) {
    const a = previous[i];
    const b = next[j];
    if ((j > 0 && b && !(next[j - 1].typeNo < b.typeNo)) || (i > 0 && a && !(previous[i - 1].typeNo < a.typeNo))) return undefined;
    if (b === undefined || (a !== undefined && a.typeNo < b.typeNo)) {
      gone.add(a.typeNo);
      i++;
    } else if (a === undefined || b.typeNo < a.typeNo) {
      added.push(b);
      j++;
    } else {
      if (a.typeName !== b.typeName || a.updatedAt !== b.updatedAt) {
        gone.add(a.typeNo);
        added.push(b);
      }
      i++;
      j++;
    }
    if (gone.size + added.length > maxChanges) return undefined;
  }
  const items = gone.size > 0 ? previousItems.filter((n) => !gone.has(n.typeNo)) : previousItems.slice();
  for (const type of added) {
    const item = make(type);
    let low = 0;
    let high = items.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compareNameThenCode(items[middle].currentName, items[middle].typeNo, item.currentName, item.typeNo) < 0) low = middle + 1;
      else high = middle;
    }
    items.splice(low, 0, item);
  }
  return items;
}
