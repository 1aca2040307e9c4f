// Quick inputs for the multi-step flows: a title with the step count, a placeholder, validation shown inline
// while the user types, and Back from a flow's second prompt on (src/vscode/promptFlow.ts). Escape cancels the
// whole flow (undefined).
import * as vscode from 'vscode';
import type { CacheSnapshot } from '../core/cache/snapshot';
import { countTypes } from './messages';
import { escapeIcons } from '../core/outsideText';
import { label } from './say';
import { type Answer, BACK, type FlowInput, type FlowPrompt, type Step, askInStep, outsideFlow } from './promptFlow';

export type { Step } from './promptFlow';

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

/**
 * Back keeps what was typed in a question, named by its placeholder, else its prompt: the Add Type code box
 * ("e.g. VIP") keeps the code when another project is picked; a rename of another type asks another question.
 */
export function inputText(p: TextPrompt): Promise<string | undefined> {
  return askInStep(p, `text:${p.placeholder || p.prompt}`, (flow) => showInputText(p, flow));
}

function showInputText(p: TextPrompt, flow: FlowPrompt): Promise<Answer<string>> {
  const box = vscode.window.createInputBox();
  // The prompt and messages may quote values (a code, a project): the input box would draw their `$(name)` as icons.
  const validate = (value: string) => {
    const m = p.validate(value);
    return m === undefined ? undefined : escapeIcons(m);
  };
  const value = flow.kept ?? p.value ?? '';
  Object.assign(box, {
    title: p.title,
    step: p.step,
    totalSteps: p.totalSteps,
    prompt: escapeIcons(p.prompt),
    placeholder: p.placeholder ?? '',
    value,
    password: !!p.password,
    ignoreFocusOut: true,
  });
  if (value) box.valueSelection = [0, value.length];
  const changed = (v: string) => {
    const error = v === '' ? undefined : validate(v);
    const warning = error || v === '' ? undefined : p.warn?.(v);
    box.validationMessage =
      error ?? (warning ? { message: escapeIcons(warning), severity: vscode.InputBoxValidationSeverity.Warning } : undefined);
  };
  box.onDidChangeValue(changed);
  if (flow.kept !== undefined) changed(value);
  const accept = (settle: (value: string) => void) => {
    const message = validate(box.value);
    if (message) box.validationMessage = message;
    else settle(box.value.trim());
  };
  const type = (v: string) => {
    box.value = v;
    changed(v);
  };
  return settleInFlow<string>(box, accept, { flow, draft: () => box.value, type });
}

/**
 * Shows a quick input until `accept` settles it with a value, or the user hides it (undefined);
 * then disposes it. `accept` runs on each Enter and may leave it open (nothing valid chosen yet).
 */
export function untilSettled<T>(
  input: FlowInput,
  accept: (settle: (value: T) => void) => void,
  typeForTests?: (value: string) => void,
): Promise<T | undefined> {
  return settleInFlow<T>(input, accept, { flow: outsideFlow, type: typeForTests }).then((a) => (a === BACK ? undefined : a));
}

interface InFlow<T> {
  flow: FlowPrompt;
  /** What is typed: Back keeps it. */
  draft?: () => string;
  /** Names an answer for the flow to keep (the prompt reopens with it); by default the answer itself. */
  keepOf?: (value: T) => string;
  type?: (value: string) => void;
}

/** `untilSettled` for a prompt of a flow: with Back when the flow says so; keeps what it settles with. */
function settleInFlow<T>(input: FlowInput, accept: (settle: (value: T) => void) => void, o: InFlow<T>): Promise<Answer<T>> {
  const { flow, draft, keepOf = String } = o;
  return new Promise((resolve) => {
    let done = false;
    const finish = (value: Answer<T>) => {
      if (done) return;
      done = true;
      resolve(value);
      input.dispose();
    };
    if (flow.back) {
      input.buttons = [vscode.QuickInputButtons.Back];
      input.onDidTriggerButton((b) => {
        if (b !== vscode.QuickInputButtons.Back) return;
        if (draft) flow.keep(draft());
        finish(BACK);
      });
    }
    input.onDidAccept(() =>
      accept((value) => {
        flow.keep(keepOf(value));
        finish(value);
      }),
    );
    input.onDidHide(() => finish(undefined));
    input.show();
    shownForTests(input, o.type);
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
  return askInStep(step, 'project', (flow) => showProjectPick(step, snapshot, options, flow));
}

function showProjectPick(
  step: Step,
  snapshot: CacheSnapshot,
  options: { vbotId?: string; allowNew: boolean; defaultVbotId: string; validateNew: (code: string) => string | undefined },
  flow: FlowPrompt,
): Promise<Answer<PickedProject>> {
  const existing = projectItems(snapshot, options.vbotId);
  const qp = vscode.window.createQuickPick<ProjectItem>();
  Object.assign(qp, { title: step.title, step: step.step, totalSteps: step.totalSteps, ignoreFocusOut: true, matchOnDescription: true });
  qp.placeholder = options.allowNew ? vscode.l10n.t('Pick a project, or type a new project code') : vscode.l10n.t('Pick a project');
  qp.items = existing;
  const newVbotId = options.vbotId ?? options.defaultVbotId;
  const changed = (value: string) => {
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
  };
  qp.onDidChangeValue(changed);
  const keepOf = (p: { vbotId: string; projectCode: string }) => JSON.stringify([p.vbotId, p.projectCode]);
  // Back to this step: the project picked before is the active item, or the new code typed before is typed again.
  const before = flow.kept === undefined ? undefined : existing.find((i) => i.project && keepOf(i.project) === flow.kept);
  if (before) qp.activeItems = [before];
  else if (flow.kept) {
    qp.value = (JSON.parse(flow.kept) as string[])[1];
    changed(qp.value);
  }
  const accept = (settle: (value: PickedProject) => void) => {
    const item = qp.selectedItems[0];
    if (item?.project) settle({ ...item.project, isNew: !existing.includes(item) });
  };
  return settleInFlow<PickedProject>(qp, accept, { flow, keepOf });
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
  const placeholder = items.length ? vscode.l10n.t('Pick a customer type') : vscode.l10n.t('This project has no customer types yet');
  const picked = pickOne(step, `type:${JSON.stringify([vbotId, projectCode])}`, placeholder, items, (i) => i.typeNo);
  return picked.then((item) => item && { typeNo: item.typeNo, typeName: item.typeName });
}

/** Picks one of fixed items (`id` names each, for Back to show the one picked before). */
export function pickOne<I extends vscode.QuickPickItem>(
  step: Step,
  key: string,
  placeholder: string,
  items: I[],
  id: (item: I) => string,
): Promise<I | undefined> {
  return askInStep(step, key, (flow) => {
    const qp = vscode.window.createQuickPick<I>();
    Object.assign(qp, {
      title: step.title,
      step: step.step,
      totalSteps: step.totalSteps,
      ignoreFocusOut: true,
      matchOnDescription: true,
      placeholder,
      items,
    });
    const before = items.find((i) => id(i) === flow.kept);
    if (before) qp.activeItems = [before];
    return settleInFlow<I>(
      qp,
      (settle) => {
        if (qp.selectedItems[0]) settle(qp.selectedItems[0]);
      },
      { flow, keepOf: id },
    );
  });
}
