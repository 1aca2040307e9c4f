// Quick inputs for the multi-step flows: a title with the step count, a placeholder, and
// validation shown inline while the user types. Escape cancels the whole flow (undefined).
import * as vscode from 'vscode';
import type { CacheSnapshot } from '../core/cache/snapshot';
import { countTypes } from './messages';
import { escapeIcons } from '../core/outsideText';
import { label } from './say';

export interface Step {
  title: string;
  step: number;
  totalSteps: number;
}

export interface TextPrompt extends Step {
  prompt: string;
  placeholder?: string;
  value?: string;
  password?: boolean;
  /** Returns a message when the value cannot be accepted. */
  validate: (value: string) => string | undefined;
  /** Returns a warning shown while typing (the value is still accepted). */
  warn?: (value: string) => string | undefined;
}

export function inputText(p: TextPrompt): Promise<string | undefined> {
  const box = vscode.window.createInputBox();
  // The prompt and messages may quote values (a code, a project): the input box would draw their `$(name)` as icons.
  const validate = (value: string) => {
    const m = p.validate(value);
    return m === undefined ? undefined : escapeIcons(m);
  };
  Object.assign(box, {
    title: p.title,
    step: p.step,
    totalSteps: p.totalSteps,
    prompt: escapeIcons(p.prompt),
    placeholder: p.placeholder ?? '',
    value: p.value ?? '',
    password: !!p.password,
    ignoreFocusOut: true,
  });
  if (p.value) box.valueSelection = [0, p.value.length];
  const changed = (v: string) => {
    const error = v === '' ? undefined : validate(v);
    const warning = error || v === '' ? undefined : p.warn?.(v);
    box.validationMessage =
      error ?? (warning ? { message: escapeIcons(warning), severity: vscode.InputBoxValidationSeverity.Warning } : undefined);
  };
  box.onDidChangeValue(changed);
  return untilSettled<string>(
    box,
    (settle) => {
      const message = validate(box.value);
      if (message) box.validationMessage = message;
      else settle(box.value.trim());
    },
    (v) => {
      box.value = v;
      changed(v);
    },
  );
}

/**
 * Shows a quick input until `accept` settles it with a value, or the user hides it (undefined);
 * then disposes it. `accept` runs on each Enter and may leave it open (nothing valid chosen yet).
 */
export function untilSettled<T>(
  input: vscode.QuickInput & { onDidAccept: vscode.Event<void> },
  accept: (settle: (value: T) => void) => void,
  typeForTests?: (value: string) => void,
): Promise<T | undefined> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (value: T | undefined) => {
      if (done) return;
      done = true;
      resolve(value);
      input.dispose();
    };
    input.onDidAccept(() => accept(finish));
    input.onDidHide(() => finish(undefined));
    input.show();
    shownForTests(input, typeForTests);
  });
}

/**
 * The host tests see each prompt as it opens (its title, step, validation) and answer it. They are bundled
 * apart from the extension, hence a global; it is read only when the tests turned the hooks on. A value set
 * from the extension's side is not echoed back as a change, so `type` also runs what typing it would.
 */
function shownForTests(input: vscode.QuickInput, type?: (value: string) => void): void {
  if (process.env.VBOT_CRM_TEST_HOOKS !== '1') return;
  const hook = (globalThis as Record<symbol, unknown>)[Symbol.for('vbotCrm.promptShown')];
  if (typeof hook === 'function') hook(input, type);
}

export interface PickedProject {
  vbotId: string;
  projectCode: string;
  isNew: boolean;
}

interface ProjectItem extends vscode.QuickPickItem {
  project?: { vbotId: string; projectCode: string };
}

/**
 * Picks a cached project, or accepts a typed code as a new project of the default VBotID.
 * `allowNew` is false for flows that need an existing project (edit, delete).
 */
export function pickProject(
  step: Step,
  snapshot: CacheSnapshot,
  options: { vbotId?: string; allowNew: boolean; defaultVbotId: string; validateNew: (code: string) => string | undefined },
): Promise<PickedProject | undefined> {
  const existing = projectItems(snapshot, options.vbotId);
  const qp = vscode.window.createQuickPick<ProjectItem>();
  Object.assign(qp, { title: step.title, step: step.step, totalSteps: step.totalSteps, ignoreFocusOut: true, matchOnDescription: true });
  qp.placeholder = options.allowNew ? vscode.l10n.t('Pick a project, or type a new project code') : vscode.l10n.t('Pick a project');
  qp.items = existing;
  const newVbotId = options.vbotId ?? options.defaultVbotId;
  qp.onDidChangeValue((value) => {
    const code = value.trim();
    const known = existing.some((i) => i.project?.projectCode === code && (i.project.vbotId === newVbotId || !newVbotId));
    if (!options.allowNew || !code || known) {
      qp.items = existing;
      return;
    }
    const problem = options.validateNew(code);
    const typed: ProjectItem = problem
      ? { label: label(code), description: problem, alwaysShow: true }
      : {
          label: label(code),
          description: vscode.l10n.t('New project'),
          alwaysShow: true,
          project: { vbotId: newVbotId, projectCode: code },
        };
    qp.items = [typed, ...existing];
  });
  return untilSettled<PickedProject>(qp, (settle) => {
    const item = qp.selectedItems[0];
    if (item?.project) settle({ ...item.project, isNew: !existing.includes(item) });
  });
}

/** The cached projects (of one VBotID when given) as quick pick items. */
export function projectItems(snapshot: CacheSnapshot, vbotId?: string): ProjectItem[] {
  return snapshot
    .projects()
    .filter((p) => !vbotId || p.vbotId === vbotId)
    .map((p) => ({
      label: label(p.projectCode),
      description: label(p.vbotId),
      detail: countTypes(p.types.length),
      project: { vbotId: p.vbotId, projectCode: p.projectCode },
    }));
}

interface TypeItem extends vscode.QuickPickItem {
  typeNo: string;
  typeName: string;
}

/** The cached types of a project as quick pick items: the name, then the code. */
export function typeItems(snapshot: CacheSnapshot, vbotId: string, projectCode: string): TypeItem[] {
  return (snapshot.project(vbotId, projectCode)?.types ?? []).map((t) => ({
    label: label(t.typeName),
    description: label(t.typeNo),
    typeNo: t.typeNo,
    typeName: t.typeName,
  }));
}

export function pickType(
  step: Step,
  snapshot: CacheSnapshot,
  vbotId: string,
  projectCode: string,
): Promise<{ typeNo: string; typeName: string } | undefined> {
  const items = typeItems(snapshot, vbotId, projectCode);
  const qp = vscode.window.createQuickPick<TypeItem>();
  Object.assign(qp, {
    title: step.title,
    step: step.step,
    totalSteps: step.totalSteps,
    ignoreFocusOut: true,
    matchOnDescription: true,
    items,
  });
  qp.placeholder = items.length ? vscode.l10n.t('Pick a customer type') : vscode.l10n.t('This project has no customer types yet');
  return untilSettled<{ typeNo: string; typeName: string }>(qp, (settle) => {
    const item = qp.selectedItems[0];
    if (item) settle({ typeNo: item.typeNo, typeName: item.typeName });
  });
}
