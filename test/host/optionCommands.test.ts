// The commands on the options of a customer field (API v3) in the real extension host against the sandbox over
// HTTP: add, edit, change code, delete (its confirmation counts the customers with the option), move up/down,
// several selected deleted at once; each through the one change runner (journal lines with the field), the
// tree reading the field again afterwards, and a lost answer settled by reading the option back.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FieldSeed } from '../sandbox/fieldSandbox';
import type { CrmNode } from '../../src/vscode/typeTreeProvider';
import { VBOT_ID, addV3Profile, exec, lastNotification, sandboxSuite } from './helpers';
import { accept, answerPrompts, isPick, pick, typeInto } from './promptHook';

const PROJECT = 'V3O';
const FIELD = 'hang';
const LEVEL: FieldSeed = {
  code: FIELD,
  name: 'Hạng thành viên',
  type: 'SELECT',
  options: [
    { code: 'NHOM', name: 'Cao cấp', type: 'OPTGROUP', color: '#6A1B9A', number: 2 },
    { code: 'KIM_CUONG', name: 'Kim cương', group: 'NHOM', color: '#00ACC1', number: 1 },
    { code: 'VANG', name: 'Vàng', color: '#F9A825', text_color: '#000000', number: 3 },
    { code: 'KHAC', name: 'Khác', number: 0 },
  ],
};
const CUSTOMERS = [
  { name: 'An', values: { [FIELD]: ['VANG'] } },
  { name: 'Bình', values: { [FIELD]: ['VANG'] } },
  { name: 'Chi', values: { [FIELD]: ['KHAC'] } },
];

describe('option commands (API v3)', () => {
  const ctx = sandboxSuite();

  beforeEach(async () => {
    ctx.api.notifier.answerModal = undefined;
    ctx.sandbox.fields.seed(VBOT_ID, PROJECT, [LEVEL], CUSTOMERS);
    await addV3Profile(ctx, PROJECT);
  });
  afterEach(() => {
    ctx.api.notifier.answerModal = undefined;
  });

  const item = (n: CrmNode) => ctx.api.tree.getTreeItem(n);
  const server = () => ctx.sandbox.fields.options(VBOT_ID, PROJECT, FIELD);
  const serverOption = (code: string) => server().find((o) => o.code === code);
  const profile = () => ctx.api.settings.activeProfile().name;

  async function fieldNode(): Promise<CrmNode> {
    const project = (await ctx.api.tree.getChildren()).find((n) => n.kind === 'project' && n.projectCode === PROJECT)!;
    const root = (await ctx.api.tree.getChildren(project)).at(-1)!;
    const field = (await ctx.api.tree.getChildren(root)).find((n) => item(n).label === 'Hạng thành viên');
    assert.ok(field, 'the field row');
    return field;
  }
  /** What the tree shows under the field now: [label, description, contextValue]. */
  async function shown(): Promise<string[][]> {
    const nodes = await ctx.api.tree.getChildren(await fieldNode());
    return nodes.map((n) => [String(item(n).label), String(item(n).description), String(item(n).contextValue)]);
  }
  async function optionNode(label: string): Promise<CrmNode> {
    const node = (await ctx.api.tree.getChildren(await fieldNode())).find((n) => item(n).label === label);
    assert.ok(node, `${label} in the tree`);
    return node;
  }
  async function journalOf(operation: string) {
    return (await ctx.api.journal.entries({ profile: profile() })).filter((e) => e.operation === operation);
  }

  it('add by arguments: sent as given, a text colour that reads on the colour, last in order; the tree shows it at once', async () => {
    assert.deepEqual(await shown(), [
      ['Khác', 'KHAC', 'vbotOption'],
      ['Cao cấp', 'NHOM', 'vbotOptionGroup'],
      ['Vàng', 'VANG', 'vbotOption'],
    ]);
    const result = await exec('vbotCrm.addOption', { fieldCode: FIELD, optionCode: 'BAC', name: 'Bạc', color: '#757575', groupCode: null });
    assert.equal(result, 'done');
    const bac = serverOption('BAC');
    assert.deepEqual(bac && [bac.name, bac.color, bac.text_color, bac.number, bac.type, bac.customer_field_option_group_code], [
      'Bạc',
      '#757575',
      '#FFFFFF',
      4,
      'OPTION',
      null,
    ]);
    assert.deepEqual((await shown()).at(-1), ['Bạc', 'BAC', 'vbotOption'], 'read again after the change');
    assert.equal(lastNotification(ctx.api).message, 'Option "Bạc" (BAC) added to field hang.');
    const [entry] = await journalOf('createOption');
    assert.deepEqual([entry.field, entry.typeNo, entry.after?.typeName, entry.outcome], [FIELD, 'BAC', 'Bạc', 'done']);

    // A code already in the field is refused before anything is sent.
    const posts = ctx.sandbox.requests.filter((r) => r.method === 'POST').length;
    assert.equal(
      await exec('vbotCrm.addOption', { fieldCode: FIELD, optionCode: 'VANG', name: 'Vàng 2', color: null, groupCode: null }),
      'invalid',
    );
    assert.equal(ctx.sandbox.requests.filter((r) => r.method === 'POST').length, posts);
  });

  it('add from the field row with prompts: code, name, a colour of the palette, the group', async () => {
    const prompts = answerPrompts(async (prompt, i) => {
      if (i === 0) await typeInto(prompt as vscode.InputBox, 'BACH_KIM');
      if (i === 1) await typeInto(prompt as vscode.InputBox, 'Bạch kim');
      if (i === 0 || i === 1) return accept();
      assert.ok(isPick(prompt));
      if (i === 2) return pick(prompt, /^Green$/);
      return pick(prompt, /^Cao cấp$/);
    });
    try {
      assert.equal(await exec('vbotCrm.addOption', await fieldNode()), 'done');
      prompts.check();
    } finally {
      prompts.dispose();
    }
    assert.deepEqual(
      prompts.seen.map((p) => [p.title, p.step, p.totalSteps]),
      [
        ['Add Option', 1, 4],
        ['Add Option', 2, 4],
        ['Add Option', 3, 4],
        ['Add Option', 4, 4],
      ],
    );
    const o = serverOption('BACH_KIM');
    assert.deepEqual(o && [o.name, o.color, o.customer_field_option_group_code], ['Bạch kim', '#43A047', 'NHOM']);
    const group = await optionNode('Cao cấp');
    assert.deepEqual(
      (await ctx.api.tree.getChildren(group)).map((n) => item(n).description),
      ['KIM_CUONG', 'BACH_KIM'],
    );
  });

  it('edit from the option row: prompts open with the server’s values; name, a hex colour, the order', async () => {
    const prompts = answerPrompts(async (prompt, i) => {
      if (i === 1) return pick(prompt as vscode.QuickPick<vscode.QuickPickItem>, /^Another colour/);
      await typeInto(prompt as vscode.InputBox, ['Vàng mới', '', '#1E88E5', '-1'][i]);
      await accept();
    });
    try {
      assert.equal(await exec('vbotCrm.editOption', await optionNode('Vàng')), 'done');
      prompts.check();
    } finally {
      prompts.dispose();
    }
    assert.equal(prompts.seen[0].value, 'Vàng', 'the name box opens with the current name');
    assert.equal(prompts.seen[3].value, '3', 'the order box opens with the current number');
    const o = serverOption('VANG');
    assert.deepEqual(o && [o.name, o.color, o.text_color, o.number], ['Vàng mới', '#1E88E5', '#FFFFFF', -1]);
    assert.deepEqual((await shown())[0], ['Vàng mới', 'VANG', 'vbotOption'], 'first now, read again');
    const update = ctx.sandbox.requests.find((r) => r.path === '/api/customerfield/option/update');
    assert.deepEqual(update?.body, {
      customer_field_code: FIELD,
      customer_field_option_code: 'VANG',
      customer_field_option_group_code: null,
      name: 'Vàng mới',
      color: '#1E88E5',
      text_color: '#FFFFFF',
      number: -1,
    });
    assert.equal((await journalOf('updateOption'))[0].outcome, 'done');
  });

  it('change code by arguments; the tree shows the new code', async () => {
    assert.equal(await exec('vbotCrm.changeOptionCode', { fieldCode: FIELD, optionCode: 'VANG', newCode: 'GOLD' }), 'done');
    assert.deepEqual(
      server().map((o) => o.code),
      ['KHAC', 'KIM_CUONG', 'NHOM', 'GOLD'],
    );
    assert.deepEqual((await shown()).at(-1), ['Vàng', 'GOLD', 'vbotOption']);
    assert.equal(lastNotification(ctx.api).message, 'Option "Vàng" now has the code "GOLD" (was "VANG").');
    assert.equal(await exec('vbotCrm.changeOptionCode', { fieldCode: FIELD, optionCode: 'GOLD', newCode: 'KHAC' }), 'invalid');
  });

  it('delete: the confirmation counts the customers with the option (count-all, EQUAL); Cancel sends nothing, Delete deletes', async () => {
    const questions: Array<{ message: string; detail?: string }> = [];
    ctx.api.notifier.answerModal = (q) => (questions.push(q), undefined);
    assert.equal(await exec('vbotCrm.deleteOption', await optionNode('Vàng')), 'cancelled');
    assert.deepEqual(questions[0].message, 'Delete option "Vàng" (VANG) from field hang?');
    assert.match(questions[0].detail ?? '', /^2 customers have this option\. It is deleted on the VBot server/);
    const count = ctx.sandbox.requests.find((r) => r.path === '/api/customer/count-all');
    assert.deepEqual(count?.body, { field_search: [{ customer_field_code: FIELD, value: 'VANG', type: 'EQUAL', is_search: true }] });
    assert.ok(serverOption('VANG'), 'not deleted');
    assert.equal(ctx.sandbox.requests.filter((r) => r.path === '/api/customerfield/option/delete').length, 0);

    ctx.api.notifier.answerModal = (q) => (questions.push(q), q.actions[0]);
    assert.equal(await exec('vbotCrm.deleteOption', await optionNode('Khác')), 'done');
    assert.match(questions[1].detail ?? '', /^1 customer has this option\./);
    assert.equal(serverOption('KHAC'), undefined);
    assert.deepEqual(
      (await shown()).map((r) => r[1]),
      ['NHOM', 'VANG'],
    );
    assert.equal((await journalOf('deleteOption'))[0].before?.typeName, 'Khác');
  });

  it('move up and down: swaps the order with the neighbour among its siblings', async () => {
    assert.equal(await exec('vbotCrm.moveOptionUp', { fieldCode: FIELD, optionCode: 'VANG' }), 'done');
    assert.deepEqual(
      (await shown()).map((r) => r[1]),
      ['KHAC', 'VANG', 'NHOM'],
    );
    assert.deepEqual([serverOption('VANG')?.number, serverOption('NHOM')?.number], [2, 3]);
    assert.equal(await exec('vbotCrm.moveOptionDown', await optionNode('Khác')), 'done');
    assert.deepEqual(
      (await shown()).map((r) => r[1]),
      ['VANG', 'KHAC', 'NHOM'],
    );
    // The first one cannot go up: nothing is sent.
    const updates = ctx.sandbox.requests.filter((r) => r.path === '/api/customerfield/option/update').length;
    assert.equal(await exec('vbotCrm.moveOptionUp', { fieldCode: FIELD, optionCode: 'VANG' }), 'done');
    assert.equal(ctx.sandbox.requests.filter((r) => r.path === '/api/customerfield/option/update').length, updates);
  });

  it('several options selected: one confirmation with each count, all deleted, one summary', async () => {
    const khac = await optionNode('Khác');
    const vang = await optionNode('Vàng');
    const questions: Array<{ message: string; detail?: string }> = [];
    ctx.api.notifier.answerModal = (q) => (questions.push(q), q.actions[0]);
    assert.equal(await vscode.commands.executeCommand('vbotCrm.deleteOption', vang, [khac, vang]), 'done');
    assert.equal(questions.length, 1);
    assert.equal(questions[0].message, 'Delete these 2 options?');
    assert.match(
      questions[0].detail ?? '',
      /^"Khác" \(KHAC\) \(hang\): 1 customer has this option\.\n"Vàng" \(VANG\) \(hang\): 2 customers have this option\.\nThey are deleted/,
    );
    assert.deepEqual(
      server().map((o) => o.code),
      ['KIM_CUONG', 'NHOM'],
    );
    assert.equal(lastNotification(ctx.api).message, '2 of 2 options deleted.');
  });

  it('a lost answer is settled by reading the option back: applied → done; not applied → failed, known not made', async () => {
    ctx.sandbox.injectFault({ fault: { kind: 'resetAfterApply' }, path: '/api/customerfield/option/insert' });
    assert.equal(
      await exec('vbotCrm.addOption', { fieldCode: FIELD, optionCode: 'BAC', name: 'Bạc', color: null, groupCode: null }),
      'done',
    );
    const paths = ctx.sandbox.requests.map((r) => r.path);
    assert.ok(paths.indexOf('/api/customerfield/option/get-detail') > paths.indexOf('/api/customerfield/option/insert'), 'read back');
    const [made] = await journalOf('createOption');
    assert.deepEqual([made.outcome, made.message], ['done', 'the answer was lost; read back, the server shows it made']);
    assert.ok(serverOption('BAC'));

    // The connection drops before the server applies the edit: read back, it was not made.
    ctx.sandbox.injectFault({ fault: { kind: 'reset' }, path: '/api/customerfield/option/update' });
    assert.equal(await exec('vbotCrm.editOption', { fieldCode: FIELD, optionCode: 'BAC', name: 'Bạc 2' }), 'failed');
    assert.equal(serverOption('BAC')?.name, 'Bạc');
    const [notMade] = await journalOf('updateOption');
    assert.equal(notMade.outcome, 'failed');
    assert.match(notMade.message ?? '', /.+/);
    const error = lastNotification(ctx.api);
    assert.equal(error.severity, 'error');
    assert.doesNotMatch(error.message, /may have been applied/i);
    assert.deepEqual(await shown().then((rows) => rows.find((r) => r[1] === 'BAC')), ['Bạc', 'BAC', 'vbotOption']);
  });

  it('a profile that is not v3: refused, nothing sent', async () => {
    await exec('vbotCrm.switchProfile', { name: 'default' });
    const before = ctx.sandbox.requests.length;
    assert.equal(await exec('vbotCrm.addOption', { fieldCode: FIELD, optionCode: 'X', name: 'X', color: null }), 'invalid');
    assert.match(lastNotification(ctx.api).message, /need a profile with API v3/);
    assert.equal(ctx.sandbox.requests.length, before);
  });
});
