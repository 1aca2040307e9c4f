// Choice lists as code (a project's "fields" in vbot-types.json, API v3): reading them with errors at their exact
// JSON paths, and planning them against the server's own list (drift, previousCodes, deleteUnlisted, order, groups).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ChoiceField, FieldOption } from '../../src/core/fields/model';
import type { DesiredField, DesiredState, DesiredStateParseResult } from '../../src/core/typesAsCode/format';
import { parseDesiredState, readProjectEntry } from '../../src/core/typesAsCode/parse';
import { type FieldPlan, editedParts, planField } from '../../src/core/typesAsCode/fieldPlanner';
import { analyzeTypesFile } from '../../src/core/typesAsCode/fileAnalysis';
import { CacheSnapshot } from '../../src/core/cache/snapshot';

const VB = 'VB-DEMO-0001';
const WHERE = { vbotId: VB, projectCode: 'V3' };

const fileWith = (fields: unknown) => JSON.stringify({ version: 1, projects: [{ vbotId: VB, projectCode: 'V3', types: [], fields }] });

function stateOf(text: string): DesiredState {
  const result = parseDesiredState(text);
  assert.ok(result.ok, `expected ok, got ${JSON.stringify(result)}`);
  return result.state;
}
const errorsOf = (result: DesiredStateParseResult) => {
  assert.equal(result.ok, false, `expected errors, got ${JSON.stringify(result)}`);
  return (result as Extract<DesiredStateParseResult, { ok: false }>).errors;
};
const pathsOf = (fields: unknown) => errorsOf(parseDesiredState(fileWith(fields))).map((e) => [e.path, e.code]);

describe('reading "fields"', () => {
  test('a file without "fields" reads as before: the project has no fields property', () => {
    const state = stateOf(
      JSON.stringify({ version: 1, projects: [{ vbotId: VB, projectCode: 'P', types: [{ typeNo: 'A', typeName: 'a' }] }] }),
    );
    assert.deepEqual(state.projects[0], {
      vbotId: VB,
      projectCode: 'P',
      deleteUnlisted: false,
      types: [{ typeNo: 'A', typeName: 'a', previousCodes: [] }],
    });
    assert.ok(!('fields' in state.projects[0]));
  });

  test('options in file order; defaults: OPTION, no colour, top level; a text colour that reads on the colour; colours upper case', () => {
    const [field] = stateOf(
      fileWith({
        hang: {
          deleteUnlisted: true,
          options: [
            { code: 'NHOM', name: ' Cao cấp ', type: 'OPTGROUP', color: '#6a1b9a' },
            { code: 'VANG', name: 'Vàng', color: '#F9A825', group: 'NHOM', previousCodes: ['GOLD'] },
            { code: 'KHAC', name: 'Khác', textColor: '#123456', color: null },
          ],
        },
      }),
    ).projects[0].fields!;
    assert.deepEqual(field, {
      fieldCode: 'hang',
      deleteUnlisted: true,
      options: [
        { code: 'NHOM', name: 'Cao cấp', type: 'OPTGROUP', color: '#6A1B9A', textColor: '#FFFFFF', group: null, previousCodes: [] },
        { code: 'VANG', name: 'Vàng', type: 'OPTION', color: '#F9A825', textColor: '#000000', group: 'NHOM', previousCodes: ['GOLD'] },
        { code: 'KHAC', name: 'Khác', type: 'OPTION', color: null, textColor: '#123456', group: null, previousCodes: [] },
      ],
    } satisfies DesiredField);
  });

  test('each error at its exact path: code rule, colours, type, groups, unknown properties, shapes', () => {
    assert.deepEqual(
      pathsOf({
        hang: {
          options: [
            { code: 'VÀNG', name: 'Vàng' },
            { code: 'A', name: 'a', color: 'red' },
            { code: 'B', name: 'b', textColor: '#12345' },
            { code: 'C', name: 'c', type: 'GROUP' },
            { code: 'D', name: 'd', group: 'NOPE' },
            { code: 'G', name: 'g', type: 'OPTGROUP', group: 'G2' },
            { code: 'E', name: '  ' },
            { code: 'F', name: 'f', colour: '#000000' },
            { code: 'H', name: 'h', previousCodes: ['ok', 'x y'] },
          ],
          deleteUnlisted: 'yes',
        },
        '': { options: [] },
        loai: { options: 'A' },
        nguon: [],
      }),
      [
        ['projects[0].fields.hang.deleteUnlisted', 'wrongType'],
        ['projects[0].fields.hang.options[0].code', 'badOptionCode'],
        ['projects[0].fields.hang.options[1].color', 'badColour'],
        ['projects[0].fields.hang.options[2].textColor', 'badColour'],
        ['projects[0].fields.hang.options[3].type', 'wrongType'],
        ['projects[0].fields.hang.options[5].group', 'groupInGroup'],
        ['projects[0].fields.hang.options[6].name', 'empty'],
        ['projects[0].fields.hang.options[7].colour', 'unknownProperty'],
        ['projects[0].fields.hang.options[8].previousCodes[1]', 'badOptionCode'],
        ['projects[0].fields.hang.options[4].group', 'unknownOptionGroup'],
        ['projects[0].fields[""]', 'empty'],
        ['projects[0].fields.loai.options', 'wrongType'],
        ['projects[0].fields.nguon', 'wrongType'],
      ],
    );
    assert.deepEqual(pathsOf([]), [['projects[0].fields', 'wrongType']]);
    assert.deepEqual(pathsOf({ hang: {} }), [['projects[0].fields.hang.options', 'missing']]);
    assert.deepEqual(pathsOf({ 'ho-ten': { options: [{ code: 'A', name: 'a', group: 'A1' }] } }), [
      ['projects[0].fields["ho-ten"].options[0].group', 'unknownOptionGroup'],
    ]);
  });

  test('duplicates and previous codes, as for types, within one field: own code, listed twice, a loop (a swap)', () => {
    assert.deepEqual(
      pathsOf({
        hang: {
          options: [
            { code: 'A', name: 'a', previousCodes: ['A'] },
            { code: 'B', name: 'b', previousCodes: ['X'] },
            { code: 'C', name: 'c', previousCodes: ['X'] },
            { code: 'B', name: 'b2' },
            { code: 'P', name: 'p', previousCodes: ['Q'] },
            { code: 'Q', name: 'q', previousCodes: ['P'] },
          ],
        },
        // The same codes in another field are another list.
        loai: { options: [{ code: 'A', name: 'a', previousCodes: ['X'] }] },
      }),
      [
        ['projects[0].fields.hang.options[0].previousCodes[0]', 'optionPreviousCodeIsOwnCode'],
        ['projects[0].fields.hang.options[2].previousCodes[0]', 'duplicateOptionPreviousCode'],
        ['projects[0].fields.hang.options[3].code', 'duplicateOptionCode'],
        ['projects[0].fields.hang.options[4].previousCodes[0]', 'optionPreviousCodeLoop'],
      ],
    );
  });

  test('the editor reads the same errors for one project, and finds their places in the text', () => {
    const text = fileWith({
      hang: {
        options: [
          { code: 'A', name: 'a' },
          { code: 'B', name: 'b', color: '#GGGGGG' },
        ],
      },
    });
    const entry = readProjectEntry(JSON.parse(text).projects[0], 0);
    assert.deepEqual(
      entry.errors.map((e) => [e.path, e.code, e.args]),
      [['projects[0].fields.hang.options[1].color', 'badColour', ['"#GGGGGG"']]],
    );
    assert.deepEqual(
      entry.project?.fields?.[0].options.map((o) => o.code),
      ['A'],
      'the option with an error is left out',
    );
    const [problem] = analyzeTypesFile(text, new CacheSnapshot([]), VB).problems;
    assert.deepEqual([problem.code, text.slice(problem.offset, problem.offset + problem.length)], ['badColour', '"#GGGGGG"']);
  });
});

// ---------------------------------------------------------------------------------------------

const SELECT: ChoiceField = {
  code: 'hang',
  name: 'Hạng',
  type: 'SELECT',
  number: 1,
  color: null,
  textColor: null,
  description: null,
  isRequired: false,
  isDefault: false,
};

function opt(code: string, name: string, number: number, more: Partial<FieldOption> = {}): FieldOption {
  return { code, name, type: 'OPTION', groupCode: null, number, color: null, textColor: null, ...more };
}

function plan(
  options: unknown[],
  server: FieldOption[],
  extra: Record<string, unknown> = {},
  field: ChoiceField | null = SELECT,
): FieldPlan {
  const declared = stateOf(fileWith({ hang: { options, ...extra } })).projects[0].fields![0];
  return planField(WHERE, declared, field ?? undefined, server);
}
/** The items as short lines: `op code[>new] {changed parts} <- dependsOn`. */
const lines = (p: FieldPlan) =>
  p.items.map((i) => {
    const codes = i.op === 'changeOptionCode' ? `${i.before!.code}>${i.after!.code}` : (i.before ?? i.after)!.code;
    const parts = i.op === 'updateOption' ? ` ${editedParts(i.before!, i.after!).join(',')}` : '';
    const dep = i.dependsOn ? ` <- ${i.dependsOn}` : '';
    return `${i.op} ${codes}${parts}${dep}`;
  });

describe('planning "fields" against the server', () => {
  test('drift: options made in the web console are "not in the file", reported, not deleted; the same list plans nothing', () => {
    const server = [opt('VANG', 'Vàng', 1), opt('BAC', 'Bạc', 2), opt('WEB', 'Tạo trên web', 3)];
    const p = plan(
      [
        { code: 'VANG', name: 'Vàng' },
        { code: 'BAC', name: 'Bạc' },
      ],
      server,
    );
    assert.deepEqual(lines(p), []);
    assert.equal(p.unchanged, 2);
    assert.deepEqual(
      p.notInFile.map((o) => o.code),
      ['WEB'],
    );
    assert.deepEqual(p.problems, []);
  });

  test('deleteUnlisted deletes them instead, options before groups', () => {
    const server = [opt('G', 'Nhóm', 1, { type: 'OPTGROUP' }), opt('X', 'x', 2, { groupCode: 'G' }), opt('VANG', 'Vàng', 3)];
    const p = plan([{ code: 'VANG', name: 'Vàng' }], server, { deleteUnlisted: true });
    assert.deepEqual(lines(p), ['deleteOption X', 'deleteOption G']);
    assert.deepEqual(p.notInFile, []);
  });

  test('add, edit (name, colours), and each item names the field and project', () => {
    const p = plan(
      [
        { code: 'VANG', name: 'Vàng mới', color: '#F9A825' },
        { code: 'MOI', name: 'Mới' },
      ],
      [opt('VANG', 'Vàng', 1)],
    );
    assert.deepEqual(lines(p), ['createOption MOI', 'updateOption VANG name,colour']);
    const [create, edit] = p.items;
    assert.deepEqual([create.fieldCode, create.vbotId, create.projectCode, create.after!.number], ['hang', VB, 'V3', 2]);
    assert.deepEqual([edit.after!.color, edit.after!.textColor], ['#F9A825', '#000000']);
    assert.equal(create.id, `createOption:${VB}/V3/hang/MOI`);
  });

  test('previousCodes: a code change instead of delete + add, then an edit that depends on it; chains in a workable order', () => {
    const p = plan(
      [
        { code: 'GOLD', name: 'Vàng', previousCodes: ['VANG'] },
        { code: 'VANG', name: 'Bạc', previousCodes: ['BAC'] },
      ],
      [opt('VANG', 'Vàng', 1), opt('BAC', 'Bạc cũ', 2)],
      { deleteUnlisted: true },
    );
    const gold = `changeOptionCode:${VB}/V3/hang/VANG>GOLD`;
    const vang = `changeOptionCode:${VB}/V3/hang/BAC>VANG`;
    assert.deepEqual(lines(p), [`changeOptionCode VANG>GOLD`, `changeOptionCode BAC>VANG <- ${gold}`, `updateOption VANG name <- ${vang}`]);
    assert.equal(p.unchanged, 0);
  });

  test('a previous code still on the server next to the new code is a problem, never deleted', () => {
    const p = plan([{ code: 'GOLD', name: 'Vàng', previousCodes: ['VANG'] }], [opt('VANG', 'Vàng', 1), opt('GOLD', 'Vàng', 2)], {
      deleteUnlisted: true,
    });
    assert.deepEqual(lines(p), []);
    assert.equal(p.problems.length, 1);
    assert.match(p.problems[0], /"VANG" is a previous code of "GOLD", but both codes exist/);
  });

  test('order: the array is the display order; numbers already in order stay, the others follow the one before', () => {
    const server = [opt('A', 'a', 10), opt('B', 'b', 20), opt('C', 'c', 30)];
    assert.deepEqual(
      lines(
        plan(
          [
            { code: 'A', name: 'a' },
            { code: 'B', name: 'b' },
            { code: 'C', name: 'c' },
          ],
          server,
        ),
      ),
      [],
    );
    const moved = plan(
      [
        { code: 'A', name: 'a' },
        { code: 'C', name: 'c' },
        { code: 'N', name: 'n' },
        { code: 'B', name: 'b' },
      ],
      server,
    );
    assert.deepEqual(lines(moved), ['createOption N', 'updateOption B order']);
    assert.deepEqual(
      moved.items.map((i) => i.after!.number),
      [31, 32],
    );
    // Planning again once applied gives nothing.
    const applied = [opt('A', 'a', 10), opt('C', 'c', 30), opt('N', 'n', 31), opt('B', 'b', 32)];
    assert.deepEqual(
      lines(
        plan(
          [
            { code: 'A', name: 'a' },
            { code: 'C', name: 'c' },
            { code: 'N', name: 'n' },
            { code: 'B', name: 'b' },
          ],
          applied,
        ),
      ),
      [],
    );
  });

  test('groups: a new group is made first and the options put in it depend on it; a group only in a SELECT field', () => {
    const p = plan(
      [
        { code: 'VANG', name: 'Vàng', group: 'CAO' },
        { code: 'CAO', name: 'Cao cấp', type: 'OPTGROUP' },
        { code: 'KC', name: 'Kim cương', group: 'CAO' },
      ],
      [opt('VANG', 'Vàng', 1)],
    );
    const cao = `createOption:${VB}/V3/hang/CAO`;
    assert.deepEqual(lines(p), ['createOption CAO', `createOption KC <- ${cao}`, `updateOption VANG group <- ${cao}`]);
    assert.equal(p.items[0].after!.type, 'OPTGROUP');

    const radio = plan([{ code: 'CAO', name: 'Cao', type: 'OPTGROUP' }], [], {}, { ...SELECT, type: 'RADIO' });
    assert.deepEqual([lines(radio), radio.problems.length], [[], 1]);
    assert.match(radio.problems[0], /groups are only for SELECT fields/);
  });

  test('no such choice field on the server, and an option that would change type: problems, nothing planned for them', () => {
    const none = plan([{ code: 'A', name: 'a' }], [], {}, null);
    assert.deepEqual([lines(none), none.problems.length], [[], 1]);
    const typed = plan([{ code: 'G', name: 'g' }], [opt('G', 'g', 1, { type: 'OPTGROUP' })]);
    assert.deepEqual(lines(typed), []);
    assert.match(typed.problems[0], /"G" is a group on the server and an option in the file/);
  });
});

describe('media/vbot-types.schema.json and "fields"', () => {
  test('the schema accepts what the reader accepts and refuses what it refuses', async (context) => {
    const name = 'ajv';
    let validate: ((data: unknown) => boolean) | undefined;
    try {
      const module = await import(name);
      const Ajv = module.default?.default ?? module.default;
      const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
      for (const keyword of ['markdownDescription', 'patternErrorMessage', 'defaultSnippets']) ajv.addKeyword(keyword);
      const schema = JSON.parse(readFileSync(path.join(import.meta.dirname, '../../media/vbot-types.schema.json'), 'utf8'));
      validate = ajv.compile(schema);
    } catch {
      return context.skip('ajv is not installed');
    }
    const good = {
      hang: {
        deleteUnlisted: true,
        options: [
          { code: 'G', name: 'g', type: 'OPTGROUP' },
          { code: 'A-1', name: 'a', color: '#00aa00', textColor: null, group: 'G', previousCodes: ['B_2'] },
        ],
      },
    };
    stateOf(fileWith(good));
    assert.equal(validate!(JSON.parse(fileWith(good))), true);
    for (const bad of [
      { hang: { options: [{ code: 'VÀNG', name: 'v' }] } },
      { hang: { options: [{ code: 'A', name: 'a', color: 'red' }] } },
      { hang: { options: [{ code: 'A', name: 'a', colour: '#000000' }] } },
      { hang: { options: [{ code: 'A', name: 'a', type: 'GROUP' }] } },
      { hang: { options: [{ code: 'A' }] } },
      { hang: {} },
      { hang: { options: [], deleteUnlisted: 'yes' } },
    ]) {
      assert.equal(parseDesiredState(fileWith(bad)).ok, false, JSON.stringify(bad));
      assert.equal(validate!(JSON.parse(fileWith(bad))), false, JSON.stringify(bad));
    }
  });
});
