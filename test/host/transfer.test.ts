// Import from JSON/CSV into the cache (all or nothing) and export back, through the commands.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { VbotSandbox } from '../sandbox/vbotSandbox';
import {
  type ExtensionApi,
  VBOT_ID,
  cachedTypes,
  extensionApi,
  freshState,
  lastNotification,
  startSandbox,
  treeTypes,
  exec,
} from './helpers';

describe('import and export', () => {
  let api: ExtensionApi;
  let sandbox: VbotSandbox;
  let dir: string;

  before(async () => {
    api = await extensionApi();
    sandbox = await startSandbox();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vbot-transfer-'));
  });
  after(async () => {
    await sandbox.close();
    await fs.rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => freshState(api, sandbox));

  it('imports a CSV into the cache and the tree, without calling the server', async () => {
    const file = path.join(dir, 'types.csv');
    await fs.writeFile(
      file,
      '\uFEFFproject_code,type_no,type_name\nSALES,VIP,"Khách hàng VIP, ưu tiên"\nSALES,LE,Bán lẻ\nCSKH,DL1,Đại lý cấp 1\n',
    );
    assert.equal(await exec('vbotCrm.importTypes', { filePath: file, skipConfirmation: true }), 'done');
    assert.deepEqual(await cachedTypes(api, 'SALES'), [
      ['LE', 'Bán lẻ'],
      ['VIP', 'Khách hàng VIP, ưu tiên'],
    ]);
    assert.deepEqual(await treeTypes(api, 'CSKH'), [['Đại lý cấp 1', 'DL1']]);
    assert.equal(sandbox.requests.length, 0);
    assert.match(lastNotification(api).message, /2|3/);
  });

  it('a malformed file is refused whole: nothing half-imported', async () => {
    await api.cache.upsertType(VBOT_ID, 'SALES', { typeNo: 'KEEP', typeName: 'Giữ' });
    const before = await fs.readFile(api.cache.filePath, 'utf8');
    const file = path.join(dir, 'bad.csv');
    await fs.writeFile(file, 'project_code,type_no,type_name\nSALES,OK,Good\nSALES,,Missing code\n');
    assert.equal(await exec('vbotCrm.importTypes', { filePath: file, skipConfirmation: true }), 'invalid');
    assert.equal(await fs.readFile(api.cache.filePath, 'utf8'), before);
    const n = lastNotification(api);
    assert.equal(n.severity, 'error');
    assert.match(n.message, /3/, 'names the line');
  });

  it('imports JSON and reports renamed entries', async () => {
    await api.cache.upsertType(VBOT_ID, 'SALES', { typeNo: 'VIP', typeName: 'Cũ' });
    const file = path.join(dir, 'types.json');
    await fs.writeFile(
      file,
      JSON.stringify([
        { projectCode: 'SALES', typeNo: 'VIP', typeName: 'Mới' },
        { projectCode: 'SALES', typeNo: 'B', typeName: 'Bê' },
      ]),
    );
    assert.equal(await exec('vbotCrm.importTypes', { filePath: file, skipConfirmation: true }), 'done');
    assert.deepEqual(await cachedTypes(api, 'SALES'), [
      ['B', 'Bê'],
      ['VIP', 'Mới'],
    ]);
  });

  it('exports a project to CSV and JSON that import back to the same list', async () => {
    await api.cache.upsertType(VBOT_ID, 'SALES', { typeNo: 'VIP', typeName: 'Khách "VIP", hạng 1' });
    await api.cache.upsertType(VBOT_ID, 'SALES', { typeNo: 'LE', typeName: 'Bán lẻ' });
    for (const format of ['csv', 'json'] as const) {
      const file = path.join(dir, `export.${format}`);
      assert.equal(await exec('vbotCrm.exportTypes', { vbotId: VBOT_ID, projectCode: 'SALES', format, filePath: file }), 'done');
      const expected = await cachedTypes(api, 'SALES');
      await api.cache.removeProject(VBOT_ID, 'SALES');
      assert.equal(await exec('vbotCrm.importTypes', { filePath: file, skipConfirmation: true }), 'done');
      assert.deepEqual(await cachedTypes(api, 'SALES'), expected, format);
    }
  });
});
