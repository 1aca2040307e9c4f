// Rules for every value a user or a file can put into a request or the cache.
// One place, so the prompts, the importer and the client agree on what is valid.

export type ValidationCode = 'empty' | 'tooLong' | 'controlChar' | 'notString';
export type ValidationResult = { ok: true; value: string } | { ok: false; code: ValidationCode; max?: number };

export const LIMITS = { typeNo: 50, typeName: 255, projectCode: 100, vbotId: 100 } as const;

// Refused anywhere in a value (the same set as before, as a regex, in `isForbidden`):
//  * Cc controls (U+0000–U+001F, U+007F–U+009F), line/paragraph separators, bidi marks, overrides and
//    isolates, and invisible characters (zero-width spaces and joiners, word joiner, BOM): these make a
//    code look different from what it is, or identical to another one, or break CSV/JSON lines;
//    /[\p{Cc}\u2028\u2029\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\u061C\uFEFF]/u
//  * half of a surrogate pair, which cannot be encoded as UTF-8: the server would store U+FFFD while
//    the cache kept the original, and the two would silently disagree.
// Checked in one pass over the characters, which also counts them: an import validates four values per
// row, and two regex scans plus an array of characters per value were most of an import's time.
function isForbidden(unit: number): boolean {
  return (
    unit < 0x20 ||
    (unit >= 0x7f && unit <= 0x9f) ||
    (unit >= 0x200b && unit <= 0x200f) ||
    (unit >= 0x2028 && unit <= 0x202e) ||
    (unit >= 0x2060 && unit <= 0x2064) ||
    (unit >= 0x2066 && unit <= 0x2069) ||
    unit === 0x061c ||
    unit === 0xfeff
  );
}

// Why a value was refused, as a number: checkText is on an import's hot path (four values a row), where a
// result object per value was a good part of the garbage.
const NOT_STRING = 0;
const EMPTY = 1;
const CONTROL_CHAR = 2;
const TOO_LONG = 3;

/**
 * Characters that need isForbidden or a surrogate check: below U+2000 only controls and U+061C are refused, so a
 * value with none of these (ASCII, Latin and Vietnamese letters: nearly every value) is valid as it is, one
 * character per UTF-16 unit. One native regex scan is some twice as fast as the loop below (cache load, import).
 * Written as the complement of the characters that need no closer look (U+0020–U+007E, U+00A0–U+061B,
 * U+061D–U+1FFF): the same set, which V8 scans some 15% faster than the list of the others.
 */
const NEEDS_CLOSER_LOOK = /[^\u0020-\u007e\u00a0-\u061b\u061d-\u1fff]/;

/**
 * trim() removes only white space and line ends: none of them lies between U+0021 and U+167F but U+00A0 (the
 * next one is U+1680), so Vietnamese letters such as Đ at either end need no call either.
 */
function trimmedOf(value: string): string {
  // A value that starts and ends with such a character (nearly every one) is its own trimmed form, without the call.
  const first = value.charCodeAt(0); // NaN for ''
  const last = value.charCodeAt(value.length - 1);
  return isNeverTrimmed(first) && isNeverTrimmed(last) ? value : value.trim();
}

function isNeverTrimmed(unit: number): boolean {
  return unit > 0x20 && unit < 0x1680 && unit !== 0xa0; // false for NaN
}

/** The trimmed value if it follows the rules, else why not. */
function checkText(value: unknown, max: number): string | number {
  if (typeof value !== 'string') return NOT_STRING;
  const trimmed = trimmedOf(value);
  if (trimmed.length === 0) return EMPTY;
  if (!NEEDS_CLOSER_LOOK.test(trimmed)) return trimmed.length > max ? TOO_LONG : trimmed;
  return checkCloser(trimmed, max);
}

/** checkText's rest, for a trimmed value that NEEDS_CLOSER_LOOK: apart, so that the common case stays small. */
function checkCloser(trimmed: string, max: number): string | number {
  // Code points, as a person counts characters (an emoji is one): a surrogate pair counts once.
  let count = 0;
  for (let i = 0; i < trimmed.length; i++) {
    const unit = trimmed.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdfff) {
      const next = trimmed.charCodeAt(i + 1); // NaN past the end
      if (unit > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) return CONTROL_CHAR;
      i++; // the pair's low half
    } else if (unit < 0xa0 ? unit < 0x20 || unit >= 0x7f : (unit >= 0x200b || unit === 0x061c) && isForbidden(unit)) {
      // (Letters with diacritics, Vietnamese ones included, lie between U+00A0 and U+200B: no lookup for them.)
      return CONTROL_CHAR;
    }
    count++;
  }
  return count > max ? TOO_LONG : trimmed;
}

function validateText(value: unknown, max: number): ValidationResult {
  const checked = checkText(value, max);
  if (typeof checked === 'string') return { ok: true, value: checked };
  switch (checked) {
    case NOT_STRING:
      return { ok: false, code: 'notString' };
    case EMPTY:
      return { ok: false, code: 'empty' };
    case CONTROL_CHAR:
      return { ok: false, code: 'controlChar' };
    default:
      return { ok: false, code: 'tooLong', max };
  }
}

/** The trimmed value if it is a valid `field`, else undefined (the validate… functions say why). */
export function acceptedValue(field: keyof typeof LIMITS, value: unknown): string | undefined {
  const checked = checkText(value, LIMITS[field]);
  return typeof checked === 'string' ? checked : undefined;
}

export const validateTypeNo = (value: unknown): ValidationResult => validateText(value, LIMITS.typeNo);
export const validateTypeName = (value: unknown): ValidationResult => validateText(value, LIMITS.typeName);
export const validateProjectCode = (value: unknown): ValidationResult => validateText(value, LIMITS.projectCode);
export const validateVbotId = (value: unknown): ValidationResult => validateText(value, LIMITS.vbotId);
