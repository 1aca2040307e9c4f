// The sandbox's API v3 customer fields and options (test/sandbox/fieldSandbox.ts), over real HTTP with
// global fetch: paging, the code rules, groups only in SELECT fields, default fields kept, customer/count-all,
// auth, methods, fault injection and the demo data.

import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { VbotSandbox } from '../sandbox/vbotSandbox';
import { FIELD_PATHS, type FieldSeed } from '../sandbox/fieldSandbox';
import { DEMO_API_KEY, DEMO_FIELDS, DEMO_V3_PROJECT, DEMO_VBOT_ID, demoFieldSeed } from '../sandbox/demoData';

const V = 'VB-F-1';
const P = 'SALES';

const LEVEL: FieldSeed = {
  code: 'level',
  name: 'Hạng',
  type: 'SELECT',
  options: [
    { code: 'G1', name: 'Nhóm 1', type: 'OPTGROUP', color: '#111111' },
    { code: 'GOLD', name: 'Vàng', group: 'G1', color: '#F9A825', text_color: '#000000' },
    { code: 'SILVER', name: 'Bạc', color: '#BDBDBD' },
    { code: 'FIRST', name: 'Đầu tiên', number: 0 },
  ],
};
const SOURCE: FieldSeed = { code: 'source', name: 'Nguồn', type: 'RADIO', options: [{ code: 'FB', name: 'Facebook' }] };
const NOTE: FieldSeed = { code: 'note', name: 'Ghi chú', type: 'TEXT' };

let sb: VbotSandbox;
let key: string;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions poke at arbitrary shapes
type Json = any;
interface Answer {
  status: number;
  json: Json;
}

async function get(path: string, query: Record<string, string | number> = {}, apiKey: string | null = key): Promise<Answer> {
  const q = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString();
  const res = await fetch(`${sb.urlV3}${path}${q ? `?${q}` : ''}`, { headers: apiKey === null ? {} : { 'X-API-Key': apiKey } });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

async function post(path: string, body: unknown, apiKey: string | null = key): Promise<Answer> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (apiKey !== null) headers['X-API-Key'] = apiKey;
  const res = await fetch(`${sb.urlV3}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

function data(a: Answer): Json {
  assert.equal(a.status, 200, JSON.stringify(a.json));
  assert.equal(a.json.error, 0, JSON.stringify(a.json));
  return a.json.data;
}

function refused(a: Answer, error: number): void {
  assert.equal(a.status, 200);
  assert.equal(a.json.error, error, JSON.stringify(a.json));
  assert.equal(a.json.data, null);
}

const options = (field = 'level', query: Record<string, string | number> = {}) =>
  get(FIELD_PATHS.options, { customer_field_code: field, size: 100, ...query });
const codes = (list: Json[]) => list.map((o: Json) => o.code);

before(async () => {
  sb = await VbotSandbox.start({ envelope: 'errorOnly' });
});
after(() => sb.close());
beforeEach(() => {
  sb.reset();
  key = sb.addApiKey(V, P);
  sb.fields.seed(
    V,
    P,
    [LEVEL, SOURCE, NOTE],
    [
      { name: 'An', values: { level: ['GOLD'], source: ['FB'] } },
      { name: 'Bình', values: { level: ['GOLD'] } },
      { name: 'Cường', values: { level: ['SILVER'], source: ['FB'] } },
    ],
  );
});

describe('v3 customer fields in the sandbox', () => {
  it('get-all lists default and own fields in number order, the newer envelope, with every documented property', async () => {
    const answer = await get(FIELD_PATHS.fields, { page: 1, size: 50 });
    assert.deepEqual(Object.keys(answer.json).sort(), ['data', 'error', 'message'], 'the newer envelope: no status');
    const list = data(answer);
    assert.deepEqual(codes(list), ['name', 'customer_code', 'phone', 'member_no', 'level', 'source', 'note']);
    assert.deepEqual(Object.keys(list[4]).sort(), [
      'code',
      'color',
      'create_at',
      'description',
      'is_default',
      'is_required',
      'is_unique',
      'name',
      'number',
      'text_color',
      'type',
    ]);
    assert.deepEqual(
      list.map((f: Json) => f.is_default),
      [true, true, true, true, false, false, false],
    );
    assert.deepEqual(
      data(await get(FIELD_PATHS.fields, { key: 'NGU', size: 50 })).map((f: Json) => f.code),
      ['source'],
      'key searches names',
    );
    assert.deepEqual(codes(data(await get(FIELD_PATHS.fields, { key: 'phone', size: 50 }))), ['phone'], 'and codes');
    assert.equal(data(await get(FIELD_PATHS.fieldCount, {})), 7);
    const level = list[4];
    assert.deepEqual(
      codes(data(await get(FIELD_PATHS.fields, { from: level.create_at, to: -1, size: 50 }))),
      ['level', 'source', 'note'],
      'from/to filter the creation time, -1 = none',
    );
    assert.equal(data(await get(FIELD_PATHS.fieldDetail, { customer_field_code: 'note' })).type, 'TEXT');
    refused(await get(FIELD_PATHS.fieldDetail, { customer_field_code: 'nope' }), 404);
  });

  it('pages start at 1, size defaults to 20 and is capped at 100; page 0 reads as the first page', async () => {
    const many: FieldSeed = { code: 'many', name: 'Nhiều', type: 'CHECKBOX', options: [] };
    for (let i = 0; i < 130; i++) many.options!.push({ code: `O${String(i).padStart(3, '0')}`, name: `Lựa chọn ${i}` });
    sb.fields.seed(V, P, [many]);
    const page = async (query: Record<string, number>) => codes(data(await options('many', query)));
    assert.equal((await page({ page: 1, size: 50 }))[0], 'O000');
    assert.equal((await page({ page: 3, size: 50 })).length, 30);
    assert.deepEqual(await page({ page: 4, size: 50 }), []);
    assert.deepEqual(await page({ page: 0, size: 50 }), await page({ page: 1, size: 50 }), 'below the base: clamped');
    const noSize = codes(data(await get(FIELD_PATHS.options, { customer_field_code: 'many' })));
    assert.equal(noSize.length, 20);
    assert.equal((await page({ page: 1, size: 500 })).length, 100);
    assert.equal(data(await get(FIELD_PATHS.optionCount, { customer_field_code: 'many' })), 130);
    refused(await options('many', { size: 0 }), -1);

    sb.fields.paging = { ...sb.fields.paging, base: 0 };
    assert.equal((await page({ page: 0, size: 50 }))[0], 'O000');
    assert.equal((await page({ page: 2, size: 50 })).length, 30);
    sb.fields.paging = { ...sb.fields.paging, base: 1, belowBase: 'empty' };
    assert.deepEqual(await page({ page: 0, size: 50 }), []);
    sb.fields.paging = { ...sb.fields.paging, belowBase: 'error' };
    refused(await options('many', { page: 0 }), -1);
    sb.fields.paging = { ...sb.fields.paging, ignorePage: true };
    assert.deepEqual(await page({ page: 2, size: 50 }), await page({ page: 1, size: 50 }), 'a server that does not page');
  });

  it('option get-all: number order, groups as OPTGROUP, filters by group, type and name; count-all agrees', async () => {
    const list = data(await options());
    assert.deepEqual(codes(list), ['FIRST', 'G1', 'GOLD', 'SILVER']);
    assert.deepEqual(list[2], {
      create_at: list[2].create_at,
      code: 'GOLD',
      customer_field_option_group_code: 'G1',
      number: 2,
      name: 'Vàng',
      color: '#F9A825',
      text_color: '#000000',
      type: 'OPTION',
    });
    assert.equal(list[1].type, 'OPTGROUP');
    assert.equal(list[3].customer_field_option_group_code, null);
    assert.deepEqual(codes(data(await options('level', { customer_field_option_group_code: 'G1' }))), ['GOLD']);
    assert.deepEqual(codes(data(await options('level', { type: 'OPTGROUP' }))), ['G1']);
    assert.deepEqual(codes(data(await options('level', { key: 'bạc' }))), ['SILVER']);
    assert.equal(data(await get(FIELD_PATHS.optionCount, { customer_field_code: 'level', type: 'OPTION' })), 3);
    refused(await get(FIELD_PATHS.options, {}), -1);
    refused(await options('nope'), 404);
    refused(await options('note'), -1);
  });

  it('get-detail and check-exist-code (groups count as taken)', async () => {
    const q = (code: string) => ({ customer_field_code: 'level', customer_field_option_code: code });
    assert.equal(data(await get(FIELD_PATHS.optionDetail, q('GOLD'))).name, 'Vàng');
    refused(await get(FIELD_PATHS.optionDetail, q('NOPE')), 404);
    assert.equal(data(await get(FIELD_PATHS.optionCodeTaken, q('GOLD'))), true);
    assert.equal(data(await get(FIELD_PATHS.optionCodeTaken, q('G1'))), true);
    assert.equal(data(await get(FIELD_PATHS.optionCodeTaken, q('NOPE'))), false);
  });

  it('insert: the code rules, unique across the field, groups only in SELECT, colours as hex; answers the code', async () => {
    const insert = (body: Record<string, unknown>, field = 'level') =>
      post(FIELD_PATHS.optionInsert, { customer_field_code: field, type: 'OPTION', name: 'Mới', ...body });
    assert.equal(data(await insert({ customer_field_option_code: 'NEW_1-a', color: '#00AA00', text_color: '#FFFFFF' })), 'NEW_1-a');
    const made = data(await get(FIELD_PATHS.optionDetail, { customer_field_code: 'level', customer_field_option_code: 'NEW_1-a' }));
    assert.equal(made.number, 4, 'after the last number (SILVER 3) when not given');
    assert.equal(made.customer_field_option_group_code, null);
    for (const bad of ['có dấu', 'A B', 'A.B', '', 'X'.repeat(51)]) refused(await insert({ customer_field_option_code: bad }), -1);
    refused(await insert({ customer_field_option_code: 'GOLD' }), 409);
    refused(await insert({ customer_field_option_code: 'G1' }), 409);
    refused(await insert({ customer_field_option_code: 'N2', name: ' ' }), -1);
    refused(await insert({ customer_field_option_code: 'N2', color: 'red' }), -1);
    refused(await insert({ customer_field_option_code: 'N2', type: 'OTHER' }), -1);
    refused(await insert({ customer_field_option_code: 'N2', customer_field_option_group_code: 'NOPE' }), 404);
    refused(await insert({ customer_field_option_code: 'N2', customer_field_option_group_code: 'SILVER' }), 404);
    assert.equal(data(await insert({ customer_field_option_code: 'N2', customer_field_option_group_code: 'G1', number: 9 })), 'N2');
    refused(await insert({ customer_field_option_code: 'G2', type: 'OPTGROUP', customer_field_option_group_code: 'G1' }), -1);
    refused(await insert({ customer_field_option_code: 'G2', type: 'OPTGROUP' }, 'source'), -1);
    refused(await insert({ customer_field_option_code: 'X', customer_field_option_group_code: 'G1' }, 'source'), -1);
    refused(await insert({ customer_field_option_code: 'X' }, 'note'), -1);
    assert.deepEqual(codes(data(await options())), ['FIRST', 'G1', 'GOLD', 'SILVER', 'NEW_1-a', 'N2']);
  });

  it('update: name, colours, number and group change; code and type do not', async () => {
    const update = (body: Record<string, unknown>) =>
      post(FIELD_PATHS.optionUpdate, { customer_field_code: 'level', customer_field_option_code: 'SILVER', ...body });
    assert.equal(
      data(await update({ name: 'Bạc mới', color: '#000000', text_color: null, number: -1, customer_field_option_group_code: 'G1' })),
      'SILVER',
    );
    const silver = data(await get(FIELD_PATHS.optionDetail, { customer_field_code: 'level', customer_field_option_code: 'SILVER' }));
    assert.deepEqual(
      [silver.name, silver.color, silver.text_color, silver.number, silver.customer_field_option_group_code],
      ['Bạc mới', '#000000', null, -1, 'G1'],
    );
    assert.deepEqual(codes(data(await options()))[0], 'SILVER', 'number decides the order');
    assert.equal(data(await update({ customer_field_option_group_code: null })), 'SILVER');
    refused(await update({ type: 'OPTGROUP' }), -1);
    refused(await update({ name: '' }), -1);
    refused(await post(FIELD_PATHS.optionUpdate, { customer_field_code: 'level', customer_field_option_code: 'NOPE', name: 'x' }), 404);
  });

  it('update-code: the rules, 404 and 409; group members and customers follow the new code', async () => {
    const change = (from: string, to: string) =>
      post(FIELD_PATHS.optionUpdateCode, {
        customer_field_code: 'level',
        customer_field_option_code: from,
        customer_field_option_code_new: to,
      });
    assert.equal(data(await change('GOLD', 'VANG')), true);
    assert.deepEqual(
      sb.fields.customers(V, P).map((c) => c.values.level),
      [['VANG'], ['VANG'], ['SILVER']],
    );
    assert.equal(data(await change('G1', 'G_1')), true);
    assert.equal(sb.fields.options(V, P, 'level').find((o) => o.code === 'VANG')!.customer_field_option_group_code, 'G_1');
    refused(await change('VANG', 'SILVER'), 409);
    refused(await change('NOPE', 'X'), 404);
    refused(await change('VANG', 'có dấu'), -1);
    assert.deepEqual(codes(data(await options())), ['FIRST', 'G_1', 'VANG', 'SILVER'], 'the order is kept');
  });

  it('delete: 404 once gone; a group leaves its options at the top level; customers lose the value', async () => {
    const del = (code: string) => post(FIELD_PATHS.optionDelete, { customer_field_code: 'level', customer_field_option_code: code });
    assert.equal(data(await del('G1')), true);
    assert.equal(sb.fields.options(V, P, 'level').find((o) => o.code === 'GOLD')!.customer_field_option_group_code, null);
    assert.equal(data(await del('GOLD')), true);
    refused(await del('GOLD'), 404);
    assert.deepEqual(
      sb.fields.customers(V, P).map((c) => c.values.level),
      [[], [], ['SILVER']],
    );
  });

  it('default fields cannot be deleted; an own field can', async () => {
    for (const code of ['name', 'customer_code', 'phone', 'member_no'])
      refused(await post(FIELD_PATHS.fieldDelete, { customer_field_code: code }), -1);
    assert.equal(data(await post(FIELD_PATHS.fieldDelete, { customer_field_code: 'note' })), true);
    refused(await post(FIELD_PATHS.fieldDelete, { customer_field_code: 'note' }), 404);
    assert.equal(data(await get(FIELD_PATHS.fieldCount)), 6);
  });

  it('customer/count-all counts seeded customers with an EQUAL filter (all conditions, is_search false ignored)', async () => {
    const count = (...search: Array<Record<string, unknown>>) =>
      post(FIELD_PATHS.customerCount, { field_search: search.map((s) => ({ type: 'EQUAL', is_search: true, ...s })) });
    assert.equal(data(await count({ customer_field_code: 'level', value: 'GOLD' })), 2);
    assert.equal(data(await count({ customer_field_code: 'level', value: 'GOLD' }, { customer_field_code: 'source', value: 'FB' })), 1);
    assert.equal(data(await count({ customer_field_code: 'level', value: 'FIRST' })), 0);
    assert.equal(
      data(await count({ customer_field_code: 'level', value: 'GOLD' }, { customer_field_code: 'source', value: 'X', is_search: false })),
      2,
    );
    assert.equal(data(await count()), 3);
    refused(await count({ customer_field_code: 'level', value: 'GOLD', type: 'LIKE' }), -1);
    refused(await count({ customer_field_code: 'nope', value: 'GOLD' }), 404);
  });

  it('the key decides the project; no key is 401; reads are GET and writes POST (405 otherwise); the v2 prefix does not serve them', async () => {
    const other = sb.addApiKey(V, 'OTHER');
    assert.deepEqual(codes(data(await get(FIELD_PATHS.fields, { size: 50 }, other))), ['name', 'customer_code', 'phone', 'member_no']);
    refused(await options('level', {}).then(() => get(FIELD_PATHS.options, { customer_field_code: 'level' }, other)), 404);
    const noKey = await get(FIELD_PATHS.fields, {}, null);
    assert.equal(noKey.status, 401);
    assert.equal((await get(FIELD_PATHS.fields, {}, `${key}x`)).status, 401);
    assert.equal((await post(FIELD_PATHS.fields, {})).status, 405);
    assert.equal((await get(FIELD_PATHS.optionInsert)).status, 405);
    const v2 = await fetch(`${sb.url}${FIELD_PATHS.fields}`, { headers: { 'X-API-Key': key } });
    assert.equal(v2.status, 404);
    const r = sb.requests.find((x) => x.path === FIELD_PATHS.fields);
    assert.ok(r && r.method === 'GET' && r.apiVersion === 'v3' && r.url.startsWith('/v3.0/api/customerfield/get-all?'));
  });

  it('fault injection reaches the field paths (before auth), then normal answers resume', async () => {
    sb.injectFault({ fault: { kind: 'html502' }, path: FIELD_PATHS.options });
    assert.equal((await fetch(`${sb.urlV3}${FIELD_PATHS.options}?customer_field_code=level`)).status, 502);
    sb.injectFault({ fault: { kind: 'resetAfterApply' }, path: FIELD_PATHS.optionDelete });
    await assert.rejects(post(FIELD_PATHS.optionDelete, { customer_field_code: 'level', customer_field_option_code: 'SILVER' }));
    assert.equal(
      sb.fields.options(V, P, 'level').some((o) => o.code === 'SILVER'),
      false,
      'applied before the reset',
    );
    assert.deepEqual(codes(data(await options())), ['FIRST', 'G1', 'GOLD']);
  });

  it('admin routes seed fields and set the paging; reset() forgets both', async () => {
    const admin = (action: string, body: unknown) =>
      fetch(`${sb.origin}/__sandbox/${action}`, {
        method: 'POST',
        headers: { 'X-Sandbox-Admin-Key': sb.adminKey, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    assert.equal((await admin('fields', { vbotId: V, projectCode: P, fields: [SOURCE] })).status, 200);
    assert.deepEqual(codes(data(await get(FIELD_PATHS.fields, { size: 50 }))).slice(4), ['source']);
    assert.equal((await admin('fields', { vbotId: V })).status, 400);
    assert.equal((await admin('fields', { vbotId: V, projectCode: P, fields: [{ code: 'x', name: 'x', type: 'WRONG' }] })).status, 400);
    assert.equal((await admin('field-paging', { base: 0 })).status, 200);
    assert.equal(sb.fields.paging.base, 0);
    assert.equal((await fetch(`${sb.origin}/__sandbox/field-paging`, { method: 'POST', body: '{}' })).status, 401);
    sb.reset();
    assert.equal(sb.fields.paging.base, 1);
    assert.deepEqual(sb.fields.options(V, P, 'source'), []);
  });

  it('the demo data: two choice fields with colours, a SELECT with a group, behind the demo API key', async () => {
    const demo = await VbotSandbox.start({
      apiKeys: [{ key: DEMO_API_KEY, vbotId: DEMO_VBOT_ID, projectCode: DEMO_V3_PROJECT }],
      fieldSeed: demoFieldSeed(),
    });
    try {
      const fields = demo.fields.fields(DEMO_VBOT_ID, DEMO_V3_PROJECT).filter((f) => !f.is_default);
      assert.deepEqual(
        fields.map((f) => [f.code, f.type]),
        DEMO_FIELDS.map((f) => [f.code, f.type]),
      );
      for (const f of DEMO_FIELDS) {
        const list = demo.fields.options(DEMO_VBOT_ID, DEMO_V3_PROJECT, f.code);
        assert.equal(list.length, f.options.length);
        assert.ok(list.every((o) => /^#[0-9A-F]{6}$/i.test(o.color ?? '')));
      }
      assert.ok(demo.fields.options(DEMO_VBOT_ID, DEMO_V3_PROJECT, 'hang_thanh_vien').some((o) => o.type === 'OPTGROUP'));
      const res = await fetch(`${demo.urlV3}${FIELD_PATHS.fields}?page=1&size=50`, { headers: { 'X-API-Key': DEMO_API_KEY } });
      assert.equal(((await res.json()) as Json).data.length, 4 + DEMO_FIELDS.length);
    } finally {
      await demo.close();
    }
  });
});
