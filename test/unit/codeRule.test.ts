// The warnings of the prompts (issue 16): a code outside VBot's rule gets a suggested code that follows it,
// and a name another type of the project already has is found whatever its case, spacing or composition.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { followsCodeRule, sameName, suggestCode, typeNamedAlike } from '../../src/core/codeRules';
import { LIMITS } from '../../src/core/validation';

describe('code rule (letters, digits, _ and -)', () => {
  it('accepts plain codes and refuses spaces, accents and other signs', () => {
    for (const ok of ['VIP', 'khach_le', 'A-1', '  VIP  ', '0']) assert.equal(followsCodeRule(ok), true, ok);
    for (const bad of ['KHACH LE', 'KHÁCH_SỈ', 'ĐẠI_LÝ', 'A.B', 'A/B', '', ' ', 'VIP★']) assert.equal(followsCodeRule(bad), false, bad);
  });

  it('suggests the code without accents, spaces as _, in uppercase', () => {
    assert.equal(suggestCode('KHACH LE'), 'KHACH_LE');
    assert.equal(suggestCode('KHÁCH_SỈ'), 'KHACH_SI');
    assert.equal(suggestCode('đại lý cấp 1'), 'DAI_LY_CAP_1');
    assert.equal(suggestCode('  Khách   hàng / VIP  '), 'KHACH_HANG_VIP');
    assert.equal(suggestCode('Ưu-tiên'), 'UU-TIEN');
    assert.equal(suggestCode('★★'), undefined, 'nothing usable left');
  });

  it('a suggestion always follows the rule and fits the code limit', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (code) => {
        const s = suggestCode(code);
        if (s !== undefined) {
          assert.ok(followsCodeRule(s), JSON.stringify([code, s]));
          assert.ok(s.length <= LIMITS.typeNo);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('names used twice in a project', () => {
  const types = [
    { typeNo: 'VIP', typeName: 'Khách hàng VIP' },
    { typeNo: 'LE', typeName: 'Khách lẻ' },
  ];

  it('finds another type with the same name whatever its case, spacing or Unicode composition', () => {
    assert.equal(typeNamedAlike(types, 'khách  hàng vip')?.typeNo, 'VIP');
    assert.equal(typeNamedAlike(types, 'Khách le\u0309')?.typeNo, 'LE', 'decomposed accents');
    assert.equal(sameName('KHÁCH LẺ', 'khách lẻ'), true);
    assert.equal(typeNamedAlike(types, 'Khách sỉ'), undefined);
    assert.equal(typeNamedAlike(types, '   '), undefined);
  });

  it('a type keeps its own name without a warning', () => {
    assert.equal(typeNamedAlike(types, 'Khách hàng VIP', 'VIP'), undefined);
    assert.equal(typeNamedAlike(types, 'Khách lẻ', 'VIP')?.typeNo, 'LE');
  });
});
