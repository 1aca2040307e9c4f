// VbotClient in API v3 mode (apiVersion: 'v3') over real HTTP against local sandboxes: X-API-Key instead
// of a bearer token, bodies without vbot_id / project_code, the key's project changed, bad keys, secrets,
// redirects; and the default v2 mode next to it on the same server. No fetch mocks.

import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { VbotSandbox, type RecordedRequest } from '../sandbox/vbotSandbox';
import { VbotClient, type TokenSet } from '../../src/core/vbotClient';
import type { VbotError, VbotErrorKind } from '../../src/core/vbotError';
import { TokenSession, type TokenStore } from '../../src/core/tokenSession';
import { changeTypeCodeBodyV3, createTypeBodyV3, deleteTypeBodyV3 } from '../../src/core/schemas';
import {
  CRM_OPERATIONS,
  GENERATIONS,
  P,
  PATHS,
  RecordingLogger,
  V,
  caught,
  expectFields,
  plainServer,
  runOp,
  sendJson,
  type CrmOperation,
  type PlainServer,
  type RunOptions,
} from './fixtures/clientHarness';

const OTHER = 'SUPPORT';

// --- helpers -------------------------------------------------------------------------------------

/** A project the key does not belong to: a v3 body carries no project, so the key and not the inputs decides. */
const NOT_SENT = { vbotId: 'NOT-SENT', projectCode: 'NOT-SENT' };

/** Runs a CRM operation from a v3 client, its inputs naming project NOT_SENT. v2 clients use runOp (project V/P). */
function runV3(client: VbotClient, op: CrmOperation, key: string, options: RunOptions = {}): Promise<void> {
  return runOp(client, op, key, { ref: NOT_SENT, ...options });
}

/** The v3 request shape: X-API-Key, no Authorization, exactly these body fields, under /v3.0. */
function assertV3Request(r: RecordedRequest, key: string, path: string, body: Record<string, string>): void {
  assert.equal(r.method, 'POST');
  assert.equal(r.apiVersion, 'v3');
  assert.equal(r.path, path);
  assert.equal(r.url, `/v3.0${path}`);
  assert.match(String(r.headers['content-type']), /^application\/json\b/);
  assert.equal(r.headers['x-api-key'], key);
  assert.equal(r.headers.authorization, undefined, 'no Authorization header in v3');
  assert.deepEqual(JSON.parse(r.rawBody), body, 'exactly these body fields (no vbot_id, no project_code)');
}

// --- every endpoint in v3, both envelope generations ----------------------------------------------

for (const generation of GENERATIONS) {
  describe(`v3 endpoints succeed (${generation} envelope)`, () => {
    let sb: VbotSandbox;
    let client: VbotClient;
    let key: string;

    before(async () => {
      sb = await VbotSandbox.start({ envelope: generation });
    });
    after(() => sb.close());
    beforeEach(() => {
      sb.reset();
      key = sb.addApiKey(V, P);
      sb.seed(V, OTHER, [{ typeNo: 'VIP', typeName: 'other project' }]);
      client = new VbotClient({ baseUrl: `${sb.urlV3}/`, apiVersion: 'v3' });
    });
    afterEach(() => {
      assert.deepEqual(sb.types(V, OTHER), [{ typeNo: 'VIP', typeName: 'other project' }], "only the key's project changes");
      assert.deepEqual(sb.types(NOT_SENT.vbotId, NOT_SENT.projectCode), []);
    });

    it('the client reports its generation; v2 stays the default', () => {
      assert.equal(client.apiVersion, 'v3');
      assert.equal(new VbotClient({ baseUrl: sb.url }).apiVersion, 'v2');
    });

    it("createType sends X-API-Key and type_name, type_no only; the type appears in the key's project", async () => {
      await runV3(client, 'createType', key);
      assert.equal(sb.requests.length, 1);
      assertV3Request(sb.requests[0], key, PATHS.createType, { type_name: 'Khách VIP', type_no: 'VIP' });
      assert.deepEqual(sb.types(V, P), [{ typeNo: 'VIP', typeName: 'Khách VIP' }]);
    });

    it('updateTypeName sends type_name, type_no only and the name changes', async () => {
      sb.seed(V, P, [{ typeNo: 'VIP', typeName: 'Old' }]);
      await client.updateTypeName({ vbotId: V, projectCode: P, typeNo: 'VIP', typeName: 'Khách hàng thân thiết 🌟' }, key);
      assertV3Request(sb.requests[0], key, PATHS.updateTypeName, { type_name: 'Khách hàng thân thiết 🌟', type_no: 'VIP' });
      assert.deepEqual(sb.types(V, P), [{ typeNo: 'VIP', typeName: 'Khách hàng thân thiết 🌟' }]);
    });

    it('deleteType sends type_no only and the type is gone (data=true)', async () => {
      sb.seed(V, P, [
        { typeNo: 'VIP', typeName: 'x' },
        { typeNo: 'KEEP', typeName: 'y' },
      ]);
      await runV3(client, 'deleteType', key);
      assertV3Request(sb.requests[0], key, PATHS.deleteType, { type_no: 'VIP' });
      assert.deepEqual(sb.types(V, P), [{ typeNo: 'KEEP', typeName: 'y' }]);
    });

    it('changeTypeCode sends type_no_old / type_no_new only and the code moves', async () => {
      sb.seed(V, P, [{ typeNo: 'VIP', typeName: 'Khách VIP' }]);
      await runV3(client, 'changeTypeCode', key);
      assertV3Request(sb.requests[0], key, PATHS.changeTypeCode, { type_no_old: 'VIP', type_no_new: 'VIP2' });
      assert.deepEqual(sb.types(V, P), [{ typeNo: 'VIP2', typeName: 'Khách VIP' }]);
    });

    it('server refusals map as in v2: 409, 404, every envelope code, data=false', async () => {
      sb.seed(V, P, [{ typeNo: 'VIP', typeName: 'A' }]);
      expectFields(await caught(runV3(client, 'createType', key)), { kind: 'alreadyExists', serverCode: 409, outcomeUnknown: false });
      expectFields(await caught(runV3(client, 'updateTypeName', key, { typeNo: 'NOPE' })), { kind: 'notFound', serverCode: 404 });
      const codes: Array<[number, VbotErrorKind]> = [
        [-1, 'invalidParams'],
        [401, 'unauthorized'],
        [403, 'forbidden'],
        [500, 'serverError'],
        [777, 'apiError'],
      ];
      for (const [error, kind] of codes) {
        sb.injectFault({ fault: { kind: 'envelopeError', error }, path: PATHS.deleteType });
        expectFields(await caught(runV3(client, 'deleteType', key)), { kind, serverCode: error, operation: 'deleteType' });
      }
      assert.deepEqual(sb.types(V, P), [{ typeNo: 'VIP', typeName: 'A' }]);
    });
  });
}

// --- v3 and v2 side by side on one sandbox ---------------------------------------------------------

describe('v3 next to v2 (same sandbox, same store)', () => {
  let sb: VbotSandbox;
  before(async () => {
    sb = await VbotSandbox.start();
  });
  after(() => sb.close());
  beforeEach(() => sb.reset());

  it("v3 creates, v2 renames, v3 moves and deletes: each sees the other's changes; v2 requests unchanged", async () => {
    const key = sb.addApiKey(V, P);
    const token = sb.issueToken().access_token;
    const v3 = new VbotClient({ baseUrl: sb.urlV3, apiVersion: 'v3' });
    const v2 = new VbotClient({ baseUrl: sb.url });
    await v3.createType({ vbotId: V, projectCode: P, typeNo: 'VIP', typeName: 'v3' }, key);
    await v2.updateTypeName({ vbotId: V, projectCode: P, typeNo: 'VIP', typeName: 'v2' }, token);
    assert.deepEqual(sb.types(V, P), [{ typeNo: 'VIP', typeName: 'v2' }]);
    await v3.changeTypeCode({ vbotId: V, projectCode: P, oldTypeNo: 'VIP', newTypeNo: 'GOLD' }, key);
    assert.deepEqual(sb.types(V, P), [{ typeNo: 'GOLD', typeName: 'v2' }]);
    await v2.deleteType({ vbotId: V, projectCode: P, typeNo: 'GOLD' }, token);
    assert.deepEqual(sb.types(V, P), []);

    const v2Requests = sb.requests.filter((r) => r.apiVersion === 'v2');
    assert.equal(v2Requests.length, 2);
    for (const r of v2Requests) {
      assert.equal(r.headers.authorization, `Bearer ${token}`);
      assert.equal(r.headers['x-api-key'], undefined, 'no X-API-Key in v2');
      assert.equal(r.url.startsWith('/v2.0/'), true);
    }
    assert.deepEqual(v2Requests[0].body, { vbot_id: V, project_code: P, type_name: 'v2', type_no: 'VIP' });
  });

  it('a v2 client cannot use an API key, and a v3 client cannot use a bearer token', async () => {
    const key = sb.addApiKey(V, P);
    const token = sb.issueToken().access_token;
    expectFields(await caught(runOp(new VbotClient({ baseUrl: sb.url }), 'createType', key)), { kind: 'unauthorized', httpStatus: 401 });
    expectFields(await caught(runV3(new VbotClient({ baseUrl: sb.urlV3, apiVersion: 'v3' }), 'createType', token)), {
      kind: 'unauthorized',
      httpStatus: 401,
    });
    assert.deepEqual(sb.types(V, P), []);
  });
});

// --- bad keys, no token endpoint, input checks ----------------------------------------------------

describe('v3: bad keys, no token endpoint, input checks', () => {
  let sb: VbotSandbox;
  let plain: PlainServer;
  let plainStatus = 403;
  let client: VbotClient;
  before(async () => {
    sb = await VbotSandbox.start();
    plain = await plainServer((_req, res) => sendJson(res, plainStatus, { message: 'Forbidden' }));
  });
  after(() => Promise.all([sb.close(), plain.close()]));
  beforeEach(() => {
    sb.reset();
    plain.requests.length = 0;
    client = new VbotClient({ baseUrl: sb.urlV3, apiVersion: 'v3' });
  });

  for (const op of CRM_OPERATIONS) {
    it(`${op} with an unknown or revoked key → unauthorized (HTTP 401), nothing applied`, async () => {
      sb.seed(V, P, [{ typeNo: 'VIP', typeName: 'A' }]);
      expectFields(await caught(runV3(client, op, 'no-such-key-0123456789')), {
        kind: 'unauthorized',
        httpStatus: 401,
        operation: op,
        outcomeUnknown: false,
      });
      const key = sb.addApiKey(V, P);
      sb.revokeApiKey(key);
      expectFields(await caught(runV3(client, op, key)), { kind: 'unauthorized', httpStatus: 401 });
      assert.deepEqual(sb.types(V, P), [{ typeNo: 'VIP', typeName: 'A' }]);
    });
  }

  it('HTTP 403 (an API gateway refusing the key) → unauthorized in v3; v2 keeps its old reading of a 403', async () => {
    const c3 = new VbotClient({ baseUrl: plain.origin, apiVersion: 'v3' });
    expectFields(await caught(runV3(c3, 'createType', 'some-key-123456')), { kind: 'unauthorized', httpStatus: 403 });
    plainStatus = 401;
    expectFields(await caught(runV3(c3, 'deleteType', 'some-key-123456')), { kind: 'unauthorized', httpStatus: 401 });
    plainStatus = 403;
    const c2 = new VbotClient({ baseUrl: plain.origin });
    expectFields(await caught(runOp(c2, 'createType', 'some-token-123456')), { kind: 'httpError', httpStatus: 403 });
  });

  it('an empty key → signedOut, a key a header cannot carry → unauthorized; neither is sent', async () => {
    expectFields(await caught(runV3(client, 'createType', '')), { kind: 'signedOut' });
    const e = await caught(runV3(client, 'createType', 'key with spaces'));
    expectFields(e, { kind: 'unauthorized', outcomeUnknown: false });
    assert.match(e.detail ?? '', /API key/);
    assert.equal(sb.requests.length, 0);
  });

  it('signIn and refresh → invalidInput without any request (v3 has no token endpoint)', async () => {
    for (const [e, operation] of [
      [await caught(client.signIn('demo', 'demo123')), 'signIn'],
      [await caught(client.refresh('refresh-secret-xyz')), 'refresh'],
    ] as const) {
      expectFields(e, { kind: 'invalidInput', operation, outcomeUnknown: false });
      assert.match(e.detail ?? '', /API key/);
      assert.ok(!e.message.includes('demo123') && !e.message.includes('refresh-secret-xyz'));
    }
    assert.equal(sb.requests.length, 0);
  });

  it('the type fields are validated by the v3 schemas (invalidInput, nothing sent); the project fields are not sent, so not checked', async () => {
    const key = sb.addApiKey(V, P);
    expectFields(await caught(client.createType({ vbotId: V, projectCode: P, typeNo: 'bad code\n', typeName: 'x' }, key)), {
      kind: 'invalidInput',
    });
    expectFields(await caught(client.changeTypeCode({ vbotId: V, projectCode: P, oldTypeNo: 'VIP', newTypeNo: '' }, key)), {
      kind: 'invalidInput',
    });
    assert.equal(sb.requests.length, 0);
    await client.createType({ vbotId: '', projectCode: '', typeNo: 'VIP', typeName: 'x' }, key);
    assert.deepEqual(sb.types(V, P), [{ typeNo: 'VIP', typeName: 'x' }]);
    // The v3 body schemas refuse project fields outright.
    assert.equal(createTypeBodyV3.safeParse({ type_no: 'A', type_name: 'a' }).success, true);
    assert.equal(createTypeBodyV3.safeParse({ type_no: 'A', type_name: 'a', vbot_id: V }).success, false);
    assert.equal(deleteTypeBodyV3.safeParse({ type_no: 'A', project_code: P }).success, false);
    assert.equal(changeTypeCodeBodyV3.safeParse({ type_no_old: 'A', type_no_new: 'B' }).success, true);
  });

  it('through TokenSession, a refused key is reported once as unauthorized: no refresh is attempted', async () => {
    let stored: TokenSet | undefined = { accessToken: 'unknown-key-0123456789' };
    const store: TokenStore = {
      get: async () => stored,
      set: async (t) => {
        stored = t;
      },
      clear: async () => {
        stored = undefined;
      },
    };
    const session = new TokenSession(() => client, store, new RecordingLogger());
    const e = await caught(session.call('createType', 'VIP', (k) => runV3(client, 'createType', k)));
    expectFields(e, { kind: 'unauthorized', operation: 'createType' });
    assert.equal(sb.requests.length, 1);
    const key = sb.addApiKey(V, P);
    stored = { accessToken: key };
    await session.call('createType', 'VIP', (k) => runV3(client, 'createType', k));
    assert.deepEqual(sb.types(V, P), [{ typeNo: 'VIP', typeName: 'Khách VIP' }]);
  });
});

// --- redirects --------------------------------------------------------------------------------------

describe('v3 redirects: the key stays on the configured origin', () => {
  let sb: VbotSandbox;
  let other: VbotSandbox;
  let plain: PlainServer;
  let client: VbotClient;
  let key: string;

  before(async () => {
    [sb, other] = await Promise.all([VbotSandbox.start(), VbotSandbox.start()]);
    plain = await plainServer((_req, res) => sendJson(res, 200, { error: 0, message: 'success', data: 'A' }));
  });
  after(() => Promise.all([sb.close(), other.close(), plain.close()]));
  beforeEach(() => {
    sb.reset();
    other.reset();
    plain.requests.length = 0;
    key = sb.addApiKey(V, P);
    client = new VbotClient({ baseUrl: sb.urlV3, apiVersion: 'v3' });
  });
  afterEach(() => {
    assert.equal(other.requests.length, 0, 'the other sandbox saw nothing');
    assert.equal(plain.requests.length, 0, 'the plain server saw nothing');
  });

  for (const status of [301, 302, 303, 307, 308]) {
    it(`a ${status} to another origin is refused, never followed, and never carries X-API-Key`, async () => {
      for (const op of CRM_OPERATIONS) {
        for (const target of [`${other.urlV3}${PATHS[op]}`, `${plain.origin}/steal?k=${key}`]) {
          sb.injectFault({ fault: { kind: 'redirect', location: target, status }, path: PATHS[op] });
          const e = await caught(runV3(client, op, key));
          expectFields(e, { kind: 'badResponse', httpStatus: status, operation: op });
          assert.match(e.detail ?? '', /redirect .* refused/);
          assert.ok(!e.message.includes(key));
        }
      }
      assert.deepEqual(sb.types(V, P), []);
    });
  }

  it('a same-origin 307/308 is followed with X-API-Key (still no Authorization) and the body', async () => {
    sb.injectFault({ fault: { kind: 'redirect', location: `${sb.urlV3}${PATHS.createType}` }, path: PATHS.createType });
    await runV3(client, 'createType', key);
    assert.equal(sb.requests.length, 2);
    for (const r of sb.requests) assertV3Request(r, key, PATHS.createType, { type_name: 'Khách VIP', type_no: 'VIP' });
    sb.injectFault({ fault: { kind: 'redirect', location: `/v3.0${PATHS.updateTypeName}`, status: 308 }, path: PATHS.updateTypeName });
    await client.updateTypeName({ vbotId: V, projectCode: P, typeNo: 'VIP', typeName: 'Đổi' }, key);
    assert.deepEqual(sb.types(V, P), [{ typeNo: 'VIP', typeName: 'Đổi' }]);
  });
});

// --- secrets ----------------------------------------------------------------------------------------

describe('v3: the API key never leaves in logs or errors', () => {
  let sb: VbotSandbox;
  let echo: PlainServer;
  let echoStatus = 200;
  before(async () => {
    sb = await VbotSandbox.start();
    // Echoes the key back in its message, the worst a server can do.
    echo = await plainServer((req, res) =>
      sendJson(res, echoStatus, { error: 409, message: `key ${String(req.headers['x-api-key'])} is bad`, data: null }),
    );
  });
  after(() => Promise.all([sb.close(), echo.close()]));

  it('across succeeding and failing calls, including servers that echo the key back', async () => {
    const key = sb.addApiKey(V, P);
    const log = new RecordingLogger();
    const client = new VbotClient({ baseUrl: sb.urlV3, apiVersion: 'v3', logger: log, timeoutMs: 300 });
    const errors: VbotError[] = [];
    const fail = async (p: Promise<unknown>) => {
      errors.push(await caught(p));
    };

    // Every endpoint succeeding: create, rename, move VIP → VIP2, delete VIP2.
    await runV3(client, 'createType', key);
    await runV3(client, 'updateTypeName', key);
    await runV3(client, 'changeTypeCode', key);
    await runV3(client, 'deleteType', key, { typeNo: 'VIP2' });
    assert.deepEqual(sb.types(V, P), []);
    await fail(runV3(client, 'createType', `${key}-wrong`));
    sb.injectFault({ fault: { kind: 'envelopeError', error: 403, message: `forbidden for ${key}` } });
    await fail(runV3(client, 'createType', key));
    sb.injectFault({ fault: { kind: 'redirect', location: `http://127.0.0.1:9/${key}` } });
    await fail(runV3(client, 'createType', key));
    sb.injectFault({ fault: { kind: 'noAnswer' } });
    await fail(runV3(client, 'createType', key));
    sb.injectFault({ fault: { kind: 'html502' } });
    await fail(runV3(client, 'createType', key));

    const echoClient = new VbotClient({ baseUrl: echo.origin, apiVersion: 'v3', logger: log });
    for (const status of [200, 401, 403, 500]) {
      echoStatus = status;
      await fail(runV3(echoClient, 'deleteType', key));
    }
    assert.equal(echo.requests.length, 4);
    assert.ok(echo.requests.every((r) => r.headers['x-api-key'] === key && r.headers.authorization === undefined));
    assert.ok(
      errors.some((e) => e.serverMessage?.includes('[redacted]')),
      'echoed keys were scrubbed, not dropped silently',
    );

    assert.ok(log.lines.length > 10);
    assert.ok(!log.text().includes(key), `key in the log:\n${log.text()}`);
    for (const e of errors) {
      for (const text of [e.message, e.detail ?? '', e.serverMessage ?? '', JSON.stringify(e), String(e.stack)]) {
        assert.ok(!text.includes(key), `key in ${e.kind}/${e.operation}: ${text}`);
      }
    }
  });
});
