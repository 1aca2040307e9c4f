// Base URL rules: where the token goes is decided here, so https is required off loopback and
// anything that could smuggle credentials or confuse the origin is refused.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isLoopbackHost, normalizeBaseUrl } from '../../src/core/baseUrl';
import { VbotClient } from '../../src/core/vbotClient';
import { VbotError } from '../../src/core/vbotError';

function ok(raw: string): { url: string; origin: string } {
  const r = normalizeBaseUrl(raw);
  assert.ok(r.ok, `${JSON.stringify(raw)} should be accepted, got ${JSON.stringify(r)}`);
  return r;
}

function refused(raw: string, reason: string): void {
  const r = normalizeBaseUrl(raw);
  assert.deepEqual(r, { ok: false, reason }, JSON.stringify(raw));
}

describe('normalizeBaseUrl', () => {
  it('keeps the production URL as is', () => {
    assert.deepEqual(ok('https://open-api-h01.vbot.vn/v2.0'), {
      ok: true,
      url: 'https://open-api-h01.vbot.vn/v2.0',
      origin: 'https://open-api-h01.vbot.vn',
    });
  });

  it('removes trailing slashes and surrounding whitespace', () => {
    assert.equal(ok('https://open-api-h01.vbot.vn/v2.0/').url, 'https://open-api-h01.vbot.vn/v2.0');
    assert.equal(ok('https://open-api-h01.vbot.vn/v2.0///').url, 'https://open-api-h01.vbot.vn/v2.0');
    assert.equal(ok('  https://open-api-h01.vbot.vn/v2.0/ \n').url, 'https://open-api-h01.vbot.vn/v2.0');
    assert.equal(ok('https://open-api-h01.vbot.vn/').url, 'https://open-api-h01.vbot.vn');
    assert.equal(ok('https://open-api-h01.vbot.vn').url, 'https://open-api-h01.vbot.vn');
    assert.equal(ok('https://open-api-h01.vbot.vn///').url, 'https://open-api-h01.vbot.vn');
  });

  it('normalises case of scheme and host, keeps the port', () => {
    assert.deepEqual(ok('HTTPS://Open-API-H01.VBOT.vn:8443/v2.0'), {
      ok: true,
      url: 'https://open-api-h01.vbot.vn:8443/v2.0',
      origin: 'https://open-api-h01.vbot.vn:8443',
    });
    assert.equal(ok('https://open-api-h01.vbot.vn:443/v2.0').origin, 'https://open-api-h01.vbot.vn', 'the default port is dropped');
  });

  it('requires https off loopback', () => {
    refused('http://open-api-h01.vbot.vn/v2.0', 'insecure');
    refused('http://10.0.0.5:8080/v2.0', 'insecure');
    refused('http://192.168.1.10/v2.0', 'insecure');
    refused('http://localhost.evil.example/v2.0', 'insecure');
    refused('http://127.0.0.1.nip.io/v2.0', 'insecure');
    refused('http://0.0.0.0:8080', 'insecure');
    refused('http://[::2]:8080', 'insecure');
  });

  it('allows http on loopback: 127.x, localhost, [::1]', () => {
    for (const raw of [
      'http://127.0.0.1:8080/v2.0',
      'http://127.1.2.3/v2.0',
      'http://127.255.255.254:1',
      'http://localhost:3000/v2.0/',
      'http://LOCALHOST:3000',
      'http://[::1]:8080/v2.0',
    ]) {
      const r = ok(raw);
      assert.ok(!r.url.endsWith('/'), r.url);
    }
    assert.equal(ok('http://[::1]:8080/v2.0/').origin, 'http://[::1]:8080');
    assert.equal(ok('https://localhost/v2.0').url, 'https://localhost/v2.0');
  });

  it('refuses credentials in the URL', () => {
    refused('https://user:pass@open-api-h01.vbot.vn/v2.0', 'credentials');
    refused('https://user@open-api-h01.vbot.vn/v2.0', 'credentials');
    refused('http://user:pw@127.0.0.1:8080', 'credentials');
  });

  it('refuses a query or a fragment', () => {
    refused('https://open-api-h01.vbot.vn/v2.0?x=1', 'queryOrHash');
    refused('https://open-api-h01.vbot.vn/v2.0#frag', 'queryOrHash');
    refused('https://open-api-h01.vbot.vn/v2.0/?token=abc', 'queryOrHash');
  });

  it('refuses garbage and other schemes', () => {
    for (const raw of [
      '',
      '   ',
      'not a url',
      'open-api-h01.vbot.vn/v2.0',
      '//open-api-h01.vbot.vn',
      'https://',
      'https:// space.example',
      'http://[::1',
      '\u0000',
    ]) {
      refused(raw, 'invalid');
    }
    for (const raw of [
      'ftp://open-api-h01.vbot.vn/v2.0',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/plain,hi',
      'ws://127.0.0.1:1',
      'wss://open-api-h01.vbot.vn',
    ]) {
      refused(raw, 'invalid');
    }
  });

  it('never throws and never returns a URL with a trailing slash, query, hash or credentials', () => {
    const samples = [
      'https://a.b',
      'https://a.b/c/',
      'http://127.0.0.1',
      'https://x/%2F/',
      'https://a.b/ü/',
      'https://[::1]/',
      'https://a.b/../c/',
      'https://a.b/./v2.0//',
    ];
    for (const raw of samples) {
      const r = normalizeBaseUrl(raw);
      if (!r.ok) continue;
      assert.ok(!/\/$/.test(r.url), r.url);
      const u = new URL(r.url);
      assert.equal(u.search + u.hash + u.username + u.password, '');
      assert.ok(r.url.startsWith(r.origin));
    }
  });
});

describe('isLoopbackHost', () => {
  it('recognises the loopback forms and nothing else', () => {
    for (const h of ['localhost', 'LocalHost', '127.0.0.1', '127.9.8.7', '::1', '[::1]']) assert.ok(isLoopbackHost(h), h);
    for (const h of ['', 'localhost.example', '127.0.0.1.example', '128.0.0.1', '10.0.0.1', '::2', 'example.com', '127.0.0'])
      assert.ok(!isLoopbackHost(h), h);
  });
});

describe('VbotClient refuses a bad base URL', () => {
  it('throws badUrl before any request, and keeps the normalised URL otherwise', () => {
    for (const raw of ['http://open-api-h01.vbot.vn/v2.0', 'https://u:p@host/v2.0', 'garbage', 'https://host/v2.0?x']) {
      assert.throws(
        () => new VbotClient({ baseUrl: raw }),
        (e: unknown) => e instanceof VbotError && e.kind === 'badUrl',
        raw,
      );
    }
    const c = new VbotClient({ baseUrl: 'https://open-api-h01.vbot.vn/v2.0//' });
    assert.equal(c.baseUrl, 'https://open-api-h01.vbot.vn/v2.0');
    assert.equal(c.origin, 'https://open-api-h01.vbot.vn');
  });
});
