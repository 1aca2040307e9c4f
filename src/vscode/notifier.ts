// Every result ends in one notification. Notifications are never awaited (a command must not
// hang until the user closes a toast); their actions run when clicked. The last ones are kept
// in memory so tests in the extension host can check what a user would have read.
import * as vscode from 'vscode';

export interface NotificationAction { title: string; run: () => unknown }
export interface ShownNotification { severity: 'info' | 'warning' | 'error'; message: string; actions: string[] }

const KEEP = 50;

export class Notifier {
  readonly shown: ShownNotification[] = [];

  info(message: string, ...actions: NotificationAction[]): void {
    this.show('info', message, actions);
  }

  warn(message: string, ...actions: NotificationAction[]): void {
    this.show('warning', message, actions);
  }

  error(message: string, ...actions: NotificationAction[]): void {
    this.show('error', message, actions);
  }

  private show(severity: ShownNotification['severity'], message: string, actions: NotificationAction[]): void {
    this.shown.push({ severity, message, actions: actions.map((a) => a.title) });
    if (this.shown.length > KEEP) this.shown.shift();
    const titles = actions.map((a) => a.title);
    const show = severity === 'info' ? vscode.window.showInformationMessage
      : severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
    void Promise.resolve(show(message, ...titles)).then((picked) => actions.find((a) => a.title === picked)?.run());
  }
}
