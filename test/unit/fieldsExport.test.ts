// The choice lists as last read (the field store) written into a vbot-types.json (the export, the diff's left side):
// read back by Plan's reader and planned against the same lists, nothing changes; and what the editor says of a
// project's "fields": the CodeLens counts against the stored lists, the option code under the cursor for the hover.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CacheSnapshot } from '../../src/core/cache/snapshot';
import type { StoredProject } from '../../src/core/fields/fieldStore';
import type { ChoiceField, FieldOption } from '../../src/core/fields/model';
import { planField } from '../../src/core/typesAsCode/fieldPlanner';
import { fieldCounts, optionAt, storedOption } from '../../src/core/typesAsCode/fieldsInFile';
import { fieldsToWrite, staleRead } from '../../src/core/typesAsCode/fieldsText';
import { analyzeTypesFile } from '../../src/core/typesAsCode/fileAnalysis';
import type { DesiredState } from '../../src/core/typesAsCode/format';
import { parseDesiredState } from '../../src/core/typesAsCode/parse';
import { computePlan } from '../../src/core/typesAsCode/planner';
import { desiredStateFromSnapshot } from '../../src/core/typesAsCode/scaffold';

const VB = 'VB-DEMO-0001';
const P = 'V3';
const READ_AT = '2026-11-30T01:00:00.000Z';

function field(code: string, number: number, type: ChoiceField['type'] = 'SELECT'): ChoiceField {
  return { code, name: code, type, number, color: null, textColor: null, description: null, isRequired: false, isDefault: false };
}
function opt(code: string, name: string, number: number, more: Partial<FieldOption> = {}): FieldOption {
  return { code, name, type: 'OPTION', groupCode: null, number, color: null, textColor: null, ...more };
}
const list = <T>(items: T[], readAt = READ_AT, complete = true) => ({ items, readAt, complete });

/** What the server had, in the store's shape: the server's order is not the display order. */
const HANG = [
  opt('VANG', 'Vàng "gold" \\ 1', 7, { color: '#f9a825', textColor: '#000000', groupCode: 'NHOM' }),
  opt('NHOM', 'Cao cấp', 3, { type: 'OPTGROUP', color: '#6A1B9A', textColor: '#FFFFFF' }),
  opt('BAC', 'Bạc', 10, { color: '#C0C0C0', textColor: null }),
  opt('DONG', 'Đồng', 12, { color: '#8D6E63', textColor: '#123456' }),
  opt('KHAC', 'Khác', 20, { color: '', textColor: '' }),
];
const STORED: StoredProject = {
  vbotId: VB,
  projectCode: P,
  fields: list([field('nguon', 2, 'RADIO'), field('hang', 1), field('ghi-chu', 3, 'CHECKBOX'), field('chua-doc', 4)]),
  options: { hang: list(HANG), nguon: list([], '2026-11-30T01:30:00.000Z'), 'ghi-chu': list([opt('A', 'a', 1)]) },
};
const SNAPSHOT = new CacheSnapshot([{ vbotId: VB, projectCode: P, types: [{ typeNo: 'VIP', typeName: 'VIP', updatedAt: READ_AT }] }]);

function stateOf(text: string): DesiredState {
  const read = parseDesiredState(text);
  assert.ok(read.ok, JSON.stringify(read));
  return read.state;
}
const written = (stored: StoredProject | undefined) =>
  desiredStateFromSnapshot(SNAPSHOT, {}, (v, p) => (v === VB && p === P ? fieldsToWrite(stored) : undefined));

describe('the stored choice lists written as "fields"', () => {
  test('read back and planned against the same lists: no item, no drift, no problem; the types plan nothing either', () => {
    const text = written(STORED);
    const state = stateOf(text);
    const [project] = state.projects;
    assert.deepEqual(computePlan(SNAPSHOT, state).items, []);
    assert.deepEqual(
      project.fields!.map((f) => f.fieldCode),
      ['hang', 'nguon', 'ghi-chu'],
      'in the fields’ display order; a field whose options were never read is left out',
    );
    for (const declared of project.fields!) {
      const serverField = STORED.fields!.items.find((f) => f.code === declared.fieldCode);
      const server = STORED.options[declared.fieldCode].items;
      const plan = planField({ vbotId: VB, projectCode: P }, declared, serverField, server);
      assert.deepEqual([plan.items, plan.notInFile, plan.problems], [[], [], []], declared.fieldCode);
      assert.equal(plan.unchanged, server.length, declared.fieldCode);
    }
  });

  test('one option a line, in display order; a text colour only when it is not the one the reader picks; no unknown group', () => {
    const lines = written(STORED).split('\n');
    const at = lines.indexOf('      "fields": {');
    assert.equal(lines[at - 1], '      ],', 'after the types');
    assert.deepEqual(lines.slice(at, at + 19), [
      '      "fields": {',
      '        "hang": {',
      '          "options": [',
      '            { "code": "NHOM", "name": "Cao cấp", "type": "OPTGROUP", "color": "#6A1B9A" },',
      '            { "code": "VANG", "name": "Vàng \\"gold\\" \\\\ 1", "color": "#F9A825", "group": "NHOM" },',
      '            { "code": "BAC", "name": "Bạc", "color": "#C0C0C0", "textColor": null },',
      '            { "code": "DONG", "name": "Đồng", "color": "#8D6E63", "textColor": "#123456" },',
      '            { "code": "KHAC", "name": "Khác" }',
      '          ]',
      '        },',
      '        "nguon": {',
      '          "options": []',
      '        },',
      '        "ghi-chu": {',
      '          "options": [',
      '            { "code": "A", "name": "a" }',
      '          ]',
      '        }',
      '      }',
    ]);
  });

  test('an option in a group the list does not have is written at the top level (the reader refuses an unknown group)', () => {
    const lost = opt('LE', 'Lẻ', 21, { groupCode: 'GONE' });
    const stored = { ...STORED, options: { hang: list([...HANG, lost]) } };
    const declared = projectOf(written(stored)).fields![0];
    assert.deepEqual(declared.options.at(-1), {
      code: 'LE',
      name: 'Lẻ',
      type: 'OPTION',
      color: null,
      textColor: null,
      group: null,
      previousCodes: [],
    });
    // Plan would move it to the top level, where the tree shows it already.
    const plan = planField({ vbotId: VB, projectCode: P }, declared, STORED.fields!.items[1], [...HANG, lost]);
    assert.deepEqual(
      plan.items.map((i) => [i.op, i.after?.code, i.after?.groupCode]),
      [['updateOption', 'LE', null]],
    );
  });

  test('no stored fields, or none of their lists read: no "fields" key, the file as before', () => {
    const before = desiredStateFromSnapshot(SNAPSHOT);
    assert.equal(written(undefined), before);
    assert.equal(written({ vbotId: VB, projectCode: P, options: {} }), before);
    assert.equal(written({ ...STORED, options: {} }), before);
    assert.ok(!before.includes('"fields"'));
  });

  test('the fields a file declares, in its order (the diff’s left side); staleness of the oldest list read', () => {
    assert.deepEqual(
      fieldsToWrite(STORED, ['ghi-chu', 'nope', 'hang'])?.map((f) => f.fieldCode),
      ['ghi-chu', 'hang'],
    );
    assert.equal(fieldsToWrite(STORED, []), undefined);
    const fields = fieldsToWrite(STORED)!;
    assert.equal(staleRead(fields, new Date('2026-11-30T01:59:00.000Z')), undefined);
    assert.equal(staleRead(fields, new Date('2026-11-30T02:00:01.000Z')), READ_AT);
  });
});

// ---------------------------------------------------------------------------------------------

const fileWith = (fields: unknown) =>
  JSON.stringify({ version: 1, projects: [{ vbotId: VB, projectCode: P, types: [{ typeNo: 'VIP', typeName: 'VIP' }], fields }] }, null, 2);
const projectOf = (text: string) => stateOf(text).projects[0];

describe('the editor and a project’s "fields"', () => {
  test('the CodeLens counts: the planner’s items against the stored lists, the drift, unread and left-out fields', () => {
    const exported = projectOf(written(STORED));
    assert.deepEqual(fieldCounts(exported, STORED), {
      create: 0,
      edit: 0,
      changeCode: 0,
      delete: 0,
      unchanged: 6,
      notInFile: 0,
      unread: 0,
      leftOut: 0,
    });
    const changed = projectOf(
      fileWith({
        hang: {
          options: [
            { code: 'NHOM', name: 'Cao cấp', type: 'OPTGROUP', color: '#6A1B9A' },
            { code: 'VANG_MOI', name: 'Vàng "gold" \\ 1', color: '#F9A825', group: 'NHOM', previousCodes: ['VANG'] },
            { code: 'BAC', name: 'Bạc mới', color: '#C0C0C0', textColor: null },
            { code: 'MOI', name: 'Mới' },
            { code: 'MOI2', name: 'Mới 2' },
          ],
        },
        'chua-doc': { options: [] },
        khong: { options: [] },
      }),
    );
    assert.deepEqual(fieldCounts(changed, STORED), {
      create: 2,
      edit: 1,
      changeCode: 1,
      delete: 0,
      unchanged: 1,
      notInFile: 2,
      unread: 1,
      leftOut: 1,
    });
    assert.equal(fieldCounts(projectOf(fileWith(undefined)), STORED), undefined, 'no "fields": nothing to count');
    // A field missing from a list that was only partly read may exist: unread, not left out.
    assert.equal(fieldCounts(changed, { ...STORED, fields: { ...STORED.fields!, complete: false } })!.unread, 2);
    assert.equal(fieldCounts(changed, undefined)!.unread, 3);
  });

  test('the option code under the cursor: an option’s code, a previous code, a group; not a name; keys with "-"', () => {
    const text = fileWith({
      hang: {
        options: [
          { code: 'NHOM', name: 'NHOMX', type: 'OPTGROUP' },
          { code: 'VANG', name: 'Vàng', group: 'NHOM', previousCodes: ['GOLD'] },
        ],
      },
      'ghi-chu': { options: [{ code: 'A', name: 'a' }] },
    });
    const analysis = analyzeTypesFile(text, SNAPSHOT, VB);
    const at = (needle: string, nth = 0) => {
      let offset = -1;
      for (let i = 0; i <= nth; i++) offset = text.indexOf(needle, offset + 1);
      const hit = optionAt(analysis, offset + 1);
      return hit && [hit.project.projectCode, hit.fieldCode, hit.code];
    };
    assert.deepEqual(at('"VANG"'), [P, 'hang', 'VANG']);
    assert.deepEqual(at('"GOLD"'), [P, 'hang', 'GOLD']);
    assert.deepEqual(at('"NHOM"', 1), [P, 'hang', 'NHOM'], 'the group an option is in');
    assert.deepEqual(at('"A"'), [P, 'ghi-chu', 'A']);
    assert.equal(at('"NHOMX"'), undefined, 'a name is no code');
    assert.equal(at('"VIP"'), undefined, 'a type code is the type hover’s');
  });

  test('what the stored list says of a code: the option, its group, the list (when it was read); never read: nothing', () => {
    const vang = storedOption(STORED, 'hang', 'VANG')!;
    assert.deepEqual([vang.option?.name, vang.group?.name, vang.list.readAt], ['Vàng "gold" \\ 1', 'Cao cấp', READ_AT]);
    const le = storedOption({ ...STORED, options: { hang: list([...HANG, opt('LE', 'Lẻ', 21, { groupCode: 'GONE' })]) } }, 'hang', 'LE')!;
    assert.deepEqual([le.option?.code, le.group], ['LE', undefined], 'a group the list lacks');
    assert.deepEqual(storedOption(STORED, 'hang', 'NOPE')?.option, undefined);
    assert.ok(storedOption(STORED, 'hang', 'NOPE'), 'the list was read: the code is not in it');
    assert.equal(storedOption(STORED, 'chua-doc', 'A'), undefined);
    assert.equal(storedOption(undefined, 'hang', 'VANG'), undefined);
  });
});
