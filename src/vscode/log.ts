// The extension's LogOutputChannel, seen by the core as a Logger.
// Every line is scrubbed of the secrets currently known, as a last guard.
import * as vscode from 'vscode';
import { type Logger, scrubSecrets } from '../core/logger';

export class ExtensionLog implements Logger, vscode.Disposable {
  private created: vscode.LogOutputChannel | undefined;
  private secrets: string[] = [];
  private mirrored: string[] | undefined;

  /** Made with the first line or the first Show Log, not while the extension starts. */
  get channel(): vscode.LogOutputChannel {
    this.created ??= vscode.window.createOutputChannel('VBot CRM', { log: true });
    return this.created;
  }

  /** The secrets to scrub: the tokens in use and any password being sent. */
  setSecrets(secrets: ReadonlyArray<string | undefined>): void {
    this.secrets = secrets.filter((s): s is string => !!s);
  }

  /**
   * Keeps a copy of every line at every level, whatever level the channel shows, so tests can
   * check that not even a trace line carries a secret. Only the test hooks turn it on.
   */
  mirror(): string[] {
    this.mirrored ??= [];
    return this.mirrored;
  }

  private clean(message: string): string {
    const line = scrubSecrets(message, this.secrets);
    this.mirrored?.push(line);
    return line;
  }

  trace(message: string): void { this.channel.trace(this.clean(message)); }
  debug(message: string): void { this.channel.debug(this.clean(message)); }
  info(message: string): void { this.channel.info(this.clean(message)); }
  warn(message: string): void { this.channel.warn(this.clean(message)); }
  error(message: string): void { this.channel.error(this.clean(message)); }

  dispose(): void { this.created?.dispose(); }
}
