// Every result ends in one notification. Notifications are never awaited (a command must not
// hang until the user closes a toast); their actions run when clicked. The last ones are kept
// in memory so tests in the extension host can check what a user would have read.
// Messages are `Safe` (made by say(), src/vscode/say.ts): outside values in them cannot act.
import * as vscode from 'vscode';
import { breakLinks } from '../core/outsideText';
import type { Safe } from './say';

export interface NotificationAction {
  title: string;
  run: () => unknown;
}
export interface ShownNotification {
  severity: 'info' | 'warning' | 'error' | 'modal' | 'status';
  message: string;
  detail?: string;
  actions: string[];
  /** Runs the action with this title as a click would (extension-host tests: a test cannot click a toast). */
  click?: (title: string) => unknown;
}

const KEEP = 50;

export class Notifier {
  readonly shown: ShownNotification[] = [];

  /**
   * `scrub` replaces the secrets currently known (the tokens in use): a server that echoes a token it was
   * not sent on this call (the refresh token) must not put it in front of the user, or a screenshot.
   */
  constructor(private readonly scrub: (text: string) => string = (text) => text) {}

  info(message: Safe, ...actions: NotificationAction[]): void {
    this.show('info', message, actions);
  }

  warn(message: Safe, ...actions: NotificationAction[]): void {
    this.show('warning', message, actions);
  }

  error(message: Safe, ...actions: NotificationAction[]): void {
    this.show('error', message, actions);
  }

  /** A short confirmation in the status bar, for an action whose result the view already shows (no toast). */
  status(message: Safe, ms = 4000): void {
    const text = this.final(message);
    this.remember({ severity: 'status', message: text, actions: [] });
    vscode.window.setStatusBarMessage(text, ms);
  }

  /** A command refused what it was given (an argument, a typed value, a file): says why, reports 'invalid'. */
  invalid(message: Safe): 'invalid' {
    this.error(message);
    return 'invalid';
  }

  /**
   * Extension-host tests only (the notifier is exported only with VBOT_CRM_TEST_HOOKS=1): answers modal
   * questions in the user's place, after they are recorded in `shown` exactly as they would be shown
   * (a test cannot click a modal). Undefined means the modal is shown.
   */
  answerModal?: (question: ShownNotification) => string | undefined;

  /** A modal question; resolves true when the user picks `yes`. */
  async confirm(message: Safe, detail: Safe, yes: string): Promise<boolean> {
    return (await this.choose(message, detail, [yes])) === yes;
  }

  /** A modal question with several answers (and Cancel); resolves with the one picked, undefined when cancelled. */
  async choose(message: Safe, detail: Safe, answers: string[]): Promise<string | undefined> {
    const question: ShownNotification = { severity: 'modal', message: this.final(message), detail: this.final(detail), actions: answers };
    this.remember(question);
    if (this.answerModal) {
      const answer = this.answerModal(question);
      return answers.find((a) => a === answer);
    }
    return vscode.window.showWarningMessage(question.message, { modal: true, detail: question.detail }, ...answers);
  }

  private show(severity: 'info' | 'warning' | 'error', safe: Safe, actions: NotificationAction[]): void {
    const message = this.final(safe);
    this.remember({
      severity,
      message,
      actions: actions.map((a) => a.title),
      click: (title) => actions.find((a) => a.title === title)?.run(),
    });
    const titles = actions.map((a) => a.title);
    const show =
      severity === 'info'
        ? vscode.window.showInformationMessage
        : severity === 'warning'
          ? vscode.window.showWarningMessage
          : vscode.window.showErrorMessage;
    void Promise.resolve(show(message, ...titles)).then((picked) => actions.find((a) => a.title === picked)?.run());
  }

  /** Safe text has no link already; this also covers two values that would only form one side by side. */
  private final(text: Safe): string {
    return breakLinks(this.scrub(text));
  }

  private remember(shown: ShownNotification): void {
    this.shown.push(shown);
    if (this.shown.length > KEEP) this.shown.shift();
  }
}
