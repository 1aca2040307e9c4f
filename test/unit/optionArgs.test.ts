// What the option commands read from their argument (a tree row or a script's object), the rows a command from
// the tree acts on, the neighbour a move swaps with, an edit given as values, and the text colour for a colour.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FieldOption } from '../../src/core/fields/model';
import { editedOption, neighbourOf, optionRow, parseOptionArgs, selectedOptions, textColourFor } from '../../src/core/fields/optionArgs';

const option = (code: string, number: number, more: Partial<FieldOption> = {}): FieldOption => ({
  code,
  name: code.toLowerCase(),
  type: 'OPTION',
  groupCode: null,
  number,
  color: null,
  textColor: null,
  ...more,
});

// Tree rows as fieldsTree.ts makes them: a field row, a group row under it, an option row in the group.
const fieldRow = { kind: 'fields', vbotId: 'VB1', projectCode: 'P1', field: { code: 'hang' } };
const groupRow = { kind: 'fields', vbotId: 'VB1', projectCode: 'P1', parent: fieldRow, option: option('NHOM', 2, { type: 'OPTGROUP' }) };
const inGroup = { kind: 'fields', vbotId: 'VB1', projectCode: 'P1', parent: groupRow, option: option('KIM', 1, { groupCode: 'NHOM' }) };
const topRow = { kind: 'fields', vbotId: 'VB1', projectCode: 'P1', parent: fieldRow, option: option('VANG', 3) };

describe('option command arguments', () => {
  it('a script object: values checked and normalised; a bad one is named', () => {
    assert.deepEqual(
      parseOptionArgs({ fieldCode: 'hang', optionCode: 'VANG', name: '  Vàng ', color: '#f9a825', number: 3, groupCode: null, extra: 1 }),
      {
        ok: true,
        args: {
          skipConfirmation: false,
          fieldCode: 'hang',
          optionCode: 'VANG',
          name: 'Vàng',
          color: '#F9A825',
          number: 3,
          groupCode: null,
        },
      },
    );
    assert.deepEqual(parseOptionArgs({ optionCode: 'VÀNG' }), { ok: false, key: 'optionCode' });
    assert.deepEqual(parseOptionArgs({ color: 'yellow' }), { ok: false, key: 'color' });
    assert.deepEqual(parseOptionArgs({ number: 1.5 }), { ok: false, key: 'number' });
    assert.deepEqual(parseOptionArgs({ name: '   ' }), { ok: false, key: 'name' });
    assert.deepEqual(parseOptionArgs({ newCode: 'a b' }), { ok: false, key: 'newCode' });
    assert.deepEqual(parseOptionArgs({ type: 'GROUP' }), { ok: false, key: 'type' });
    assert.equal((parseOptionArgs({ skipConfirmation: 'yes' }) as { args: { skipConfirmation: boolean } }).args.skipConfirmation, false);
    assert.deepEqual(parseOptionArgs(undefined), { ok: true, args: {} });
  });

  it('a tree row: its field (found up the parents) and its option; a row never skips a confirmation', () => {
    assert.deepEqual(parseOptionArgs(inGroup), { ok: true, args: { fieldCode: 'hang', optionCode: 'KIM' } });
    assert.deepEqual(parseOptionArgs(fieldRow), { ok: true, args: { fieldCode: 'hang', optionCode: undefined } });
    assert.equal(optionRow({ kind: 'type', vbotId: 'VB1', projectCode: 'P1', typeNo: 'X' }), undefined);
  });

  it('several rows selected: all of them when the one clicked is among them, else the one clicked', () => {
    assert.deepEqual(
      selectedOptions(topRow, [topRow, inGroup, fieldRow, topRow]).map((r) => r.option!.code),
      ['VANG', 'KIM'],
    );
    assert.deepEqual(
      selectedOptions(topRow, [inGroup]).map((r) => r.option!.code),
      ['VANG'],
    );
    assert.deepEqual(selectedOptions({ fieldCode: 'hang', optionCode: 'VANG' }, undefined), []);
  });
});

describe('moves and edits', () => {
  const list = [
    option('KHAC', 0),
    option('NHOM', 2, { type: 'OPTGROUP' }),
    option('KIM', 1, { groupCode: 'NHOM' }),
    option('BACH', 5, { groupCode: 'NHOM' }),
    option('VANG', 3),
  ];

  it('the neighbour is among the siblings: the top level (groups included), or the same group', () => {
    assert.equal(neighbourOf(list, 'VANG', true)?.code, 'NHOM');
    assert.equal(neighbourOf(list, 'NHOM', true)?.code, 'KHAC');
    assert.equal(neighbourOf(list, 'KHAC', true), undefined);
    assert.equal(neighbourOf(list, 'VANG', false), undefined);
    assert.equal(neighbourOf(list, 'KIM', false)?.code, 'BACH');
    assert.equal(neighbourOf(list, 'KIM', true), undefined, 'first in its group');
    assert.equal(neighbourOf(list, 'NONE', true), undefined);
  });

  it('an edit given as values changes those parts only; a new colour brings a text colour that reads on it', () => {
    const vang = option('VANG', 3, { color: '#F9A825', textColor: '#000000' });
    assert.deepEqual(editedOption(vang, { name: 'Vàng 2' }), { ...vang, name: 'Vàng 2' });
    assert.deepEqual(editedOption(vang, { color: '#1E88E5' }), { ...vang, color: '#1E88E5', textColor: '#FFFFFF' });
    assert.deepEqual(editedOption(vang, { color: null }), { ...vang, color: null });
    assert.deepEqual(editedOption(vang, { number: 7, groupCode: 'NHOM' }), { ...vang, number: 7, groupCode: 'NHOM' });
    assert.equal(textColourFor('#FDD835'), '#000000');
    assert.equal(textColourFor('#6A1B9A'), '#FFFFFF');
  });
});
