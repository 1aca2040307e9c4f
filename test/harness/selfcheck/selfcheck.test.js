// Mocha suite for the harness selfcheck; copied next to the bundled test/host/index.js, which
// picks up every *.test.js in its folder.
const assert = require('assert');
const vscode = require('vscode');

const ID = 'VBotCRM.vbot-harness-selfcheck';

describe('harness selfcheck', () => {
  it('runs inside a real VS Code extension host', async () => {
    const ext = vscode.extensions.getExtension(ID);
    assert.ok(ext, 'development extension is loaded');
    await ext.activate();
    const info = await vscode.commands.executeCommand('selfcheck.info');
    // The VS Code the harness says it started (1.100.3, or the newest with VBOT_VSCODE_HOST=latest).
    if (process.env.VBOT_SELFCHECK_VSCODE) assert.strictEqual(info.vscodeVersion, process.env.VBOT_SELFCHECK_VSCODE);
    else assert.match(info.vscodeVersion, /^1\.100\./);
    console.log('[selfcheck] ' + JSON.stringify(info));
  });

  it('sees the environment handed to code-server', () => {
    assert.ok(process.env.VBOT_TEST_RESULT, 'VBOT_TEST_RESULT (options.env of startWorkbench)');
    assert.strictEqual(process.env.VBOT_SELFCHECK_TOKEN, 'token-from-harness', 'inherited from the runner process');
  });

  it.skip('is pending on purpose', () => {});

  (process.env.SELFCHECK_FAIL ? it : it.skip)('fails on purpose when SELFCHECK_FAIL is set', () => {
    assert.strictEqual(1 + 1, 3, 'deliberate failure');
  });
});
