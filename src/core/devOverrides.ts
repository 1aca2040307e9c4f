// What F5 ("Run Extension" in .vscode/launch.json) hands the Extension Development Host: the sandbox's
// base URL, the demo VBotID and a folder of its own for the cache, as environment variables.
//
// Why environment variables: the development host opens in the contributor's own VS Code, with their
// user settings and their extension storage (VS Code ignores --user-data-dir in a launch configuration,
// microsoft/vscode#126737, #130504), and these settings are machine-scoped, so a workspace cannot set
// them. The launch configuration's `env` does reach the extension host. The caller reads them only when
// VS Code runs the extension in development mode (ExtensionMode.Development), never in an installed
// extension nor in the test runs.
export const DEV_ENV = {
  baseUrl: 'VBOT_CRM_DEV_BASE_URL',
  vbotId: 'VBOT_CRM_DEV_VBOT_ID',
  storageDir: 'VBOT_CRM_DEV_STORAGE',
} as const;

export interface DevOverrides {
  /** Used instead of vbotCrm.baseUrl for the default profile. */
  baseUrl?: string;
  /** Used instead of vbotCrm.vbotId for the default profile. */
  vbotId?: string;
  /** Folder of the cache and journal instead of the extension's globalStorage. */
  storageDir?: string;
}

/** The overrides set in `env` (blank values count as unset); undefined when there are none. */
export function readDevOverrides(env: Readonly<Record<string, string | undefined>>): DevOverrides | undefined {
  const out: DevOverrides = {};
  for (const key of Object.keys(DEV_ENV) as Array<keyof typeof DEV_ENV>) {
    const value = env[DEV_ENV[key]]?.trim();
    if (value) out[key] = value;
  }
  return Object.keys(out).length ? out : undefined;
}

/** One line for the log, so nobody wonders why the settings editor says otherwise. */
export function describeDevOverrides(o: DevOverrides): string {
  const parts = [o.baseUrl && `base URL ${o.baseUrl}`, o.vbotId && `VBotID ${o.vbotId}`, o.storageDir && `cache folder ${o.storageDir}`];
  return `Development overrides from the launch configuration (${Object.values(DEV_ENV).join(', ')}): ${parts.filter(Boolean).join('; ')}`;
}
