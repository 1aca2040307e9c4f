// Warnings beyond what the API refuses: codes outside VBot's own rule and names a person cannot tell apart.
// Apart from validation.ts, which the cache load needs (main bundle); only prompts and the editor help need these.
import { LIMITS } from './validation';

// The code rule VBot uses elsewhere (its own codes, the examples in its docs): ASCII letters, digits, `_` and
// `-`. The API accepts more (`KHACH LE`, `KHÁCH_SỈ`), so a code outside the rule is only warned about: such a
// code is easy to mistype in a script or a URL, and one with an accent can look like another that has none.
const CODE_RULE = /^[A-Za-z0-9_-]+$/;

/** Whether a code follows VBot's code rule (letters, digits, `_`, `-`); surrounding spaces do not count. */
export function followsCodeRule(code: string): boolean {
  return CODE_RULE.test(code.trim());
}

/**
 * A code that follows the rule, made from `code`: accents removed (đ → d), every run of spaces or other
 * characters → `_`, uppercase. Undefined when nothing usable is left (a code of emoji only).
 */
export function suggestCode(code: string): string | undefined {
  const suggestion = code
    .trim()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toUpperCase()
    .replace(/[^A-Z0-9_-]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return suggestion ? suggestion.slice(0, LIMITS.typeNo) : undefined;
}

/** Names as a person tells them apart: case, repeated spaces and Unicode composition do not count. */
export function sameName(a: string, b: string): boolean {
  const key = (s: string) => s.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('vi');
  return key(a) === key(b);
}

/** The first other type of a project with this name (a duplicate the API allows, but a person cannot tell apart). */
export function typeNamedAlike<T extends { typeNo: string; typeName: string }>(
  types: ReadonlyArray<T>,
  name: string,
  exceptTypeNo?: string,
): T | undefined {
  if (!name.trim()) return undefined;
  return types.find((t) => t.typeNo !== exceptTypeNo && sameName(t.typeName, name));
}
