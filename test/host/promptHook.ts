// The extension's prompts as a person meets them, for the host suites: each quick input it opens is handed
// here as it shows (src/vscode/prompts.ts#shownForTests, on with VBOT_CRM_TEST_HOOKS=1), with its title, step
// and validation message, and answered through the workbench's own accept command, as Enter would.
import * as vscode from 'vscode';
import { waitFor } from './helpers';

type Prompt = vscode.InputBox | vscode.QuickPick<vscode.QuickPickItem>;
const HOOK = Symbol.for('vbotCrm.promptShown');

export interface SeenPrompt {
  title: string | undefined;
  step: number | undefined;
  totalSteps: number | undefined;
  /** Whether it shows VS Code's Back button (a flow's second prompt on). */
  back: boolean;
  /** What it opened with: the text in an input box, the active item's label in a quick pick. */
  value: string | undefined;
}

/**
 * Answers the prompts the extension opens, in order, with `answer(prompt, index)`, until disposed; `seen` lists
 * each as it was shown. An answer that throws hides the prompt (the command sees Escape) and is rethrown by `check`.
 */
export function answerPrompts(answer: (prompt: Prompt, index: number) => Promise<void>) {
  const seen: SeenPrompt[] = [];
  const errors: unknown[] = [];
  (globalThis as Record<symbol, unknown>)[HOOK] = (input: Prompt, type?: (value: string) => void) => {
    if (type) typers.set(input, type);
    const index =
      seen.push({
        title: input.title,
        step: input.step,
        totalSteps: input.totalSteps,
        back: input.buttons.includes(vscode.QuickInputButtons.Back),
        value: isPick(input) ? input.activeItems[0]?.label : input.value,
      }) - 1;
    void (async () => {
      await new Promise((r) => setTimeout(r, 100)); // the workbench draws it first
      await answer(input, index);
    })().catch((e) => {
      errors.push(e);
      input.hide();
    });
  };
  return {
    seen,
    check: () => {
      if (errors.length) throw errors[0];
    },
    dispose: () => delete (globalThis as Record<symbol, unknown>)[HOOK],
  };
}

export const isPick = (p: Prompt): p is vscode.QuickPick<vscode.QuickPickItem> => 'items' in p;

/** How each input box of the extension is typed into (a value set from this side is not echoed back as a change). */
const typers = new WeakMap<object, (value: string) => void>();

/** Types `value` into an input box: the box shows it and the extension validates it, as on a keystroke. */
export async function typeInto(box: vscode.InputBox, value: string): Promise<void> {
  const type = typers.get(box);
  if (type) type(value);
  else box.value = value;
  await new Promise((r) => setTimeout(r, 150)); // the workbench gets the value before Enter
}

/** Enter: accepts the open prompt, as the workbench does. */
export async function accept(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
}

/** Back: the workbench's own command (the keybinding of the Back button), which the prompt sees as its Back button. */
export async function back(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.quickInputBack');
}

/** Picks the item whose label matches and accepts it. */
export async function pick(qp: vscode.QuickPick<vscode.QuickPickItem>, label: RegExp): Promise<void> {
  await waitFor(() => qp.items.some((i) => label.test(i.label)), `an item ${label}`);
  qp.activeItems = qp.items.filter((i) => label.test(i.label)).slice(0, 1);
  await new Promise((r) => setTimeout(r, 300));
  await accept();
}

/** The message an input box shows now, and whether it is a warning (accepted) or an error (refused). */
export function validationOf(box: vscode.InputBox): { message: string; severity: 'warning' | 'error' | 'info' } | undefined {
  const m = box.validationMessage;
  if (m === undefined || m === '') return undefined;
  if (typeof m === 'string') return { message: m, severity: 'error' };
  const severity =
    m.severity === vscode.InputBoxValidationSeverity.Warning
      ? 'warning'
      : m.severity === vscode.InputBoxValidationSeverity.Error
        ? 'error'
        : 'info';
  return { message: m.message, severity };
}
