// The plan of one declared choice list (a project's "fields" in vbot-types.json) against the server's own list,
// read with the fields API: unlike customer types, what is compared is what VBot really has, so options made
// in the web console show up (drift: "on the server, not in the file"). Each item is an OptionChange
// (change/optionChange.ts) with an id and, when another item must succeed first, that item's id. Pure: no I/O,
// no vscode; nothing is sent while planning.
//
// Matching is the types' (planner.ts): a listed code on the server is that option; a listed code that is not
// takes the first of its previousCodes on the server (one changeOptionCode, chains in a workable order), else it
// is added. An option keeps its type (OPTION or OPTGROUP: the API cannot change it).
//
// Order: the array is the display order. Walking it, an option keeps its `number` when it is greater than the
// number before it, else (a new option too) it gets that number + 1; so a list already in order is left as it
// is, and planning again after Apply gives no items. Options not in the file keep theirs.
import {
  type OptionChange,
  changeOptionCodeChange,
  createOptionChange,
  deleteOptionChange,
  optionCode,
  updateOptionChange,
} from '../change/optionChange';
import type { ChoiceField, FieldOption } from '../fields/model';
import type { DesiredField, DesiredOption } from './format';

export type FieldPlanItem = OptionChange & { readonly id: string; readonly dependsOn?: string };

export interface FieldPlan {
  readonly vbotId: string;
  readonly projectCode: string;
  readonly fieldCode: string;
  /** In the order to apply them: code changes, creates (groups first), edits, deletes (groups last). */
  readonly items: ReadonlyArray<FieldPlanItem>;
  /** Listed options the server has exactly as the file says. */
  readonly unchanged: number;
  /** Options on the server that the file does not list, left alone (deleteUnlisted is off): the drift. */
  readonly notInFile: ReadonlyArray<FieldOption>;
  /** What the file asks for but the plan leaves out, and why (English, prefixed with the field). */
  readonly problems: ReadonlyArray<string>;
}

type Where = { vbotId: string; projectCode: string };

/** `op:vbotId/projectCode/field/code` (a code change: `…/OLD>NEW`), each part URI-encoded. */
function itemId(change: OptionChange): string {
  const enc = encodeURIComponent;
  const codes = change.op === 'changeOptionCode' ? [change.before!.code, change.after!.code] : [optionCode(change)];
  return `${change.op}:${enc(change.vbotId)}/${enc(change.projectCode)}/${enc(change.fieldCode)}/${codes.map(enc).join('>')}`;
}

function item(change: OptionChange, dependsOn?: string): FieldPlanItem {
  return { ...change, id: itemId(change), ...(dependsOn !== undefined ? { dependsOn } : {}) };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Compares the field's declared list with the server's. `field`: the server's choice field, undefined when it has none of that code. */
export function planField(
  where: Where,
  declared: DesiredField,
  field: ChoiceField | undefined,
  server: ReadonlyArray<FieldOption>,
): FieldPlan {
  const at = `${where.projectCode}, field ${declared.fieldCode}`;
  const empty = { vbotId: where.vbotId, projectCode: where.projectCode, fieldCode: declared.fieldCode, items: [], unchanged: 0 };
  if (!field)
    return { ...empty, notInFile: [], problems: [`${at}: the server has no choice field (SELECT, CHECKBOX, RADIO) with this code.`] };
  if (field.type !== 'SELECT' && declared.options.some((o) => o.type === 'OPTGROUP' || o.group !== null)) {
    return {
      ...empty,
      notInFile: [],
      problems: [`${at}: groups are only for SELECT fields, and this field is a ${field.type}; nothing is planned for it.`],
    };
  }
  return new FieldPlanning(where, declared, server, at).plan();
}

class FieldPlanning {
  private readonly onServer: Map<string, FieldOption>;
  private readonly listed = new Map<string, DesiredOption>();
  /** Previous code → the listed option that lists it. */
  private readonly claimant = new Map<string, DesiredOption>();
  /** For each listed option matched on the server: the server's option (under its old code when it moves). */
  private readonly source = new Map<DesiredOption, FieldOption>();
  /** The item that gives a listed option its code (its create or code change). */
  private readonly madeBy = new Map<string, string>();
  private readonly moved = new Set<string>();
  private readonly changeCodes: FieldPlanItem[] = [];
  private readonly problems: string[] = [];

  constructor(
    private readonly where: Where,
    private readonly declared: DesiredField,
    private readonly server: ReadonlyArray<FieldOption>,
    private readonly at: string,
  ) {
    this.onServer = new Map(server.map((o) => [o.code, o] as const));
    for (const o of declared.options) this.listed.set(o.code, o);
    for (const o of declared.options) for (const c of o.previousCodes) if (!this.claimant.has(c)) this.claimant.set(c, o);
  }

  plan(): FieldPlan {
    const skipped = this.match();
    const field = this.declared.fieldCode;
    const creates: FieldPlanItem[] = [];
    const edits: FieldPlanItem[] = [];
    let unchanged = 0;
    // The options to add, known before the walk: an option may come before the new group it goes in.
    for (const wanted of this.declared.options) {
      if (!skipped.has(wanted) && !this.source.has(wanted))
        this.madeBy.set(wanted.code, itemId(createOptionChange(this.where, field, { ...optionOf(wanted), number: 0 })));
    }
    let before = -Infinity;
    for (const wanted of this.declared.options) {
      if (skipped.has(wanted)) continue;
      const current = this.source.get(wanted);
      const number = current && current.number > before ? current.number : before === -Infinity ? 1 : before + 1;
      before = number;
      const after: FieldOption = { ...optionOf(wanted), number };
      const group = wanted.group !== null ? this.madeBy.get(wanted.group) : undefined;
      if (!current) {
        creates.push(item(createOptionChange(this.where, field, after), group));
        continue;
      }
      const moved = current.code !== wanted.code ? { ...current, code: wanted.code } : current;
      if (sameParts(moved, after)) {
        if (moved === current) unchanged++;
        continue;
      }
      edits.push(item(updateOptionChange(this.where, field, moved, after), group ?? this.madeBy.get(wanted.code)));
    }
    // Groups are made before the options that go in them.
    creates.sort((a, b) => Number(a.after!.type !== 'OPTGROUP') - Number(b.after!.type !== 'OPTGROUP'));
    const { deletes, notInFile } = this.unlisted();
    const items = [...this.changeCodes, ...creates, ...edits, ...deletes];
    return { ...this.where, fieldCode: field, items, unchanged, notInFile, problems: this.problems };
  }

  /** Pairs listed options with the server's (codes changed by previousCodes); the listed ones left alone. */
  private match(): Set<DesiredOption> {
    const skipped = new Set<DesiredOption>();
    const handled = new Set<DesiredOption>();
    const starts = [...this.listed.values()].filter((o) => !this.onServer.has(o.code)).sort((a, b) => compare(a.code, b.code));
    for (const start of starts) {
      let wanted: DesiredOption | undefined = start;
      let dependsOn: string | undefined;
      while (wanted && !handled.has(wanted)) {
        handled.add(wanted);
        const current: DesiredOption = wanted;
        const from = current.previousCodes.find((c) => this.onServer.has(c) && !this.moved.has(c));
        if (from === undefined) break; // a create (plan() makes it, in file order)
        const old = this.onServer.get(from)!;
        if (old.type !== current.type) {
          this.wrongType(current, old, skipped);
          break;
        }
        const change = item(changeOptionCodeChange(this.where, this.declared.fieldCode, old, current.code), dependsOn);
        this.changeCodes.push(change);
        this.madeBy.set(current.code, change.id);
        this.moved.add(from);
        this.source.set(current, old);
        dependsOn = change.id;
        wanted = this.listed.get(from); // the listed option that had `from` loses it
      }
    }
    for (const wanted of this.listed.values()) {
      if (handled.has(wanted)) continue;
      const old = this.onServer.get(wanted.code)!;
      if (old.type !== wanted.type) this.wrongType(wanted, old, skipped);
      else this.source.set(wanted, old);
    }
    return skipped;
  }

  private wrongType(wanted: DesiredOption, old: FieldOption, skipped: Set<DesiredOption>): void {
    const kind = (t: string) => (t === 'OPTGROUP' ? 'a group' : 'an option');
    this.problems.push(
      `${this.at}: "${old.code}" is ${kind(old.type)} on the server and ${kind(wanted.type)} in the file ("${wanted.code}"); ` +
        'the type cannot change, so it is left as it is.',
    );
    skipped.add(wanted);
  }

  /** The server's options the file does not name: deleted with deleteUnlisted (options before groups), else drift. */
  private unlisted(): { deletes: FieldPlanItem[]; notInFile: FieldOption[] } {
    const deletes: FieldPlanItem[] = [];
    const notInFile: FieldOption[] = [];
    for (const old of this.server) {
      if (this.listed.has(old.code) || this.moved.has(old.code)) continue;
      const claimedBy = this.claimant.get(old.code);
      if (claimedBy) {
        const notDeleted = this.declared.deleteUnlisted ? ' (and not deleted)' : '';
        this.problems.push(
          `${this.at}: "${old.code}" is a previous code of "${claimedBy.code}", but both codes exist, so "${old.code}" is left as it is${notDeleted}.`,
        );
        continue;
      }
      if (this.declared.deleteUnlisted) deletes.push(item(deleteOptionChange(this.where, this.declared.fieldCode, old)));
      else notInFile.push(old);
    }
    const rank = (i: FieldPlanItem) => Number(i.before!.type === 'OPTGROUP');
    deletes.sort((a, b) => rank(a) - rank(b) || compare(a.before!.code, b.before!.code));
    return { deletes, notInFile };
  }
}

function optionOf(o: DesiredOption): Omit<FieldOption, 'number'> {
  return { code: o.code, name: o.name, type: o.type, groupCode: o.group, color: o.color, textColor: o.textColor };
}

/** The parts an edit sends, compared as the server keeps them (colours in any case). */
function sameParts(a: FieldOption, b: FieldOption): boolean {
  const colour = (c: string | null) => (c ?? '').toUpperCase();
  return (
    a.name === b.name &&
    (a.groupCode ?? null) === (b.groupCode ?? null) &&
    colour(a.color) === colour(b.color) &&
    colour(a.textColor) === colour(b.textColor) &&
    a.number === b.number
  );
}

/** Which parts of an option an edit changes, for the texts: name, colours, order, group. */
export function editedParts(before: FieldOption, after: FieldOption): Array<'name' | 'colour' | 'order' | 'group'> {
  const colour = (c: string | null) => (c ?? '').toUpperCase();
  const parts: Array<'name' | 'colour' | 'order' | 'group'> = [];
  if (before.name !== after.name) parts.push('name');
  if (colour(before.color) !== colour(after.color) || colour(before.textColor) !== colour(after.textColor)) parts.push('colour');
  if (before.number !== after.number) parts.push('order');
  if ((before.groupCode ?? null) !== (after.groupCode ?? null)) parts.push('group');
  return parts;
}
