// VbotClient over real HTTP against local sandboxes: every endpoint in both envelope generations,
// every envelope error code, every fault kind, redirects, cancellation, input checks and secrets.
// No fetch mocks: each describe block starts its own sandbox on a free port and closes it after.

import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { VbotSandbox, type RecordedRequest } from '../sandbox/vbotSandbox';
import { VbotClient, DEFAULT_MAX_RESPONSE_BYTES, type TokenSet } from '../../src/core/vbotClient';
import { VbotError, type VbotErrorKind, type VbotOperation } from '../../src/core/vbotError';
import { TokenSession, type TokenStore } from '../../src/core/tokenSession';
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
  type PlainServer,
} from './fixtures/clientHarness';

const OPERATION_TEXT: Partial<Record<VbotOperation, string>> = {
  signIn: 'Sign-in',
  refresh: 'Token refresh',
  createType: 'Creating customer type',
  updateTypeName: 'Renaming customer type',
  deleteType: 'Deleting customer type',
  changeTypeCode: 'Changing the code of customer type',
};

// --- helpers -------------------------------------------------------------------------------------

/** The v2 request shape: bearer token, exactly these body fields, under /v2.0. */
function assertCrmRequest(r: RecordedRequest, token: string, path: string, body: Record<string, string>): void {
  assert.equal(r.method, 'POST');
  assert.equal(r.path, path);
  assert.equal(r.url, `/v2.0${path}`, 'the request carries the /v2.0 prefix');
  assert.match(String(r.headers['content-type']), /^application\/json\b/);
  assert.equal(r.headers.authorization, `Bearer ${token}`);
  assert.deepEqual(JSON.parse(r.rawBody), body, 'exactly these body fields');
}

/** A port nothing listens on: bind a free one, then close it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitFor(cond: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) assert.fail('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

// --- every endpoint succeeds, in both envelope generations ----------------------------------------

for (const generation of GENERATIONS) {
  describe(`endpoints succeed (${generation} envelope)`, () => {
    let sb: VbotSandbox;
    let client: VbotClient;
    let log: RecordingLogger;
    let token: string;

    before(async () => {
      sb = await VbotSandbox.start({ envelope: generation });
    });
    after(() => sb.close());
    beforeEach(() => {
      sb.reset();
      token = sb.issueToken().access_token;
      log = new RecordingLogger();
      client = new VbotClient({ baseUrl: `${sb.url}/`, logger: log });
    });

    /** The sandbox answered in the expected generation: the client logs `status=` only when it is present. */
    function assertGeneration(): void {
      const answered = log.lines.filter((l) => l.level === 'info' && /error=0/.test(l.message));
      assert.equal(answered.length, 1, log.text());
      assert.equal(/status=1/.test(answered[0].message), generation === 'withStatus', answered[0].message);
    }

    it('createType sends vbot_id, project_code, type_name, type_no and the type appears', async () => {
      await client.createType({ vbotId: V, projectCode: P, typeNo: 'VIP', typeName: 'Khách VIP' }, token);
      assert.equal(sb.requests.length, 1);
      assertCrmRequest(sb.requests[0], token, PATHS.createType, { vbot_id: V, project_code: P, type_name: 'Khách VIP', type_no: 'VIP' });
      assert.deepEqual(sb.types(V, P), [{ typeNo: 'VIP', typeName: 'Khách VIP' }]);
      assertGeneration();
    });

    it('updateTypeName sends the new name and the name changes', async () => {
      sb.seed(V, P, [{ typeNo: 'VIP', typeName: 'Old' }]);
      await client.updateTypeName({ vbotId: V, projectCode: P, typeNo: 'VIP', typeName: 'Khách hàng thân thiết 🌟' }, token);
      assert.equal(sb.requests.length, 1);
      assertCrmRequest(sb.requests[0], token, PATHS.updateTypeName, {
        vbot_id: V,
        project_code: P,
        type_name: 'Khách hàng thân thiết 🌟',
        type_no: 'VIP',
      });
      assert.deepEqual(sb.types(V, P), [{ typeNo: 'VIP', typeName: 'Khách hàng thân thiết 🌟' }]);
      assertGeneration();
    });

    it('deleteType sends vbot_id, project_code, type_no and the type is gone (data=true)', async () => {
      sb.seed(V, P, [
        { typeNo: 'VIP', typeName: 'x' },
        { typeNo: 'KEEP', typeName: 'y' },
      ]);
      await client.deleteType({ vbotId: V, projectCode: P, typeNo: 'VIP' }, token);
      assert.equal(sb.requests.length, 1);
      assertCrmRequest(sb.requests[0], token, PATHS.deleteType, { vbot_id: V, project_code: P, type_no: 'VIP' });
      assert.deepEqual(sb.types(V, P), [{ typeNo: 'KEEP', typeName: 'y' }]);
      assertGeneration();
    });

    it('changeTypeCode sends type_no_old / type_no_new and the code moves', async () => {
      sb.seed(V, P, [{ typeNo: 'VIP', typeName: 'Khách VIP' }]);
      await client.changeTypeCode({ vbotId: V, projectCode: P, oldTypeNo: 'VIP', newTypeNo: 'GOLD' }, token);
      assert.equal(sb.requests.length, 1);
      assertCrmRequest(sb.requests[0], token, PATHS.changeTypeCode, {
        vbot_id: V,
        project_code: P,
        type_no_old: 'VIP',
        type_no_new: 'GOLD',
      });
      assert.deepEqual(sb.types(V, P), [{ typeNo: 'GOLD', typeName: 'Khách VIP' }]);
      assertGeneration();
    });

    it('natural server refusals: 409 on a duplicate create, 404 on a missing type, store untouched', async () => {
      sb.seed(V, P, [{ typeNo: 'VIP', typeName: 'A' }]);
      const dup = await caught(client.createType({ vbotId: V, projectCode: P, typeNo: 'VIP', typeName: 'B' }, token));
      expectFields(dup, {
        kind: 'alreadyExists',
        serverCode: 409,
        operation: 'createType',
        typeNo: 'VIP',
        outcomeUnknown: false,
        httpStatus: undefined,
      });
      const missing = await caught(client.updateTypeName({ vbotId: V, projectCode: P, typeNo: 'NOPE', typeName: 'B' }, token));
      expectFields(missing, { kind: 'notFound', serverCode: 404, operation: 'updateTypeName', typeNo: 'NOPE' });
      const gone = await caught(client.deleteType({ vbotId: V, projectCode: P, typeNo: 'NOPE' }, token));
      expectFields(gone, { kind: 'notFound', serverCode: 404, operation: 'deleteType' });
      sb.seed(V, P, [
        { typeNo: 'VIP', typeName: 'A' },
        { typeNo: 'GOLD', typeName: 'G' },
      ]);
      const clash = await caught(client.changeTypeCode({ vbotId: V, projectCode: P, oldTypeNo: 'VIP', newTypeNo: 'GOLD' }, token));
      expectFields(clash, { kind: 'alreadyExists', serverCode: 409, operation: 'changeTypeCode', typeNo: 'VIP' });
      assert.deepEqual(sb.types(V, P), [
        { typeNo: 'GOLD', typeName: 'G' },
        { typeNo: 'VIP', typeName: 'A' },
      ]);
    });
  });
}

// --- every envelope error code ----------------------------------------------------------------------

const CODES: Array<[number, VbotErrorKind]> = [
  [-1, 'invalidParams'],
  [401, 'unauthorized'],
  [403, 'forbidden'],
  [404, 'notFound'],
  [409, 'alreadyExists'],
  [500, 'serverError'],
  [777, 'apiError'],
];

for (const generation of GENERATIONS) {
  describe(`envelope error codes (${generation})`, () => {
    let sb: VbotSandbox;
    let client: VbotClient;
    let token: string;

    before(async () => {
      sb = await VbotSandbox.start({ envelope: generation });
    });
    after(() => sb.close());
    beforeEach(() => {
      sb.reset();
      token = sb.issueToken().access_token;
      client = new VbotClient({ baseUrl: sb.url });
    });

    for (const [code, kind] of CODES) {
      it(`error ${code} → ${kind}, for every operation`, async () => {
        for (const op of CRM_OPERATIONS) {
          sb.seed(V, P, [{ typeNo: 'VIP', typeName: 'Khách VIP' }]);
          sb.injectFault({ fault: { kind: 'envelopeError', error: code, message: `lỗi ${code} từ máy chủ` }, path: PATHS[op] });
          const e = await caught(runOp(client, op, token));
          expectFields(e, {
            kind,
            serverCode: code,
            serverMessage: `lỗi ${code} từ máy chủ`,
            operation: op,
            typeNo: 'VIP',
            httpStatus: undefined,
            outcomeUnknown: false,
          });
          assert.ok(e.message.includes(OPERATION_TEXT[op]!), e.message);
          assert.ok(e.message.includes('"VIP"'), e.message);
          assert.ok(e.message.includes(kind), e.message);
          assert.deepEqual(sb.types(V, P), [{ typeNo: 'VIP', typeName: 'Khách VIP' }], 'a refused call changes nothing');
        }
        assert.equal(sb.requests.length, CRM_OPERATIONS.length);
      });
    }

    it('a success envelope with data=false on delete is a refusal (apiError)', async () => {
      const plain = await plainServer((_req, res) =>
        sendJson(
          res,
          200,
          generation === 'withStatus'
            ? { status: 1, error: 0, message: 'success', data: false }
            : { error: 0, message: 'success', data: false },
        ),
      );
      try {
        const c = new VbotClient({ baseUrl: `${plain.origin}/v2.0` });
        const e = await caught(c.deleteType({ vbotId: V, projectCode: P, typeNo: 'VIP' }, token));
        expectFields(e, { kind: 'apiError', operation: 'deleteType', typeNo: 'VIP' });
      } finally {
        await plain.close();
      }
    });
  });
}

describe('contradictory envelopes (plain server)', () => {
  let plain: PlainServer;
  let reply: { status: number; body: unknown };
  before(async () => {
    plain = await plainServer((_req, res) => sendJson(res, reply.status, reply.body));
  });
  after(() => plain.close());

  it('status 0 with error 0 → badResponse, outcome unknown', async () => {
    reply = { status: 200, body: { status: 0, error: 0, message: 'hm', data: null } };
    const e = await caught(
      new VbotClient({ baseUrl: plain.origin }).createType({ vbotId: V, projectCode: P, typeNo: 'A', typeName: 'a' }, 'tok-123456'),
    );
    expectFields(e, { kind: 'badResponse', outcomeUnknown: true, serverMessage: 'hm' });
  });

  it('a success envelope inside HTTP 503 is not a success', async () => {
    reply = { status: 503, body: { error: 0, message: 'success', data: 'A' } };
    const e = await caught(
      new VbotClient({ baseUrl: plain.origin }).createType({ vbotId: V, projectCode: P, typeNo: 'A', typeName: 'a' }, 'tok-123456'),
    );
    expectFields(e, { kind: 'badResponse', httpStatus: 503, outcomeUnknown: true });
  });

  it('status 1 wins over a non-zero error in the older generation (doc rule)', async () => {
    reply = { status: 200, body: { status: 1, error: 5, message: 'success', data: 'A' } };
    await new VbotClient({ baseUrl: plain.origin }).createType({ vbotId: V, projectCode: P, typeNo: 'A', typeName: 'a' }, 'tok-123456');
  });
});

// --- tokens -----------------------------------------------------------------------------------------

describe('token grants and HTTP 401', () => {
  let sb: VbotSandbox;
  const NOW = 1_700_000_000_000;
  let client: VbotClient;

  before(async () => {
    sb = await VbotSandbox.start({ users: [{ username: 'demo', password: 'demo123' }] });
  });
  after(() => sb.close());
  beforeEach(() => {
    sb.reset();
    client = new VbotClient({ baseUrl: sb.url, now: () => NOW });
  });

  it('password grant: form-encoded body with grant_type, no Authorization, expiresAt computed, token works', async () => {
    const t = await client.signIn('demo', 'demo123');
    assert.equal(typeof t.accessToken, 'string');
    assert.ok(t.accessToken.length > 10);
    assert.equal(typeof t.refreshToken, 'string');
    assert.equal(t.expiresAt, NOW + 899 * 1000);
    const r = sb.requests[0];
    assert.equal(sb.requests.length, 1);
    assert.equal(r.method, 'POST');
    assert.equal(r.url, '/v2.0/token');
    assert.match(String(r.headers['content-type']), /^application\/x-www-form-urlencoded\b/);
    assert.match(String(r.headers.accept), /application\/json/);
    assert.equal(r.headers.authorization, undefined);
    assert.deepEqual(r.body, { username: 'demo', password: 'demo123', grant_type: 'password' });
    await client.createType({ vbotId: V, projectCode: P, typeNo: 'A', typeName: 'a' }, t.accessToken);
    assert.equal(sb.types(V, P).length, 1);
  });

  it('refresh grant: form-encoded refresh_token + grant_type; new tokens work', async () => {
    const first = await client.signIn('demo', 'demo123');
    const second = await client.refresh(first.refreshToken as string);
    assert.notEqual(second.accessToken, first.accessToken);
    assert.equal(second.expiresAt, NOW + 899 * 1000);
    assert.deepEqual(sb.requests[1].body, { refresh_token: first.refreshToken, grant_type: 'refresh_token' });
    assert.match(String(sb.requests[1].headers['content-type']), /^application\/x-www-form-urlencoded\b/);
    await client.createType({ vbotId: V, projectCode: P, typeNo: 'A', typeName: 'a' }, second.accessToken);
  });

  it('expires_in follows the server (60 s ttl)', async () => {
    const short = await VbotSandbox.start({ tokenTtlSeconds: 60 });
    try {
      const t = await new VbotClient({ baseUrl: short.url, now: () => NOW }).signIn('demo', 'demo123');
      assert.equal(t.expiresAt, NOW + 60_000);
    } finally {
      await short.close();
    }
  });

  it('wrong password or unknown user → authFailed (HTTP 401, server error 401)', async () => {
    for (const [u, p] of [
      ['demo', 'wrong'],
      ['nobody', 'demo123'],
    ]) {
      const e = await caught(client.signIn(u, p));
      expectFields(e, { kind: 'authFailed', operation: 'signIn', httpStatus: 401, serverCode: 401, outcomeUnknown: false });
      assert.ok(e.message.startsWith('Sign-in failed'), e.message);
    }
  });

  it('a failing envelope inside HTTP 200 on /token → authFailed for sign-in, unauthorized for refresh', async () => {
    sb.injectFault({ fault: { kind: 'envelopeError', error: 401 }, path: '/token', times: 2 });
    expectFields(await caught(client.signIn('demo', 'demo123')), { kind: 'authFailed', serverCode: 401 });
    expectFields(await caught(client.refresh('some-refresh-token')), { kind: 'unauthorized', serverCode: 401, operation: 'refresh' });
  });

  it('refresh with a bad refresh token → unauthorized', async () => {
    const e = await caught(client.refresh('not-a-real-refresh-token'));
    expectFields(e, { kind: 'unauthorized', operation: 'refresh', httpStatus: 401 });
  });

  it('a success envelope (error 0) without a token is a badResponse, not an apiError', async () => {
    sb.injectFault({ fault: { kind: 'envelopeError', error: 0, message: 'success' }, path: '/token' });
    expectFields(await caught(client.signIn('demo', 'demo123')), { kind: 'badResponse', operation: 'signIn' });
    sb.injectFault({ fault: { kind: 'wrongShape' }, path: '/token' });
    expectFields(await caught(client.signIn('demo', 'demo123')), { kind: 'badResponse', operation: 'signIn' });
  });

  it('other token faults: 500 and 502 → httpError, reset → network (not outcome-unknown)', async () => {
    sb.injectFault({ fault: { kind: 'http500' }, path: '/token' });
    expectFields(await caught(client.signIn('demo', 'demo123')), { kind: 'httpError', httpStatus: 500 });
    sb.injectFault({ fault: { kind: 'html502' }, path: '/token' });
    expectFields(await caught(client.signIn('demo', 'demo123')), { kind: 'httpError', httpStatus: 502 });
    sb.injectFault({ fault: { kind: 'reset' }, path: '/token' });
    expectFields(await caught(client.refresh('rt-123456')), { kind: 'network', outcomeUnknown: false, operation: 'refresh' });
  });

  it('HTTP 401 on every CRM endpoint (expired, unknown and missing-looking tokens) → unauthorized', async () => {
    const t = sb.issueToken().access_token;
    sb.seed(V, P, [{ typeNo: 'VIP', typeName: 'Khách VIP' }]);
    sb.expireAccessTokens();
    for (const op of CRM_OPERATIONS) {
      for (const bad of [t, 'unknown-token-xyz']) {
        const e = await caught(runOp(client, op, bad));
        expectFields(e, {
          kind: 'unauthorized',
          httpStatus: 401,
          operation: op,
          typeNo: 'VIP',
          serverMessage: 'Không có quyền truy cập',
          outcomeUnknown: false,
        });
      }
    }
    assert.deepEqual(sb.types(V, P), [{ typeNo: 'VIP', typeName: 'Khách VIP' }]);
  });

  it('no access token → signedOut; a token a header cannot carry → unauthorized; neither is sent', async () => {
    expectFields(await caught(client.createType({ vbotId: V, projectCode: P, typeNo: 'A', typeName: 'a' }, '')), { kind: 'signedOut' });
    for (const bad of ['abc\ndef', 'abc def', 'tökén', 'tok\u0000en']) {
      const e = await caught(client.createType({ vbotId: V, projectCode: P, typeNo: 'A', typeName: 'a' }, bad));
      expectFields(e, { kind: 'unauthorized', outcomeUnknown: false });
    }
    assert.equal(sb.requests.length, 0);
  });
});

// --- faults -----------------------------------------------------------------------------------------

describe('faults', () => {
  let sb: VbotSandbox;
  let client: VbotClient;
  let token: string;

  before(async () => {
    sb = await VbotSandbox.start();
  });
  after(() => sb.close());
  beforeEach(() => {
    sb.reset();
    token = sb.issueToken().access_token;
    client = new VbotClient({ baseUrl: sb.url, timeoutMs: 2000 });
    sb.seed(V, P, [{ typeNo: 'VIP', typeName: 'Khách VIP' }]);
  });
  const unchanged = () => assert.deepEqual(sb.types(V, P), [{ typeNo: 'VIP', typeName: 'Khách VIP' }]);

  it('http500 → serverError with HTTP 500 and server error 500', async () => {
    sb.injectFault({ fault: { kind: 'http500' } });
    const e = await caught(runOp(client, 'updateTypeName', token));
    expectFields(e, { kind: 'serverError', httpStatus: 500, serverCode: 500, operation: 'updateTypeName', typeNo: 'VIP' });
    unchanged();
  });

  it('html502 → httpError 502 (outcome unknown for a change)', async () => {
    for (const op of CRM_OPERATIONS) {
      sb.injectFault({ fault: { kind: 'html502' } });
      const e = await caught(runOp(client, op, token));
      expectFields(e, { kind: 'httpError', httpStatus: 502, operation: op, outcomeUnknown: true, serverMessage: undefined });
      assert.ok(!e.message.includes('<html'), 'the HTML page is not pasted into the message');
    }
    unchanged();
  });

  for (const kind of ['malformedJson', 'emptyBody', 'wrongShape'] as const) {
    it(`${kind} → badResponse, outcome unknown`, async () => {
      for (const op of CRM_OPERATIONS) {
        sb.injectFault({ fault: { kind } });
        const e = await caught(runOp(client, op, token));
        expectFields(e, { kind: 'badResponse', operation: op, typeNo: 'VIP', outcomeUnknown: true });
      }
    });
  }

  it('reset → network, outcome unknown for every change, not for sign-in; nothing applied', async () => {
    for (const op of CRM_OPERATIONS) {
      sb.injectFault({ fault: { kind: 'reset' } });
      const e = await caught(runOp(client, op, token));
      expectFields(e, { kind: 'network', operation: op, outcomeUnknown: true });
    }
    sb.injectFault({ fault: { kind: 'reset' } });
    expectFields(await caught(client.signIn('demo', 'demo123')), { kind: 'network', outcomeUnknown: false });
    unchanged();
  });

  it('resetAfterApply → network, outcome unknown, and the sandbox did apply it', async () => {
    sb.injectFault({ fault: { kind: 'resetAfterApply' } });
    expectFields(await caught(runOp(client, 'createType', token, { typeNo: 'NEW' })), {
      kind: 'network',
      outcomeUnknown: true,
      typeNo: 'NEW',
    });
    assert.deepEqual(
      sb.types(V, P).map((t) => t.typeNo),
      ['NEW', 'VIP'],
    );
    sb.injectFault({ fault: { kind: 'resetAfterApply' } });
    expectFields(await caught(runOp(client, 'changeTypeCode', token)), {
      kind: 'network',
      outcomeUnknown: true,
      operation: 'changeTypeCode',
    });
    assert.deepEqual(
      sb.types(V, P).map((t) => t.typeNo),
      ['NEW', 'VIP2'],
    );
    sb.injectFault({ fault: { kind: 'resetAfterApply' } });
    expectFields(await caught(runOp(client, 'deleteType', token, { typeNo: 'NEW' })), { kind: 'network', outcomeUnknown: true });
    assert.deepEqual(
      sb.types(V, P).map((t) => t.typeNo),
      ['VIP2'],
    );
  });

  it('noAnswer with a short timeoutMs → timeout, quickly', async () => {
    const quick = new VbotClient({ baseUrl: sb.url, timeoutMs: 150 });
    sb.injectFault({ fault: { kind: 'noAnswer' } });
    const started = Date.now();
    const e = await caught(runOp(quick, 'createType', token, { typeNo: 'NEW' }));
    const took = Date.now() - started;
    expectFields(e, { kind: 'timeout', operation: 'createType', outcomeUnknown: true });
    assert.ok(took >= 140 && took < 1500, `took ${took} ms`);
    sb.injectFault({ fault: { kind: 'noAnswer' }, path: '/token' });
    expectFields(await caught(quick.signIn('demo', 'demo123')), { kind: 'timeout', outcomeUnknown: false });
  });

  it('stalledBody (headers, then part of the body, then nothing) → timeout, quickly', async () => {
    const quick = new VbotClient({ baseUrl: sb.url, timeoutMs: 150 });
    sb.injectFault({ fault: { kind: 'stalledBody' } });
    const started = Date.now();
    const e = await caught(runOp(quick, 'updateTypeName', token));
    const took = Date.now() - started;
    expectFields(e, { kind: 'timeout', operation: 'updateTypeName', outcomeUnknown: true });
    assert.ok(took >= 140 && took < 1500, `took ${took} ms`);
  });

  it('oversized (default 3 MiB) → badResponse against the default 1 MiB cap, quickly', async () => {
    const c = new VbotClient({ baseUrl: sb.url });
    sb.injectFault({ fault: { kind: 'oversized' } });
    const started = Date.now();
    const e = await caught(runOp(c, 'updateTypeName', token));
    expectFields(e, { kind: 'badResponse', httpStatus: 200, outcomeUnknown: true });
    assert.ok(e.detail?.includes(String(DEFAULT_MAX_RESPONSE_BYTES)), e.detail);
    assert.ok(Date.now() - started < 1500);
  });

  it('maxResponseBytes: a body over it is refused, one under it is fine', async () => {
    const c = new VbotClient({ baseUrl: sb.url, maxResponseBytes: 10_000 });
    sb.injectFault({ fault: { kind: 'oversized', bytes: 20_000 } });
    expectFields(await caught(runOp(c, 'updateTypeName', token)), { kind: 'badResponse' });
    sb.injectFault({ fault: { kind: 'oversized', bytes: 5_000 } });
    await runOp(c, 'updateTypeName', token);
    sb.injectFault({ fault: { kind: 'oversized', bytes: 20_000 }, path: '/token' });
    expectFields(await caught(c.signIn('demo', 'demo123')), { kind: 'badResponse', operation: 'signIn' });
  });

  it('a chunked endless answer (no Content-Length) is cut off at the cap, not read whole', async () => {
    let written = 0;
    let closed = false;
    const plain = await plainServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"error":0,"message":"success","data":"');
      const chunk = 'x'.repeat(16 * 1024);
      const pump = (): void => {
        while (!closed && written < 64 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
      };
      res.on('close', () => {
        closed = true;
      });
      pump();
    });
    try {
      const c = new VbotClient({ baseUrl: plain.origin, maxResponseBytes: 64 * 1024 });
      const e = await caught(c.createType({ vbotId: V, projectCode: P, typeNo: 'A', typeName: 'a' }, token));
      expectFields(e, { kind: 'badResponse', outcomeUnknown: true });
      await waitFor(() => closed);
      assert.ok(written < 16 * 1024 * 1024, `server wrote ${written} bytes before the client hung up`);
    } finally {
      await plain.close();
    }
  });

  it('envelopeError → the kind for its code (see the per-code suite), not outcome unknown', async () => {
    sb.injectFault({ fault: { kind: 'envelopeError', error: 403 } });
    expectFields(await caught(runOp(client, 'deleteType', token)), {
      kind: 'forbidden',
      serverCode: 403,
      serverMessage: 'Không có quyền thực hiện',
      outcomeUnknown: false,
    });
    unchanged();
  });

  it('connection refused → network, outcome known (nothing sent)', async () => {
    const port = await closedPort();
    const c = new VbotClient({ baseUrl: `http://127.0.0.1:${port}/v2.0` });
    for (const op of CRM_OPERATIONS) {
      expectFields(await caught(runOp(c, op, token)), { kind: 'network', operation: op, outcomeUnknown: false });
    }
    expectFields(await caught(c.signIn('demo', 'demo123')), { kind: 'network', outcomeUnknown: false });
  });
});

// --- redirects --------------------------------------------------------------------------------------

describe('redirects', () => {
  let sb: VbotSandbox;
  let other: VbotSandbox;
  let plain: PlainServer;
  let client: VbotClient;
  let token: string;

  before(async () => {
    [sb, other] = await Promise.all([VbotSandbox.start(), VbotSandbox.start()]);
    plain = await plainServer((_req, res) => sendJson(res, 200, { error: 0, message: 'success', data: 'A' }));
  });
  after(() => Promise.all([sb.close(), other.close(), plain.close()]));
  beforeEach(() => {
    sb.reset();
    other.reset();
    plain.requests.length = 0;
    token = sb.issueToken().access_token;
    client = new VbotClient({ baseUrl: sb.url });
  });
  afterEach(() => {
    // Whatever happened, the other origins never saw anything, so never a token or a password.
    assert.equal(other.requests.length, 0);
    assert.equal(plain.requests.length, 0);
  });

  for (const status of [301, 302, 303, 307, 308]) {
    it(`a ${status} to another origin is refused and never followed`, async () => {
      for (const target of [`${other.url}/api/crm/type/create`, `${plain.origin}/steal`]) {
        sb.injectFault({ fault: { kind: 'redirect', location: target, status }, path: PATHS.createType });
        const e = await caught(runOp(client, 'createType', token));
        expectFields(e, { kind: 'badResponse', httpStatus: status, operation: 'createType' });
        assert.match(e.detail ?? '', /redirect .* refused/);
      }
      assert.deepEqual(sb.types(V, P), []);
    });
  }

  it('a sign-in redirected to another origin does not carry the password there', async () => {
    sb.injectFault({ fault: { kind: 'redirect', location: `${plain.origin}/token` }, path: '/token' });
    expectFields(await caught(client.signIn('demo', 'demo123')), { kind: 'badResponse', httpStatus: 307 });
  });

  it('a same-origin 307 (absolute or relative) is followed, with the token and body, and works', async () => {
    sb.injectFault({ fault: { kind: 'redirect', location: `${sb.url}/api/crm/type/create` }, path: PATHS.createType });
    await runOp(client, 'createType', token);
    assert.equal(sb.requests.length, 2);
    for (const r of sb.requests) {
      assertCrmRequest(r, token, PATHS.createType, { vbot_id: V, project_code: P, type_name: 'Khách VIP', type_no: 'VIP' });
    }
    sb.injectFault({ fault: { kind: 'redirect', location: '/v2.0/api/crm/type/update', status: 308 }, path: PATHS.updateTypeName });
    await client.updateTypeName({ vbotId: V, projectCode: P, typeNo: 'VIP', typeName: 'Đổi' }, token);
    assert.deepEqual(sb.types(V, P), [{ typeNo: 'VIP', typeName: 'Đổi' }]);
  });

  it('a same-origin 302 is refused (it would turn the POST into a GET)', async () => {
    sb.injectFault({ fault: { kind: 'redirect', location: `${sb.url}/api/crm/type/create`, status: 302 }, path: PATHS.createType });
    expectFields(await caught(runOp(client, 'createType', token)), { kind: 'badResponse', httpStatus: 302 });
    assert.equal(sb.requests.length, 1);
  });

  it('an endless same-origin redirect loop stops after a few hops', async () => {
    sb.injectFault({ fault: { kind: 'redirect', location: `${sb.url}/api/crm/type/create` }, path: PATHS.createType, times: Infinity });
    expectFields(await caught(runOp(client, 'createType', token)), { kind: 'badResponse', httpStatus: 307 });
    assert.ok(sb.requests.length <= 5, `${sb.requests.length} requests`);
  });
});

// --- cancellation -----------------------------------------------------------------------------------

describe('cancellation', () => {
  let sb: VbotSandbox;
  let token: string;
  before(async () => {
    sb = await VbotSandbox.start();
  });
  after(() => sb.close());
  beforeEach(() => {
    sb.reset();
    token = sb.issueToken().access_token;
  });

  /** A call held by `fault`, aborted once the sandbox has it (and `settleMs` later): cancelled, promptly. */
  async function abortedPromptly(fault: 'noAnswer' | 'stalledBody', op: 'createType' | 'updateTypeName', settleMs = 0): Promise<void> {
    const client = new VbotClient({ baseUrl: sb.url, timeoutMs: 10_000 });
    sb.injectFault({ fault: { kind: fault } });
    const ac = new AbortController();
    const pending = caught(runOp(client, op, token, { signal: ac.signal }));
    await waitFor(() => sb.requests.length === 1);
    if (settleMs) await new Promise((r) => setTimeout(r, settleMs));
    const started = Date.now();
    ac.abort();
    expectFields(await pending, { kind: 'cancelled', operation: op, outcomeUnknown: true });
    assert.ok(Date.now() - started < 1000);
  }

  it('aborting during a call that gets no answer → cancelled, promptly', () => abortedPromptly('noAnswer', 'createType'));

  // The headers are in by then: the abort must reach the body's read.
  it('aborting while the answer body stalls → cancelled, promptly', () => abortedPromptly('stalledBody', 'updateTypeName', 50));

  it('aborting a sign-in that gets no answer → cancelled', async () => {
    const client = new VbotClient({ baseUrl: sb.url, timeoutMs: 10_000 });
    sb.injectFault({ fault: { kind: 'noAnswer' }, path: '/token' });
    const ac = new AbortController();
    const pending = caught(client.signIn('demo', 'demo123', ac.signal));
    await waitFor(() => sb.requests.length === 1);
    ac.abort();
    expectFields(await pending, { kind: 'cancelled', operation: 'signIn', outcomeUnknown: false });
  });

  it('an already-aborted signal → cancelled, nothing sent', async () => {
    const client = new VbotClient({ baseUrl: sb.url });
    const signal = AbortSignal.abort();
    for (const op of CRM_OPERATIONS) {
      expectFields(await caught(runOp(client, op, token, { signal })), { kind: 'cancelled', operation: op, outcomeUnknown: false });
    }
    expectFields(await caught(client.signIn('demo', 'demo123', signal)), { kind: 'cancelled', operation: 'signIn' });
    expectFields(await caught(client.refresh('rt-123456', signal)), { kind: 'cancelled', operation: 'refresh' });
    assert.equal(sb.requests.length, 0);
  });
});

// --- input checks -----------------------------------------------------------------------------------

describe('invalidInput: refused before any request', () => {
  let sb: VbotSandbox;
  let client: VbotClient;
  let token: string;
  before(async () => {
    sb = await VbotSandbox.start();
  });
  after(() => sb.close());
  beforeEach(() => {
    sb.reset();
    token = sb.issueToken().access_token;
    client = new VbotClient({ baseUrl: sb.url });
  });

  const BAD_COMMON = [
    '',
    '   ',
    '\t\n',
    'a\u0000b',
    'a\nb',
    'a\rb',
    'x\u007Fy',
    'x\u0085y',
    'ab\u2028',
    'left\u202Eright',
    'iso\u2066late',
    ' padded',
    'padded ',
  ];

  it('every field of every operation', async () => {
    const good = { vbotId: V, projectCode: P, typeNo: 'VIP', typeName: 'Khách VIP' };
    const cases: Array<{ what: string; run: () => Promise<void>; typeNo: string }> = [];
    for (const bad of [...BAD_COMMON, 'x'.repeat(51), '😀'.repeat(51)]) {
      cases.push({
        what: `create typeNo ${JSON.stringify(bad)}`,
        typeNo: bad,
        run: () => client.createType({ ...good, typeNo: bad }, token),
      });
      cases.push({
        what: `delete typeNo ${JSON.stringify(bad)}`,
        typeNo: bad,
        run: () => client.deleteType({ vbotId: V, projectCode: P, typeNo: bad }, token),
      });
      cases.push({
        what: `updateNo old ${JSON.stringify(bad)}`,
        typeNo: bad,
        run: () => client.changeTypeCode({ vbotId: V, projectCode: P, oldTypeNo: bad, newTypeNo: 'NEW' }, token),
      });
      cases.push({
        what: `updateNo new ${JSON.stringify(bad)}`,
        typeNo: 'VIP',
        run: () => client.changeTypeCode({ vbotId: V, projectCode: P, oldTypeNo: 'VIP', newTypeNo: bad }, token),
      });
    }
    for (const bad of [...BAD_COMMON, 'n'.repeat(256)]) {
      cases.push({
        what: `create typeName ${JSON.stringify(bad)}`,
        typeNo: 'VIP',
        run: () => client.createType({ ...good, typeName: bad }, token),
      });
      cases.push({
        what: `update typeName ${JSON.stringify(bad)}`,
        typeNo: 'VIP',
        run: () => client.updateTypeName({ ...good, typeName: bad }, token),
      });
    }
    for (const bad of [...BAD_COMMON, 'v'.repeat(101)]) {
      cases.push({
        what: `vbotId ${JSON.stringify(bad)}`,
        typeNo: 'VIP',
        run: () => client.updateTypeName({ ...good, vbotId: bad }, token),
      });
      cases.push({
        what: `projectCode ${JSON.stringify(bad)}`,
        typeNo: 'VIP',
        run: () => client.deleteType({ vbotId: V, projectCode: bad, typeNo: 'VIP' }, token),
      });
    }
    for (const c of cases) {
      const e = await caught(c.run());
      assert.equal(e.kind, 'invalidInput', c.what);
      assert.equal(e.outcomeUnknown, false, c.what);
      assert.equal(e.typeNo, c.typeNo, c.what);
      // The message must be one printable line of bounded size, whatever the value was.
      assert.ok(
        // eslint-disable-next-line no-control-regex -- the test is about control characters
        !/[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/.test(e.message),
        `${c.what}: ${JSON.stringify(e.message)}`,
      );
      assert.ok(e.message.length < 300, `${c.what}: message length ${e.message.length}`);
    }
    assert.equal(sb.requests.length, 0, 'nothing reached the server');
  });

  it('values at the limits are accepted', async () => {
    const typeNo = 'C'.repeat(50);
    await client.createType({ vbotId: 'v'.repeat(100), projectCode: 'p'.repeat(100), typeNo, typeName: 'ñ'.repeat(255) }, token);
    await client.changeTypeCode(
      { vbotId: 'v'.repeat(100), projectCode: 'p'.repeat(100), oldTypeNo: typeNo, newTypeNo: '😀'.repeat(50) },
      token,
    );
    assert.deepEqual(sb.types('v'.repeat(100), 'p'.repeat(100)), [{ typeNo: '😀'.repeat(50), typeName: 'ñ'.repeat(255) }]);
  });
});

// --- secrets ----------------------------------------------------------------------------------------

describe('secrets never leave in logs or errors', () => {
  const PASSWORD = 'S3cr3t-Pässwörd-42';
  let sb: VbotSandbox;
  before(async () => {
    sb = await VbotSandbox.start({ users: [{ username: 'alice', password: PASSWORD }] });
  });
  after(() => sb.close());

  it('across succeeding and failing calls, including servers that echo the secrets back', async () => {
    const log = new RecordingLogger();
    const client = new VbotClient({ baseUrl: sb.url, logger: log, timeoutMs: 150, maxResponseBytes: 4096 });
    const errors: VbotError[] = [];
    const collect = async (p: Promise<unknown>): Promise<void> => {
      try {
        await p;
      } catch (e) {
        assert.ok(e instanceof VbotError, String(e));
        errors.push(e);
      }
    };

    const tokens = await client.signIn('alice', PASSWORD);
    const access = tokens.accessToken;
    const refreshToken = tokens.refreshToken as string;
    const secrets = { access, refreshToken, password: PASSWORD };

    // Successes.
    await client.createType({ vbotId: V, projectCode: P, typeNo: 'A', typeName: 'a' }, access);
    await client.updateTypeName({ vbotId: V, projectCode: P, typeNo: 'A', typeName: 'b' }, access);
    await client.changeTypeCode({ vbotId: V, projectCode: P, oldTypeNo: 'A', newTypeNo: 'B' }, access);
    await client.deleteType({ vbotId: V, projectCode: P, typeNo: 'B' }, access);

    // Failures of every sort, some with the secret echoed in the server's message.
    await collect(client.signIn('alice', `${PASSWORD}x`));
    await collect(client.refresh(`${refreshToken}zz`));
    sb.injectFault({ fault: { kind: 'envelopeError', error: 401, message: `bad password ${PASSWORD} for alice` }, path: '/token' });
    await collect(client.signIn('alice', PASSWORD));
    sb.injectFault({ fault: { kind: 'envelopeError', error: 401, message: `refresh token ${refreshToken} revoked` }, path: '/token' });
    await collect(client.refresh(refreshToken));
    sb.injectFault({ fault: { kind: 'envelopeError', error: 500, message: `boom ${refreshToken}` }, path: '/token' });
    await collect(client.refresh(refreshToken));
    for (const code of [-1, 401, 403, 404, 409, 500, 777]) {
      sb.injectFault({ fault: { kind: 'envelopeError', error: code, message: `token ${access} rejected (Bearer ${access})` } });
      await collect(client.createType({ vbotId: V, projectCode: P, typeNo: 'C', typeName: 'c' }, access));
    }
    for (const kind of [
      'http500',
      'html502',
      'malformedJson',
      'emptyBody',
      'reset',
      'resetAfterApply',
      'noAnswer',
      'oversized',
      'wrongShape',
    ] as const) {
      sb.injectFault({ fault: { kind } });
      await collect(client.updateTypeName({ vbotId: V, projectCode: P, typeNo: 'C', typeName: 'c2' }, access));
      sb.injectFault({ fault: { kind }, path: '/token' });
      await collect(client.signIn('alice', PASSWORD));
    }
    sb.injectFault({ fault: { kind: 'redirect', location: `http://127.0.0.1:9/${access}?p=${PASSWORD}` } });
    await collect(client.deleteType({ vbotId: V, projectCode: P, typeNo: 'C' }, access));
    sb.expireAccessTokens();
    await collect(client.deleteType({ vbotId: V, projectCode: P, typeNo: 'C' }, access));
    await collect(client.createType({ vbotId: V, projectCode: P, typeNo: 'bad\n', typeName: 'c' }, access));
    await collect(client.createType({ vbotId: V, projectCode: P, typeNo: 'C', typeName: 'c' }, `${access}\n`));

    // A TokenSession refreshing through the same logger.
    const store: { t?: TokenSet } = { t: { accessToken: access, refreshToken } };
    const memory: TokenStore = {
      get: async () => store.t,
      set: async (t) => {
        store.t = t;
      },
      clear: async () => {
        store.t = undefined;
      },
    };
    const session = new TokenSession(() => client, memory, log);
    await session.call('createType', 'S', (tok) => client.createType({ vbotId: V, projectCode: P, typeNo: 'S', typeName: 's' }, tok));
    const later = store.t as TokenSet;
    sb.revokeAll();
    await collect(session.call('deleteType', 'S', (tok) => client.deleteType({ vbotId: V, projectCode: P, typeNo: 'S' }, tok)));
    const allSecrets = { ...secrets, laterAccess: later.accessToken, laterRefresh: later.refreshToken as string };

    assert.ok(errors.length >= 30, `${errors.length} errors collected`);
    assert.ok(
      errors.some((e) => e.serverMessage?.includes('[redacted]')),
      'echoed secrets were scrubbed, not dropped silently',
    );
    const logText = log.text();
    assert.ok(
      log.lines.some((l) => l.level === 'trace'),
      'trace lines were captured',
    );
    for (const [name, secret] of Object.entries(allSecrets)) {
      assert.ok(secret.length >= 8);
      assert.ok(!logText.includes(secret), `${name} in the log`);
      for (const e of errors) {
        for (const [where, text] of Object.entries({
          message: e.message,
          stack: e.stack ?? '',
          serverMessage: e.serverMessage ?? '',
          detail: e.detail ?? '',
          json: JSON.stringify(e),
          string: String(e),
        })) {
          assert.ok(!text.includes(secret), `${name} in ${where} of ${e.kind}/${e.operation}: ${text}`);
        }
      }
    }
  });
});
