// Every operation against every fault the sandbox can inject: a clear message, no unhandled
// rejection, cache and tree unchanged, and the extension still usable for the next call.
// The outcome is printed as a table (operations × faults).
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import type { Fault, VbotSandbox } from '../sandbox/vbotSandbox';
import {
  type ExtensionApi,
  USER,
  VBOT_ID,
  extensionApi,
  freshState,
  lastNotification,
  setSetting,
  signIn,
  startSandbox,
  treeTypes,
  exec,
} from './helpers';

type FaultName =
  | 'HTTP 500'
  | 'HTML 502'
  | 'bad JSON'
  | 'empty body'
  | 'wrong shape'
  | 'reset'
  | 'no answer'
  | 'oversized'
  | 'error -1'
  | 'error 403'
  | 'error 404'
  | 'error 409'
  | 'error 500'
  | 'expired token';
const FAULTS: Array<[FaultName, Fault | 'expiredToken']> = [
  ['HTTP 500', { kind: 'http500' }],
  ['HTML 502', { kind: 'html502' }],
  ['bad JSON', { kind: 'malformedJson' }],
  ['empty body', { kind: 'emptyBody' }],
  ['wrong shape', { kind: 'wrongShape' }],
  ['reset', { kind: 'reset' }],
  ['no answer', { kind: 'noAnswer' }],
  ['oversized', { kind: 'oversized' }],
  ['error -1', { kind: 'envelopeError', error: -1, message: 'Sai tham số' }],
  ['error 403', { kind: 'envelopeError', error: 403, message: 'Không có quyền thực hiện' }],
  ['error 404', { kind: 'envelopeError', error: 404, message: 'Không tìm thấy' }],
  ['error 409', { kind: 'envelopeError', error: 409, message: 'Dữ liệu đã tồn tại' }],
  ['error 500', { kind: 'envelopeError', error: 500, message: 'Lỗi hệ thống' }],
  ['expired token', 'expiredToken'],
];

interface Operation {
  name: string;
  /** The endpoint whose answer the fault replaces. */
  path: string;
  /**
   * Makes the call on the existing type `keep` (or a new type `fresh`); returns what the command
   * returned. Codes differ per cell because the extension remembers calls whose outcome was
   * unknown (a later 404/409 for the same change proves it was applied), and cells must not share that.
   */
  run(keep: string, fresh: string): Thenable<string>;
  /** Runs before the fault is injected. */
  prepare?(sandbox: VbotSandbox): void;
}

const OPERATIONS: Operation[] = [
  {
    name: 'add',
    path: '/api/crm/type/create',
    run: (_, fresh) => exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: fresh, typeName: 'Mới' }),
  },
  {
    name: 'edit name',
    path: '/api/crm/type/update',
    run: (keep) => exec('vbotCrm.editTypeName', { projectCode: 'SALES', typeNo: keep, typeName: 'Đổi tên' }),
  },
  {
    name: 'change code',
    path: '/api/crm/type/updateNo',
    run: (keep, fresh) => exec('vbotCrm.changeTypeCode', { projectCode: 'SALES', typeNo: keep, newTypeNo: fresh }),
  },
  {
    name: 'delete',
    path: '/api/crm/type/delete',
    run: (keep) => exec('vbotCrm.deleteType', { projectCode: 'SALES', typeNo: keep, skipConfirmation: true }),
  },
  { name: 'sign-in', path: '/token', run: () => exec('vbotCrm.signIn', USER) },
  {
    // The access token has expired, so the call first refreshes it: the fault hits the refresh.
    name: 'refresh',
    path: '/token',
    prepare: (s) => s.expireAccessTokens(),
    run: (_, fresh) => exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: fresh, typeName: 'Mới' }),
  },
];

describe('faults: every operation × every fault', function () {
  this.timeout(180_000);
  let api: ExtensionApi;
  let sandbox: VbotSandbox;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  const table = new Map<string, Map<FaultName, string>>();

  before(async () => {
    api = await extensionApi();
    sandbox = await startSandbox();
    process.on('unhandledRejection', onUnhandled);
  });
  after(async () => {
    process.off('unhandledRejection', onUnhandled);
    await setSetting('requestTimeoutSeconds', 5);
    await sandbox.close();
    printTable(table);
  });

  let cellNo = 0;
  for (const op of OPERATIONS) {
    for (const [faultName, fault] of FAULTS) {
      if (op.name === 'sign-in' && fault === 'expiredToken') continue; // no token is involved yet
      const keep = `KEEP_${++cellNo}`;
      const fresh = `NEW_${cellNo}`;
      it(`${op.name} × ${faultName}`, async () => {
        const row = table.get(op.name) ?? new Map<FaultName, string>();
        table.set(op.name, row);
        row.set(faultName, 'failed');
        await freshState(api, sandbox);
        await setSetting('requestTimeoutSeconds', 1); // "no answer" gives up after 1 s
        await signIn();
        sandbox.seed(VBOT_ID, 'SALES', [{ typeNo: keep, typeName: 'Giữ lại' }]);
        await api.cache.upsertType(VBOT_ID, 'SALES', { typeNo: keep, typeName: 'Giữ lại' });
        const fileBefore = await fs.readFile(api.cache.filePath, 'utf8');
        const treeBefore = await treeTypes(api, 'SALES');
        const serverBefore = JSON.stringify(sandbox.types(VBOT_ID, 'SALES'));
        const secretBefore = await api.testHooks.secrets.get(`vbotCrm.tokens@${new URL(sandbox.url).origin}`);
        op.prepare?.(sandbox);
        if (fault === 'expiredToken') sandbox.revokeAll();
        else sandbox.injectFault({ fault, path: op.path, times: Infinity });
        const unhandledBefore = unhandled.length;

        const started = Date.now();
        const result = await op.run(keep, fresh);
        const took = Date.now() - started;

        assert.equal(result, 'failed');
        const n = lastNotification(api);
        assert.equal(n.severity, 'error');
        if (faultName === 'no answer') {
          // The 1 s setting must reach the client: without it the call waits for the default 20 s, and still fails.
          assert.ok(took >= 900 && took < 5_000, `gave up after ${took} ms with vbotCrm.requestTimeoutSeconds = 1`);
          assert.match(n.message, /did not answer in time/);
        }
        assert.ok(n.message.length > 20 && !/\n\s+at /.test(n.message), `a plain message, no stack: ${n.message}`);
        if (op.path !== '/token') assert.ok(n.message.includes(op.name === 'add' ? fresh : keep), 'names the type');
        if (fault === 'expiredToken')
          assert.ok(
            n.actions.some((a) => /Sign In/.test(a)),
            'offers to sign in again',
          );
        assert.equal(await fs.readFile(api.cache.filePath, 'utf8'), fileBefore, 'cache file unchanged');
        assert.deepEqual(await treeTypes(api, 'SALES'), treeBefore, 'tree unchanged');
        assert.equal(JSON.stringify(sandbox.types(VBOT_ID, 'SALES')), serverBefore, 'the fault applied nothing on the server');
        if (op.name === 'sign-in') {
          assert.equal(
            await api.testHooks.secrets.get(`vbotCrm.tokens@${new URL(sandbox.url).origin}`),
            secretBefore,
            'stored tokens unchanged',
          );
        }
        await new Promise((r) => setTimeout(r, 50)); // let a stray rejection surface
        assert.equal(unhandled.length, unhandledBefore, 'no unhandled rejection');

        // Still usable: the fault is gone, the next call works.
        sandbox.clearFaults();
        if (fault === 'expiredToken' || op.path === '/token') await signIn();
        assert.equal(await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: `AFTER_${cellNo}`, typeName: 'Sau lỗi' }), 'done');
        row.set(faultName, 'passed');
      });
    }
  }
});

function printTable(table: Map<string, Map<FaultName, string>>): void {
  const columns = FAULTS.map(([f]) => f);
  const width = Math.max(...[...table.keys()].map((k) => k.length), 11);
  const cell = (s: string, w: number) => s.padEnd(w);
  const lines = [
    `| ${cell('operation', width)} | ${columns.map((c) => cell(c, Math.max(c.length, 6))).join(' | ')} |`,
    `| ${'-'.repeat(width)} | ${columns.map((c) => '-'.repeat(Math.max(c.length, 6))).join(' | ')} |`,
  ];
  for (const [op, row] of table) {
    lines.push(`| ${cell(op, width)} | ${columns.map((c) => cell(row.get(c) ?? 'n/a', Math.max(c.length, 6))).join(' | ')} |`);
  }
  console.log(`\nFault matrix (operations × faults)\n${lines.join('\n')}\n`);
}
