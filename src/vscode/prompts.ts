// Quick inputs for the multi-step flows: a title with the step count, a placeholder, and
// validation shown inline while the user types. Escape cancels the whole flow (undefined).
import * as vscode from 'vscode';
import type { CacheSnapshot } from '../core/customerTypeCache';
import { countTypes } from './messages';

export interface Step { title: string; step: number; totalSteps: number }

export interface TextPrompt extends Step {
  prompt: string;
  placeholder?: string;
  value?: string;
  password?: boolean;
  /** Returns a message when the value cannot be accepted. */
  validate: (value: string) => string | undefined;
}

export function inputText(p: TextPrompt): Promise<string | undefined> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    Object.assign(box, { title: p.title, step: p.step, totalSteps: p.totalSteps, prompt: p.prompt, placeholder: p.placeholder ?? '', value: p.value ?? '', password: !!p.password, ignoreFocusOut: true });
    if (p.value) box.valueSelection = [0, p.value.length];
    let done = false;
    const finish = (value: string | undefined) => {
      if (done) return;
      done = true;
      resolve(value);
      box.dispose();
    };
    box.onDidChangeValue((v) => { box.validationMessage = v === '' ? undefined : p.validate(v); });
    box.onDidAccept(() => {
      const message = p.validate(box.value);
      if (message) {
        box.validationMessage = message;
        return;
      }
      finish(box.value.trim());
    });
    box.onDidHide(() => finish(undefined));
    box.show();
  });
}

export interface PickedProject { vbotId: string; projectCode: string; isNew: boolean }

interface ProjectItem extends vscode.QuickPickItem { project?: { vbotId: string; projectCode: string } }

/**
 * Picks a cached project, or accepts a typed code as a new project of the default VBotID.
 * `allowNew` is false for flows that need an existing project (edit, delete).
 */
export function pickProject(
  step: Step,
  snapshot: CacheSnapshot,
  options: { vbotId?: string; allowNew: boolean; defaultVbotId: string; validateNew: (code: string) => string | undefined },
): Promise<PickedProject | undefined> {
  const projects = snapshot.projects().filter((p) => !options.vbotId || p.vbotId === options.vbotId);
  const existing: ProjectItem[] = projects.map((p) => ({
    label: p.projectCode,
    description: p.vbotId,
    detail: countTypes(p.types.length),
    project: { vbotId: p.vbotId, projectCode: p.projectCode },
  }));
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<ProjectItem>();
    Object.assign(qp, { title: step.title, step: step.step, totalSteps: step.totalSteps, ignoreFocusOut: true, matchOnDescription: true });
    qp.placeholder = options.allowNew ? vscode.l10n.t('Pick a project, or type a new project code') : vscode.l10n.t('Pick a project');
    qp.items = existing;
    const newVbotId = options.vbotId ?? options.defaultVbotId;
    qp.onDidChangeValue((value) => {
      const code = value.trim();
      const known = existing.some((i) => i.label === code && (i.description === newVbotId || !newVbotId));
      if (!options.allowNew || !code || known) {
        qp.items = existing;
        return;
      }
      const problem = options.validateNew(code);
      const typed: ProjectItem = problem
        ? { label: code, description: problem, alwaysShow: true }
        : { label: code, description: vscode.l10n.t('New project'), alwaysShow: true, project: { vbotId: newVbotId, projectCode: code } };
      qp.items = [typed, ...existing];
    });
    let done = false;
    const finish = (value: PickedProject | undefined) => {
      if (done) return;
      done = true;
      resolve(value);
      qp.dispose();
    };
    qp.onDidAccept(() => {
      const item = qp.selectedItems[0];
      if (!item?.project) return;
      const isNew = !existing.includes(item);
      finish({ ...item.project, isNew });
    });
    qp.onDidHide(() => finish(undefined));
    qp.show();
  });
}

interface TypeItem extends vscode.QuickPickItem { typeNo: string; typeName: string }

export function pickType(step: Step, snapshot: CacheSnapshot, vbotId: string, projectCode: string): Promise<{ typeNo: string; typeName: string } | undefined> {
  const project = snapshot.project(vbotId, projectCode);
  const items: TypeItem[] = (project?.types ?? []).map((t) => ({ label: t.typeName, description: t.typeNo, typeNo: t.typeNo, typeName: t.typeName }));
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<TypeItem>();
    Object.assign(qp, { title: step.title, step: step.step, totalSteps: step.totalSteps, ignoreFocusOut: true, matchOnDescription: true, items });
    qp.placeholder = items.length ? vscode.l10n.t('Pick a customer type') : vscode.l10n.t('This project has no customer types yet');
    let done = false;
    const finish = (value: { typeNo: string; typeName: string } | undefined) => {
      if (done) return;
      done = true;
      resolve(value);
      qp.dispose();
    };
    qp.onDidAccept(() => {
      const item = qp.selectedItems[0];
      if (item) finish({ typeNo: item.typeNo, typeName: item.typeName });
    });
    qp.onDidHide(() => finish(undefined));
    qp.show();
  });
}
