// The order in which people see a project's customer types: by name, then by code, as a
// Vietnamese reader sorts them ("Đại lý" after "Cửa hàng", "KH2" before "KH10").
//
// Sorting 10,000 names with the Vietnamese collator takes tens of milliseconds, far more than
// drawing them, so the order is worked out once per type list (lists never change: a change makes a
// new list) and remembered. The cache computes it while loading a file, so the first time the tree
// shows a project it only has to read it out.
import type { CachedType } from './customerTypeCache';

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
