// The "fields" of a project in a written vbot-types.json (the export, the diff's left side): the choice lists as
// last read from the server (fields/fieldStore.ts, what the fields tree shows), in the shape parseFields.ts reads,
// so that planning the written file against the same lists (fieldPlanner.ts) gives no items. Pure: no I/O, no vscode.
//
// What makes that hold: options in display order (by `number`; the planner keeps a number that grows along the
// list), colours as #RRGGBB, a text colour written only when it is not the one the reader would pick, a group
// only when the list has it. (Two options with the same number cannot be written in an order the planner keeps.)
import type { StoredList, StoredProject } from '../fields/fieldStore';
import { type FieldOption, hexColour, inNumberOrder, textColourFor } from '../fields/model';

/** One field's list as it is written. */
export interface FieldToWrite {
  readonly fieldCode: string;
  /** As read; written in display order. */
  readonly options: ReadonlyArray<FieldOption>;
  /** When that list was read (ISO). */
  readonly readAt: string;
}

/** Older than this, an export says when its lists were read. */
export const STALE_READ_MS = 60 * 60 * 1000;

/**
 * The fields to write for a project: each stored choice field whose options were read, in the fields' display
 * order, or (`only`: a file's declared field codes) those fields in that order. Undefined when there is none.
 */
export function fieldsToWrite(stored: StoredProject | undefined, only?: ReadonlyArray<string>): FieldToWrite[] | undefined {
  const fields = stored?.fields?.items;
  if (!stored || !fields) return undefined;
  const codes = only ?? inNumberOrder(fields).map((f) => f.code);
  const known = new Set(fields.map((f) => f.code));
  const written = codes.flatMap((fieldCode) => {
    const list: StoredList<FieldOption> | undefined = known.has(fieldCode) ? stored.options[fieldCode] : undefined;
    return list ? [{ fieldCode, options: list.items, readAt: list.readAt }] : [];
  });
  return written.length ? written : undefined;
}

/** The oldest read of the lists written (ISO), when it is older than STALE_READ_MS at `now`. */
export function staleRead(fields: ReadonlyArray<FieldToWrite>, now: Date): string | undefined {
  const oldest = fields.map((f) => f.readAt).sort()[0];
  return oldest !== undefined && now.getTime() - Date.parse(oldest) > STALE_READ_MS ? oldest : undefined;
}

/** `"fields": { … }` of a project, indented by `indent`, one option a line (a change is a one-line diff). */
export function fieldsLines(fields: ReadonlyArray<FieldToWrite>, indent: string): string[] {
  const i1 = indent + '  ';
  const i2 = i1 + '  ';
  const lines = [`${indent}"fields": {`];
  fields.forEach((field, index) => {
    const options = inNumberOrder(field.options);
    const groups = new Set(options.filter((o) => o.type === 'OPTGROUP').map((o) => o.code));
    lines.push(`${i1}${JSON.stringify(field.fieldCode)}: {`);
    if (options.length === 0) lines.push(`${i2}"options": []`);
    else {
      lines.push(`${i2}"options": [`);
      options.forEach((o, k) => lines.push(`${i2}  ${optionText(o, groups)}${k < options.length - 1 ? ',' : ''}`));
      lines.push(`${i2}]`);
    }
    lines.push(`${i1}}${index < fields.length - 1 ? ',' : ''}`);
  });
  lines.push(`${indent}}`);
  return lines;
}

/** A colour as the file writes it: none for null or '' (the planner compares them as equal), else upper case. */
const colourOf = (c: string | null): string | null => (c === null || c === '' ? null : (hexColour(c) ?? c));

function optionText(o: FieldOption, groups: ReadonlySet<string>): string {
  const json = JSON.stringify;
  const parts = [`"code": ${json(o.code)}`, `"name": ${json(o.name)}`];
  if (o.type === 'OPTGROUP') parts.push('"type": "OPTGROUP"');
  const color = colourOf(o.color);
  if (color !== null) parts.push(`"color": ${json(color)}`);
  // The reader gives an option without "textColor" the black or white that reads on its colour.
  const fill = hexColour(color);
  const implied = fill ? textColourFor(fill) : null;
  const textColor = colourOf(o.textColor);
  if (textColor !== implied) parts.push(`"textColor": ${json(textColor)}`);
  // A group the list does not have cannot be written (the reader refuses it).
  if (o.type === 'OPTION' && o.groupCode !== null && groups.has(o.groupCode)) parts.push(`"group": ${json(o.groupCode)}`);
  return `{ ${parts.join(', ')} }`;
}
