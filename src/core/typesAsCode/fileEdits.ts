// The quick fixes of vbot-types.json as text edits (offset, length, new text), so that an edit changes only
// what it fixes and the rest of the file keeps its layout. Pure: no vscode.

import { findNodeAtLocation, parseTree, type Edit, type JSONPath, type Node } from 'jsonc-parser';
import type { CachedType } from '../cache/model';

export type TextEdit = Edit;

/**
 * `typePath` (projects[i].types[j]) gets `code` as a previous code: appended to its list, or a new list after the
 * type's last property, on the same line (a type written on one line stays on one line).
 */
export function addPreviousCodeEdits(text: string, typePath: JSONPath, code: string): TextEdit[] {
  const tree = parseTree(text);
  const type = tree && findNodeAtLocation(tree, typePath);
  if (type?.type !== 'object') return [];
  const quoted = JSON.stringify(code);
  const list = findNodeAtLocation(type, ['previousCodes']);
  const last = list?.children?.[list.children.length - 1];
  if (list?.type === 'array') {
    return [
      last
        ? { offset: last.offset + last.length, length: 0, content: `, ${quoted}` }
        : { offset: list.offset, length: list.length, content: `[${quoted}]` },
    ];
  }
  const lastProperty = type.children?.[type.children.length - 1];
  if (!lastProperty) return [{ offset: type.offset, length: type.length, content: `{ "previousCodes": [${quoted}] }` }];
  return [{ offset: lastProperty.offset + lastProperty.length, length: 0, content: `, "previousCodes": [${quoted}]` }];
}

/**
 * Removes the array element at `path` (a duplicate type or previous code) with its comma, leaving the rest as
 * written: the next element moves up into its place, or the last one goes with the comma before it.
 */
export function removeEdits(text: string, path: JSONPath): TextEdit[] {
  const tree = parseTree(text);
  const node = tree && findNodeAtLocation(tree, path);
  const siblings = node?.parent?.type === 'array' ? node.parent.children! : undefined;
  if (!node || !siblings) return [];
  const i = siblings.indexOf(node);
  const next = siblings[i + 1];
  const previous = siblings[i - 1];
  if (next) return [{ offset: node.offset, length: next.offset - node.offset, content: '' }];
  const from = previous ? previous.offset + previous.length : node.offset;
  return [{ offset: from, length: node.offset + node.length - from, content: '' }];
}

/**
 * Appends `types` to project `index`'s list, one type per line as the exported file writes them (scaffold.ts),
 * indented like the list's last type: one edit, however many types.
 */
export function addTypesEdits(text: string, index: number, types: ReadonlyArray<CachedType>): TextEdit[] {
  const tree = parseTree(text);
  const list = tree && findNodeAtLocation(tree, ['projects', index, 'types']);
  if (list?.type !== 'array' || types.length === 0) return [];
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const line = (t: CachedType) => `{ "typeNo": ${JSON.stringify(t.typeNo)}, "typeName": ${JSON.stringify(t.typeName)} }`;
  const last = list.children?.[list.children.length - 1];
  if (last) {
    const indent = indentOf(text, last.offset);
    return [{ offset: last.offset + last.length, length: 0, content: types.map((t) => `,${eol}${indent}${line(t)}`).join('') }];
  }
  const outer = indentOf(text, keyOffset(list));
  const inner = outer + '  ';
  const content = `[${eol}${types.map((t) => inner + line(t)).join(`,${eol}`)}${eol}${outer}]`;
  return [{ offset: list.offset, length: list.length, content }];
}

function keyOffset(node: Node): number {
  return node.parent?.type === 'property' ? node.parent.offset : node.offset;
}

/** The spaces or tabs that start the line holding `offset`. */
function indentOf(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start, offset))![0];
}

/** The text with the edits made (for tests and for callers without an editor). */
export function applyTextEdits(text: string, edits: ReadonlyArray<TextEdit>): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.offset - a.offset)) out = out.slice(0, e.offset) + e.content + out.slice(e.offset + e.length);
  return out;
}
