// The rows of the "Customer fields" part of the tree (fieldsTree.ts reads the lists): a field, its groups and
// options (colour as icon, code as description), and the rows that say why a list is old or missing.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { StoredList } from '../core/fields/fieldStore';
import { type ChoiceField, type FieldOption, hexColour } from '../core/fields/model';
import type { VbotError } from '../core/vbotError';
import { describeFieldFailure } from './fieldMessages';
import { markdown, plain, say, sayMarkdown } from './say';
import type { CrmNode, FieldsNode } from './typeTreeProvider';

type Level = 'field' | 'group' | 'option' | 'message';
export interface PartNode extends FieldsNode {
  readonly level: Level;
  readonly field?: ChoiceField;
  readonly option?: FieldOption;
  /** A group's options (known when the group is made). */
  readonly members?: FieldOption[];
}

const FIELD_ICON = new vscode.ThemeIcon('symbol-enum-member');
const GROUP_ICON = new vscode.ThemeIcon('list-tree');
const NO_COLOUR_ICON = new vscode.ThemeIcon('circle-outline');

/** A field's row (exported for the benchmark). */
export function fieldNode(root: FieldsNode, f: ChoiceField): PartNode {
  return {
    kind: 'fields',
    level: 'field',
    vbotId: root.vbotId,
    projectCode: root.projectCode,
    parent: root,
    field: f,
    id: `${root.id}/${encodeURIComponent(f.code)}`,
    label: plain(f.name),
    description: plain(f.type),
    tooltip: new vscode.MarkdownString(
      `**${markdown(f.name)}**\n\n${sayMarkdown(vscode.l10n.t('Code: {0}'), f.code)} · ${markdown(f.type)}`,
    ),
    collapsibleState: vscode.TreeItemCollapsibleState.Collapsed,
    iconPath: FIELD_ICON,
    contextValue: 'vbotField',
  };
}

/**
 * The rows of options (and groups, holding theirs) in the order given, as the tree draws them once a list is read;
 * a row's tooltip is made when the pointer rests on it. Exported for the benchmark of a 1,000-option field's first draw.
 */
export function optionRows(
  icons: ColourIcons,
  parent: FieldsNode,
  options: FieldOption[],
  inGroup?: Map<string, FieldOption[]>,
): FieldsNode[] {
  // Codes are unique in a field, so an option's id is its field's id and its code as it is: the field's id has
  // its code encoded (no "/" of its own), and the code comes last, so no two ids can meet and none is encoded.
  const fieldId = (parent as PartNode).level === 'group' ? (parent.parent as FieldsNode).id : parent.id;
  const optionPrefix = `${fieldId}/o/`;
  const groupPrefix = `${fieldId}/g/`;
  icons.retryFailed();
  const rows: FieldsNode[] = new Array(options.length);
  for (let i = 0; i < options.length; i++) {
    const o = options[i];
    rows[i] =
      o.type === 'OPTGROUP'
        ? new OptionRow(parent, o, icons, groupPrefix + o.code, 'group', inGroup?.get(o.code) ?? [])
        : new OptionRow(parent, o, icons, optionPrefix + o.code, 'option', undefined);
  }
  return rows;
}

/**
 * An option's or a group's row, drawn as it is. As a type's row (typeTreeProvider.ts): what a row shows (label,
 * description, icon) is worked out on the prototype when VS Code reads it, and a row holds only its own data, so a
 * field of 1,000 options draws at once.
 */
class OptionRow implements PartNode {
  declare tooltip?: vscode.MarkdownString;
  constructor(
    readonly parent: FieldsNode,
    readonly option: FieldOption,
    private readonly icons: ColourIcons,
    readonly id: string,
    readonly level: 'group' | 'option',
    readonly members: FieldOption[] | undefined,
  ) {}
  get kind(): 'fields' {
    return 'fields';
  }
  get vbotId(): string {
    return this.parent.vbotId;
  }
  get projectCode(): string {
    return this.parent.projectCode;
  }
  get label(): string {
    return plain(this.option.name);
  }
  get description(): string {
    return plain(this.option.code);
  }
  get iconPath(): vscode.Uri | vscode.ThemeIcon {
    return this.icons.forColour(this.option.color) ?? (this.level === 'group' ? GROUP_ICON : NO_COLOUR_ICON);
  }
  get collapsibleState(): vscode.TreeItemCollapsibleState {
    return this.level === 'group' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None;
  }
  get contextValue(): string {
    return this.level === 'group' ? 'vbotOptionGroup' : 'vbotOption';
  }
  lazyTooltip(): vscode.MarkdownString {
    return optionTooltip(this.option);
  }
}

function optionTooltip(o: FieldOption): vscode.MarkdownString {
  const lines = [`**${markdown(o.name)}**`, sayMarkdown(vscode.l10n.t('Code: {0}'), o.code)];
  if (hexColour(o.color)) lines.push(sayMarkdown(vscode.l10n.t('Colour: {0}, text colour: {1}'), o.color, o.textColor ?? '—'));
  if (o.type === 'OPTGROUP') lines.push(say(vscode.l10n.t('A group of options')));
  return new vscode.MarkdownString(lines.join('\n\n'));
}

/** What stands in for a list that could be neither read nor found stored: why, and (no key) a way to set one. */
export function messageNode(parent: FieldsNode, failure: VbotError | undefined): PartNode {
  const noKey = failure?.kind === 'signedOut' || failure?.kind === 'unauthorized';
  return {
    kind: 'fields',
    level: 'message',
    vbotId: parent.vbotId,
    projectCode: parent.projectCode,
    parent: parent as CrmNode,
    id: `${parent.id}/!`,
    label: noKey
      ? vscode.l10n.t('Set the API key to read the customer fields')
      : vscode.l10n.t('Could not read from VBot; nothing read before'),
    tooltip: failure ? describeFieldFailure(failure) : undefined,
    iconPath: new vscode.ThemeIcon(noKey ? 'key' : 'warning'),
    command: noKey ? { command: 'vbotCrm.setAccessToken', title: vscode.l10n.t('Paste VBot API Key') } : undefined,
    contextValue: 'vbotFieldsMessage',
  };
}

/**
 * The rows above a list that is not simply the server's list of now: it is the stored read (VBot could not be
 * reached), or only its first part. Rows rather than the parent's description: VS Code would have to redraw the
 * parent while it takes in these children, and in VS Code 1.100 such a redraw loses them.
 */
export function listNotes(parent: FieldsNode, list: StoredList<unknown> | undefined, failure: VbotError | undefined): PartNode[] {
  const note = (key: string, label: string, icon: string, tooltip?: string): PartNode => ({
    kind: 'fields',
    level: 'message',
    vbotId: parent.vbotId,
    projectCode: parent.projectCode,
    parent: parent as CrmNode,
    id: `${parent.id}/!${key}`,
    label,
    tooltip,
    iconPath: new vscode.ThemeIcon(icon),
    contextValue: 'vbotFieldsMessage',
  });
  const notes: PartNode[] = [];
  if (failure && list) {
    const label = say(vscode.l10n.t('Offline: the list as read at {0}'), readTime(list.readAt));
    notes.push(note('offline', label, 'cloud-offline', describeFieldFailure(failure)));
  }
  if (list && !list.complete) notes.push(note('part', vscode.l10n.t('Only the first part of the list could be read'), 'warning'));
  return notes;
}

function readTime(iso: string): string {
  const d = new Date(iso);
  return new Intl.DateTimeFormat(vscode.env.language, { dateStyle: 'short', timeStyle: 'short' }).format(d);
}

/**
 * One small SVG file per colour (a filled circle with a thin grey ring, so white and black show on either
 * theme) in the extension's storage, made the first time the colour is drawn. A ThemeIcon takes only theme
 * colours; a file Uri is drawn everywhere the extension's own media/ icons are: desktop, remote, and code-server,
 * whose workbench loads it through its remote-resource route like any file of the extension host.
 */
export class ColourIcons {
  private readonly made = new Map<string, vscode.Uri>();
  /** By a list's own colour value: its icon, or undefined for no colour or an icon file that could not be made. */
  private readonly byValue = new Map<string | null, vscode.Uri | undefined>();
  private failed: (string | null)[] = [];
  /** The icon files already there, listed once when the fields part loads, not looked for colour by colour. */
  private readonly present: Set<string>;
  constructor(private readonly folder: string) {
    try {
      this.present = new Set(readdirSync(folder));
    } catch {
      this.present = new Set(); // no folder yet: it is made with the first icon
    }
  }

  /** The icon of an option's colour as the server wrote it (not checked yet): undefined for none or not a colour. */
  forColour(value: string | null): vscode.Uri | undefined {
    let uri = this.byValue.get(value);
    if (uri === undefined && !this.byValue.has(value)) {
      const hex = hexColour(value);
      uri = hex ? this.uri(hex) : undefined;
      this.byValue.set(value, uri);
      if (hex && !uri) this.failed.push(value);
    }
    return uri;
  }

  /** Icons whose file could not be made are tried again with the next list drawn (not row by row). */
  retryFailed(): void {
    for (const value of this.failed) this.byValue.delete(value);
    this.failed = [];
  }

  /** The colour's icon; undefined (drawn without it, tried again next time) when its file cannot be made. */
  uri(hex: string): vscode.Uri | undefined {
    let uri = this.made.get(hex);
    if (!uri) {
      const name = `${hex.slice(1)}.svg`;
      const file = this.folder + path.sep + name; // the folder is a full path already; path.join costs more than the row
      try {
        // A dozen tiny files at most (one per colour): written in line, so a list's rows are made in one go.
        if (!this.present.has(name)) {
          mkdirSync(this.folder, { recursive: true });
          writeFileSync(file, colourSvg(hex));
          this.present.add(name);
        }
      } catch {
        return undefined;
      }
      uri = vscode.Uri.file(file);
      this.made.set(hex, uri);
    }
    return uri;
  }
}

function colourSvg(hex: string): string {
  return (
    '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16">' +
    `<circle cx="8" cy="8" r="5.5" fill="${hex}" stroke="#808080" stroke-opacity="0.7" stroke-width="1"/></svg>\n`
  );
}
