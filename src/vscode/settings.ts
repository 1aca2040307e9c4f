// Reads the extension's settings. The base URL decides where the token goes, so a value
// from a workspace or folder (a cloned repo's .vscode/settings.json) is never used for it.
import * as vscode from 'vscode';
import { type BaseUrlResult, normalizeBaseUrl } from '../core/baseUrl';

const SECTION = 'vbotCrm';
export const DEFAULT_BASE_URL = 'https://open-api-h01.vbot.vn/v2.0';

export class Settings {
  private config(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SECTION);
  }

  /** The base URL from user (or remote machine) settings only, normalized and checked. */
  baseUrl(): BaseUrlResult & { raw: string } {
    const info = this.config().inspect<string>('baseUrl');
    const raw = info?.globalValue ?? info?.defaultValue ?? DEFAULT_BASE_URL;
    return { ...normalizeBaseUrl(raw), raw };
  }

  /** The origin tokens belong to; an unusable URL gets a key of its own that never holds a token worth sending. */
  apiOrigin(): string {
    const base = this.baseUrl();
    return base.ok ? base.origin : 'invalid-base-url';
  }

  vbotId(): string {
    return (this.config().get<string>('vbotId') ?? '').trim();
  }

  timeoutMs(): number {
    const seconds = this.config().get<number>('requestTimeoutSeconds') ?? 20;
    return Math.min(300, Math.max(1, Number.isFinite(seconds) ? seconds : 20)) * 1000;
  }

  onDidChange(listener: () => void): vscode.Disposable {
    return vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SECTION)) listener();
    });
  }

  openBaseUrlSetting(): Thenable<unknown> {
    return vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.baseUrl`);
  }
}
