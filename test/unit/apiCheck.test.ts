// The compatibility check's core (src/core/apiCheck.ts, src/core/apiFacts.ts): the order of the updateNo
// bodies, the self-healing search, the clean-up after a failure at each step, what was learned; and the
// client's part (another body, the answer's shape without values) against the sandbox over real HTTP.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  type CheckOps,
  type CheckStep,
  type StepAnswer,
  PROBE_PREFIX,
  bodyOrder,
  cleanUp,
  learnedFrom,
  probeCodes,
  runApiCheck,
} from '../../src/core/apiCheck';
import { API_FACTS_KEY, apiFactsKey, rememberedUpdateNoBody, withUpdateNoBody } from '../../src/core/apiFacts';
import { UPDATE_NO_BODIES, UPDATE_NO_FIELDS, type UpdateNoFields, updateNoBodyById, updateNoBodyId } from '../../src/core/schemas';
import { validateTypeNo } from '../../src/core/validation';
import { type AnswerRecord, VbotClient } from '../../src/core/vbotClient';
import type { VbotErrorKind } from '../../src/core/vbotError';
import { VbotSandbox } from '../sandbox/vbotSandbox';

const IDS = UPDATE_NO_BODIES.map(updateNoBodyId);
const CODES = probeCodes('a1b2c3');

type Op = 'create' | 'rename' | 'changeCode' | 'delete';
interface Failure {
  kind: VbotErrorKind;
  outcomeUnknown?: boolean;
  applied?: boolean;
}

/** A fake VBot: a set of codes, one accepted updateNo body, and failures queued per operation. */
function fakeServer(options: { accepts?: UpdateNoFields; ignoresUnknownFields?: boolean } = {}) {
  const codes = new Set<string>();
  const failures: Partial<Record<Op, Failure[]>> = {};
  const calls: string[] = [];
  const accepts = options.accepts ?? UPDATE_NO_FIELDS;
  const ok = (): StepAnswer => ({
    ok: true,
    ms: 1,
    answer: { path: '/x', requestFields: ['type_no'], httpStatus: 200, envelope: 'errorOnly', error: 0, ms: 1 },
  });
  const fail = (kind: VbotErrorKind, outcomeUnknown = false): StepAnswer => ({
    ok: false,
    kind,
    outcomeUnknown,
    ms: 1,
    answer: outcomeUnknown
      ? undefined
      : {
          path: '/x',
          requestFields: ['type_no'],
          httpStatus: 200,
          envelope: 'errorOnly',
          error: kind === 'notFound' ? 404 : kind === 'invalidParams' ? -1 : 500,
          message: 'Sai tham số',
          ms: 1,
        },
  });
  /** Takes a queued failure for `op`; `apply` runs when the failure says the change was applied anyway. */
  const failure = (op: Op, apply: () => void): StepAnswer | undefined => {
    const f = failures[op]?.shift();
    if (!f) return undefined;
    if (f.applied) apply();
    return fail(f.kind, f.outcomeUnknown);
  };
  const ops: CheckOps = {
    async create(typeNo) {
      calls.push(`create ${typeNo}`);
      return failure('create', () => codes.add(typeNo)) ?? (codes.has(typeNo) ? fail('alreadyExists') : (codes.add(typeNo), ok()));
    },
    async rename(typeNo) {
      calls.push(`rename ${typeNo}`);
      return failure('rename', () => undefined) ?? (codes.has(typeNo) ? ok() : fail('notFound'));
    },
    async changeCode(oldNo, newNo, fields) {
      calls.push(`changeCode ${updateNoBodyId(fields)}`);
      const move = () => {
        codes.delete(oldNo);
        codes.add(newNo);
      };
      const f = failure('changeCode', move);
      if (f) return f;
      if (updateNoBodyId(fields) !== updateNoBodyId(accepts)) return options.ignoresUnknownFields ? ok() : fail('invalidParams');
      if (!codes.has(oldNo)) return fail('notFound');
      move();
      return ok();
    },
    async delete(typeNo) {
      calls.push(`delete ${typeNo}`);
      return failure('delete', () => codes.delete(typeNo)) ?? (codes.delete(typeNo) ? ok() : fail('notFound'));
    },
  };
  return { ops, codes, calls, failures };
}

describe('the order of the updateNo bodies', () => {
  it('is kept in one list, the assumed body first', () => {
    assert.deepEqual(IDS, ['type_no_old/type_no_new', 'old_type_no/new_type_no', 'type_no/new_type_no', 'type_no/type_no_new']);
    assert.equal(UPDATE_NO_BODIES[0], UPDATE_NO_FIELDS);
  });

  it('starts with the body in use, then the others in their order', () => {
    assert.deepEqual(bodyOrder().map(updateNoBodyId), IDS);
    assert.deepEqual(bodyOrder(UPDATE_NO_BODIES[2]).map(updateNoBodyId), [IDS[2], IDS[0], IDS[1], IDS[3]]);
    // An equal object (e.g. read back from state) counts as the same body.
    assert.deepEqual(bodyOrder({ oldNo: 'type_no', newNo: 'type_no_new' }).map(updateNoBodyId), [IDS[3], IDS[0], IDS[1], IDS[2]]);
    assert.deepEqual(bodyOrder({ oldNo: 'x', newNo: 'y' }).map(updateNoBodyId), IDS, 'an unknown body is not tried');
  });

  it('finds a body by its id only when it is in the list', () => {
    for (const b of UPDATE_NO_BODIES) assert.equal(updateNoBodyById(updateNoBodyId(b)), b);
    for (const bad of ['x/y', '', undefined, 42, 'type_no_old']) assert.equal(updateNoBodyById(bad), undefined);
  });
});

describe('probe codes', () => {
  it('are VBOT_CHECK_<random> and that with _2, valid type codes', () => {
    assert.deepEqual(CODES, { probe: 'VBOT_CHECK_A1B2C3', newCode: 'VBOT_CHECK_A1B2C3_2' });
    for (const c of Object.values(probeCodes('ff00ee'))) {
      assert.ok(c.startsWith(PROBE_PREFIX));
      assert.ok(validateTypeNo(c).ok, c);
    }
    assert.equal(probeCodes('<script>\n').probe, 'VBOT_CHECK_SCRIPT');
  });
});

describe('runApiCheck', () => {
  for (const [i, body] of UPDATE_NO_BODIES.entries()) {
    it(`finds the body ${updateNoBodyId(body)} when the server accepts only it, and cleans up under the new code`, async () => {
      const server = fakeServer({ accepts: body });
      const result = await runApiCheck(server.ops, CODES);
      assert.equal(result.acceptedBody, updateNoBodyId(body));
      assert.equal(result.bodySearch, 'accepted');
      assert.deepEqual(result.bodiesTried, IDS.slice(0, i + 1));
      assert.deepEqual(result.remaining, []);
      assert.equal(server.codes.size, 0, 'nothing left on the server');
      const refused = result.steps.filter((s) => s.note === 'bodyRefused').map((s) => s.updateNoBody);
      assert.deepEqual(refused, IDS.slice(0, i));
      assert.deepEqual(
        result.steps.map((s) => s.step),
        ['create', 'rename', ...Array(i + 1).fill('changeCode'), 'verify', 'delete'],
      );
      assert.equal(result.steps.at(-1)!.typeNo, CODES.newCode);
    });
  }

  it('tries the remembered body first', async () => {
    const server = fakeServer({ accepts: UPDATE_NO_BODIES[2] });
    const result = await runApiCheck(server.ops, CODES, UPDATE_NO_BODIES[2]);
    assert.deepEqual(result.bodiesTried, [IDS[2]]);
    assert.equal(result.acceptedBody, IDS[2]);
  });

  it('a "yes" that did not change the code is not taken: the next body is tried', async () => {
    const server = fakeServer({ accepts: UPDATE_NO_BODIES[1], ignoresUnknownFields: true });
    const result = await runApiCheck(server.ops, CODES);
    assert.equal(result.acceptedBody, IDS[1]);
    assert.equal(result.steps.find((s) => s.step === 'changeCode')!.note, 'codeUnchanged');
    assert.deepEqual(result.remaining, []);
    assert.equal(server.codes.size, 0);
  });

  it('no body accepted: says so, and deletes the probe under its first code', async () => {
    const server = fakeServer({ accepts: { oldNo: 'a', newNo: 'b' } });
    const result = await runApiCheck(server.ops, CODES);
    assert.equal(result.acceptedBody, undefined);
    assert.equal(result.bodySearch, 'noneAccepted');
    assert.deepEqual(result.bodiesTried, IDS);
    assert.deepEqual(result.remaining, []);
    assert.equal(server.calls.at(-1), `delete ${CODES.probe}`);
    assert.equal(server.codes.size, 0);
  });

  describe('a failure at each step still cleans up, or says exactly what remains', () => {
    it('create refused: nothing was made, nothing is deleted', async () => {
      const server = fakeServer();
      server.failures.create = [{ kind: 'forbidden' }];
      const result = await runApiCheck(server.ops, CODES);
      assert.deepEqual(result.remaining, []);
      assert.equal(result.bodySearch, 'notReached');
      assert.ok(!server.calls.some((c) => c.startsWith('delete')));
    });

    it('create answer lost after it was applied: the probe is found and deleted', async () => {
      const server = fakeServer();
      server.failures.create = [{ kind: 'network', outcomeUnknown: true, applied: true }];
      const result = await runApiCheck(server.ops, CODES);
      assert.deepEqual(result.remaining, []);
      assert.equal(server.codes.size, 0);
      assert.deepEqual(server.calls, [`create ${CODES.probe}`, `delete ${CODES.probe}`]);
    });

    it('rename fails with a lost connection: no change of code, the probe is deleted', async () => {
      const server = fakeServer();
      server.failures.rename = [{ kind: 'network' }];
      const result = await runApiCheck(server.ops, CODES);
      assert.equal(result.bodySearch, 'notReached');
      assert.ok(!server.calls.some((c) => c.startsWith('changeCode')));
      assert.deepEqual(result.remaining, []);
      assert.equal(server.codes.size, 0);
    });

    it('rename refused for another reason: the change of code is still checked', async () => {
      const server = fakeServer();
      server.failures.rename = [{ kind: 'serverError' }];
      const result = await runApiCheck(server.ops, CODES);
      assert.equal(result.acceptedBody, IDS[0]);
      assert.equal(server.codes.size, 0);
    });

    it('change of code fails for a reason that is not the body: the search stops, the probe is deleted', async () => {
      const server = fakeServer();
      server.failures.changeCode = [{ kind: 'serverError' }];
      const result = await runApiCheck(server.ops, CODES);
      assert.equal(result.bodySearch, 'stopped');
      assert.deepEqual(result.bodiesTried, [IDS[0]]);
      assert.deepEqual(result.remaining, []);
      assert.equal(server.codes.size, 0);
    });

    it('change of code answer lost after it was applied: deleted under the new code', async () => {
      const server = fakeServer();
      server.failures.changeCode = [{ kind: 'timeout', outcomeUnknown: true, applied: true }];
      const result = await runApiCheck(server.ops, CODES);
      assert.deepEqual(result.remaining, []);
      assert.equal(server.calls.at(-1), `delete ${CODES.newCode}`);
      assert.equal(server.codes.size, 0);
    });

    it('change of code answer lost before it was applied: the new code is not found, the old one is deleted', async () => {
      const server = fakeServer();
      server.failures.changeCode = [{ kind: 'timeout', outcomeUnknown: true }];
      const result = await runApiCheck(server.ops, CODES);
      assert.deepEqual(result.remaining, []);
      assert.deepEqual(server.calls.slice(-2), [`delete ${CODES.newCode}`, `delete ${CODES.probe}`]);
      assert.equal(server.codes.size, 0);
    });

    it('delete fails: the report names the code that remains, and a retry removes it', async () => {
      const server = fakeServer();
      server.failures.delete = [{ kind: 'serverError' }];
      const result = await runApiCheck(server.ops, CODES);
      assert.deepEqual(result.remaining, [CODES.newCode]);
      assert.deepEqual([...server.codes], [CODES.newCode]);
      const steps: CheckStep[] = [];
      assert.deepEqual(await cleanUp(server.ops, result.remaining, steps), []);
      assert.equal(server.codes.size, 0);
      assert.deepEqual(
        steps.map((s) => [s.step, s.ok]),
        [['delete', true]],
      );
    });

    it('unsure where the probe is and both deletes fail: both codes are named', async () => {
      const server = fakeServer();
      server.failures.changeCode = [{ kind: 'timeout', outcomeUnknown: true }];
      server.failures.delete = [{ kind: 'network' }, { kind: 'network' }];
      const result = await runApiCheck(server.ops, CODES);
      assert.deepEqual(result.remaining, [CODES.newCode, CODES.probe]);
    });
  });

  it('records per step the field names, envelope, error, message, HTTP status and time', async () => {
    const server = fakeServer({ accepts: UPDATE_NO_BODIES[1] });
    const result = await runApiCheck(server.ops, CODES);
    const refused = result.steps.find((s) => s.note === 'bodyRefused')!;
    assert.deepEqual(
      {
        fields: refused.requestFields,
        envelope: refused.envelope,
        error: refused.error,
        message: refused.message,
        http: refused.httpStatus,
        ms: refused.ms,
        kind: refused.kind,
      },
      { fields: ['type_no'], envelope: 'errorOnly', error: -1, message: 'Sai tham số', http: 200, ms: 1, kind: 'invalidParams' },
    );
    assert.deepEqual(learnedFrom(result), {
      updateNoBody: IDS[1],
      envelopes: ['errorOnly'],
      businessErrorStatuses: [200],
      successStatuses: [200],
    });
  });
});

describe('remembered facts (global state)', () => {
  it('are kept per API origin and generation, with the body as its id', () => {
    const key = apiFactsKey('https://open-api-h01.vbot.vn', 'v2');
    assert.notEqual(key, apiFactsKey('https://open-api-h01.vbot.vn', 'v3'));
    const stored = withUpdateNoBody(undefined, key, IDS[1], new Date(0));
    assert.deepEqual(stored, { [key]: { updateNoBody: IDS[1], checkedAt: '1970-01-01T00:00:00.000Z' } });
    assert.equal(rememberedUpdateNoBody(stored, key), IDS[1]);
    assert.equal(rememberedUpdateNoBody(stored, apiFactsKey('https://other', 'v2')), undefined);
    const both = withUpdateNoBody(stored, apiFactsKey('https://other', 'v2'), IDS[2], new Date(0));
    assert.equal(rememberedUpdateNoBody(both, key), IDS[1], 'another API leaves this one alone');
    assert.ok(!(apiFactsKey('https://other', 'v2') in stored), 'the stored object is not changed in place');
    for (const junk of [null, 42, 'x', [], { [key]: 'x' }, { [key]: { updateNoBody: 7 } }])
      assert.equal(rememberedUpdateNoBody(junk, key), undefined);
    assert.equal(API_FACTS_KEY, 'vbotCrm.apiFacts');
  });
});

describe('the client with another updateNo body, and the shape of answers', () => {
  let sandbox: VbotSandbox;
  before(async () => {
    sandbox = await VbotSandbox.start({ apiKeys: [{ key: 'k3-secret-key-value', vbotId: 'VB-1', projectCode: 'P3' }] });
  });
  after(() => sandbox.close());

  it('sends the body it was given and reports field names, envelope, error, HTTP status; never a value or the token', async () => {
    sandbox.reset();
    sandbox.seed('VB-1', 'SALES', [{ typeNo: 'A', typeName: 'A' }]);
    sandbox.acceptUpdateNoBody({ oldNo: 'old_type_no', newNo: 'new_type_no' });
    const { access_token: token } = sandbox.issueToken();
    const answers: AnswerRecord[] = [];
    const client = new VbotClient({ baseUrl: sandbox.url, onAnswer: (a) => answers.push(a) });
    const change = { vbotId: 'VB-1', projectCode: 'SALES', oldTypeNo: 'A', newTypeNo: 'B' };
    await assert.rejects(client.changeTypeCode(change, token), (e: { kind?: string }) => e.kind === 'invalidParams');
    await client.changeTypeCode(change, token, undefined, UPDATE_NO_BODIES[1]);
    assert.deepEqual(sandbox.types('VB-1', 'SALES'), [{ typeNo: 'B', typeName: 'A' }]);
    assert.deepEqual(
      sandbox.requests.map((r) => Object.keys(r.body as object)),
      [
        ['vbot_id', 'project_code', 'type_no_old', 'type_no_new'],
        ['vbot_id', 'project_code', 'old_type_no', 'new_type_no'],
      ],
    );
    assert.equal(answers.length, 2);
    assert.deepEqual(
      { ...answers[0], ms: 0 },
      {
        path: '/api/crm/type/updateNo',
        requestFields: ['vbot_id', 'project_code', 'type_no_old', 'type_no_new'],
        httpStatus: 200,
        envelope: 'withStatus',
        error: -1,
        message: 'Sai tham số: old_type_no là bắt buộc',
        ms: 0,
      },
    );
    assert.equal(answers[1].error, 0);
    assert.ok(!JSON.stringify(answers).includes(token));
    // A client made with the remembered body uses it for every change of code.
    const remembered = new VbotClient({ baseUrl: sandbox.url, updateNoFields: UPDATE_NO_BODIES[1] });
    await remembered.changeTypeCode({ ...change, oldTypeNo: 'B', newTypeNo: 'C' }, token);
    assert.deepEqual(sandbox.types('VB-1', 'SALES'), [{ typeNo: 'C', typeName: 'A' }]);
  });

  it('v3: the same bodies without project fields, with X-API-Key', async () => {
    sandbox.reset();
    sandbox.seed('VB-1', 'P3', [{ typeNo: 'A', typeName: 'A' }]);
    sandbox.acceptUpdateNoBody({ oldNo: 'type_no', newNo: 'type_no_new' });
    const answers: AnswerRecord[] = [];
    const client = new VbotClient({ baseUrl: sandbox.urlV3, apiVersion: 'v3', onAnswer: (a) => answers.push(a) });
    await client.changeTypeCode(
      { vbotId: 'VB-1', projectCode: 'P3', oldTypeNo: 'A', newTypeNo: 'B' },
      'k3-secret-key-value',
      undefined,
      UPDATE_NO_BODIES[3],
    );
    assert.deepEqual(sandbox.types('VB-1', 'P3'), [{ typeNo: 'B', typeName: 'A' }]);
    assert.deepEqual(answers[0].requestFields, ['type_no', 'type_no_new']);
    assert.equal(sandbox.requests[0].headers['x-api-key'], 'k3-secret-key-value');
  });

  it('the sandbox fails one delete when told to', async () => {
    sandbox.reset();
    sandbox.seed('VB-1', 'SALES', [{ typeNo: 'A', typeName: 'A' }]);
    const { access_token: token } = sandbox.issueToken();
    const client = new VbotClient({ baseUrl: sandbox.url });
    sandbox.failDeleteOnce();
    await assert.rejects(
      client.deleteType({ vbotId: 'VB-1', projectCode: 'SALES', typeNo: 'A' }, token),
      (e: { kind?: string }) => e.kind === 'serverError',
    );
    await client.deleteType({ vbotId: 'VB-1', projectCode: 'SALES', typeNo: 'A' }, token);
    assert.deepEqual(sandbox.types('VB-1', 'SALES'), []);
  });
});
