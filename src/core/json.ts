// The small JSON helpers every reader of outside JSON needs (isRecord, BOM, dates, error text), and
// where a JSON text stops being JSON, in one linear pass. JSON.parse names no position for some
// errors ("Unexpected token 'x', … is not valid JSON"); finding it by parsing ever longer prefixes
// cost about 2 s on a 5 MB file, on the extension host's only thread. Pure: no I/O, no vscode.

const enum Char {
  Tab = 0x09,
  LineFeed = 0x0a,
  Return = 0x0d,
  Space = 0x20,
  Quote = 0x22,
  Plus = 0x2b,
  Comma = 0x2c,
  Minus = 0x2d,
  Dot = 0x2e,
  Zero = 0x30,
  Nine = 0x39,
  Colon = 0x3a,
  UpperE = 0x45,
  OpenBracket = 0x5b,
  Backslash = 0x5c,
  CloseBracket = 0x5d,
  LowerE = 0x65,
  OpenBrace = 0x7b,
  CloseBrace = 0x7d,
}

const isDigit = (c: number): boolean => c >= Char.Zero && c <= Char.Nine;
const isHex = (c: number): boolean => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);

function skipWhitespace(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== Char.Space && c !== Char.LineFeed && c !== Char.Return && c !== Char.Tab) return i;
    i++;
  }
}

// The scanners below return the offset just after what they read, or ~offset (a negative number)
// of the first character that cannot be there (the text's length when it ends too soon).

/** A run of characters a string may hold as they are: skipped in one step. */
// eslint-disable-next-line no-control-regex -- finds the control characters JSON forbids in strings
const PLAIN_CHARS = /[^"\\\u0000-\u001f]*/y;

function scanString(text: string, i: number): number {
  const end = text.length;
  for (i++; i < end; i++) {
    PLAIN_CHARS.lastIndex = i;
    PLAIN_CHARS.test(text);
    i = PLAIN_CHARS.lastIndex;
    if (i >= end) break;
    const c = text.charCodeAt(i);
    if (c === Char.Quote) return i + 1;
    if (c < Char.Space) return ~i;
    if (c !== Char.Backslash) continue;
    i++;
    if (i >= end) return ~end;
    const escaped = text[i];
    if (escaped === 'u') {
      for (let k = 1; k <= 4; k++) {
        if (i + k >= end) return ~end;
        if (!isHex(text.charCodeAt(i + k))) return ~(i + k);
      }
      i += 4;
    } else if ('"\\/bfnrt'.indexOf(escaped) === -1) return ~i;
  }
  return ~end;
}

function scanDigits(text: string, i: number): number {
  if (!isDigit(text.charCodeAt(i))) return i >= text.length ? ~text.length : ~i;
  while (isDigit(text.charCodeAt(i))) i++;
  return i;
}

function scanNumber(text: string, i: number): number {
  if (text.charCodeAt(i) === Char.Minus) i++;
  if (text.charCodeAt(i) === Char.Zero) i++;
  else if ((i = scanDigits(text, i)) < 0) return i;
  if (text.charCodeAt(i) === Char.Dot && (i = scanDigits(text, i + 1)) < 0) return i;
  const c = text.charCodeAt(i);
  if (c === Char.LowerE || c === Char.UpperE) {
    i++;
    const sign = text.charCodeAt(i);
    if (sign === Char.Plus || sign === Char.Minus) i++;
    return scanDigits(text, i);
  }
  return i;
}

function scanWord(text: string, i: number, word: string): number {
  for (let k = 0; k < word.length; k++) {
    if (i + k >= text.length) return ~text.length;
    if (text[i + k] !== word[k]) return ~(i + k);
  }
  return i + word.length;
}

/** After `{` or `,` in an object: a key and its colon. */
function scanKey(text: string, i: number): number {
  i = skipWhitespace(text, i);
  if (i >= text.length) return ~text.length;
  if (text.charCodeAt(i) !== Char.Quote) return ~i;
  i = scanString(text, i);
  if (i < 0) return i;
  i = skipWhitespace(text, i);
  if (i >= text.length) return ~text.length;
  return text.charCodeAt(i) === Char.Colon ? i + 1 : ~i;
}

/**
 * The UTF-16 offset of the first character at which `text` cannot be (the start of) JSON, the
 * text's length when it ends too soon, or -1 when it is valid JSON. Linear time, no recursion
 * (any nesting depth). Where JSON.parse names a position, this is the same one.
 */
export function jsonSyntaxErrorOffset(text: string): number {
  const end = text.length;
  // Open containers, innermost last: 1 for an object, 0 for an array.
  let stack = new Uint8Array(64);
  let depth = 0;
  let expectValue = true;
  let i = 0;
  for (;;) {
    i = skipWhitespace(text, i);
    if (expectValue) {
      if (i >= end) return end;
      const c = text.charCodeAt(i);
      if (c === Char.OpenBracket || c === Char.OpenBrace) {
        if (depth === stack.length) {
          const bigger = new Uint8Array(stack.length * 2);
          bigger.set(stack);
          stack = bigger;
        }
        const isObject = c === Char.OpenBrace;
        stack[depth++] = isObject ? 1 : 0;
        i = skipWhitespace(text, i + 1);
        if (text.charCodeAt(i) === (isObject ? Char.CloseBrace : Char.CloseBracket)) {
          depth--;
          i++;
          expectValue = false;
        } else if (isObject && (i = scanKey(text, i)) < 0) return ~i;
        continue;
      }
      let next: number;
      if (c === Char.Quote) next = scanString(text, i);
      else if (c === Char.Minus || isDigit(c)) next = scanNumber(text, i);
      else if (c === 0x74) next = scanWord(text, i, 'true');
      else if (c === 0x66) next = scanWord(text, i, 'false');
      else if (c === 0x6e) next = scanWord(text, i, 'null');
      else return i;
      if (next < 0) return ~next;
      i = next;
      expectValue = false;
      continue;
    }
    if (depth === 0) return i < end ? i : -1;
    if (i >= end) return end;
    const c = text.charCodeAt(i);
    const inObject = stack[depth - 1] === 1;
    if (c === Char.Comma) {
      i++;
      expectValue = true;
      if (inObject && (i = scanKey(text, i)) < 0) return ~i;
    } else if (c === (inObject ? Char.CloseBrace : Char.CloseBracket)) {
      depth--;
      i++;
    } else return i;
  }
}

/** 1-based line and column (UTF-16 units) of `offset` in `text`, counting LF as the line end. */
export function lineAndColumnAt(text: string, offset: number): { line: number; column: number } {
  const end = Math.min(Math.max(offset, 0), text.length);
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: end - lineStart + 1 };
}

// The small helpers, in a file of their own so the main bundle (which reads the cache) need not carry the scanner.
export { formatError, isRecord, ISO_DATE_TIME, stripBom } from './jsonBasics';
