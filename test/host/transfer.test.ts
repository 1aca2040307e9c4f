// Import from JSON/CSV into the cache (all or nothing) and export back, through the commands.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { VBOT_ID, cachedTypes, lastNotification, sandboxSuite, treeTypes, exec } from './helpers';

describe('import and export', () => {
  const ctx = sandboxSuite({ tempDir: 'vbot-transfer-' });

  it('imports a CSV into the cache and the tree, without calling the server', async () => {
    const file = path.join(ctx.dir, 'types.csv');
    await fs.writeFile(
      file,
      '\uFEFFproject_code,type_no,type_name\nSALES,VIP,"Khách hàng VIP, ưu tiên"\nSALES,LE,Bán lẻ\nCSKH,DL1,Đại lý cấp 1\n',
    );
    assert.equal(await exec('vbotCrm.importTypes', { filePath: file, skipConfirmation: true }), 'done');
    assert.deepEqual(await cachedTypes(ctx.api, 'SALES'), [
      ['LE', 'Bán lẻ'],
      ['VIP', 'Khách hàng VIP, ưu tiên'],
    ]);
    assert.deepEqual(await treeTypes(ctx.api, 'CSKH'), [['Đại lý cấp 1', 'DL1']]);
    assert.equal(ctx.sandbox.requests.length, 0);
    assert.match(lastNotification(ctx.api).message, /2|3/);
  });

  it('a malformed file is refused whole: nothing half-imported', async () => {
    await ctx.api.cache.upsertType(VBOT_ID, 'SALES', { typeNo: 'KEEP', typeName: 'Giữ' });
    const before = await fs.readFile(ctx.api.cache.filePath, 'utf8');
    const file = path.join(ctx.dir, 'bad.csv');
    await fs.writeFile(file, 'project_code,type_no,type_name\nSALES,OK,Good\nSALES,,Missing code\n');
    assert.equal(await exec('vbotCrm.importTypes', { filePath: file, skipConfirmation: true }), 'invalid');
    assert.equal(await fs.readFile(ctx.api.cache.filePath, 'utf8'), before);
    const n = lastNotification(ctx.api);
    assert.equal(n.severity, 'error');
    assert.match(n.message, /3/, 'names the line');
  });

  it('imports JSON and reports renamed entries', async () => {
    await ctx.api.cache.upsertType(VBOT_ID, 'SALES', { typeNo: 'VIP', typeName: 'Cũ' });
    const file = path.join(ctx.dir, 'types.json');
    await fs.writeFile(
      file,
      JSON.stringify([
        { projectCode: 'SALES', typeNo: 'VIP', typeName: 'Mới' },
        { projectCode: 'SALES', typeNo: 'B', typeName: 'Bê' },
      ]),
    );
    assert.equal(await exec('vbotCrm.importTypes', { filePath: file, skipConfirmation: true }), 'done');
    assert.deepEqual(await cachedTypes(ctx.api, 'SALES'), [
      ['B', 'Bê'],
      ['VIP', 'Mới'],
    ]);
  });

  it('exports a project to CSV and JSON that import back to the same list', async () => {
    await ctx.api.cache.upsertType(VBOT_ID, 'SALES', { typeNo: 'VIP', typeName: 'Khách "VIP", hạng 1' });
    await ctx.api.cache.upsertType(VBOT_ID, 'SALES', { typeNo: 'LE', typeName: 'Bán lẻ' });
    for (const format of ['csv', 'json'] as const) {
      const file = path.join(ctx.dir, `export.${format}`);
      assert.equal(await exec('vbotCrm.exportTypes', { vbotId: VBOT_ID, projectCode: 'SALES', format, filePath: file }), 'done');
      const expected = await cachedTypes(ctx.api, 'SALES');
      await ctx.api.cache.removeProject(VBOT_ID, 'SALES');
      assert.equal(await exec('vbotCrm.importTypes', { filePath: file, skipConfirmation: true }), 'done');
      assert.deepEqual(await cachedTypes(ctx.api, 'SALES'), expected, format);
    }
  });
});
