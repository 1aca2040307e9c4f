// Edits of the profile list and where a setting is shown in the settings editor: only commands need them, so they
// stay out of the main bundle (settings.ts reads, which the first paint needs).
import * as vscode from 'vscode';
import { DEFAULT_PROFILE, type Profile, SECTION, type Settings, readProfile } from './settings';

const EXTENSION_ID = 'vbotcrm.vbot-crm';

const config = () => vscode.workspace.getConfiguration(SECTION);

/** The profiles of the user's vbotCrm.profiles, other than `name`. */
function otherProfiles(name: string): unknown[] {
  const listed = config().inspect<unknown[]>('profiles')?.globalValue ?? [];
  return (Array.isArray(listed) ? listed : []).filter((p) => readProfile(p)?.name !== name);
}

/** Adds a named profile to vbotCrm.profiles, or replaces the one of that name. */
export async function saveProfile(settings: Settings, profile: Profile): Promise<void> {
  const entry: Record<string, string> = {
    name: profile.name,
    baseUrl: profile.baseUrl,
    vbotId: profile.vbotId,
    apiVersion: profile.apiVersion,
  };
  if (profile.projectCode) entry.projectCode = profile.projectCode;
  await config().update('profiles', [...otherProfiles(profile.name), entry], vscode.ConfigurationTarget.Global);
  settings.forgetProfiles();
}

/** Removes a named profile from vbotCrm.profiles (the default one is made of other settings and stays). */
export async function deleteProfile(settings: Settings, name: string): Promise<void> {
  const others = otherProfiles(name);
  await config().update('profiles', others.length ? others : undefined, vscode.ConfigurationTarget.Global);
  settings.forgetProfiles();
}

export interface SettingsLocation {
  command: 'workbench.action.openSettings' | 'workbench.action.openRemoteSettings';
  query: string;
}

/**
 * Our settings are machine-scoped: in a remote window (SSH, WSL, a container, code-server) they are kept
 * on the remote machine, and the settings editor's User tab shows "No Settings Found" for them. So the
 * remote settings open there; the search names our extension and the setting, which shows just that one.
 */
export function settingsLocation(remoteName: string | undefined, settingId: string): SettingsLocation {
  return {
    command: remoteName ? 'workbench.action.openRemoteSettings' : 'workbench.action.openSettings',
    query: `@ext:${EXTENSION_ID} ${settingId}`,
  };
}

/** Where the active profile's base URL is set: the settings editor command and its search. */
export function baseUrlSettingLocation(settings: Settings): SettingsLocation {
  const id = settings.activeProfile().name === DEFAULT_PROFILE ? `${SECTION}.baseUrl` : `${SECTION}.profiles`;
  return settingsLocation(vscode.env.remoteName, id);
}

export function openBaseUrlSetting(settings: Settings): Thenable<unknown> {
  const { command, query } = baseUrlSettingLocation(settings);
  return vscode.commands.executeCommand(command, { query });
}
