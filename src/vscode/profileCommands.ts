// Several accounts and environments: switch the active profile (view title, status bar, palette)
// and add one. Each profile has its own base URL, VBotID, secrets and cache file.
import * as vscode from 'vscode';
import { label, type Safe, say, sayLabel } from './say';
import { normalizeBaseUrl } from '../core/baseUrl';
import { validateProjectCode, validateVbotId } from '../core/validation';
import type { CommandResult } from './commandArgs';
import { describeInvalid, fieldNames } from './messages';
import type { Notifier } from './notifier';
import { inputText, pickOne, type Step } from './prompts';
import { PromptFlow } from './promptFlow';
import { cacheFileName } from './activeCache';
import { type ApiVersion, DEFAULT_BASE_URL, DEFAULT_PROFILE, type Profile, type Settings } from './settings';
import { deleteProfile, saveProfile } from './settingsEdits';
import type { SecretTokenStore } from './tokenStore';

type ProfileArgs = Partial<Record<keyof Profile | 'skipConfirmation', unknown>>;
const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

export class ProfileCommands {
  constructor(
    private readonly settings: Settings,
    private readonly notifier: Notifier,
    private readonly tokens: SecretTokenStore,
  ) {}

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand('vbotCrm.switchProfile', (a) => this.switchProfile(a)),
      vscode.commands.registerCommand('vbotCrm.addProfile', (a) => this.addProfile(a)),
      vscode.commands.registerCommand('vbotCrm.removeProfile', (a) => this.removeProfile(a)),
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
    const given = (arg && typeof arg === 'object' ? arg : {}) as ProfileArgs;
    const title = vscode.l10n.t('Add VBot Profile');
    // Only the questions asked are counted; whether a v3 project code is asked is known once the version is.
    const asked = (v: unknown) => (v === undefined ? 1 : 0);
    const versionGiven = given.apiVersion === 'v2' || given.apiVersion === 'v3' ? given.apiVersion : undefined;
    const total = asked(text(given.name)) + asked(versionGiven) + asked(text(given.baseUrl)) + asked(text(given.vbotId));
    const answers = await PromptFlow.run(title, total, (flow) => this.askProfile(flow, given));
    if (!answers) return 'cancelled';
    if ('invalid' in answers) return this.notifier.invalid(answers.invalid);
    const { name, apiVersion, baseUrl, vbotId, projectCode } = answers;
    // A base URL that came as an argument (a keybinding, a script, another extension) decides where the next
    // sign-in sends the username and password: the user sees its origin and agrees first.
    if (text(given.baseUrl) && given.skipConfirmation !== true && !(await this.confirmOrigin(name, baseUrl))) return 'cancelled';
    await saveProfile(this.settings, { name, baseUrl, vbotId, apiVersion, projectCode });
    await this.settings.setActiveProfile(name);
    this.notifier.info(say(vscode.l10n.t('VBot profile "{0}" added and active. Sign in to use it.'), name));
    return 'done';
  }

  /**
   * Removes a profile: its settings entry and its sign-in secrets. Its local list file (and its history) stay
   * on this computer: the list cannot be fetched again from VBot, so a profile added later under the same name
   * finds it. The default profile is made of vbotCrm.baseUrl / vbotCrm.vbotId and cannot be removed, so there
   * is always a profile left; removing the active one makes the default profile active.
   */
  async removeProfile(arg?: unknown): Promise<CommandResult> {
    const given = (arg && typeof arg === 'object' ? arg : {}) as { name?: unknown; skipConfirmation?: unknown };
    const removable = this.settings.profiles().filter((p) => p.name !== DEFAULT_PROFILE);
    let name = typeof given.name === 'string' ? given.name.trim() : undefined;
    if (name === DEFAULT_PROFILE || (name === undefined && !removable.length))
      return this.notifier.invalid(
        say(
          vscode.l10n.t('The profile "{0}" cannot be removed: it is made of the settings vbotCrm.baseUrl and vbotCrm.vbotId.'),
          DEFAULT_PROFILE,
        ),
      );
    if (name === undefined) {
      const picked = await vscode.window.showQuickPick(
        removable.map((p) => ({
          label: label(p.name),
          description: sayLabel('{0} · {1}', p.vbotId, p.apiVersion),
          detail: label(p.baseUrl),
          name: p.name,
        })),
        { title: vscode.l10n.t('Remove VBot Profile'), placeHolder: vscode.l10n.t('The profile to remove') },
      );
      if (!picked) return 'cancelled';
      name = picked.name;
    }
    const profile = removable.find((p) => p.name === name);
    if (!profile) return this.notifier.invalid(say(vscode.l10n.t('There is no VBot profile named "{0}".'), name));
    const wasActive = this.settings.activeProfile().name === profile.name;
    if (given.skipConfirmation !== true) {
      const yes = await this.notifier.confirm(
        say(vscode.l10n.t('Remove VBot profile "{0}" ({1} on {2})?'), profile.name, profile.vbotId || '—', profile.baseUrl),
        say(
          vscode.l10n.t(
            'Its settings entry and its sign-in secrets are removed. Its local list ({0}) and its history stay on this computer: add a profile named "{1}" again to use them.',
          ),
          cacheFileName(profile.name),
          profile.name,
        ),
        vscode.l10n.t('Remove Profile'),
      );
      if (!yes) return 'cancelled';
    }
    // The default profile first: nothing may go on under a profile whose settings and secrets are going away.
    if (wasActive) await this.settings.setActiveProfile(DEFAULT_PROFILE);
    await deleteProfile(this.settings, profile.name);
    await this.tokens.forProfile(profile).clearAll();
    this.notifier.info(
      wasActive
        ? say(
            vscode.l10n.t('VBot profile "{0}" removed; its local list was kept. Profile "{1}" is now active.'),
            profile.name,
            DEFAULT_PROFILE,
          )
        : say(vscode.l10n.t('VBot profile "{0}" removed; its local list was kept.'), profile.name),
    );
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

  /** Add Profile's questions, in a flow (Back): what was not given, then whether what was given is usable. */
  private async askProfile(flow: PromptFlow, given: ProfileArgs): Promise<Profile | { invalid: Safe } | undefined> {
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
      (await inputText({ ...flow.next(), prompt: vscode.l10n.t('Profile name, e.g. "production" or "staging"'), validate: nameProblem }));
    if (!name) return undefined;
    if (nameProblem(name)) return { invalid: nameProblem(name)! };
    const versionGiven = given.apiVersion === 'v2' || given.apiVersion === 'v3' ? given.apiVersion : undefined;
    const apiVersion = versionGiven ?? (await this.askApiVersion(flow.next()));
    if (!apiVersion) return undefined;
    // Whether a v3 project code is asked is known once the version is: counted from here on.
    if (apiVersion === 'v3' && !text(given.projectCode)) flow.more();
    const defaultUrl = apiVersion === 'v3' ? DEFAULT_BASE_URL.replace('/v2.0', '/v3.0') : DEFAULT_BASE_URL;
    const baseUrl =
      text(given.baseUrl) ??
      (await inputText({ ...flow.next(), prompt: vscode.l10n.t('Base URL of the VBot API'), value: defaultUrl, validate: urlProblem }));
    if (!baseUrl) return undefined;
    if (urlProblem(baseUrl)) return { invalid: urlProblem(baseUrl)! };
    const vbotId =
      text(given.vbotId) ??
      (await inputText({
        ...flow.next(),
        prompt: vscode.l10n.t('VBotID (the customer account)'),
        validate: (v) => describeInvalid(validateVbotId(v), fieldNames.vbotId()),
      }));
    if (!vbotId) return undefined;
    const projectCode =
      text(given.projectCode) ??
      (apiVersion === 'v3'
        ? await inputText({
            ...flow.next(),
            prompt: vscode.l10n.t('Project code the API key belongs to (v3 keys identify one project)'),
            validate: (v) => describeInvalid(validateProjectCode(v), fieldNames.projectCode()),
          })
        : undefined);
    if (apiVersion === 'v3' && !projectCode) return undefined;
    return { name, apiVersion, baseUrl, vbotId, projectCode };
  }

  private async askApiVersion(step: Step): Promise<ApiVersion | undefined> {
    const items = [
      { label: 'v2.0', description: vscode.l10n.t('Sign in with username and password (bearer token)'), version: 'v2' as const },
      { label: 'v3.0', description: vscode.l10n.t('An API key per project (X-API-Key)'), version: 'v3' as const },
    ];
    return (await pickOne(step, 'apiVersion', vscode.l10n.t('API version'), items, (i) => i.version))?.version;
  }
}
