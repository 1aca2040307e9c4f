// The v3 customer-field client (src/core/fields/fieldsApi.ts over VbotClient.v3Call) against the sandbox over
// real HTTP: every page of fields and options whichever way the server counts pages, both envelopes, the option
// calls, and every error path (auth, envelope errors, HTTP pages, bad JSON, wrong shapes, resets, timeouts,
// cancellation, redirects). No fetch mocks.

import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { VbotSandbox } from '../sandbox/vbotSandbox';
import { DEFAULT_PAGING, FIELD_PATHS, type FieldSeed, type PagingRules } from '../sandbox/fieldSandbox';
import { VbotClient } from '../../src/core/vbotClient';
import { FieldsApi, type OptionInput } from '../../src/core/fields/fieldsApi';
import { readAllPages } from '../../src/core/fields/paging';
import { optionLayout } from '../../src/core/fields/model';
import { VbotError } from '../../src/core/vbotError';
import { GENERATIONS, RecordingLogger, caught, expectFields, plainServer, sendJson } from './fixtures/clientHarness';

const V = 'VB-FC-1';
const P = 'SALES';

function manyOptions(n: number): FieldSeed {
  const options = Array.from({ length: n }, (_, i) => ({ code: `O${String(i).padStart(4, '0')}`, name: `Lựa chọn ${i}`, number: n - i }));
  return { code: 'many', name: 'Nhiều', type: 'CHECKBOX', options };
}
const LEVEL: FieldSeed = {
  code: 'level',
  name: 'Hạng',
  type: 'SELECT',
  options: [
    { code: 'G1', name: 'Nhóm', type: 'OPTGROUP', color: '#111111', number: 2 },
    { code: 'GOLD', name: 'Vàng', group: 'G1', color: '#f9a825', number: 1 },
    { code: 'SILVER', name: 'Bạc', number: 3 },
    { code: 'BRONZE', name: 'Đồng', number: 0 },
  ],
};

let sb: VbotSandbox;
let key: string;
let log: RecordingLogger;

const client = (options: { timeoutMs?: number; apiVersion?: 'v2' | 'v3'; baseUrl?: string } = {}) =>
  new VbotClient({
    baseUrl: options.baseUrl ?? sb.urlV3,
    apiVersion: options.apiVersion ?? 'v3',
    logger: log,
    timeoutMs: options.timeoutMs,
  });
const api = (signal?: AbortSignal, c = client()) => new FieldsApi(c, key, signal);
const optionRequests = () => sb.requests.filter((r) => r.path === FIELD_PATHS.options);
const pagesAsked = () => optionRequests().map((r) => Number(new URLSearchParams(r.url.split('?')[1]).get('page')));

before(async () => {
  sb = await VbotSandbox.start();
});
after(() => sb.close());
beforeEach(() => {
  sb.reset();
  key = sb.addApiKey(V, P);
  log = new RecordingLogger();
  sb.fields.seed(V, P, [
    LEVEL,
    { code: 'note', name: 'Ghi chú', type: 'TEXT' },
    { code: 'src', name: 'Nguồn', type: 'RADIO' },
    manyOptions(123),
  ]);
});

describe('fields client: reading every page', () => {
  it('reads the choice fields only (SELECT, CHECKBOX, RADIO), in number order, over GET with the API key', async () => {
    const read = await api().readChoiceFields();
    assert.deepEqual(
      read.fields.map((f) => [f.code, f.type]),
      [
        ['level', 'SELECT'],
        ['src', 'RADIO'],
        ['many', 'CHECKBOX'],
      ],
    );
    assert.equal(read.complete, true);
    const r = sb.requests.find((x) => x.path === FIELD_PATHS.fields)!;
    assert.equal(r.method, 'GET');
    assert.equal(r.headers['x-api-key'], key);
    assert.equal(r.headers.authorization, undefined);
    assert.equal(r.rawBody, '');
    assert.match(r.url, /^\/v3\.0\/api\/customerfield\/get-all\?page=\d&size=50$/);
  });

  it('reads fields across pages (small pages)', async () => {
    const fields: FieldSeed[] = Array.from({ length: 23 }, (_, i) => ({ code: `f${i}`, name: `Trường ${i}`, type: 'RADIO' }));
    sb.fields.seed(V, P, fields);
    const read = await api().readChoiceFields({ size: 5 });
    assert.deepEqual(
      read.fields.map((f) => f.code),
      fields.map((f) => f.code),
    );
  });

  // The doc does not say how pages count: each way a server could, the reader gets every option exactly once.
  const ways: Array<[string, Partial<PagingRules>, number[]]> = [
    ['from 1, page 0 read as page 1 (the sandbox default)', {}, [0, 1, 2, 3]],
    ['from 0', { base: 0 }, [0, 1, 2]],
    ['from 1, page 0 empty', { belowBase: 'empty' }, [0, 1, 2, 3]],
    ['from 1, page 0 refused with -1', { belowBase: 'error' }, [0, 1, 2, 3]],
  ];
  for (const [way, rules, asked] of ways) {
    it(`pages counted ${way}: 123 options in pages of 50, each once, in number order`, async () => {
      sb.fields.paging = { ...DEFAULT_PAGING, ...rules };
      const read = await api().readOptions('many');
      assert.equal(read.options.length, 123);
      assert.equal(new Set(read.options.map((o) => o.code)).size, 123);
      assert.deepEqual(
        read.options.map((o) => o.number),
        Array.from({ length: 123 }, (_, i) => i + 1),
      );
      assert.deepEqual(pagesAsked(), asked);
      assert.equal(read.base, rules.base ?? 1);
      assert.equal(read.pages, asked.length);
      // Told the base the first read found, the next read asks no page twice.
      sb.requests.length = 0;
      const again = await api().readOptions('many', { base: read.base });
      assert.equal(again.options.length, 123);
      assert.deepEqual(pagesAsked(), read.base === 0 ? [0, 1, 2] : [1, 2, 3]);
    });
  }

  it('one short page shows nothing of the base: it is left unknown, so a later read still finds it out', async () => {
    const read = await api().readOptions('level');
    assert.equal(read.options.length, 4);
    assert.equal(read.base, undefined);
    assert.deepEqual(pagesAsked(), [0]);
    sb.requests.length = 0;
    const many = await api().readOptions('many', { base: read.base });
    assert.equal(many.options.length, 123);
    assert.equal(many.base, 1);
  });

  it('a list that fills its last page exactly ends at the empty page after it; an empty list at once', async () => {
    sb.fields.seed(V, P, [manyOptions(100), { code: 'empty', name: 'Trống', type: 'SELECT' }]);
    sb.fields.paging = { ...DEFAULT_PAGING, base: 0 };
    assert.equal((await api().readOptions('many')).options.length, 100);
    assert.deepEqual(pagesAsked(), [0, 1, 2]);
    sb.requests.length = 0;
    const empty = await api().readOptions('empty', { base: 0 });
    assert.deepEqual(empty.options, []);
    assert.deepEqual(pagesAsked(), [0]);
    sb.requests.length = 0;
    sb.fields.paging = DEFAULT_PAGING;
    assert.deepEqual((await api().readOptions('empty')).options, []);
    assert.deepEqual(pagesAsked(), [0, 1], 'from 1: an empty page 0 is asked again as page 1');
  });

  it('a server that ignores `page` is read once (the repeat ends the read); the hard cap stops an endless list', async () => {
    sb.fields.paging = { ...DEFAULT_PAGING, ignorePage: true };
    const read = await api().readOptions('many');
    assert.equal(read.options.length, 50);
    assert.ok(read.pages <= 3, `${read.pages} requests`);
    sb.fields.paging = DEFAULT_PAGING;
    const capped = await api().readOptions('many', { size: 10, maxPages: 4 });
    assert.equal(capped.complete, false);
    assert.equal(capped.options.length, 30, 'page 0 and 1 are the same page; 2 and 3 follow');
  });

  it('readAllPages: a page with nothing new ends the read; an error after the first page is thrown', async () => {
    const pages: Record<number, string[]> = { 0: ['a', 'b'], 1: ['c', 'd'], 2: ['b', 'a'] };
    const read = await readAllPages(
      async (p) => pages[p] ?? [],
      (x) => x,
      { size: 2, base: 0 },
    );
    assert.deepEqual(read.items, ['a', 'b', 'c', 'd']);
    const failing = readAllPages(
      async (p) => {
        if (p === 1) throw new VbotError({ kind: 'invalidParams', operation: 'readOptions' });
        return ['a', 'b'];
      },
      (x) => x,
      { size: 2, base: 1 },
    );
    await assert.rejects(failing, (e: VbotError) => e.kind === 'invalidParams');
  });

  for (const generation of GENERATIONS) {
    it(`both envelopes (${generation}): options with groups, colours and group codes`, async () => {
      sb.envelope = generation;
      const read = await api().readOptions('level');
      assert.deepEqual(
        read.options.map((o) => [o.code, o.type, o.groupCode, o.number]),
        [
          ['BRONZE', 'OPTION', null, 0],
          ['GOLD', 'OPTION', 'G1', 1],
          ['G1', 'OPTGROUP', null, 2],
          ['SILVER', 'OPTION', null, 3],
        ],
      );
      assert.equal(read.options[1].color, '#f9a825');
      const layout = optionLayout(read.options);
      assert.deepEqual(
        layout.top.map((o) => o.code),
        ['BRONZE', 'G1', 'SILVER'],
      );
      assert.deepEqual(
        layout.inGroup.get('G1')!.map((o) => o.code),
        ['GOLD'],
      );
    });
  }
});

describe('fields client: option calls', () => {
  const gold = newOption();

  it('insert, get-detail, check-exist-code, update (full editable set), update-code, count, delete', async () => {
    assert.equal(await api().insertOption(gold), 'NEW');
    const insert = sb.requests.at(-1)!;
    assert.equal(insert.method, 'POST');
    assert.deepEqual(insert.body, {
      customer_field_code: 'level',
      customer_field_option_code: 'NEW',
      customer_field_option_group_code: 'G1',
      name: 'Mới',
      color: '#00AA00',
      text_color: '#FFFFFF',
      type: 'OPTION',
    });
    const made = await api().readOption('level', 'NEW');
    assert.deepEqual(made && [made.name, made.groupCode, made.color], ['Mới', 'G1', '#00AA00']);
    assert.equal(await api().isOptionCodeTaken('level', 'NEW'), true);
    assert.equal(await api().isOptionCodeTaken('level', 'G1'), true);
    assert.equal(await api().isOptionCodeTaken('level', 'NONE'), false);
    await api().updateOption({ ...gold, name: 'Mới hơn', groupCode: null, color: null, number: 9 });
    assert.deepEqual(Object.keys(sb.requests.at(-1)!.body as object).sort(), [
      'color',
      'customer_field_code',
      'customer_field_option_code',
      'customer_field_option_group_code',
      'name',
      'number',
      'text_color',
    ]);
    const edited = sb.fields.options(V, P, 'level').find((o) => o.code === 'NEW')!;
    assert.deepEqual([edited.name, edited.customer_field_option_group_code, edited.color, edited.number], ['Mới hơn', null, null, 9]);
    await api().changeOptionCode('level', 'NEW', 'NEWER');
    assert.equal(await api().readOption('level', 'NEW'), undefined, '404 reads as no option');
    assert.equal(await api().countOptions('level'), 5);
    sb.fields.seed(
      V,
      P,
      [LEVEL],
      [
        { name: 'A', values: { level: ['GOLD'] } },
        { name: 'B', values: { level: ['GOLD', 'SILVER'] } },
      ],
    );
    assert.equal(await api().countCustomersWith('level', 'GOLD'), 2);
    assert.deepEqual(sb.requests.at(-1)!.body, {
      field_search: [{ customer_field_code: 'level', value: 'GOLD', type: 'EQUAL', is_search: true }],
    });
    await api().deleteOption('level', 'GOLD');
    assert.equal(await api().countCustomersWith('level', 'GOLD'), 0);
  });

  it('refuses before sending: a code against the rules, an empty name, a colour that is not #RRGGBB; a v2 client', async () => {
    const before = sb.requests.length;
    for (const bad of [
      { ...gold, code: 'có dấu' },
      { ...gold, code: 'A B' },
      { ...gold, name: ' ' },
      { ...gold, color: 'green' },
      { ...gold, groupCode: 'x y' },
    ]) {
      expectFields(await caught(api().insertOption(bad)), { kind: 'invalidInput', operation: 'createOption' });
    }
    expectFields(await caught(api().changeOptionCode('level', 'GOLD', 'x.y')), { kind: 'invalidInput' });
    assert.equal(sb.requests.length, before, 'nothing was sent');
    expectFields(await caught(api(undefined, client({ apiVersion: 'v2', baseUrl: sb.url })).readOptions('level')), {
      kind: 'invalidInput',
      operation: 'readOptions',
    });
  });

  it("the server's refusals: 409 taken, 404 gone, -1 wrong parameters, groups only in SELECT", async () => {
    expectFields(await caught(api().insertOption({ ...gold, code: 'GOLD' })), { kind: 'alreadyExists', serverCode: 409, typeNo: 'GOLD' });
    expectFields(await caught(api().changeOptionCode('level', 'GOLD', 'SILVER')), { kind: 'alreadyExists' });
    expectFields(await caught(api().deleteOption('level', 'NOPE')), { kind: 'notFound', serverCode: 404, outcomeUnknown: false });
    expectFields(await caught(api().updateOption({ ...gold, code: 'NOPE', number: 1 })), { kind: 'notFound' });
    expectFields(await caught(api().insertOption({ ...gold, fieldCode: 'src' })), { kind: 'invalidParams', serverCode: -1 });
    expectFields(await caught(api().readOptions('nope')), { kind: 'notFound', operation: 'readOptions', typeNo: 'nope' });
    expectFields(await caught(api().readOptions('note')), { kind: 'invalidParams' });
  });
});

describe('fields client: every error path', () => {
  it('a wrong or revoked key: unauthorized (HTTP 401), never a secret in the error or the log', async () => {
    const wrong = new FieldsApi(client(), `${key}x`);
    const e = await caught(wrong.readChoiceFields());
    expectFields(e, { kind: 'unauthorized', httpStatus: 401, operation: 'readFields' });
    sb.revokeApiKey(key);
    expectFields(await caught(api().readOptions('level')), { kind: 'unauthorized' });
    expectFields(await caught(new FieldsApi(client(), '').readOptions('level')), { kind: 'signedOut' });
    const text = JSON.stringify(log.lines) + e.message;
    assert.ok(!text.includes(key), 'the key never shows');
  });

  const envelopeErrors: Array<[number, string]> = [
    [403, 'forbidden'],
    [404, 'notFound'],
    [500, 'serverError'],
    [777, 'apiError'],
  ];
  for (const [error, kind] of envelopeErrors) {
    it(`envelope error ${error} on a read → ${kind}, the server's message kept; nothing "may have applied"`, async () => {
      sb.injectFault({ fault: { kind: 'envelopeError', error, message: `lỗi ${error}` }, path: FIELD_PATHS.options });
      expectFields(await caught(api().readOptions('level')), {
        kind: kind as VbotError['kind'],
        serverCode: error,
        serverMessage: `lỗi ${error}`,
        outcomeUnknown: false,
      });
    });
  }

  const faults: Array<[string, Parameters<VbotSandbox['injectFault']>[0]['fault'], Partial<VbotError>]> = [
    ['HTTP 500 with an envelope', { kind: 'http500' }, { kind: 'serverError', serverCode: 500 }],
    ['an HTML 502 page', { kind: 'html502' }, { kind: 'httpError', httpStatus: 502, outcomeUnknown: false }],
    ['malformed JSON', { kind: 'malformedJson' }, { kind: 'badResponse', outcomeUnknown: false }],
    ['an empty body', { kind: 'emptyBody' }, { kind: 'badResponse', outcomeUnknown: false }],
    ['JSON that is no envelope', { kind: 'wrongShape' }, { kind: 'badResponse', outcomeUnknown: false }],
    ['an oversized answer', { kind: 'oversized', bytes: 2 * 1024 * 1024 }, { kind: 'badResponse', outcomeUnknown: false }],
    ['a connection reset', { kind: 'reset' }, { kind: 'network', outcomeUnknown: false }],
    [
      'a redirect to another origin',
      { kind: 'redirect', location: 'http://127.0.0.2:9/x' },
      { kind: 'badResponse', outcomeUnknown: false },
    ],
  ];
  for (const [what, fault, want] of faults) {
    it(`a read that meets ${what} fails as ${want.kind}; on the second page too`, async () => {
      sb.injectFault({ fault, path: FIELD_PATHS.options });
      expectFields(await caught(api().readOptions('many')), { ...want, operation: 'readOptions' });
      sb.requests.length = 0;
      // The first page answers, the second breaks: no half list comes back.
      sb.fields.paging = { ...DEFAULT_PAGING, base: 0 };
      let calls = 0;
      const c = client();
      const original = c.v3Call.bind(c);
      c.v3Call = (call, k, s) => {
        if (++calls === 2) sb.injectFault({ fault, path: FIELD_PATHS.options });
        return original(call, k, s);
      };
      expectFields(await caught(new FieldsApi(c, key).readOptions('many')), { kind: want.kind });
    });
  }

  it('a lost answer to a change may have applied it (outcomeUnknown); reading it back settles it', async () => {
    sb.injectFault({ fault: { kind: 'resetAfterApply' }, path: FIELD_PATHS.optionInsert });
    const e = await caught(api().insertOption({ ...newOption(), code: 'LOST' }));
    expectFields(e, { kind: 'network', outcomeUnknown: true, operation: 'createOption', typeNo: 'LOST' });
    assert.equal((await api().readOption('level', 'LOST'))?.name, 'Mới');
    sb.injectFault({ fault: { kind: 'html502' }, path: FIELD_PATHS.optionDelete });
    expectFields(await caught(api().deleteOption('level', 'LOST')), { kind: 'httpError', outcomeUnknown: true });
  });

  it('a server that answers data=false to a delete refused it', async () => {
    const server = await plainServer((_req, res) => sendJson(res, 200, { error: 0, message: 'ok', data: false }));
    try {
      const c = new VbotClient({ baseUrl: `${server.origin}/v3.0`, apiVersion: 'v3' });
      expectFields(await caught(new FieldsApi(c, 'k').deleteOption('level', 'GOLD')), { kind: 'apiError', outcomeUnknown: false });
    } finally {
      await server.close();
    }
  });

  it('data of the wrong shape in a success envelope is a badResponse (a list that is not a list, an option without a code)', async () => {
    const answers = [
      { error: 0, data: { not: 'a list' } },
      { error: 0, data: [{ name: 'x', type: 'OPTION' }] },
      { error: 0, data: 'many' },
    ];
    let i = 0;
    const server = await plainServer((_req, res) => sendJson(res, 200, answers[i++ % answers.length]));
    try {
      const fields = new FieldsApi(new VbotClient({ baseUrl: `${server.origin}/v3.0`, apiVersion: 'v3' }), 'k');
      expectFields(await caught(fields.readChoiceFields()), { kind: 'badResponse', operation: 'readFields' });
      expectFields(await caught(fields.readOptions('level')), { kind: 'badResponse', operation: 'readOptions' });
      expectFields(await caught(fields.countOptions('level')), { kind: 'badResponse' });
      assert.ok(server.requests.every((r) => r.method === 'GET' && r.headers['x-api-key'] === 'k'));
    } finally {
      await server.close();
    }
  });

  it('no answer: a timeout; a cancel: cancelled, at once', async () => {
    sb.injectFault({ fault: { kind: 'noAnswer' }, path: FIELD_PATHS.options, times: 2 });
    expectFields(await caught(api(undefined, client({ timeoutMs: 200 })).readOptions('level')), { kind: 'timeout', outcomeUnknown: false });
    const controller = new AbortController();
    const pending = api(controller.signal).readOptions('level');
    setTimeout(() => controller.abort(), 50);
    expectFields(await caught(pending), { kind: 'cancelled' });
  });
});

function newOption(): OptionInput {
  return { fieldCode: 'level', code: 'NEW', name: 'Mới', type: 'OPTION', groupCode: 'G1', color: '#00AA00', textColor: '#FFFFFF' };
}
