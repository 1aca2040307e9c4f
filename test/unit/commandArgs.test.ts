// What a command reads from its argument (src/core/commandArgs.ts, the logic behind src/vscode/commandArgs.ts
// and the file arguments of import, export, Plan and Apply): a tree node or a plain object from a keybinding or
// a script. Before this was a core function, only the extension-host suites reached it.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFileArgs, parseTypeArgs, routedCommands, selectedTypes } from '../../src/core/commandArgs';
import { LIMITS } from '../../src/core/validation';

describe('type command arguments (parseTypeArgs)', () => {
  it('no argument, or one that is not an object, gives no fields (every prompt is asked)', () => {
    for (const arg of [undefined, null, 'SALES', 42, true]) assert.deepEqual(parseTypeArgs(arg), { ok: true, args: {} }, String(arg));
  });

  it('takes the known fields, trimmed; ignores the rest', () => {
    assert.deepEqual(
      parseTypeArgs({
        vbotId: ' VB-1 ',
        projectCode: 'SALES ',
        typeNo: ' VIP',
        typeName: ' Khách VIP ',
        newTypeNo: 'GOLD',
        extra: 'x',
        command: 'rm -rf',
      }),
      {
        ok: true,
        args: { vbotId: 'VB-1', projectCode: 'SALES', typeNo: 'VIP', typeName: 'Khách VIP', newTypeNo: 'GOLD', skipConfirmation: false },
      },
    );
  });

  it('a tree node from a menu never skips a question and never sets a name', () => {
    // What a type's node carries (src/vscode/typeTreeProvider.ts): its name is `currentName`, not `typeName`.
    const node = {
      kind: 'type',
      vbotId: 'VB-1',
      projectCode: 'SALES',
      typeNo: 'VIP',
      currentName: 'Khách VIP',
      updatedAt: '2026-01-01T00:00:00.000Z',
      id: 'type/VB-1/SALES/VIP',
      label: 'Khách VIP',
    };
    const parsed = parseTypeArgs(node);
    assert.deepEqual(parsed, { ok: true, args: { vbotId: 'VB-1', projectCode: 'SALES', typeNo: 'VIP', skipConfirmation: false } });
  });

  it('skipConfirmation counts only as an explicit true', () => {
    for (const value of ['true', 1, 'yes', {}, [], null, false]) {
      assert.equal(
        (parseTypeArgs({ skipConfirmation: value }) as { args: { skipConfirmation: boolean } }).args.skipConfirmation,
        false,
        JSON.stringify(value),
      );
    }
    assert.equal((parseTypeArgs({ skipConfirmation: true }) as { args: { skipConfirmation: boolean } }).args.skipConfirmation, true);
  });

  it('the first bad field refuses the whole argument, naming the field and why', () => {
    assert.deepEqual(parseTypeArgs({ projectCode: '  ', typeNo: 'VIP' }), {
      ok: false,
      field: 'projectCode',
      problem: { ok: false, code: 'empty' },
    });
    assert.deepEqual(parseTypeArgs({ typeNo: 7 }), { ok: false, field: 'typeNo', problem: { ok: false, code: 'notString' } });
    assert.deepEqual(parseTypeArgs({ typeNo: 'VIP', typeName: 'a\u202Eb' }), {
      ok: false,
      field: 'typeName',
      problem: { ok: false, code: 'controlChar' },
    });
    assert.deepEqual(parseTypeArgs({ typeNo: 'VIP', newTypeNo: 'x'.repeat(LIMITS.typeNo + 1) }), {
      ok: false,
      field: 'newTypeNo',
      problem: { ok: false, code: 'tooLong', max: LIMITS.typeNo },
    });
    // Checked in a fixed order: the VBotID before the project before the code.
    assert.equal((parseTypeArgs({ typeNo: '', vbotId: '' }) as { field: string }).field, 'vbotId');
  });

  it('any object: never throws, and a value it accepts is a trimmed string the validation accepts', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.constantFrom('vbotId', 'projectCode', 'typeNo', 'typeName', 'newTypeNo', 'skipConfirmation', 'other'),
          fc.anything(),
        ),
        (raw) => {
          const parsed = parseTypeArgs(raw);
          if (!parsed.ok) {
            assert.ok(raw[parsed.field] !== undefined, 'a refusal names a field that was given');
            return;
          }
          for (const [key, value] of Object.entries(parsed.args)) {
            if (key === 'skipConfirmation') assert.equal(value, raw.skipConfirmation === true);
            else assert.ok(typeof value === 'string' && value.length > 0 && value === value.trim(), `${key}: ${JSON.stringify(value)}`);
          }
        },
      ),
    );
  });
});

describe('file command arguments (parseFileArgs)', () => {
  it('a path and a known format only when they have the right type', () => {
    assert.deepEqual(parseFileArgs(undefined), { skipConfirmation: false });
    assert.deepEqual(parseFileArgs('/tmp/x.csv'), { skipConfirmation: false });
    assert.deepEqual(parseFileArgs({ filePath: '/tmp/x.csv', format: 'csv' }), {
      filePath: '/tmp/x.csv',
      format: 'csv',
      skipConfirmation: false,
    });
    assert.deepEqual(parseFileArgs({ filePath: ['/tmp/x.csv'], format: 'xlsx', skipConfirmation: 'true' }), {
      filePath: undefined,
      format: undefined,
      skipConfirmation: false,
    });
    for (const format of ['json', 'csv', 'vbotTypes'] as const) assert.equal(parseFileArgs({ format }).format, format);
    assert.equal(parseFileArgs({ skipConfirmation: true }).skipConfirmation, true);
  });
});

interface Contributed {
  command: string;
  title?: string;
  category?: string;
  icon?: string;
}
interface MenuEntry {
  command: string;
  when?: string;
}
const manifest = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as {
  contributes: {
    commands: Contributed[];
    menus: Record<string, MenuEntry[]>;
    keybindings?: Array<MenuEntry & { key: string; mac?: string }>;
  };
};

describe('commands that pass a call on (routedCommands over package.json)', () => {
  const routed = routedCommands(manifest);
  const contributed = new Map(manifest.contributes.commands.map((c) => [c.command, c]));

  it('every entry of a view title bar runs a vbotCrm.viewTitle.* command, which never takes the row VS Code hands it', () => {
    // VS Code runs a title-bar command with the focused row of the tree as its argument, as an item menu does;
    // a command that reads a node would take the selected project as the user's answer (issue 16, item 2).
    const viewTitle = new Set(routed.filter((r) => r.kind === 'viewTitle').map((r) => r.id));
    const entries = manifest.contributes.menus['view/title'];
    assert.ok(entries.length >= 14);
    for (const e of entries) assert.ok(viewTitle.has(e.command), `view/title runs ${e.command}: use vbotCrm.viewTitle.* instead`);
  });

  it('each routed command passes on to a contributed command and looks like it (title, category, icon), hidden from the palette', () => {
    assert.deepEqual(
      routed.filter((r) => r.kind === 'selectedType').map((r) => r.target),
      ['vbotCrm.editTypeName', 'vbotCrm.deleteType', 'vbotCrm.copyTypeCode'],
    );
    const hidden = new Set(manifest.contributes.menus.commandPalette.filter((e) => e.when === 'false').map((e) => e.command));
    for (const r of routed) {
      const own = contributed.get(r.id);
      const target = contributed.get(r.target);
      assert.ok(own && target, `${r.id} → ${r.target} is contributed`);
      assert.deepEqual([own.title, own.category, own.icon], [target.title, target.category, target.icon], r.id);
      assert.ok(hidden.has(r.id), `${r.id} is hidden from the command palette (the palette runs ${r.target} itself)`);
    }
  });

  it('the keys of the tree (F2, Delete, Ctrl+C) run on the selected type, only while the tree has the focus', () => {
    const keys = manifest.contributes.keybindings ?? [];
    assert.deepEqual(
      keys.map((k) => [k.key, k.mac, k.command]),
      [
        ['f2', undefined, 'vbotCrm.selectedType.editTypeName'],
        ['delete', 'cmd+backspace', 'vbotCrm.selectedType.deleteType'],
        ['ctrl+c', 'cmd+c', 'vbotCrm.selectedType.copyTypeCode'],
      ],
    );
    for (const k of keys) assert.equal(k.when, 'focusedView == vbotCrm.types && !inputFocus', k.command);
  });

  it('reads only well-formed ids, from any manifest shape', () => {
    for (const odd of [undefined, null, 42, {}, { contributes: {} }, { contributes: { commands: 'x' } }])
      assert.deepEqual(routedCommands(odd), []);
    const commands = [
      { command: 'vbotCrm.viewTitle.addType' },
      { command: 'vbotCrm.selectedType.deleteType' },
      { command: 'vbotCrm.viewTitle.' },
      { command: 'vbotCrm.viewTitle.a.b' },
      { command: 'other.viewTitle.addType' },
      { command: 7 },
      null,
    ];
    assert.deepEqual(routedCommands({ contributes: { commands } }), [
      { id: 'vbotCrm.viewTitle.addType', kind: 'viewTitle', target: 'vbotCrm.addType' },
      { id: 'vbotCrm.selectedType.deleteType', kind: 'selectedType', target: 'vbotCrm.deleteType' },
    ]);
  });
});

describe('the types a tree command acts on (selectedTypes: the row clicked and the rows selected)', () => {
  const row = (projectCode: string, typeNo: string) => ({ kind: 'type', vbotId: 'VB', projectCode, typeNo, currentName: typeNo });
  const ref = (projectCode: string, typeNo: string) => ({ vbotId: 'VB', projectCode, typeNo });
  const project = { kind: 'project', vbotId: 'VB', projectCode: 'SALES' };

  it('the row clicked among several selected: every selected type, once, project rows left out, across projects', () => {
    const a = row('SALES', 'A');
    const selection = [a, project, row('CSKH', 'B'), { ...a }, row('SALES', 'C')];
    assert.deepEqual(selectedTypes(a, selection), [ref('SALES', 'A'), ref('CSKH', 'B'), ref('SALES', 'C')]);
    // Found by its key, not by identity: a node may be made again between the click and the call.
    assert.equal(selectedTypes({ ...row('CSKH', 'B') }, selection).length, 3);
  });

  it('the row clicked outside the selection, or no selection: that row alone', () => {
    assert.deepEqual(selectedTypes(row('SALES', 'Z'), [row('SALES', 'A'), row('SALES', 'B')]), [ref('SALES', 'Z')]);
    assert.deepEqual(selectedTypes(row('SALES', 'A'), undefined), [ref('SALES', 'A')]);
    assert.deepEqual(selectedTypes(row('SALES', 'A'), 'not a list'), [ref('SALES', 'A')]);
  });

  it('anything but a type row gives nothing (the command then reads its argument as before)', () => {
    const selection = [row('SALES', 'A'), row('SALES', 'B')];
    for (const clicked of [undefined, null, 'A', project, { projectCode: 'SALES', typeNo: 'A' }, { kind: 'type', vbotId: 'VB', typeNo: 7 }])
      assert.deepEqual(selectedTypes(clicked, selection), [], JSON.stringify(clicked));
  });
});
