// The settings in effect for the active profile. The base URL decides where the token goes, the VBotID
// which account Plan/Apply and imports act on, and the timeout how long a request may hang, so none of
// them nor the profiles (which carry base URLs) are ever taken from a workspace or folder (a cloned repo's
// .vscode/settings.json): only user and remote-machine values count (`inspect().globalValue`).
import * as vscode from 'vscode';
import { type BaseUrlResult, normalizeBaseUrl } from '../core/baseUrl';
import type { DevOverrides } from '../core/devOverrides';

export const SECTION = 'vbotCrm';
export const DEFAULT_BASE_URL = 'https://open-api-h01.vbot.vn/v2.0';
export const DEFAULT_PROFILE = 'default';
const ACTIVE_PROFILE_KEY = 'vbotCrm.activeProfile';

export type ApiVersion = 'v2' | 'v3';

/** One account and environment: where to call, as whom, and with which API version. */
export interface Profile {
  name: string;
  baseUrl: string;
  vbotId: string;
  apiVersion: ApiVersion;
  /** v3 only: the project the API key belongs to. */
  projectCode?: string;
}

export class Settings implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a setting of ours changes or another profile becomes active. */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;
  /**
   * The profiles as last read. Reading settings is not cheap in the extension host (each read copies the
   * configuration), and nearly everything asks for the active profile, so they are read again only when
   * our settings change.
   */
  private profileList: ReadonlyArray<Profile> | undefined;

  /** `dev`: what F5's development host is given instead of vbotCrm.baseUrl / vbotCrm.vbotId (core/devOverrides.ts). */
  constructor(
    private readonly state: vscode.Memento,
    private readonly dev?: DevOverrides,
  ) {
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(SECTION)) return;
      this.profileList = undefined;
      this.changed.fire();
    });
  }

  private config(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SECTION);
  }

  /** A setting's user (or remote-machine) value, else its default; never a workspace or folder value. */
  private userValue<T extends string | number>(key: string, type: 'string' | 'number', config = this.config()): T | undefined {
    const info = config.inspect<unknown>(key);
    for (const value of [info?.globalValue, info?.defaultValue]) if (typeof value === type) return value as T;
    return undefined;
  }

  /** The implicit profile made of vbotCrm.baseUrl / vbotCrm.vbotId, then those of vbotCrm.profiles. */
  profiles(): ReadonlyArray<Profile> {
    this.profileList ??= Object.freeze(this.readProfiles().map((p) => Object.freeze(p)));
    return this.profileList;
  }

  private readProfiles(): Profile[] {
    const config = this.config();
    const info = config.inspect<string>('baseUrl');
    const defaultProfile: Profile = {
      name: DEFAULT_PROFILE,
      baseUrl: this.dev?.baseUrl ?? info?.globalValue ?? info?.defaultValue ?? DEFAULT_BASE_URL,
      vbotId: this.dev?.vbotId ?? this.userValue<string>('vbotId', 'string', config)?.trim() ?? '',
      apiVersion: 'v2',
    };
    const listed = config.inspect<unknown[]>('profiles')?.globalValue ?? [];
    const named = (Array.isArray(listed) ? listed : []).map(readProfile).filter((p): p is Profile => !!p && p.name !== DEFAULT_PROFILE);
    const unique = named.filter((p, i) => named.findIndex((q) => q.name === p.name) === i);
    return [defaultProfile, ...unique];
  }

  /**
   * The active profile's name. None chosen, or the default: the default's name, without reading the profile list
   * (what the tree's first paint needs: the cache file's name). A chosen one is looked up in the list, which falls
   * back to the default when it is gone.
   */
  activeProfileName(): string {
    const name = this.state.get<string>(ACTIVE_PROFILE_KEY);
    return name === undefined || name === DEFAULT_PROFILE ? DEFAULT_PROFILE : this.activeProfile().name;
  }

  activeProfile(): Profile {
    const all = this.profiles();
    const name = this.state.get<string>(ACTIVE_PROFILE_KEY);
    return all.find((p) => p.name === name) ?? all[0];
  }

  async setActiveProfile(name: string): Promise<void> {
    await this.state.update(ACTIVE_PROFILE_KEY, name);
    this.changed.fire();
  }

  /** The active profile's base URL, normalized and checked. */
  baseUrl(): BaseUrlResult & { raw: string } {
    return profileBaseUrl(this.activeProfile());
  }

  /** The origin the active profile's tokens belong to. */
  apiOrigin(): string {
    return profileOrigin(this.activeProfile());
  }

  /**
   * Whether `profile`, as a command captured it when it started, is still configured as it was. A command
   * whose profile was removed or pointed elsewhere meanwhile stops rather than act for a profile that is gone.
   */
  isCurrent(profile: Profile): boolean {
    const now = this.profiles().find((p) => p.name === profile.name);
    return !!now && now.baseUrl === profile.baseUrl && now.apiVersion === profile.apiVersion && now.projectCode === profile.projectCode;
  }

  vbotId(): string {
    return this.activeProfile().vbotId;
  }

  apiVersion(): ApiVersion {
    return this.activeProfile().apiVersion;
  }

  timeoutMs(): number {
    const seconds = this.userValue<number>('requestTimeoutSeconds', 'number') ?? 20;
    return Math.min(300, Math.max(1, Number.isFinite(seconds) ? seconds : 20)) * 1000;
  }

  /** Forgets the profiles as read, after our own edit of them (settingsEdits.ts). */
  forgetProfiles(): void {
    this.profileList = undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** A profile's base URL, normalized and checked. */
export function profileBaseUrl(profile: Profile): BaseUrlResult & { raw: string } {
  return { ...normalizeBaseUrl(profile.baseUrl), raw: profile.baseUrl };
}

/** The origin a profile's tokens belong to; an unusable URL gets a key of its own that never holds a token worth sending. */
export function profileOrigin(profile: Profile): string {
  const base = profileBaseUrl(profile);
  return base.ok ? base.origin : 'invalid-base-url';
}

export function readProfile(value: unknown): Profile | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  const text = (x: unknown) => (typeof x === 'string' ? x.trim() : '');
  const name = text(v.name);
  if (!name) return undefined;
  const apiVersion: ApiVersion = v.apiVersion === 'v3' ? 'v3' : 'v2';
  return {
    name,
    baseUrl: text(v.baseUrl) || (apiVersion === 'v3' ? DEFAULT_BASE_URL.replace('/v2.0', '/v3.0') : DEFAULT_BASE_URL),
    vbotId: text(v.vbotId),
    apiVersion,
    projectCode: text(v.projectCode) || undefined,
  };
}
