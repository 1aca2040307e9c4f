// The status bar item of the active profile: in the main bundle (it shows right after activation), unlike the
// profile commands, which load on first use.
import * as vscode from 'vscode';
import { say, sayLabel } from './say';
import { normalizeBaseUrl } from '../core/baseUrl';
import type { Settings } from './settings';
import type { SecretTokenStore } from './tokenStore';

/**
 * The status bar item: the active profile and whether it is signed in, where people look. Signed in, one
 * click switches profile; signed out, the item says so and one click signs in (Switch Profile stays in the view).
 * With one profile, signed in, there is nothing to switch to or to warn about: the item is hidden.
 */
export function profileStatusItem(settings: Settings, tokens: SecretTokenStore): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('vbotCrm.profile', vscode.StatusBarAlignment.Left, 10);
  item.name = vscode.l10n.t('VBot Profile');
  let version = 0;
  const update = async () => {
    const mine = ++version;
    const p = settings.activeProfile();
    const signedIn = await tokens.forProfile(p).isSignedIn();
    if (mine !== version) return; // a newer update is under way
    const r = normalizeBaseUrl(p.baseUrl);
    const host = r.ok ? new URL(r.origin).host : p.baseUrl;
    item.text = signedIn
      ? `$(account) ${sayLabel('VBot: {0}', p.name)}`
      : `$(sign-in) ${sayLabel(vscode.l10n.t('VBot: {0} (signed out)'), p.name)}`;
    item.tooltip = signedIn
      ? say(vscode.l10n.t('VBot profile "{0}": signed in, VBotID {1} on {2}. Click to switch profile.'), p.name, p.vbotId || '—', host)
      : say(vscode.l10n.t('VBot profile "{0}": signed out (VBotID {1} on {2}). Click to sign in.'), p.name, p.vbotId || '—', host);
    item.command = signedIn ? 'vbotCrm.switchProfile' : 'vbotCrm.signIn';
    if (signedIn && settings.profiles().length < 2) item.hide();
    else item.show();
  };
  const refresh = () => void update();
  refresh();
  const subs = [settings.onDidChange(refresh), tokens.onDidChange(refresh)];
  return {
    dispose: () => {
      subs.forEach((s) => s.dispose());
      item.dispose();
    },
  };
}
