// Property-based checks of the shared validation rules (src/core/validation.ts): nothing crashes,
// an accepted value is trimmed, non-empty, within its limit and free of forbidden characters,
// and the rules agree with the request schemas the client checks before sending.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  LIMITS,
  validateProjectCode,
  validateTypeName,
  validateTypeNo,
  validateVbotId,
  type ValidationResult,
} from '../../src/core/validation';
import { changeTypeCodeBody, createTypeBody, deleteTypeBody } from '../../src/core/schemas';

const VALIDATORS: Array<{ name: string; check: (v: unknown) => ValidationResult; max: number }> = [
  { name: 'typeNo', check: validateTypeNo, max: LIMITS.typeNo },
  { name: 'typeName', check: validateTypeName, max: LIMITS.typeName },
  { name: 'projectCode', check: validateProjectCode, max: LIMITS.projectCode },
  { name: 'vbotId', check: validateVbotId, max: LIMITS.vbotId },
];

// What the rules forbid, written out independently of the implementation.
const FORBIDDEN_CHARS: string[] = [
  ...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)),
  ...Array.from({ length: 0x21 }, (_, i) => String.fromCharCode(0x7f + i)), // DEL and C1 controls
  '\u2028',
  '\u2029',
  '\u202A',
  '\u202B',
  '\u202C',
  '\u202D',
  '\u202E',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  // invisible: zero-width space/joiners, LRM/RLM, word joiner and invisible operators, ALM, BOM
  '\u200B',
  '\u200C',
  '\u200D',
  '\u200E',
  '\u200F',
  '\u2060',
  '\u2061',
  '\u2062',
  '\u2063',
  '\u2064',
  '\u061C',
  '\uFEFF',
];
const isLoneSurrogate = (c: string): boolean => c.length === 1 && c.charCodeAt(0) >= 0xd800 && c.charCodeAt(0) <= 0xdfff;
const hasForbidden = (s: string): boolean => [...s].some((c) => FORBIDDEN_CHARS.includes(c) || isLoneSurrogate(c));
const codePoints = (s: string): number => [...s].length;

/** What a validator should answer for `s`, from the rules as written, not from the implementation. */
function modelOf(s: string, max: number): ValidationResult {
  const t = s.trim();
  if (t === '') return { ok: false, code: 'empty' };
  if (hasForbidden(t)) return { ok: false, code: 'controlChar' };
  return codePoints(t) > max ? { ok: false, code: 'tooLong', max } : { ok: true, value: t };
}

// Strings mixing every sort of trouble: any code point, whitespace, controls, bidi, astral, long runs.
const nasty = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.string({ unit: fc.constantFrom(...FORBIDDEN_CHARS, ' ', '\u00A0', '\uFEFF', 'a', 'Ă', '😀', '\u200B'), maxLength: 40 }),
  fc.string({ unit: 'binary-ascii', minLength: 40, maxLength: 400 }),
  fc
    .tuple(
      fc.constantFrom(' ', '\t', '\n', '\u3000', ''),
      fc.string({ unit: 'grapheme', maxLength: 30 }),
      fc.constantFrom(' ', '\r\n', '\u00A0', ''),
    )
    .map(([a, b, c]) => a + b + c),
);
// A value the rules should accept: printable, untrimmed edges allowed, within every limit.
const printable = fc.string({
  unit: fc.constantFrom('a', 'Z', '0', '-', '_', '.', ' ', 'Ă', 'ệ', '中', '😀', '/', '"', '\\', "'"),
  minLength: 1,
  maxLength: 50,
});

describe('validation rules (property-based)', () => {
  for (const { name, check, max } of VALIDATORS) {
    describe(name, () => {
      it('never throws on any value, and always answers in the documented shape', () => {
        fc.assert(
          fc.property(fc.oneof(fc.anything(), nasty), (v) => {
            const r = check(v);
            if (r.ok) {
              assert.equal(typeof r.value, 'string');
            } else {
              assert.ok(['empty', 'tooLong', 'controlChar', 'notString'].includes(r.code), JSON.stringify(r));
              if (r.code === 'tooLong') assert.equal(r.max, max);
            }
          }),
          { numRuns: 300 },
        );
      });

      it('non-strings are notString', () => {
        fc.assert(
          fc.property(
            fc.anything().filter((v) => typeof v !== 'string'),
            (v) => {
              assert.deepEqual(check(v), { ok: false, code: 'notString' });
            },
          ),
        );
        for (const v of [null, undefined, 0, 1n, true, ['VIP'], { toString: () => 'VIP' }, new String('VIP'), Symbol('x')]) {
          assert.deepEqual(check(v), { ok: false, code: 'notString' });
        }
      });

      it('an accepted value is trimmed, non-empty, within the limit, free of forbidden characters, and is the input trimmed', () => {
        fc.assert(
          fc.property(nasty, (s) => {
            const r = check(s);
            if (!r.ok) return;
            assert.equal(r.value, s.trim());
            assert.equal(r.value, r.value.trim());
            assert.ok(r.value.length > 0);
            assert.ok(codePoints(r.value) <= max, `${codePoints(r.value)} > ${max}`);
            assert.ok(!hasForbidden(r.value), JSON.stringify(r.value));
          }),
          { numRuns: 500 },
        );
      });

      it('agrees with an independent model of the rules', () => {
        fc.assert(
          fc.property(nasty, (s) => assert.deepEqual(check(s), modelOf(s, max))),
          { numRuns: 500 },
        );
      });

      it('agrees with the model on values whose ends skip trim() (printable ASCII) and on those next to them', () => {
        // checkText takes a value that starts and ends with U+0021–U+007E as already trimmed: edges on both sides
        // of that range (space, DEL, NBSP, line ends, BOM...) and anything inside.
        const edge = fc.constantFrom('!', 'a', '~', '"', "'", ' ', '\x7f', '\x20', '\u00a0', '\t', '\r', '\n', '\ufeff', '\u3000', 'ệ', '');
        const inside = fc.oneof(nasty, fc.string({ unit: fc.constantFrom('a', ' ', '\t', 'ệ', '\u2028', '\x00'), maxLength: 300 }));
        fc.assert(
          fc.property(edge, inside, edge, (a, b, c) => assert.deepEqual(check(a + b + c), modelOf(a + b + c, max))),
          { numRuns: 2000 },
        );
      });

      it('is idempotent: an accepted value is accepted again unchanged', () => {
        fc.assert(
          fc.property(nasty, (s) => {
            const r = check(s);
            if (r.ok) assert.deepEqual(check(r.value), r);
          }),
          { numRuns: 300 },
        );
      });

      it('whitespace-only is empty', () => {
        fc.assert(
          fc.property(
            fc.string({
              unit: fc.constantFrom(' ', '\t', '\n', '\r', '\u00A0', '\u3000', '\uFEFF', '\u2028', '\u2029', '\v', '\f'),
              maxLength: 30,
            }),
            (s) => {
              assert.deepEqual(check(s), { ok: false, code: 'empty' });
            },
          ),
        );
      });

      it('a forbidden character anywhere inside is refused as controlChar', () => {
        fc.assert(
          fc.property(printable, fc.constantFrom(...FORBIDDEN_CHARS), fc.nat(), (s, bad, at) => {
            const core = `x${s.trim().slice(0, Math.max(0, Math.min(max, 50) - 3))}y`;
            const i = 1 + (at % (core.length - 1));
            const value = core.slice(0, i) + bad + core.slice(i);
            assert.deepEqual(check(value), { ok: false, code: 'controlChar' }, JSON.stringify(value));
          }),
          { numRuns: 300 },
        );
      });

      it('length is counted in code points: max accepted, max + 1 refused, astral characters count once', () => {
        for (const unit of ['a', 'ệ', '😀', '中']) {
          assert.deepEqual(check(unit.repeat(max)), { ok: true, value: unit.repeat(max) });
          assert.deepEqual(check(unit.repeat(max + 1)), { ok: false, code: 'tooLong', max });
          assert.deepEqual(check(`  ${unit.repeat(max)}  `), { ok: true, value: unit.repeat(max) }, 'edges trimmed before counting');
        }
        fc.assert(
          fc.property(fc.integer({ min: max + 1, max: max * 4 }), (n) => {
            assert.deepEqual(check('k'.repeat(n)), { ok: false, code: 'tooLong', max });
          }),
          { numRuns: 50 },
        );
        assert.deepEqual(check('k'.repeat(1_000_000)), { ok: false, code: 'tooLong', max });
      });

      it('printable values within the limit are accepted', () => {
        fc.assert(
          fc.property(
            printable.filter((s) => s.trim() !== ''),
            (s) => {
              assert.deepEqual(check(s), { ok: true, value: s.trim() });
            },
          ),
          { numRuns: 300 },
        );
      });

      // A lone surrogate cannot be encoded as UTF-8: the server would store U+FFFD while the cache
      // kept the original, so the two would silently disagree on the code.
      it('refuses lone surrogates (ill-formed UTF-16)', () => {
        for (const s of ['\uD800', 'VIP\uDC00', '\uDBFF\uDBFF']) assert.equal(check(s).ok, false, JSON.stringify(s));
        assert.equal(check('Khách \u{1F600}').ok, true, 'a whole pair (emoji) is fine');
      });

      it('refuses invisible characters that make two codes look alike', () => {
        for (const s of ['VIP\u200B', 'V\u200DIP', 'V\uFEFFIP', 'A\u2060B', 'A\u200EB', 'A\u061CB'])
          assert.equal(check(s).ok, false, JSON.stringify(s));
      });
    });
  }

  it('every value the rules accept passes the request schemas the client checks before sending', () => {
    const field = fc.oneof(nasty, printable);
    fc.assert(
      fc.property(field, field, field, field, field, (vbot, project, no, name, no2) => {
        const v = validateVbotId(vbot);
        const p = validateProjectCode(project);
        const n = validateTypeNo(no);
        const t = validateTypeName(name);
        const n2 = validateTypeNo(no2);
        if (v.ok && p.ok && n.ok) {
          assert.ok(deleteTypeBody.safeParse({ vbot_id: v.value, project_code: p.value, type_no: n.value }).success);
          if (t.ok)
            assert.ok(createTypeBody.safeParse({ vbot_id: v.value, project_code: p.value, type_no: n.value, type_name: t.value }).success);
          if (n2.ok)
            assert.ok(
              changeTypeCodeBody.safeParse({ vbot_id: v.value, project_code: p.value, type_no_old: n.value, type_no_new: n2.value })
                .success,
            );
        }
        // And the schemas never accept what the rules refuse (or an untrimmed value).
        if (!n.ok || (typeof no === 'string' && no !== no.trim())) {
          assert.ok(!deleteTypeBody.safeParse({ vbot_id: 'V', project_code: 'P', type_no: no }).success, JSON.stringify(no));
        }
      }),
      { numRuns: 500 },
    );
  });
});
