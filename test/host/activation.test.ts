// Activation: every contributed command is there as soon as the extension is active, although the code
// behind most of them loads only when one of its group first runs (registerLazily). Sorted first, so it
// runs before any other suite has run a command.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, exec, extensionApi } from './helpers';

describe('activation', () => {
  it('registers every contributed command before any has run, and a first run reaches the real handler', async () => {
    await extensionApi();
    const contributed = (
      vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { commands: Array<{ command: string }> } }
    ).contributes.commands.map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      contributed.filter((id) => !registered.has(id)),
      [],
      'contributed but not registered',
    );
    // A command whose module is not loaded yet: the stand-in loads it and hands the call on, with its result.
    assert.equal(await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'A\u0007B', typeName: 'Fine' }), 'invalid');
  });
});
