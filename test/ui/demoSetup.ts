// What every UI test starts from: the extension pointed at a sandbox with the demo account, and
// the demo projects already in its local list (as if the user had imported them).
import type { WorkbenchOptions } from '../harness/codeServer';
import { CACHE_FILE_NAME, demoCacheText } from '../sandbox/demoCache';
import { DEMO_VBOT_ID } from '../sandbox/demoData';
import type { VbotSandbox } from '../sandbox/vbotSandbox';

export function demoWorkbenchOptions(sandbox: VbotSandbox, extraSettings: Record<string, unknown> = {}): Pick<WorkbenchOptions, 'settings' | 'userDataFiles'> {
  const settings = { 'vbotCrm.baseUrl': sandbox.url, 'vbotCrm.vbotId': DEMO_VBOT_ID, ...extraSettings };
  return {
    settings,
    userDataFiles: {
      [`User/globalStorage/vbotcrm.vbot-crm/${CACHE_FILE_NAME}`]: demoCacheText(),
      // code-server is a remote window: machine-scoped settings (the base URL) are read from the
      // remote machine's settings, and from the user settings only until that connection is up.
      'Machine/settings.json': JSON.stringify(settings),
    },
  };
}
