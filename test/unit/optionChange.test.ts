// A change to an option of a customer field (API v3) through the one change runner: the request each makes,
// an unknown outcome settled by reading the option back (made, not made, or the read failing too), a later
// attempt recovered through the journal, and the journal lines (the field kept apart from a type's code).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChangeRunner, type ApiAnswer, type ChangeApi } from '../../src/core/change/changeRunner';
import {
  type OptionChange,
  changeOptionCodeChange,
  createOptionChange,
  deleteOptionChange,
  optionRecordOf,
  recordsOptionChange,
  updateOptionChange,
} from '../../src/core/change/optionChange';
import type { ApiRequest, ChangeClient } from '../../src/core/change/typeChange';
import { undoOfRecord } from '../../src/core/change/typeChange';
import type { FieldOption } from '../../src/core/fields/model';
import { entryFromInput, matchesFilter, parseJournalEntry } from '../../src/core/journal/entry';
import { JournalHistory } from '../../src/core/journal/history';
import { ChangeJournal } from '../../src/core/journal/journal';
import type { V3Call } from '../../src/core/vbotClient';
import { VbotError } from '../../src/core/vbotError';
import { FakeCache, FakeJournal, FakeLog } from './fixtures/changeFakes';

const where = { vbotId: 'VB1', projectCode: 'P1' };
const VANG: FieldOption = {
  code: 'VANG',
  name: 'Vàng',
  type: 'OPTION',
  groupCode: null,
  number: 3,
  color: '#F9A825',
  textColor: '#000000',
};
const BAC: FieldOption = { code: 'BAC', name: 'Bạc', type: 'OPTION', groupCode: null, number: 4, color: null, textColor: null };

/**
 * A server of one field's options behind v3Call, as the sandbox words it: `lose` makes the next change apply and
 * then lose its answer (outcome unknown); `failReads` refuses every read (the network is down) with outcome known.
 */
class FakeServer {
  readonly options = new Map<string, FieldOption>([[BAC.code, { ...BAC }]]);
  readonly calls: V3Call[] = [];
  lose = false;
  failReads = false;

  readonly client: ChangeClient = {
    v3Call: async (call) => this.answer(call),
    createType: () => Promise.reject(new Error('no types here')),
    updateTypeName: () => Promise.reject(new Error('no types here')),
    changeTypeCode: () => Promise.reject(new Error('no types here')),
    deleteType: () => Promise.reject(new Error('no types here')),
  };

  private answer(call: V3Call): unknown {
    this.calls.push(call);
    if (call.method === 'GET') {
      if (this.failReads) throw new VbotError({ kind: 'network', operation: call.operation });
      const code = String(call.query?.customer_field_option_code);
      const o = this.options.get(code);
      if (call.path.endsWith('/check-exist-code')) return o !== undefined;
      if (!o) throw new VbotError({ kind: 'notFound', operation: call.operation });
      return {
        code: o.code,
        name: o.name,
        type: o.type,
        customer_field_option_group_code: o.groupCode,
        number: o.number,
        color: o.color,
        text_color: o.textColor,
      };
    }
    const b = call.body as Record<string, unknown>;
    const code = String(b.customer_field_option_code);
    const result = this.apply(call.path, code, b);
    if (this.lose) {
      this.lose = false;
      throw new VbotError({ kind: 'timeout', operation: call.operation, outcomeUnknown: true });
    }
    return result;
  }

  private apply(path: string, code: string, b: Record<string, unknown>): unknown {
    const refuse = (kind: 'notFound' | 'alreadyExists') => {
      throw new VbotError({ kind, operation: 'createOption' });
    };
    if (path.endsWith('/insert')) {
      if (this.options.has(code)) refuse('alreadyExists');
      this.options.set(code, {
        code,
        name: String(b.name),
        type: b.type as 'OPTION',
        groupCode: (b.customer_field_option_group_code as string) ?? null,
        number: Number(b.number),
        color: (b.color as string) ?? null,
        textColor: (b.text_color as string) ?? null,
      });
      return code;
    }
    const o = this.options.get(code) ?? refuse('notFound');
    if (path.endsWith('/update'))
      Object.assign(o!, {
        name: b.name,
        color: b.color,
        textColor: b.text_color,
        number: b.number,
        groupCode: b.customer_field_option_group_code,
      });
    if (path.endsWith('/update-code')) {
      this.options.delete(code);
      this.options.set(String(b.customer_field_option_code_new), { ...o!, code: String(b.customer_field_option_code_new) });
    }
    if (path.endsWith('/delete')) this.options.delete(code);
    return true;
  }
}

/** The change runner's API port over the fake server, sending each request as ProfileApi does. */
class ServerApi implements ChangeApi {
  readonly requests: ApiRequest[] = [];
  constructor(private readonly server: FakeServer) {}
  async send(request: ApiRequest): Promise<ApiAnswer> {
    this.requests.push(request);
    try {
      await request.send(this.server.client, 'demo-key');
      return { ok: true };
    } catch (e) {
      return { ok: false, error: e as VbotError };
    }
  }
}

function setup(journal = new FakeJournal()) {
  const server = new FakeServer();
  const api = new ServerApi(server);
  const cache = new FakeCache();
  const log = new FakeLog();
  return { server, api, journal, cache, log, runner: new ChangeRunner({ profile: 'v3', api, journal, cache, log }) };
}

const CHANGES: OptionChange[] = [
  createOptionChange(where, 'hang', VANG),
  updateOptionChange(where, 'hang', BAC, { ...BAC, name: 'Bạc mới', color: '#757575', textColor: '#FFFFFF', number: 9 }),
  changeOptionCodeChange(where, 'hang', BAC, 'SILVER'),
  deleteOptionChange(where, 'hang', BAC),
];

describe('option changes through the change runner', () => {
  it('each change sends its documented body, leaves a journal line with the field, and no cache edit', async () => {
    const bodies: unknown[] = [];
    for (const change of CHANGES) {
      const { server, runner, journal, cache } = setup();
      const result = await runner.run(change);
      assert.equal(result.status, 'done', change.op);
      bodies.push(server.calls.map((c) => (c.method === 'POST' ? [c.path, c.body] : c.path)));
      assert.deepEqual(
        journal.records.map((r) => [r.field, r.operation, r.typeNo, r.outcome]),
        [['hang', change.op, change.op === 'createOption' ? 'VANG' : 'BAC', 'done']],
      );
      assert.equal(cache.writes.length, 0, 'an option is not in the local list of types');
    }
    assert.deepEqual(bodies, [
      [
        [
          '/api/customerfield/option/insert',
          {
            customer_field_code: 'hang',
            customer_field_option_code: 'VANG',
            customer_field_option_group_code: null,
            name: 'Vàng',
            color: '#F9A825',
            text_color: '#000000',
            type: 'OPTION',
            number: 3,
          },
        ],
      ],
      [
        [
          '/api/customerfield/option/update',
          {
            customer_field_code: 'hang',
            customer_field_option_code: 'BAC',
            customer_field_option_group_code: null,
            name: 'Bạc mới',
            color: '#757575',
            text_color: '#FFFFFF',
            number: 9,
          },
        ],
      ],
      [
        [
          '/api/customerfield/option/update-code',
          { customer_field_code: 'hang', customer_field_option_code: 'BAC', customer_field_option_code_new: 'SILVER' },
        ],
      ],
      [['/api/customerfield/option/delete', { customer_field_code: 'hang', customer_field_option_code: 'BAC' }]],
    ]);
  });

  for (const change of CHANGES) {
    it(`${change.op}: a lost answer is settled by reading the option back: made → done`, async () => {
      const { server, runner, journal, log } = setup();
      server.lose = true;
      const result = await runner.run(change);
      assert.equal(result.status, 'done');
      const reads = server.calls.filter((c) => c.method === 'GET').map((c) => c.path.split('/').pop());
      assert.deepEqual(
        reads,
        change.op === 'createOption' || change.op === 'updateOption'
          ? ['get-detail']
          : change.op === 'changeOptionCode'
            ? ['check-exist-code', 'check-exist-code']
            : ['check-exist-code'],
      );
      assert.equal(journal.records[0].outcome, 'done');
      assert.match(journal.records[0].message ?? '', /read back/);
      assert.ok(log.lines.some((l) => l.includes('read back, the server shows it made')));
    });
  }

  it('a lost answer whose change the server does not show: failed, known not made (no Retry as for an unknown outcome)', async () => {
    const { server, runner, journal, api } = setup();
    // The server loses the answer but never applied it: the request is answered as lost before it is applied.
    api.send = async (request) => {
      api.requests.push(request);
      if (request.operation === 'createOption')
        return { ok: false, error: new VbotError({ kind: 'timeout', operation: 'createOption', outcomeUnknown: true }) };
      await request.send(server.client, 'demo-key');
      return { ok: true };
    };
    const result = await runner.run(createOptionChange(where, 'hang', VANG));
    assert.equal(result.status, 'failed');
    const error = (result as { error: VbotError }).error;
    assert.equal(error.outcomeUnknown, false);
    assert.match(error.message, /not made/);
    assert.equal(journal.records[0].outcome, 'failed');
  });

  it('a lost answer and a failed read-back: the outcome stays unknown; the next attempt meets 409 and is recovered through the journal', async () => {
    const journal = new FakeJournal();
    const first = setup(journal);
    first.server.lose = true;
    first.server.failReads = true;
    const change = createOptionChange(where, 'hang', VANG);
    const result = await first.runner.run(change);
    assert.equal(result.status, 'failed');
    assert.equal((result as { error: VbotError }).error.outcomeUnknown, true);
    assert.equal(journal.records[0].outcome, 'unknown');
    // The same change again, to a server that has it (the first attempt made it): 409, and the journal's last word.
    const again = setup(journal);
    again.server.options.set('VANG', { ...VANG });
    assert.equal((await again.runner.run(change)).status, 'recovered');
    // A type with the same code in the journal is another thing: it proves nothing of the option.
    const typeJournal = new FakeJournal();
    await typeJournal.appendMany([
      { profile: 'v3', ...where, operation: 'create', typeNo: 'VANG', after: { typeNo: 'VANG', typeName: 'Vàng' }, outcome: 'unknown' },
    ]);
    const other = setup(typeJournal);
    other.server.options.set('VANG', { ...VANG });
    assert.equal((await other.runner.run(change)).status, 'failed');
  });
});

describe('journal lines of option changes', () => {
  const stamp = { id: 'e1', at: '2026-11-29T20:00:00.000Z' };
  const record = optionRecordOf(CHANGES[2], { profile: 'v3', outcome: 'done' });

  it('keep the field, right after the project, and read back the same', () => {
    const entry = entryFromInput(record, stamp);
    assert.deepEqual(Object.keys(entry), [
      'id',
      'at',
      'profile',
      'vbotId',
      'projectCode',
      'field',
      'operation',
      'typeNo',
      'before',
      'after',
      'outcome',
    ]);
    assert.deepEqual(parseJournalEntry(JSON.parse(JSON.stringify(entry))), entry);
    assert.ok(recordsOptionChange(entry, CHANGES[2]));
    assert.ok(!recordsOptionChange({ ...entry, field: 'nguon' }, CHANGES[2]));
  });

  it('an option operation without a field, or a type operation with one, is not a journal line', () => {
    assert.throws(() => entryFromInput({ ...record, field: undefined }, stamp), /bad "field"/);
    assert.equal(parseJournalEntry({ ...entryFromInput(record, stamp), operation: 'rename' }), null);
  });

  it('a code filter keeps the types and each field apart', () => {
    const entry = entryFromInput(record, stamp);
    assert.equal(matchesFilter(entry, { typeNo: 'BAC' }), false, 'a type code BAC is another thing');
    assert.equal(matchesFilter(entry, { typeNo: 'BAC', field: 'hang' }), true);
    assert.equal(matchesFilter(entry, { typeNo: 'SILVER', field: 'hang' }), true);
    assert.equal(matchesFilter(entry, { typeNo: 'BAC', field: 'nguon' }), false);
    assert.equal(matchesFilter(entry, { profile: 'v3' }), true, 'the History view lists it');
  });

  it('has no Undo, said so', () => {
    const entry = entryFromInput(record, stamp);
    assert.ok('impossible' in undoOfRecord(entry));
    assert.deepEqual(new JournalHistory([entry]).undoCheck(entry), { ok: false, reason: 'optionChange' });
  });

  it("Undo Last Change of the types passes over option changes, even one with a type's code", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vbot-option-journal-'));
    try {
      const journal = new ChangeJournal(join(dir, 'journal.jsonl'));
      const type = {
        profile: 'v3',
        ...where,
        operation: 'create' as const,
        typeNo: 'BAC',
        after: { typeNo: 'BAC', typeName: 'Bạc' },
        outcome: 'done' as const,
      };
      await journal.append(type);
      await journal.append(optionRecordOf(CHANGES[3], { profile: 'v3', outcome: 'done' }));
      const last = await journal.lastUndoable({ profile: 'v3', ...where });
      assert.deepEqual([last?.operation, last?.typeNo, last?.field], ['create', 'BAC', undefined]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
