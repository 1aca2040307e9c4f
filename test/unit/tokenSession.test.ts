// TokenSession against a real sandbox: refresh once on expiry, share one refresh between
// concurrent calls, never loop, and report a finished session as 'unauthorized'/'signedOut'.

import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { VbotSandbox } from '../sandbox/vbotSandbox';
import { VbotClient, type TokenSet } from '../../src/core/vbotClient';
import { TokenSession, type TokenStore } from '../../src/core/tokenSession';
import { VbotError } from '../../src/core/vbotError';
import { silentLogger } from '../../src/core/logger';

const V = 'VB-0001';
const P = 'SALES';
const CREATE = '/api/crm/type/create';

class MemoryStore implements TokenStore {
  sets = 0;
  gets = 0;
  /** When set, the get() calls numbered from `from` on wait for `open`: lets a test act while a refresh is paused. */
  gate: { from: number; open: Promise<void>; reached: () => void } | undefined;
  constructor(public tokens?: TokenSet) {}
  async get(): Promise<TokenSet | undefined> {
    this.gets++;
    if (this.gate && this.gets >= this.gate.from) {
      this.gate.reached();
      await this.gate.open;
    }
    return this.tokens ? { ...this.tokens } : undefined;
  }
  async set(tokens: TokenSet): Promise<void> {
    this.sets++;
    this.tokens = { ...tokens };
  }
  async clear(): Promise<void> {
    this.tokens = undefined;
  }
}

async function caught(p: Promise<unknown>): Promise<VbotError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof VbotError, `expected a VbotError, got ${String(e)}`);
    return e;
  }
  return assert.fail('expected the call to fail');
}

describe('TokenSession', () => {
  let sb: VbotSandbox;
  let client: VbotClient;
  let store: MemoryStore;
  let session: TokenSession;
  let issued: { access_token: string; refresh_token: string };
  let clock: number;

  before(async () => {
    sb = await VbotSandbox.start();
  });
  after(() => sb.close());
  beforeEach(() => {
    sb.reset();
    clock = Date.now();
    client = new VbotClient({ baseUrl: sb.url, timeoutMs: 2000, now: () => clock });
    issued = sb.issueToken();
    store = new MemoryStore({ accessToken: issued.access_token, refreshToken: issued.refresh_token, expiresAt: clock + 899_000 });
    session = new TokenSession(
      () => client,
      store,
      silentLogger,
      () => clock,
    );
  });

  const create = (typeNo: string, signal?: AbortSignal) =>
    session.call(
      'createType',
      typeNo,
      (tok) => client.createType({ vbotId: V, projectCode: P, typeNo, typeName: typeNo }, tok, signal),
      signal,
    );
  const paths = () => sb.requests.map((r) => r.path);

  it('a valid token is used as is: one request, no refresh', async () => {
    await create('A');
    assert.deepEqual(paths(), [CREATE]);
    assert.equal(sb.requests[0].headers.authorization, `Bearer ${issued.access_token}`);
    assert.equal(store.sets, 0);
  });

  it('a token the server expired: exactly one /token refresh and one retry, then success', async () => {
    sb.expireAccessTokens();
    await create('A');
    assert.deepEqual(paths(), [CREATE, '/token', CREATE]);
    assert.deepEqual(sb.requests[1].body, { refresh_token: issued.refresh_token, grant_type: 'refresh_token' });
    const stored = store.tokens as TokenSet;
    assert.notEqual(stored.accessToken, issued.access_token);
    assert.equal(sb.requests[2].headers.authorization, `Bearer ${stored.accessToken}`);
    assert.ok(stored.refreshToken && stored.refreshToken !== issued.refresh_token, 'the new refresh token is kept');
    assert.equal(stored.expiresAt, clock + 899_000);
    assert.equal(store.sets, 1);
    assert.deepEqual(sb.types(V, P), [{ typeNo: 'A', typeName: 'A' }]);
  });

  it('an envelope 401 inside HTTP 200 also triggers the one refresh', async () => {
    sb.injectFault({ fault: { kind: 'envelopeError', error: 401 }, path: CREATE });
    await create('A');
    assert.deepEqual(paths(), [CREATE, '/token', CREATE]);
  });

  it('refresh refused (revoked): unauthorized for the caller, no loop, store untouched', async () => {
    sb.revokeAll();
    const e = await caught(create('A'));
    assert.equal(e.kind, 'unauthorized');
    assert.equal(e.operation, 'createType');
    assert.equal(e.typeNo, 'A');
    assert.deepEqual(paths(), [CREATE, '/token']);
    assert.equal(store.sets, 0);
  });

  it('still 401 after a successful refresh: one retry only, then unauthorized', async () => {
    sb.injectFault({ fault: { kind: 'envelopeError', error: 401 }, path: CREATE, times: Infinity });
    const e = await caught(create('A'));
    assert.equal(e.kind, 'unauthorized');
    assert.deepEqual(paths(), [CREATE, '/token', CREATE]);
  });

  it('concurrent calls with an expired token share one refresh', async () => {
    sb.expireAccessTokens();
    const codes = ['A', 'B', 'C', 'D', 'E', 'F'];
    await Promise.all(codes.map((c) => create(c)));
    assert.equal(paths().filter((p) => p === '/token').length, 1, paths().join(' '));
    assert.equal(paths().filter((p) => p === CREATE).length, codes.length * 2);
    assert.deepEqual(
      sb.types(V, P).map((t) => t.typeNo),
      codes,
    );
    assert.equal(store.sets, 1);
  });

  it('concurrent calls whose stored token is past expiresAt share one refresh made before any call', async () => {
    store.tokens = { ...(store.tokens as TokenSet), expiresAt: clock - 1 };
    await Promise.all(['A', 'B', 'C'].map((c) => create(c)));
    assert.equal(paths()[0], '/token');
    assert.equal(paths().filter((p) => p === '/token').length, 1);
    assert.equal(paths().filter((p) => p === CREATE).length, 3);
  });

  it('expiresAt in the past → refresh before the call, the call then succeeds first time', async () => {
    store.tokens = { ...(store.tokens as TokenSet), expiresAt: clock - 60_000 };
    await create('A');
    assert.deepEqual(paths(), ['/token', CREATE]);
    assert.equal(sb.requests[1].headers.authorization, `Bearer ${store.tokens.accessToken}`);
  });

  it('expiresAt within the safety margin (10 s left) → refresh first', async () => {
    store.tokens = { ...(store.tokens as TokenSet), expiresAt: clock + 10_000 };
    await create('A');
    assert.deepEqual(paths(), ['/token', CREATE]);
  });

  it('no tokens → signedOut, nothing sent', async () => {
    store.tokens = undefined;
    const e = await caught(create('A'));
    assert.equal(e.kind, 'signedOut');
    assert.equal(e.operation, 'createType');
    assert.equal(sb.requests.length, 0);
  });

  it('a pasted access token without refresh token or expiry: used as is; on 401, unauthorized without a /token call', async () => {
    store.tokens = { accessToken: issued.access_token };
    await create('A');
    sb.expireAccessTokens();
    const e = await caught(create('B'));
    assert.equal(e.kind, 'unauthorized');
    assert.deepEqual(paths(), [CREATE, CREATE]);
  });

  it('a network failure during the refresh is reported, not retried in a loop', async () => {
    sb.expireAccessTokens();
    sb.injectFault({ fault: { kind: 'reset' }, path: '/token' });
    const e = await caught(create('A'));
    assert.equal(e.kind, 'network');
    assert.deepEqual(paths(), [CREATE, '/token']);
  });

  it('other errors pass through without a refresh', async () => {
    sb.injectFault({ fault: { kind: 'envelopeError', error: 409 }, path: CREATE });
    assert.equal((await caught(create('A'))).kind, 'alreadyExists');
    assert.deepEqual(paths(), [CREATE]);
  });

  it('one caller cancelling does not fail another caller that shares the refresh', async () => {
    sb.expireAccessTokens();
    const a = new AbortController();
    // Calls A and B each read the store once (gets 1 and 2); the shared refresh's read (get 3) pauses.
    let open!: () => void;
    let reached!: () => void;
    const paused = new Promise<void>((r) => {
      reached = r;
    });
    store.gate = {
      from: 3,
      open: new Promise<void>((r) => {
        open = r;
      }),
      reached,
    };
    const both = Promise.all([create('A', a.signal).catch((e: unknown) => e), create('B')]);
    await paused;
    // B must have joined the paused refresh too before A cancels: wait until both 401s were answered.
    while (sb.requests.filter((r) => r.path === CREATE).length < 2) await new Promise((r) => setTimeout(r, 2));
    await new Promise((r) => setTimeout(r, 20));
    a.abort();
    open();
    const [resultA, resultB] = await both;
    assert.ok(resultA instanceof VbotError && resultA.kind === 'cancelled', `A: ${String(resultA)}`);
    assert.equal(resultA.operation, 'createType');
    assert.equal(resultB, undefined, `B should succeed, got ${String(resultB)}`);
    assert.deepEqual(
      sb.types(V, P).map((t) => t.typeNo),
      ['B'],
    );
  });

  it("an error from a shared refresh names each caller's own operation and type", async () => {
    sb.expireAccessTokens();
    sb.revokeAll();
    sb.seed(V, P, [{ typeNo: 'X', typeName: 'x' }]);
    const [ea, eb] = await Promise.all([
      caught(create('A')),
      caught(session.call('deleteType', 'X', (tok) => client.deleteType({ vbotId: V, projectCode: P, typeNo: 'X' }, tok))),
    ]);
    assert.equal(paths().filter((p) => p === '/token').length, 1);
    assert.deepEqual([ea.kind, ea.operation, ea.typeNo], ['unauthorized', 'createType', 'A']);
    assert.deepEqual([eb.kind, eb.operation, eb.typeNo], ['unauthorized', 'deleteType', 'X']);
  });

  it('a signal aborted before the call → cancelled, nothing sent', async () => {
    store.tokens = { ...(store.tokens as TokenSet), expiresAt: clock - 1 };
    const e = await caught(create('A', AbortSignal.abort()));
    assert.equal(e.kind, 'cancelled');
    assert.equal(sb.requests.length, 0);
  });
});
