// What the editor says about a project's "fields" in vbot-types.json (API v3), against the choice lists as last
// read from the server (fields/fieldStore.ts; Plan reads them afresh): the counts of the project's CodeLens, and
// the option code under the cursor for the hover. Apart from fileAnalysis.ts, so reading the file while it is
// typed costs what it did; the counts are the planner's own (fieldPlanner.ts). Pure: no I/O, no vscode.
import { findNodeAtLocation, type Node } from 'jsonc-parser';
import type { StoredList, StoredProject } from '../fields/fieldStore';
import type { FieldOption } from '../fields/model';
import { planField } from './fieldPlanner';
import type { FileAnalysis, ProjectInFile } from './fileAnalysisParts';
import type { DesiredProject } from './format';

export interface FieldCounts {
  create: number;
  edit: number;
  changeCode: number;
  delete: number;
  /** Listed options as the stored list has them. */
  unchanged: number;
  /** Options of the stored lists the file does not list (left alone): the drift. */
  notInFile: number;
  /** Declared fields whose list was never read: nothing can be said of them. */
  unread: number;
  /** Declared fields the planner leaves out (no such choice field, groups in a field without them…). */
  leftOut: number;
}

/** The plan of the project's declared fields against the stored lists; undefined when it declares none. */
export function fieldCounts(project: DesiredProject, stored: StoredProject | undefined): FieldCounts | undefined {
  if (!project.fields?.length) return undefined;
  const counts: FieldCounts = { create: 0, edit: 0, changeCode: 0, delete: 0, unchanged: 0, notInFile: 0, unread: 0, leftOut: 0 };
  const where = { vbotId: project.vbotId, projectCode: project.projectCode };
  for (const declared of project.fields) {
    const fields = stored?.fields;
    const field = fields?.items.find((f) => f.code === declared.fieldCode);
    const options = stored?.options[declared.fieldCode];
    // A field missing from a list read in full is no choice field (the planner says so); otherwise it is unread.
    if (!fields || (field ? !options : !fields.complete)) {
      counts.unread++;
      continue;
    }
    const plan = planField(where, declared, field, options?.items ?? []);
    if (plan.problems.length) counts.leftOut++;
    for (const item of plan.items) {
      if (item.op === 'createOption') counts.create++;
      else if (item.op === 'updateOption') counts.edit++;
      else if (item.op === 'changeOptionCode') counts.changeCode++;
      else counts.delete++;
    }
    counts.unchanged += plan.unchanged;
    counts.notInFile += plan.notInFile.length;
  }
  return counts;
}

/** An option code in a project's "fields" (an option's code, one of its previous codes, or its group). */
export interface OptionHit {
  readonly project: ProjectInFile;
  readonly fieldCode: string;
  readonly code: string;
}

const stringValue = (node: Node | undefined) => (node?.type === 'string' ? String(node.value).trim() : '');

/** The option code at `offset`, with its field and project, for the hover. */
export function optionAt(analysis: FileAnalysis, offset: number): OptionHit | undefined {
  const project = analysis.projects.find((p) => offset >= p.offset && offset <= p.offset + p.length);
  const found = project && analysis.locate.node(['projects', project.index]);
  if (!project || !found?.node) return undefined;
  const at = offset - found.shift;
  const inside = (n: Node | undefined) => n !== undefined && at >= n.offset && at <= n.offset + n.length;
  const fields = findNodeAtLocation(found.node, ['fields']);
  const property = fields?.type === 'object' ? fields.children?.find(inside) : undefined;
  const [key, value] = property?.children ?? [];
  const options = value && findNodeAtLocation(value, ['options'])?.children;
  const option = options?.find(inside);
  if (!key || !option) return undefined;
  const codes = [
    findNodeAtLocation(option, ['code']),
    findNodeAtLocation(option, ['group']),
    ...(findNodeAtLocation(option, ['previousCodes'])?.children ?? []),
  ];
  const hit = codes.find((c) => c?.type === 'string' && inside(c));
  return hit ? { project, fieldCode: stringValue(key), code: stringValue(hit) } : undefined;
}

/** What the stored list of a field says of a code: undefined when the list was never read. */
export function storedOption(
  stored: StoredProject | undefined,
  fieldCode: string,
  code: string,
): { list: StoredList<FieldOption>; option?: FieldOption; group?: FieldOption } | undefined {
  const list = stored?.options[fieldCode];
  if (!list) return undefined;
  const option = list.items.find((o) => o.code === code);
  const group = option?.groupCode ? list.items.find((o) => o.code === option.groupCode && o.type === 'OPTGROUP') : undefined;
  return { list, option, group };
}
