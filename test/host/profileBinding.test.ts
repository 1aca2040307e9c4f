// A command belongs to the profile it started in (src/vscode/apiRunner.ts bind(), tokenStore forProfile,
// ActiveCache.forProfile): switching the active profile while it runs changes nothing about where its
// requests go, which token they carry (a refresh included), which cache file it writes and which profile
// the journal names. Removing the profile while an Apply runs stops the Apply: nothing more is sent.
//
// Two sandboxes, two origins. The starting profile's server is slow (every answer held back LATENCY ms after
// the request arrived), so a command is surely in flight when the test switches: each test also checks that
// requests went out after the switch, else it would prove nothing. Removing a profile is a settings write, which
// may take longer than any latency: that test holds the requests at a gate (startGate, below) instead.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RecordedRequest, VbotSandbox } from '../sandbox/vbotSandbox';
import {
  type ExtensionApi,
  VBOT_ID,
  bearerOf,
  cacheFileOf,
  exec,
  expireStoredToken,
  extensionApi,
  freshState,
  setSetting,
  signIn,
  startSandbox,
  storedTokens,
  treeTypes,
  typesInFile,
  waitFor,
} from './helpers';

const LATENCY = 400;
const BETA_ID = 'VB-BETA-0002';
const APPLY_WINDOW = 4; // src/vscode/planCommands.ts APPLY_CONCURRENCY
const PROFILE_CHANGED = 'The profile this command started in was removed or changed while it ran, so nothing more was sent to VBot.';
const editorText = () => vscode.window.activeTextEditor?.document.getText() ?? '';
const isApi = (r: RecordedRequest) => r.path.startsWith('/api/');
const isRefresh = (r: RecordedRequest) =>
  r.path === '/token' && (r.body as { grant_type?: string } | undefined)?.grant_type === 'refresh_token';

describe('a command keeps to the profile it started in', () => {
  let api: ExtensionApi;
  /** default and alpha (same origin, slow). */
  let slow: VbotSandbox;
  /** beta. */
  let other: VbotSandbox;
  let dir: string;
  let file: string;
  let project: string;
  let n = 0;
  const run = Date.now().toString(36).toUpperCase();

  before(async () => {
    api = await extensionApi();
    slow = await startSandbox({ latencyMs: LATENCY });
    other = await startSandbox();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vbot-binding-'));
    file = path.join(dir, 'vbot-types.json');
  });
  after(async () => {
    await freshState(api, other);
    await slow.close();
    await other.close();
    await fs.rm(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await freshState(api, slow); // default → slow, signed out, no profiles
    other.reset();
    await setSetting('profiles', [
      { name: 'beta', baseUrl: other.url, vbotId: BETA_ID },
      { name: 'alpha', baseUrl: slow.url, vbotId: VBOT_ID },
    ]);
    // Each profile signed in with its own token.
    for (const profile of ['beta', 'alpha', 'default']) {
      await use(profile);
      await signIn();
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    project = `BIND_${run}_${++n}`;
  });

  async function use(profile: string) {
    assert.equal(await exec('vbotCrm.switchProfile', { name: profile }), 'done');
    await api.ready;
  }
  const writeTypes = (types: Array<{ typeNo: string; typeName: string }>) =>
    fs.writeFile(file, JSON.stringify({ version: 1, projects: [{ vbotId: VBOT_ID, projectCode: project, types }] }, null, 2));
  const twenty = Array.from({ length: 20 }, (_, i) => ({ typeNo: `T${String(i).padStart(2, '0')}`, typeName: `Kiểu ${i}` }));
  const asPairs = (types: Array<{ typeNo: string; typeName: string }>) => types.map((t): [string, string] => [t.typeNo, t.typeName]);
  const journal = () => api.journal.entries({ projectCode: project });

  /** What the profiles a command did not start in hold: must not change while it runs. */
  async function untouched(except: string) {
    const profiles = (['default', 'alpha', 'beta'] as const).filter((p) => p !== except);
    const state: Record<string, unknown> = { "requests at beta's server": other.requests.length };
    for (const p of profiles) {
      state[`${p} tokens`] = await storedTokens(api, p, p === 'beta' ? other : slow);
      state[`${p} cache file`] = await fs.readFile(cacheFileOf(api, p), 'utf8').catch(() => '(none)');
    }
    return state;
  }

  it('a single addType: its token refresh, request, list and journal stay with its profile while another becomes active', async () => {
    const expired = await expireStoredToken(api, 'default', slow);
    const othersBefore = await untouched('default');
    const from = slow.requests.length;

    const adding = exec('vbotCrm.addType', { projectCode: project, typeNo: 'ONE', typeName: 'Một' });
    await waitFor(() => slow.requests.slice(from).some(isRefresh), 'the refresh to reach the server');
    await use('beta');
    const switchedAt = Date.now();
    assert.equal(await adding, 'done');

    const sent = slow.requests.slice(from);
    assert.deepEqual(
      sent.map((r) => r.path),
      ['/token', '/api/crm/type/create'],
    );
    assert.equal((sent[0].body as { refresh_token?: string }).refresh_token, expired.refreshToken, 'renewed with its own refresh token');
    assert.ok(sent[1].at >= switchedAt, 'the create went out after beta became active');
    const renewed = await storedTokens(api, 'default', slow);
    assert.notEqual(renewed?.accessToken, expired.accessToken, 'the renewed token was stored for default');
    assert.equal(bearerOf(sent[1]), renewed?.accessToken, "the create carried default's renewed token");
    assert.deepEqual((sent[1].body as { vbot_id?: string }).vbot_id, VBOT_ID);
    assert.deepEqual(await untouched('default'), othersBefore, "beta's server got nothing; no other profile's token or list changed");

    assert.deepEqual(await typesInFile(cacheFileOf(api, 'default'), project), [['ONE', 'Một']], 'written to customer-types.json');
    assert.deepEqual(
      (await journal()).map((e) => [e.operation, e.outcome, e.profile]),
      [['create', 'done', 'default']],
    );
    assert.equal(api.settings.activeProfile().name, 'beta');
    assert.deepEqual(await treeTypes(api, project), [], "the tree shows beta's list");
    await use('default');
    assert.deepEqual(await treeTypes(api, project), [['Một', 'ONE']], "and default's list has it");
  });

  it('an Apply of 20 changes: one refresh, every request, list write and journal entry stay with its profile through several switches', async () => {
    await writeTypes(twenty);
    const expired = await expireStoredToken(api, 'default', slow);
    const othersBefore = await untouched('default');
    const from = slow.requests.length;
    const calls = () => slow.requests.slice(from).filter(isApi);

    const applying = exec('vbotCrm.apply', { filePath: file, skipConfirmation: true });
    await waitFor(() => slow.requests.slice(from).some(isRefresh), 'the refresh to reach the server');
    await use('beta');
    const toBeta = Date.now();
    await waitFor(() => calls().length >= 8, '8 calls', 10_000);
    await use('default'); // back: the runner's writes go through the active cache again
    await waitFor(() => calls().length >= 12, '12 calls', 10_000);
    await use('beta');
    const toBetaAgain = Date.now();
    assert.equal(await applying, 'done');
    assert.match(editorText(), /20 done, 0 failed, 0 skipped/);

    const sent = slow.requests.slice(from);
    assert.equal(sent.filter((r) => r.path === '/token').length, 1, 'one refresh, shared by the calls in flight');
    assert.equal((sent.find(isRefresh)!.body as { refresh_token?: string }).refresh_token, expired.refreshToken);
    assert.equal(calls().length, 20);
    assert.ok(calls().filter((r) => r.at >= toBeta).length === 20, 'every call went out after the first switch');
    assert.ok(calls().filter((r) => r.at >= toBetaAgain).length >= APPLY_WINDOW, 'calls went out after the last switch too');
    const renewed = await storedTokens(api, 'default', slow);
    assert.notEqual(renewed?.accessToken, expired.accessToken);
    assert.deepEqual([...new Set(calls().map(bearerOf))], [renewed?.accessToken], "every call carried default's renewed token");
    assert.ok(calls().every((r) => (r.body as { vbot_id?: string }).vbot_id === VBOT_ID));
    assert.deepEqual(await untouched('default'), othersBefore, "beta's server got nothing; no other profile's token or list changed");

    assert.deepEqual((await typesInFile(cacheFileOf(api, 'default'), project)).sort(), asPairs(twenty), 'all 20 in customer-types.json');
    const entries = await journal();
    assert.equal(entries.length, 20);
    assert.deepEqual([...new Set(entries.map((e) => `${e.profile}/${e.outcome}`))], ['default/done']);
    await use('default');
    assert.equal((await treeTypes(api, project)).length, 20);
  });

  it("a server message echoing the starting profile's refresh token is still redacted after another profile became active", async () => {
    const tokens = await storedTokens(api, 'default', slow);
    assert.ok(tokens?.refreshToken);
    slow.injectFault({
      fault: { kind: 'envelopeError', error: 403, message: `refresh ${tokens.refreshToken} refused` },
      path: '/api/crm/type/create',
    });
    api.testHooks.logLines.length = 0;
    api.notifier.shown.length = 0;
    const from = slow.requests.length;

    const adding = exec('vbotCrm.addType', { projectCode: project, typeNo: 'ECHO', typeName: 'Echo' });
    await waitFor(() => slow.requests.slice(from).some(isApi), 'the create to reach the server');
    await use('beta');
    assert.equal(await adding, 'failed');

    const lines = api.testHooks.logLines;
    const shown = (l: string) => l.replaceAll(tokens.refreshToken!, "<default's refresh token>");
    assert.ok(
      lines.some((l) => l.includes('refresh [redacted] refused')),
      `logged, redacted:\n${lines.map(shown).join('\n')}`,
    );
    assert.ok(!lines.some((l) => l.includes(tokens.refreshToken!)), "no log line holds default's refresh token");
    const notices = JSON.stringify(api.notifier.shown);
    assert.ok(!notices.includes(tokens.refreshToken), `no notification holds it: ${shown(notices)}`);
  });

  it('removing the starting profile during an Apply stops it: the calls in flight end, nothing more is sent, the rest is not done (profileChanged)', async () => {
    // Here "in flight" must be certain for as long as the settings write takes, which no fixed latency promises
    // (it took ~800 ms in one run): alpha's requests pass a gate that holds them until the removal is seen.
    const gate = await startGate(slow);
    try {
      await setSetting('profiles', [
        { name: 'beta', baseUrl: other.url, vbotId: BETA_ID },
        { name: 'alpha', baseUrl: gate.url, vbotId: VBOT_ID },
      ]);
      await use('alpha');
      await signIn();
      await writeTypes(twenty);
      const othersBefore = await untouched('alpha');
      const from = slow.requests.length;
      const calls = () => slow.requests.slice(from).filter(isApi);

      gate.hold();
      const applying = exec('vbotCrm.apply', { filePath: file, skipConfirmation: true });
      await waitFor(() => gate.held === APPLY_WINDOW, 'the first window of calls, held at the gate');
      await setSetting('profiles', [{ name: 'beta', baseUrl: other.url, vbotId: BETA_ID }]);
      await waitFor(() => !api.settings.profiles().some((p) => p.name === 'alpha'), 'the extension to see alpha gone');
      gate.release();
      assert.equal(await applying, 'failed');

      assert.equal(gate.passed, APPLY_WINDOW, 'nothing more reached the gate after the removal');
      assert.equal(calls().length, APPLY_WINDOW, 'the sandbox got just the calls that were in flight');
      const alphaToken = (await storedTokens(api, 'alpha', gate))?.accessToken;
      assert.ok(alphaToken && calls().every((r) => bearerOf(r) === alphaToken), "they carried alpha's token");

      const report = editorText();
      const [, done, failed, skipped] = (/(\d+) done, (\d+) failed, (\d+) skipped/.exec(report) ?? []).map(Number);
      assert.equal(done, APPLY_WINDOW, `the calls in flight ended done:\n${report}`);
      assert.equal(failed + skipped, twenty.length - APPLY_WINDOW);
      const lines = report.split('\n').filter((l) => /^- [✓✗○]/.test(l));
      const failedLines = lines.filter((l) => l.startsWith('- ✗'));
      assert.ok(
        failedLines.every((l) => l.includes(PROFILE_CHANGED)),
        `each failure says the profile changed:\n${failedLines.join('\n')}`,
      );
      assert.ok(lines.filter((l) => l.startsWith('- ○')).every((l) => l.includes('not started: the profile was signed out or changed')));
      assert.ok(failed >= 1 && failed <= APPLY_WINDOW, 'the calls about to start met the removed profile (at most one per free slot)');

      const doneTypes = asPairs(twenty).filter(([code]) => calls().some((r) => (r.body as { type_no?: string }).type_no === code));
      assert.deepEqual(
        (await typesInFile(cacheFileOf(api, 'alpha'), project)).sort(),
        doneTypes,
        'what was done is in customer-types@alpha.json',
      );
      assert.equal(api.settings.activeProfile().name, 'default', 'default took over');
      assert.deepEqual(
        await untouched('alpha'),
        othersBefore,
        "no request to beta's server; the now active default list and the other tokens untouched",
      );
      const entries = await journal();
      assert.ok(
        entries.every((e) => e.profile === 'alpha'),
        'every journal entry names alpha',
      );
      assert.equal(entries.filter((e) => e.outcome === 'done').length, APPLY_WINDOW);
      const notDone = entries.filter((e) => e.outcome !== 'done');
      assert.equal(notDone.length, failed, 'what was skipped left no entry');
      assert.ok(
        notDone.every((e) => e.outcome === 'failed' && e.message === 'profileChanged'),
        JSON.stringify(notDone),
      );
    } finally {
      gate.release();
      await gate.stop();
    }
  });
});

/**
 * A plain HTTP relay in front of a sandbox that can hold requests: while held they wait at the gate (counted
 * in `held`); release() sends them on. `passed` counts API requests sent on since the last hold().
 */
async function startGate(target: VbotSandbox) {
  let holding = false;
  let waiting: Array<() => void> = [];
  let passed = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const forward = () => {
        if ((req.url ?? '').includes('/api/')) passed++;
        const upstream = http.request(`${target.origin}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        upstream.on('error', () => res.destroy());
        upstream.end(Buffer.concat(chunks));
      };
      if (holding) waiting.push(forward);
      else forward();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: `${origin}/v2.0`,
    get held() {
      return waiting.length;
    },
    get passed() {
      return passed;
    },
    hold() {
      holding = true;
      passed = 0;
    },
    release() {
      holding = false;
      const now = waiting;
      waiting = [];
      for (const forward of now) forward();
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
