// The VBot sandbox, exercised over real HTTP with global fetch, since every other test trusts it.

import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_KEY_HEADER, VbotSandbox } from '../sandbox/vbotSandbox';
import type { Fault } from '../sandbox/vbotSandbox';
import { DEMO_PROJECTS, DEMO_USER, DEMO_VBOT_ID, demoSeed } from '../sandbox/demoData';

const V = 'VB-TEST-1';
const P = 'SALES';

let sb: VbotSandbox;

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions poke at arbitrary shapes
  json: any;
}

async function toAnswer(res: Response): Promise<Answer> {
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

async function tokenRequest(form: Record<string, string>, contentType = 'application/x-www-form-urlencoded'): Promise<Answer> {
  const res = await fetch(`${sb.url}/token`, {
    method: 'POST',
    headers: { 'Content-Type': contentType, Accept: 'application/json' },
    body: new URLSearchParams(form).toString(),
  });
  return toAnswer(res);
}

/** POSTs to a CRM endpoint; `body` is JSON-encoded unless it is already a string. */
async function crm(
  endpoint: string,
  body: unknown,
  token: string | null = sb.issueToken().access_token,
  init: RequestInit = {},
): Promise<Answer> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(`${sb.url}/api/crm/type/${endpoint}`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...init,
  });
  return toAnswer(res);
}

/** Calls the admin API with the sandbox's admin key; `key: null` sends none, a string sends that one. */
async function admin(method: string, action: string, body?: unknown, key: string | null = sb.adminKey): Promise<Answer> {
  const headers: Record<string, string> = body === undefined ? {} : { 'Content-Type': 'application/json' };
  if (key !== null) headers[ADMIN_KEY_HEADER] = key;
  const res = await fetch(`${sb.origin}/__sandbox/${action}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return toAnswer(res);
}

function assertOk(a: Answer, data: unknown): void {
  assert.equal(a.status, 200, a.text);
  assert.deepEqual(a.json, { status: 1, error: 0, message: 'success', data });
}

function assertFail(a: Answer, httpStatus: number, error: number): void {
  assert.equal(a.status, httpStatus, a.text);
  assert.equal(a.json.status, 0, a.text);
  assert.equal(a.json.error, error, a.text);
  assert.equal(typeof a.json.message, 'string');
  assert.ok(a.json.message.length > 0);
  assert.equal(a.json.data, null);
}

const type = (typeNo: string, typeName = `Tên ${typeNo}`) => ({ vbot_id: V, project_code: P, type_no: typeNo, type_name: typeName });

before(async () => {
  sb = await VbotSandbox.start();
});
after(async () => {
  await sb.close();
});
beforeEach(() => sb.reset());

describe('start and URLs', () => {
  it('listens on 127.0.0.1 with the /v2.0 prefix by default', () => {
    assert.match(sb.origin, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(sb.url, `${sb.origin}/v2.0`);
  });

  it('honours pathPrefix (normalised) and an empty prefix', async () => {
    const custom = await VbotSandbox.start({ pathPrefix: 'api/v9/' });
    const bare = await VbotSandbox.start({ pathPrefix: '' });
    try {
      assert.equal(custom.url, `${custom.origin}/api/v9`);
      assert.equal(bare.url, bare.origin);
      const form = new URLSearchParams({ grant_type: 'password', username: 'demo', password: 'demo123' });
      const r1 = await fetch(`${custom.url}/token`, { method: 'POST', body: form });
      const r2 = await fetch(`${bare.url}/token`, { method: 'POST', body: form });
      assert.equal(r1.status, 200);
      assert.equal(r2.status, 200);
      const outside = await fetch(`${custom.origin}/v2.0/token`, { method: 'POST', body: form });
      assert.equal(outside.status, 404);
      await outside.text();
      assert.equal(custom.requests[1].path, '/v2.0/token', 'a path outside the prefix is recorded as received');
    } finally {
      await Promise.all([custom.close(), bare.close()]);
    }
  });

  it('rejects start on a taken port', async () => {
    const port = Number(new URL(sb.origin).port);
    // A sandbox that did start anyway is closed, so the failure cannot keep node --test from exiting.
    await assert.rejects(
      VbotSandbox.start({ port }).then(async (s) => {
        await s.close();
        return s;
      }),
      /EADDRINUSE/,
    );
  });

  it('seeds from options, types() is sorted, seed() replaces a project', async () => {
    const seeded = await VbotSandbox.start({ seed: demoSeed() });
    try {
      const sales = DEMO_PROJECTS.find((p) => p.projectCode === 'SALES')!;
      const got = seeded.types(DEMO_VBOT_ID, 'SALES');
      assert.equal(got.length, sales.types.length);
      assert.deepEqual(
        got.map((t) => t.typeNo),
        [...sales.types.map((t) => t.typeNo)].sort(),
      );
      seeded.seed(DEMO_VBOT_ID, 'SALES', [
        { typeNo: 'B', typeName: 'b' },
        { typeNo: 'A', typeName: 'a' },
      ]);
      assert.deepEqual(seeded.types(DEMO_VBOT_ID, 'SALES'), [
        { typeNo: 'A', typeName: 'a' },
        { typeNo: 'B', typeName: 'b' },
      ]);
      assert.deepEqual(seeded.types('nobody', 'SALES'), []);
    } finally {
      await seeded.close();
    }
  });
});

describe('demo data', () => {
  it('has the demo user, VBotID and 3 projects of 3-6 types', () => {
    assert.deepEqual({ ...DEMO_USER }, { username: 'demo', password: 'demo123' });
    assert.equal(DEMO_VBOT_ID, 'VB-DEMO-0001');
    assert.equal(DEMO_PROJECTS.length, 3);
    for (const p of DEMO_PROJECTS) {
      assert.ok(p.types.length >= 3 && p.types.length <= 6, p.projectCode);
      assert.equal(new Set(p.types.map((t) => t.typeNo)).size, p.types.length, 'codes are unique');
    }
  });
});

describe('/token', () => {
  it('password grant answers the OAuth shape with expires_in 899', async () => {
    const a = await tokenRequest({ grant_type: 'password', username: 'demo', password: 'demo123' });
    assert.equal(a.status, 200);
    assert.deepEqual(Object.keys(a.json).sort(), ['access_token', 'expires_in', 'refresh_token', 'token_type']);
    assert.equal(a.json.token_type, 'bearer');
    assert.equal(a.json.expires_in, 899);
    assert.match(a.json.access_token, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(a.json.access_token, a.json.refresh_token);
    assertOk(await crm('create', type('VIP'), a.json.access_token), 'VIP');
  });

  it('wrong password or unknown user: HTTP 401, error 401, Vietnamese message', async () => {
    for (const form of [
      { grant_type: 'password', username: 'demo', password: 'nope' },
      { grant_type: 'password', username: 'ghost', password: 'demo123' },
    ]) {
      const a = await tokenRequest(form);
      assertFail(a, 401, 401);
      assert.equal(a.json.message, 'Sai tên đăng nhập hoặc mật khẩu');
    }
  });

  it('missing fields or an unsupported grant_type: HTTP 401, error -1', async () => {
    for (const form of [
      { grant_type: 'password', username: 'demo' },
      { grant_type: 'refresh_token' },
      { grant_type: 'client_credentials' },
      { username: 'demo', password: 'demo123' },
    ] as Array<Record<string, string>>) {
      assertFail(await tokenRequest(form), 401, -1);
    }
  });

  it('a body that is not form-urlencoded: HTTP 400, error -1', async () => {
    const res = await fetch(`${sb.url}/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ grant_type: 'password', username: 'demo', password: 'demo123' }),
    });
    assertFail(await toAnswer(res), 400, -1);
  });

  it('refresh grant issues new tokens; the old refresh token stays valid', async () => {
    const first = await tokenRequest({ grant_type: 'password', username: 'demo', password: 'demo123' });
    const second = await tokenRequest({ grant_type: 'refresh_token', refresh_token: first.json.refresh_token });
    assert.equal(second.status, 200);
    assert.notEqual(second.json.access_token, first.json.access_token);
    assertOk(await crm('create', type('A'), second.json.access_token), 'A');
    const third = await tokenRequest({ grant_type: 'refresh_token', refresh_token: first.json.refresh_token });
    assert.equal(third.status, 200);
  });

  it('unknown refresh token: HTTP 401, error 401', async () => {
    assertFail(await tokenRequest({ grant_type: 'refresh_token', refresh_token: 'made-up' }), 401, 401);
  });

  it('custom users and tokenTtlSeconds', async () => {
    const other = await VbotSandbox.start({ users: [{ username: 'an', password: 'mật khẩu' }], tokenTtlSeconds: 60 });
    try {
      const form = new URLSearchParams({ grant_type: 'password', username: 'an', password: 'mật khẩu' });
      const res = await fetch(`${other.url}/token`, { method: 'POST', body: form });
      const body = (await res.json()) as { expires_in: number };
      assert.equal(res.status, 200);
      assert.equal(body.expires_in, 60);
      assert.equal(other.issueToken().expires_in, 60);
    } finally {
      await other.close();
    }
  });

  it('GET /token is 405', async () => {
    const a = await toAnswer(await fetch(`${sb.url}/token`));
    assertFail(a, 405, 405);
    assert.equal(a.headers.get('allow'), 'POST');
  });
});

describe('auth on CRM endpoints', () => {
  it('missing, malformed or unknown bearer token: HTTP 401, error 401', async () => {
    for (const token of [null, 'not-a-real-token']) {
      const a = await crm('create', type('A'), token);
      assertFail(a, 401, 401);
      assert.equal(a.json.message, 'Không có quyền truy cập');
    }
    const res = await fetch(`${sb.url}/api/crm/type/create`, {
      method: 'POST',
      headers: { Authorization: `Basic ${sb.issueToken().access_token}` },
      body: JSON.stringify(type('A')),
    });
    assertFail(await toAnswer(res), 401, 401);
    assert.deepEqual(sb.types(V, P), []);
  });

  it('expireAccessTokens: old access token is 401, refresh still works', async () => {
    const t = sb.issueToken();
    sb.expireAccessTokens();
    assertFail(await crm('create', type('A'), t.access_token), 401, 401);
    const fresh = await tokenRequest({ grant_type: 'refresh_token', refresh_token: t.refresh_token });
    assertOk(await crm('create', type('A'), fresh.json.access_token), 'A');
  });

  it('tokens expire by time (tokenTtlSeconds 0)', async () => {
    const quick = await VbotSandbox.start({ tokenTtlSeconds: 0 });
    try {
      const res = await fetch(`${quick.url}/api/crm/type/create`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${quick.issueToken().access_token}` },
        body: JSON.stringify(type('A')),
      });
      assert.equal(res.status, 401);
      await res.text();
    } finally {
      await quick.close();
    }
  });

  it('revokeAll: access and refresh tokens both die', async () => {
    const t = sb.issueToken();
    sb.revokeAll();
    assertFail(await crm('create', type('A'), t.access_token), 401, 401);
    assertFail(await tokenRequest({ grant_type: 'refresh_token', refresh_token: t.refresh_token }), 401, 401);
  });
});

describe('create', () => {
  it('creates and answers data = type_no; 409 on a duplicate in the same project only', async () => {
    assertOk(await crm('create', type('VIP', 'Khách hàng VIP')), 'VIP');
    assert.deepEqual(sb.types(V, P), [{ typeNo: 'VIP', typeName: 'Khách hàng VIP' }]);
    assertFail(await crm('create', type('VIP', 'Khác')), 200, 409);
    assert.equal(sb.types(V, P)[0].typeName, 'Khách hàng VIP');
    assertOk(await crm('create', { ...type('VIP'), project_code: 'CSKH' }), 'VIP');
    assertOk(await crm('create', { ...type('VIP'), vbot_id: 'VB-OTHER' }), 'VIP');
  });

  it('validation: each required field, limits, types -> HTTP 200, error -1', async () => {
    const bad: unknown[] = [
      { project_code: P, type_no: 'A', type_name: 'a' },
      { ...type('A'), project_code: '' },
      { ...type('A'), type_no: '   ' },
      { ...type('A'), type_name: undefined },
      { ...type('A'), type_name: 42 },
      type('X'.repeat(51)),
      type('A', 'n'.repeat(256)),
    ];
    for (const body of bad) assertFail(await crm('create', body), 200, -1);
    // Limits count characters, not UTF-16 units or bytes.
    assertOk(await crm('create', type('Ư'.repeat(50), '😀'.repeat(255))), 'Ư'.repeat(50));
    assert.equal(sb.types(V, P).length, 1);
  });

  it('a body that is not a JSON object -> error -1', async () => {
    for (const body of ['[1,2]', 'null', '"VIP"', '{not json', '']) {
      const a = await crm('create', body);
      assertFail(a, 200, -1);
      assert.match(a.json.message, /^Sai tham số/);
    }
  });
});

describe('update', () => {
  it('renames and answers data = type_no; 404 when missing', async () => {
    sb.seed(V, P, [{ typeNo: 'VIP', typeName: 'cũ' }]);
    assertOk(await crm('update', type('VIP', 'Khách hàng VIP')), 'VIP');
    assert.deepEqual(sb.types(V, P), [{ typeNo: 'VIP', typeName: 'Khách hàng VIP' }]);
    assertFail(await crm('update', type('NOPE')), 200, 404);
    assertFail(await crm('update', { ...type('VIP'), project_code: 'OTHER' }), 200, 404);
    assertFail(await crm('update', { ...type('VIP'), type_name: '' }), 200, -1);
  });
});

describe('delete', () => {
  it('deletes and answers data = true; 404 when missing', async () => {
    sb.seed(V, P, [
      { typeNo: 'VIP', typeName: 'v' },
      { typeNo: 'KH', typeName: 'k' },
    ]);
    assertOk(await crm('delete', { vbot_id: V, project_code: P, type_no: 'VIP' }), true);
    assert.deepEqual(sb.types(V, P), [{ typeNo: 'KH', typeName: 'k' }]);
    assertFail(await crm('delete', { vbot_id: V, project_code: P, type_no: 'VIP' }), 200, 404);
    assertFail(await crm('delete', { vbot_id: V, project_code: P }), 200, -1);
  });
});

describe('updateNo', () => {
  const body = (oldNo: string, newNo: string) => ({ vbot_id: V, project_code: P, type_no_old: oldNo, type_no_new: newNo });

  it('changes the code, keeps the name, answers data = new code', async () => {
    sb.seed(V, P, [{ typeNo: 'VIP', typeName: 'Khách hàng VIP' }]);
    assertOk(await crm('updateNo', body('VIP', 'VIP_2025')), 'VIP_2025');
    assert.deepEqual(sb.types(V, P), [{ typeNo: 'VIP_2025', typeName: 'Khách hàng VIP' }]);
  });

  it('404 when the old code is missing, 409 when the new one exists, -1 on bad params', async () => {
    sb.seed(V, P, [
      { typeNo: 'A', typeName: 'a' },
      { typeNo: 'B', typeName: 'b' },
    ]);
    assertFail(await crm('updateNo', body('NOPE', 'C')), 200, 404);
    assertFail(await crm('updateNo', body('A', 'B')), 200, 409);
    assertFail(await crm('updateNo', { vbot_id: V, project_code: P, type_no_old: 'A' }), 200, -1);
    assertFail(await crm('updateNo', body('A', 'Z'.repeat(51))), 200, -1);
    assert.deepEqual(
      sb.types(V, P).map((t) => t.typeNo),
      ['A', 'B'],
    );
  });
});

describe('envelopes', () => {
  it('errorOnly drops status on success and failure', async () => {
    sb.envelope = 'errorOnly';
    const ok = await crm('create', type('A'));
    assert.deepEqual(ok.json, { error: 0, message: 'success', data: 'A' });
    const dup = await crm('create', type('A'));
    assert.equal(dup.status, 200);
    assert.deepEqual(Object.keys(dup.json).sort(), ['data', 'error', 'message']);
    assert.equal(dup.json.error, 409);
    const unauth = await crm('create', type('A'), null);
    assert.equal(unauth.status, 401);
    assert.equal(unauth.json.status, undefined);
    assert.equal(unauth.json.error, 401);
  });

  it('the start option sets the generation, and reset() returns to it', async () => {
    const other = await VbotSandbox.start({ envelope: 'errorOnly' });
    try {
      assert.equal(other.envelope, 'errorOnly');
      other.envelope = 'withStatus';
      other.reset();
      assert.equal(other.envelope, 'errorOnly');
    } finally {
      await other.close();
    }
  });
});

describe('routing', () => {
  it('unknown path: HTTP 404 envelope 404; wrong method on an endpoint: 405', async () => {
    const unknown = await toAnswer(await fetch(`${sb.url}/api/crm/type/list`, { method: 'POST', body: '{}' }));
    assertFail(unknown, 404, 404);
    assertFail(await toAnswer(await fetch(`${sb.origin}/nowhere`)), 404, 404);
    assertFail(await toAnswer(await fetch(`${sb.url}/api/crm/type/create`)), 405, 405);
  });

  it('a request body over 1 MiB is refused with 413', async () => {
    const a = await crm('create', JSON.stringify({ ...type('A'), pad: 'x'.repeat(1024 * 1024) }));
    assertFail(a, 413, -1);
    assert.deepEqual(sb.types(V, P), []);
  });
});

describe('latency', () => {
  // 300 ms: far above timer and scheduling noise, so "held back" and "not held back" cannot be confused.
  const LATENCY = 300;
  const timed = async (run: () => Promise<Response>): Promise<{ ms: number; a: Answer }> => {
    const t0 = performance.now();
    const a = await toAnswer(await run());
    return { ms: performance.now() - t0, a };
  };

  it('latencyMs holds back every API answer (faults too), side by side, never the admin API; off by default', async () => {
    assert.equal(sb.latencyMs, 0, 'off by default');
    const slow = await VbotSandbox.start({ latencyMs: LATENCY });
    try {
      const post = (endpoint: string, body: unknown, token: string) => () =>
        fetch(`${slow.url}/api/crm/type/${endpoint}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
          body: JSON.stringify(body),
        });
      const token = slow.issueToken().access_token;
      const created = await timed(post('create', type('A'), token));
      assertOk(created.a, 'A');
      assert.ok(created.ms >= LATENCY - 5, `create answered after ${created.ms} ms`);
      const signIn = await timed(() =>
        fetch(`${slow.url}/token`, {
          method: 'POST',
          body: new URLSearchParams({ grant_type: 'password', username: 'demo', password: 'demo123' }),
        }),
      );
      assert.equal(signIn.a.status, 200);
      assert.ok(signIn.ms >= LATENCY - 5, `/token answered after ${signIn.ms} ms`);
      slow.injectFault({ fault: { kind: 'http500' } });
      const fault = await timed(post('create', type('B'), token));
      assert.equal(fault.a.status, 500);
      assert.ok(fault.ms >= LATENCY - 5, `the fault answered after ${fault.ms} ms`);
      // Four at once wait side by side (a client with concurrency 4 sees one latency, not four).
      const t0 = performance.now();
      const four = await Promise.all(['C', 'D', 'E', 'F'].map((code) => post('create', type(code), token)().then(toAnswer)));
      for (const [i, a] of four.entries()) assertOk(a, ['C', 'D', 'E', 'F'][i]);
      assert.ok(performance.now() - t0 < 2 * LATENCY, `four concurrent calls took ${performance.now() - t0} ms`);
      const store = await timed(() => fetch(`${slow.origin}/__sandbox/store`, { headers: { [ADMIN_KEY_HEADER]: slow.adminKey } }));
      assert.equal(store.a.status, 200);
      assert.ok(store.ms < LATENCY, `the admin API answered after ${store.ms} ms`);
    } finally {
      await slow.close();
    }
  });

  it('refuses a negative or non-finite latencyMs', async () => {
    await assert.rejects(VbotSandbox.start({ latencyMs: -1 }), /latencyMs/);
    await assert.rejects(VbotSandbox.start({ latencyMs: Number.NaN }), /latencyMs/);
  });
});

describe('recorded requests', () => {
  it('records every request in order, path without prefix, headers and parsed bodies', async () => {
    const t = await tokenRequest({ grant_type: 'password', username: 'demo', password: 'demo123' });
    await crm('create', type('A'), t.json.access_token);
    await fetch(`${sb.url}/token?x=1`).then((r) => r.text());
    assert.deepEqual(
      sb.requests.map((r) => `${r.method} ${r.path}`),
      ['POST /token', 'POST /api/crm/type/create', 'GET /token'],
    );
    const [tok, create, get] = sb.requests;
    assert.equal(tok.url, '/v2.0/token');
    assert.deepEqual(tok.body, { grant_type: 'password', username: 'demo', password: 'demo123' });
    assert.equal(tok.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(create.headers.authorization, `Bearer ${t.json.access_token}`);
    assert.deepEqual(create.body, type('A'));
    assert.equal(create.rawBody, JSON.stringify(type('A')));
    assert.equal(get.url, '/v2.0/token?x=1');
    assert.ok(create.at >= tok.at && typeof create.at === 'number');
  });
});

describe('faults', () => {
  /** Injects one fault on create and fires one create with a valid token. */
  async function createWith(fault: Fault, init: RequestInit = {}): Promise<Answer> {
    sb.injectFault({ fault, path: '/api/crm/type/create' });
    return crm('create', type('A'), undefined, init);
  }

  it('http500: HTTP 500 with envelope error 500, nothing applied', async () => {
    assertFail(await createWith({ kind: 'http500' }), 500, 500);
    assert.deepEqual(sb.types(V, P), []);
  });

  it('html502: HTTP 502 text/html nginx page', async () => {
    const a = await createWith({ kind: 'html502' });
    assert.equal(a.status, 502);
    assert.match(a.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(a.text, /<h1>502 Bad Gateway<\/h1>[\s\S]*nginx/);
  });

  it('malformedJson: HTTP 200 JSON content type, unparsable body', async () => {
    const a = await createWith({ kind: 'malformedJson' });
    assert.equal(a.status, 200);
    assert.match(a.headers.get('content-type') ?? '', /^application\/json/);
    assert.ok(a.text.length > 0);
    assert.equal(a.json, undefined);
  });

  it('emptyBody: HTTP 200 JSON content type, empty body', async () => {
    const a = await createWith({ kind: 'emptyBody' });
    assert.equal(a.status, 200);
    assert.match(a.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(a.text, '');
  });

  it('reset: the request fails and nothing is applied', async () => {
    await assert.rejects(createWith({ kind: 'reset' }, { signal: AbortSignal.timeout(2000) }), TypeError);
    assert.deepEqual(sb.types(V, P), []);
  });

  it('resetAfterApply: the request fails but the type was created', async () => {
    await assert.rejects(createWith({ kind: 'resetAfterApply' }, { signal: AbortSignal.timeout(2000) }), TypeError);
    assert.deepEqual(sb.types(V, P), [{ typeNo: 'A', typeName: 'Tên A' }]);
    // The retry a client would make now meets the applied state.
    assertFail(await crm('create', type('A')), 200, 409);
  });

  it('noAnswer: the client times out; the next request is answered', async () => {
    const started = Date.now();
    await assert.rejects(createWith({ kind: 'noAnswer' }, { signal: AbortSignal.timeout(200) }), { name: 'TimeoutError' });
    assert.ok(Date.now() - started < 2000);
    assertOk(await crm('create', type('A')), 'A');
  });

  it('oversized: HTTP 200 JSON of exactly `bytes`, default 3 MiB', async () => {
    const small = await createWith({ kind: 'oversized', bytes: 1000 });
    assert.equal(small.status, 200);
    assert.equal(Buffer.byteLength(small.text), 1000);
    assert.equal(small.json.error, 0);
    const big = await createWith({ kind: 'oversized' });
    assert.equal(big.headers.get('content-length'), String(3 * 1024 * 1024));
    assert.equal(big.text.length, 3 * 1024 * 1024);
  });

  it('envelopeError: HTTP 200 with the given code and default or custom message', async () => {
    for (const error of [-1, 403, 404, 409, 500]) assertFail(await createWith({ kind: 'envelopeError', error }), 200, error);
    const a = await createWith({ kind: 'envelopeError', error: 403, message: 'Không có quyền thực hiện thao tác' });
    assert.equal(a.json.message, 'Không có quyền thực hiện thao tác');
    assert.deepEqual(sb.types(V, P), []);
  });

  it('wrongShape: HTTP 200 valid JSON of another shape', async () => {
    const a = await createWith({ kind: 'wrongShape' });
    assert.equal(a.status, 200);
    assert.deepEqual(a.json, { foo: [1, 2] });
  });

  it('redirect: 307 (or the given status) with Location', async () => {
    const a = await createWith({ kind: 'redirect', location: 'https://example.invalid/login' }, { redirect: 'manual' });
    assert.equal(a.status, 307);
    assert.equal(a.headers.get('location'), 'https://example.invalid/login');
    const b = await createWith({ kind: 'redirect', location: '/elsewhere', status: 302 }, { redirect: 'manual' });
    assert.equal(b.status, 302);
  });

  it('rules: path filter, times, Infinity, order, before auth, clearFaults', async () => {
    sb.injectFault({ fault: { kind: 'http500' }, path: '/token' });
    assertOk(await crm('create', type('A')), 'A'); // other path: untouched
    assertFail(await tokenRequest({ grant_type: 'password', username: 'demo', password: 'demo123' }), 500, 500);
    assert.equal((await tokenRequest({ grant_type: 'password', username: 'demo', password: 'demo123' })).status, 200);

    sb.injectFault({ fault: { kind: 'wrongShape' }, times: 2 });
    sb.injectFault({ fault: { kind: 'http500' } });
    assert.deepEqual((await crm('create', type('B'), null)).json, { foo: [1, 2] }); // fault wins over missing auth
    assert.deepEqual((await crm('create', type('B'))).json, { foo: [1, 2] });
    assert.equal((await crm('create', type('B'))).status, 500); // first rule used up, second one fires
    assertOk(await crm('create', type('B')), 'B');

    sb.injectFault({ fault: { kind: 'http500' }, times: Infinity });
    for (let i = 0; i < 3; i++) assert.equal((await crm('create', type('C'))).status, 500);
    sb.clearFaults();
    assertOk(await crm('create', type('C')), 'C');
    assert.equal(sb.requests.length, 11);
  });
});

describe('admin API', () => {
  it('GET requests and store; admin calls are neither recorded nor faulted', async () => {
    sb.injectFault({ fault: { kind: 'http500' }, times: Infinity });
    sb.seed(V, P, [
      { typeNo: 'B', typeName: 'b' },
      { typeNo: 'A', typeName: 'a' },
    ]);
    const store = await admin('GET', 'store');
    assert.equal(store.status, 200);
    assert.deepEqual(store.json, {
      [V]: {
        [P]: [
          { typeNo: 'A', typeName: 'a' },
          { typeNo: 'B', typeName: 'b' },
        ],
      },
    });
    await crm('create', type('C'));
    const reqs = await admin('GET', 'requests');
    assert.equal(reqs.json.length, 1);
    assert.equal(reqs.json[0].path, '/api/crm/type/create');
    assert.equal(sb.requests.length, 1);
  });

  it('POST/DELETE faults, with "Infinity" times and validation', async () => {
    assert.equal((await admin('POST', 'faults', { fault: { kind: 'html502' }, path: '/token', times: 'Infinity' })).status, 200);
    for (let i = 0; i < 2; i++) assert.equal((await tokenRequest({ grant_type: 'password' })).status, 502);
    assert.equal((await admin('DELETE', 'faults')).status, 200);
    assert.equal((await tokenRequest({ grant_type: 'password', username: 'demo', password: 'demo123' })).status, 200);
    assert.equal((await admin('POST', 'faults', { fault: { kind: 'meltdown' } })).status, 400);
    assert.equal((await admin('POST', 'faults', { fault: { kind: 'redirect' } })).status, 400);
    assert.equal((await admin('POST', 'faults', 'nope')).status, 400);
  });

  it('expire-tokens, revoke, reset, envelope, seed, issue-token', async () => {
    const t = sb.issueToken();
    await admin('POST', 'expire-tokens');
    assertFail(await crm('create', type('A'), t.access_token), 401, 401);
    assert.equal((await tokenRequest({ grant_type: 'refresh_token', refresh_token: t.refresh_token })).status, 200);
    await admin('POST', 'revoke');
    assertFail(await tokenRequest({ grant_type: 'refresh_token', refresh_token: t.refresh_token }), 401, 401);

    assert.equal((await admin('POST', 'envelope', { envelope: 'errorOnly' })).status, 200);
    assert.equal(sb.envelope, 'errorOnly');
    assert.equal((await admin('POST', 'envelope', { envelope: 'v3' })).status, 400);

    assert.equal((await admin('POST', 'seed', { vbotId: V, projectCode: P, types: [{ typeNo: 'S', typeName: 's' }] })).status, 200);
    assert.deepEqual(sb.types(V, P), [{ typeNo: 'S', typeName: 's' }]);
    assert.equal((await admin('POST', 'seed', { vbotId: V })).status, 400);

    const issued = await admin('POST', 'issue-token');
    assert.equal(issued.json.expires_in, 899);
    assert.equal((await crm('delete', { vbot_id: V, project_code: P, type_no: 'S' }, issued.json.access_token)).json.error, 0);

    await admin('POST', 'reset');
    assert.deepEqual(sb.requests, []);
    assert.equal(sb.envelope, 'withStatus');
    assertFail(await crm('create', type('A'), issued.json.access_token), 401, 401);
  });

  it('unknown admin route: 404', async () => {
    assert.equal((await admin('GET', 'nope')).status, 404);
    assert.equal((await admin('GET', 'reset')).status, 404);
  });

  it('without the admin key: 401, with a wrong one: 403, and nothing recorded is revealed or changed', async () => {
    assert.ok(sb.adminKey.length >= 32, 'a long random key');
    const other = await VbotSandbox.start();
    try {
      assert.notEqual(other.adminKey, sb.adminKey, 'each sandbox makes its own key');
    } finally {
      await other.close();
    }
    // Something worth stealing: a /token body with a password, and a bearer token.
    assert.equal((await tokenRequest({ grant_type: 'password', username: 'demo', password: 'demo123' })).status, 200);
    const token = sb.issueToken().access_token;
    assertOk(await crm('create', type('SECRET_TYPE'), token), 'SECRET_TYPE');
    const secrets = ['demo123', token, 'SECRET_TYPE'];
    const sample = 'x'.repeat(sb.adminKey.length);
    for (const [key, status] of [
      [null, 401],
      ['', 401],
      ['wrong', 403],
      [sample, 403],
      [sb.adminKey.slice(0, -1), 403],
      [`${sb.adminKey}x`, 403],
    ] as const) {
      for (const [method, action, body] of [
        ['GET', 'requests'],
        ['GET', 'store'],
        ['POST', 'reset'],
        ['POST', 'issue-token'],
        ['POST', 'seed', { vbotId: V, projectCode: P, types: [] }],
        ['GET', 'nope'],
      ] as const) {
        const a = await admin(method, action, body, key);
        assert.equal(a.status, status, `${method} ${action} with key ${JSON.stringify(key)}: ${a.text}`);
        for (const s of secrets) assert.ok(!a.text.includes(s), `${method} ${action} reveals nothing recorded: ${a.text}`);
        assert.ok(!/access_token|Bearer/i.test(a.text), `${method} ${action} issues no token: ${a.text}`);
      }
    }
    assert.equal(sb.requests.length, 2, 'not reset; admin attempts are not recorded');
    assert.deepEqual(sb.types(V, P), [{ typeNo: 'SECRET_TYPE', typeName: 'Tên SECRET_TYPE' }], 'store untouched');
    // The same key in the header's other spellings is still the header (HTTP names are case-insensitive).
    const lower = await fetch(`${sb.origin}/__sandbox/requests`, { headers: { [ADMIN_KEY_HEADER.toLowerCase()]: sb.adminKey } });
    assert.equal(lower.status, 200);
    const reqs = JSON.parse(await lower.text()) as Array<{ path: string }>;
    assert.deepEqual(
      reqs.map((r) => r.path),
      ['/token', '/api/crm/type/create'],
      'with the key, the recorded requests',
    );
  });

  it('the key only counts in its header, not in the query or the body', async () => {
    assert.equal(
      await fetch(`${sb.origin}/__sandbox/requests?key=${encodeURIComponent(sb.adminKey)}`).then(async (r) => {
        await r.text();
        return r.status;
      }),
      401,
    );
    assert.equal(
      await fetch(`${sb.origin}/__sandbox/requests`, { headers: { Authorization: `Bearer ${sb.adminKey}` } }).then(async (r) => {
        await r.text();
        return r.status;
      }),
      401,
    );
    assert.equal((await admin('POST', 'seed', { key: sb.adminKey, vbotId: V, projectCode: P, types: [] }, null)).status, 401);
  });
});

describe('close', () => {
  it('finishes fast with a hung noAnswer request and idle keep-alive sockets', async () => {
    const hung = await VbotSandbox.start();
    try {
      const form = new URLSearchParams({ grant_type: 'password', username: 'demo', password: 'demo123' });
      assert.equal((await fetch(`${hung.url}/token`, { method: 'POST', body: form }).then((r) => r.text())).length > 0, true);
      hung.injectFault({ fault: { kind: 'noAnswer' } });
      const pending = fetch(`${hung.url}/token`, { method: 'POST', body: form, signal: AbortSignal.timeout(5000) });
      pending.catch(() => {}); // observed below; avoid an unhandled rejection in between
      // Wait until the hung request has reached the server.
      for (let i = 0; i < 100 && hung.requests.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
      assert.equal(hung.requests.length, 2);
      const started = Date.now();
      await hung.close();
      assert.ok(Date.now() - started < 500, `close took ${Date.now() - started} ms`);
      await assert.rejects(pending);
    } finally {
      await hung.close(); // a no-op after the close above; closes it when an assertion failed before
    }
  });
});

describe('API v3 (X-API-Key)', () => {
  async function v3(endpoint: string, body: unknown, key: string | null, target = sb): Promise<Answer> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (key !== null) headers['X-API-Key'] = key;
    const res = await fetch(`${target.urlV3}/api/crm/type/${endpoint}`, { method: 'POST', headers, body: JSON.stringify(body) });
    return toAnswer(res);
  }

  it('urlV3 is served next to url on the same server; v3PathPrefix and keys from options', async () => {
    assert.equal(sb.urlV3, `${sb.origin}/v3.0`);
    const custom = await VbotSandbox.start({ v3PathPrefix: 'gw/v3/', apiKeys: [{ key: 'fixed-key-1', vbotId: V, projectCode: P }] });
    try {
      assert.equal(custom.urlV3, `${custom.origin}/gw/v3`);
      assertOk(await v3('create', { type_no: 'A', type_name: 'a' }, 'fixed-key-1', custom), 'A');
      custom.reset();
      assertOk(await v3('create', { type_no: 'A', type_name: 'a' }, 'fixed-key-1', custom), 'A');
    } finally {
      await custom.close();
    }
    await assert.rejects(
      VbotSandbox.start({ pathPrefix: '/x', v3PathPrefix: 'x/' }).then(async (s) => {
        await s.close();
        return s;
      }),
      /must differ/,
    );
  });

  it('missing, unknown, revoked or bearer-only credentials: HTTP 401 envelope 401; no /token; 405 on GET', async () => {
    const key = sb.addApiKey(V, P);
    assertFail(await v3('create', { type_no: 'A', type_name: 'a' }, null), 401, 401);
    assertFail(await v3('create', { type_no: 'A', type_name: 'a' }, `${key}x`), 401, 401);
    const bearer = await fetch(`${sb.urlV3}/api/crm/type/create`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${sb.issueToken().access_token}` },
      body: '{}',
    }).then(toAnswer);
    assertFail(bearer, 401, 401);
    const form = new URLSearchParams({ grant_type: 'password', username: 'demo', password: 'demo123' });
    assert.equal((await fetch(`${sb.urlV3}/token`, { method: 'POST', body: form }).then(toAnswer)).status, 404);
    assert.equal((await fetch(`${sb.urlV3}/api/crm/type/create`, { headers: { 'X-API-Key': key } }).then(toAnswer)).status, 405);
    // A v2 token endpoint does not accept a key either.
    assertFail(await crm('create', type('A'), key), 401, 401);
    assert.deepEqual(sb.types(V, P), []);
    assert.equal(sb.revokeApiKey(key), true);
    assertFail(await v3('create', { type_no: 'A', type_name: 'a' }, key), 401, 401);
    assert.equal(sb.revokeApiKey(key), false);
  });

  it("works on the key's project, the same store as v2; project fields in the body are ignored but recorded", async () => {
    const key = sb.addApiKey(V, P);
    const other = sb.addApiKey(V, 'OTHER');
    assertOk(await v3('create', { type_no: 'A', type_name: 'a' }, key), 'A');
    assertFail(await v3('create', { type_no: 'A', type_name: 'again' }, key), 200, 409);
    assertOk(await v3('create', { type_no: 'A', type_name: 'elsewhere', vbot_id: V, project_code: P }, other), 'A');
    assert.deepEqual(sb.types(V, P), [{ typeNo: 'A', typeName: 'a' }]);
    assert.deepEqual(sb.types(V, 'OTHER'), [{ typeNo: 'A', typeName: 'elsewhere' }]);
    // v2 sees and changes the same store; v3 sees the v2 changes.
    assertOk(await crm('update', type('A', 'renamed by v2')), 'A');
    assertOk(await v3('updateNo', { type_no_old: 'A', type_no_new: 'B' }, key), 'B');
    assert.deepEqual(sb.types(V, P), [{ typeNo: 'B', typeName: 'renamed by v2' }]);
    assertOk(await v3('update', { type_no: 'B', type_name: 'b' }, key), 'B');
    assertOk(await v3('delete', { type_no: 'B' }, key), true);
    assertFail(await v3('delete', { type_no: 'B' }, key), 200, 404);
    assertFail(await v3('create', { type_name: 'no code' }, key), 200, -1);
    assert.deepEqual(sb.types(V, P), []);

    const reqs = sb.requests;
    assert.deepEqual(
      reqs.map((r) => `${r.apiVersion} ${r.path}`),
      [
        'v3 /api/crm/type/create',
        'v3 /api/crm/type/create',
        'v3 /api/crm/type/create',
        'v2 /api/crm/type/update',
        'v3 /api/crm/type/updateNo',
        'v3 /api/crm/type/update',
        'v3 /api/crm/type/delete',
        'v3 /api/crm/type/delete',
        'v3 /api/crm/type/create',
      ],
    );
    assert.equal(reqs[0].url, '/v3.0/api/crm/type/create');
    assert.equal(reqs[0].headers['x-api-key'], key);
    assert.deepEqual(reqs[2].body, { type_no: 'A', type_name: 'elsewhere', vbot_id: V, project_code: P });
  });

  it('admin POST api-keys returns a working key; reset() forgets added keys', async () => {
    const added = await admin('POST', 'api-keys', { vbotId: V, projectCode: P });
    assert.equal(added.status, 200);
    assert.equal(typeof added.json.key, 'string');
    assert.ok(added.json.key.length >= 32);
    assert.notEqual(sb.addApiKey(V, P), added.json.key);
    assertOk(await v3('create', { type_no: 'K', type_name: 'k' }, added.json.key), 'K');
    assert.equal((await admin('POST', 'api-keys', { vbotId: V })).status, 400);
    sb.reset();
    assertFail(await v3('create', { type_no: 'K', type_name: 'k' }, added.json.key), 401, 401);
  });
});
