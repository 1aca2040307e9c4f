// The extension's LogOutputChannel, seen by the core as a Logger.
// Every line is scrubbed of the secrets currently known, as a last guard, and made one inert line
// (src/core/outsideText.ts): a code or a server message with a line break cannot forge a line of its own.
import * as vscode from 'vscode';
import { type Logger, scrubSecrets } from '../core/logger';
import { inert } from '../core/outsideText';

/** Long enough for any line we write; a longer one is cut rather than flooding the channel. */
const MAX_LINE = 8000;

export class ExtensionLog implements Logger, vscode.Disposable {
  private created: vscode.LogOutputChannel | undefined;
  private secrets: string[] = [];
  private mirrored: string[] | undefined;

  /** Made with the first line or the first Show Log, not while the extension starts. */
  get channel(): vscode.LogOutputChannel {
    this.created ??= vscode.window.createOutputChannel('VBot CRM', { log: true });
    return this.created;
  }

  /**
   * Adds secrets to scrub: every token read or stored in this session, of any profile. They are kept until
   * the window closes: a command still running for one profile must stay scrubbed after another profile's
   * tokens were read, and after a sign-out the old token may still come back in a late answer.
   */
  addSecrets(secrets: ReadonlyArray<string | undefined>): void {
    for (const s of secrets) if (s && !this.secrets.includes(s)) this.secrets.push(s);
  }

  /**
   * Keeps a copy of every line at every level, whatever level the channel shows, so tests can
   * check that not even a trace line carries a secret. Only the test hooks turn it on.
   */
  mirror(): string[] {
    this.mirrored ??= [];
    return this.mirrored;
  }

  /** The text with every secret currently known replaced: also the notifier's last guard. */
  scrub(text: string): string {
    return scrubSecrets(text, this.secrets);
  }

  private clean(message: string): string {
    const line = inert(this.scrub(message), MAX_LINE);
    this.mirrored?.push(line);
    return line;
  }

  trace(message: string): void {
    this.channel.trace(this.clean(message));
  }
  debug(message: string): void {
    this.channel.debug(this.clean(message));
  }
  info(message: string): void {
    this.channel.info(this.clean(message));
  }
  warn(message: string): void {
    this.channel.warn(this.clean(message));
  }
  error(message: string): void {
    this.channel.error(this.clean(message));
  }

  dispose(): void {
    this.created?.dispose();
  }
}
