// Rules for every value a user or a file can put into a request or the cache.
// One place, so the prompts, the importer and the client agree on what is valid.

export type ValidationCode = 'empty' | 'tooLong' | 'controlChar' | 'notString';
export type ValidationResult = { ok: true; value: string } | { ok: false; code: ValidationCode; max?: number };

export const LIMITS = { typeNo: 50, typeName: 255, projectCode: 100, vbotId: 100 } as const;

// Cc controls, line/paragraph separators, bidi marks, overrides and isolates, and invisible
// characters (zero-width spaces and joiners, word joiner, BOM): these make a code look different
// from what it is, or identical to another one, or break CSV/JSON lines; never accepted.
const FORBIDDEN = /[\p{Cc}\u2028\u2029\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\u061C\uFEFF]/u;
// Half of a surrogate pair cannot be encoded as UTF-8: the server would store U+FFFD while the
// cache kept the original, and the two would silently disagree.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function validateText(value: unknown, max: number): ValidationResult {
  if (typeof value !== 'string') return { ok: false, code: 'notString' };
  const trimmed = value.trim();
  if (trimmed.length === 0) return { ok: false, code: 'empty' };
  if (FORBIDDEN.test(trimmed) || LONE_SURROGATE.test(trimmed)) return { ok: false, code: 'controlChar' };
  if ([...trimmed].length > max) return { ok: false, code: 'tooLong', max };
  return { ok: true, value: trimmed };
}

export const validateTypeNo = (value: unknown): ValidationResult => validateText(value, LIMITS.typeNo);
export const validateTypeName = (value: unknown): ValidationResult => validateText(value, LIMITS.typeName);
export const validateProjectCode = (value: unknown): ValidationResult => validateText(value, LIMITS.projectCode);
export const validateVbotId = (value: unknown): ValidationResult => validateText(value, LIMITS.vbotId);
