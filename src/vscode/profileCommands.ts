// Several accounts and environments: switch the active profile (view title, status bar, palette)
// and add one. Each profile has its own base URL, VBotID, secrets and cache file.
import * as vscode from 'vscode';
import { label, say, sayLabel } from './say';
import { normalizeBaseUrl } from '../core/baseUrl';
import { validateProjectCode, validateVbotId } from '../core/validation';
import type { CommandResult } from './commandArgs';
import { describeInvalid, fieldNames } from './messages';
import type { Notifier } from './notifier';
import { inputText } from './prompts';
import { type ApiVersion, DEFAULT_BASE_URL, type Profile, type Settings } from './settings';

export class ProfileCommands {
  constructor(
    private readonly settings: Settings,
    private readonly notifier: Notifier,
  ) {}

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand('vbotCrm.switchProfile', (a) => this.switchProfile(a)),
      vscode.commands.registerCommand('vbotCrm.addProfile', (a) => this.addProfile(a)),
    ];
  }

  async switchProfile(arg?: unknown): Promise<CommandResult> {
    const given = arg && typeof arg === 'object' ? (arg as { name?: unknown }).name : undefined;
    const profiles = this.settings.profiles();
    let name = typeof given === 'string' ? given : undefined;
    if (name === undefined) {
      const active = this.settings.activeProfile().name;
      const items = profiles.map((p) => ({
        label: `${p.name === active ? '$(check) ' : ''}${label(p.name)}`,
        description: sayLabel('{0} · {1}', p.vbotId || vscode.l10n.t('no VBotID'), p.apiVersion),
        detail: label(p.baseUrl),
        name: p.name,
      }));
      const add = { label: `$(add) ${vscode.l10n.t('Add Profile…')}`, description: '', detail: undefined, name: '' };
      const picked = await vscode.window.showQuickPick([...items, add], {
        title: vscode.l10n.t('Switch VBot Profile'),
        placeHolder: vscode.l10n.t('The tree, sign-in and changes use the active profile'),
      });
      if (!picked) return 'cancelled';
      if (!picked.name) return this.addProfile();
      name = picked.name;
    }
    if (!profiles.some((p) => p.name === name)) {
      this.notifier.error(say(vscode.l10n.t('There is no VBot profile named "{0}".'), name));
      return 'invalid';
    }
    await this.settings.setActiveProfile(name);
    this.notifier.info(say(vscode.l10n.t('VBot profile "{0}" is now active.'), name));
    return 'done';
  }

  async addProfile(arg?: unknown): Promise<CommandResult> {
    const given = (arg && typeof arg === 'object' ? arg : {}) as Partial<Record<keyof Profile | 'skipConfirmation', unknown>>;
    const title = vscode.l10n.t('Add VBot Profile');
    const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
    const existing = new Set(this.settings.profiles().map((p) => p.name));
    const nameProblem = (v: string) =>
      !v.trim()
        ? say(vscode.l10n.t('This field cannot be empty.'))
        : existing.has(v.trim())
          ? say(vscode.l10n.t('A profile named "{0}" already exists.'), v.trim())
          : undefined;
    const urlProblem = (v: string) => {
      const r = normalizeBaseUrl(v);
      return r.ok
        ? undefined
        : r.reason === 'insecure'
          ? say(vscode.l10n.t('Use https (http is accepted for localhost only).'))
          : say(vscode.l10n.t('This is not a usable URL.'));
    };
    const name =
      text(given.name) ??
      (await inputText({
        title,
        step: 1,
        totalSteps: 4,
        prompt: vscode.l10n.t('Profile name, e.g. "production" or "staging"'),
        validate: nameProblem,
      }));
    if (!name || nameProblem(name)) return name ? this.notifier.invalid(nameProblem(name)!) : 'cancelled';
    const apiVersion =
      (given.apiVersion === 'v2' || given.apiVersion === 'v3' ? given.apiVersion : undefined) ?? (await this.askApiVersion(title));
    if (!apiVersion) return 'cancelled';
    const defaultUrl = apiVersion === 'v3' ? DEFAULT_BASE_URL.replace('/v2.0', '/v3.0') : DEFAULT_BASE_URL;
    const baseUrl =
      text(given.baseUrl) ??
      (await inputText({
        title,
        step: 3,
        totalSteps: 4,
        prompt: vscode.l10n.t('Base URL of the VBot API'),
        value: defaultUrl,
        validate: urlProblem,
      }));
    if (!baseUrl) return 'cancelled';
    if (urlProblem(baseUrl)) return this.notifier.invalid(urlProblem(baseUrl)!);
    const vbotId =
      text(given.vbotId) ??
      (await inputText({
        title,
        step: 4,
        totalSteps: 4,
        prompt: vscode.l10n.t('VBotID (the customer account)'),
        validate: (v) => describeInvalid(validateVbotId(v), fieldNames.vbotId()),
      }));
    if (!vbotId) return 'cancelled';
    let projectCode = text(given.projectCode);
    if (apiVersion === 'v3' && !projectCode) {
      projectCode = await inputText({
        title,
        step: 4,
        totalSteps: 4,
        prompt: vscode.l10n.t('Project code the API key belongs to (v3 keys identify one project)'),
        validate: (v) => describeInvalid(validateProjectCode(v), fieldNames.projectCode()),
      });
      if (!projectCode) return 'cancelled';
    }
    // A base URL that came as an argument (a keybinding, a script, another extension) decides where the next
    // sign-in sends the username and password: the user sees its origin and agrees first.
    if (text(given.baseUrl) && given.skipConfirmation !== true && !(await this.confirmOrigin(name, baseUrl))) return 'cancelled';
    await this.settings.addProfile({ name, baseUrl, vbotId, apiVersion, projectCode });
    await this.settings.setActiveProfile(name);
    this.notifier.info(say(vscode.l10n.t('VBot profile "{0}" added and active. Sign in to use it.'), name));
    return 'done';
  }

  private confirmOrigin(name: string, baseUrl: string): Promise<boolean> {
    const r = normalizeBaseUrl(baseUrl);
    const origin = r.ok ? r.origin : baseUrl;
    return this.notifier.confirm(
      say(vscode.l10n.t('Add VBot profile "{0}" for the server {1}?'), name, origin),
      say(
        vscode.l10n.t(
          'The profile becomes active, and your next sign-in sends your VBot username and password to {0}. Add it only if you know this address.',
        ),
        origin,
      ),
      vscode.l10n.t('Add Profile'),
    );
  }

  private async askApiVersion(title: string): Promise<ApiVersion | undefined> {
    const picked = await vscode.window.showQuickPick(
      [
        { label: 'v2.0', description: vscode.l10n.t('Sign in with username and password (bearer token)'), version: 'v2' as const },
        { label: 'v3.0', description: vscode.l10n.t('An API key per project (X-API-Key)'), version: 'v3' as const },
      ],
      { title, placeHolder: vscode.l10n.t('API version') },
    );
    return picked?.version;
  }
}

/** The status bar item: the active profile, one click to switch. */
export function profileStatusItem(settings: Settings): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('vbotCrm.profile', vscode.StatusBarAlignment.Left, 10);
  item.name = vscode.l10n.t('VBot Profile');
  item.command = 'vbotCrm.switchProfile';
  const update = () => {
    const p = settings.activeProfile();
    item.text = `$(account) ${sayLabel('VBot: {0}', p.name)}`;
    item.tooltip = say(vscode.l10n.t('VBot profile {0} ({1}, {2}). Click to switch.'), p.name, p.vbotId || '—', p.baseUrl);
  };
  update();
  item.show();
  const sub = settings.onDidChange(update);
  return {
    dispose: () => {
      sub.dispose();
      item.dispose();
    },
  };
}
