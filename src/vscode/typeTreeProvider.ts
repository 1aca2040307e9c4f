// The tree of projects and their customer types, drawn from the local cache (the API cannot list).
// Node objects are kept per id so a change refreshes just the project it touched, and ids are
// stable so expansion and selection survive refreshes.
import * as vscode from 'vscode';
import { markdown, plain, say, sayMarkdown } from './say';
import type { CachedType } from '../core/cache/model';
import type { CacheSnapshot } from '../core/cache/snapshot';
import { compareLabels, inDisplayOrder, placeChanges } from '../core/cache/displayOrder';
import type { TypeCache } from './activeCache';

export interface ProjectNode {
  readonly kind: 'project';
  readonly vbotId: string;
  readonly projectCode: string;
}
/**
 * A customer type in the tree. It is its own TreeItem (the fields VS Code draws are set when it is made):
 * a project of 10,000 types then costs 10,000 objects on its first draw, not twice that.
 */
export interface TypeNode extends vscode.TreeItem {
  readonly kind: 'type';
  readonly vbotId: string;
  readonly projectCode: string;
  readonly typeNo: string;
  /** Not `typeName`: that field of a command argument means a new name to apply. */
  readonly currentName: string;
  readonly updatedAt: string;
}
/**
 * A node under a project's "Customer fields" (API v3): the root is made here, everything under it by the part
 * loaded on first expand (fieldsTree.ts); each is its own TreeItem.
 */
export interface FieldsNode extends vscode.TreeItem {
  readonly kind: 'fields';
  readonly vbotId: string;
  readonly projectCode: string;
  readonly parent: CrmNode;
  /** Made when the pointer rests on it (resolveTreeItem), for nodes drawn by the thousand. */
  readonly lazyTooltip?: () => vscode.MarkdownString;
}
export type CrmNode = ProjectNode | TypeNode | FieldsNode;

/** The customer-field part of the tree, loaded with the first expand of a "Customer fields" node. */
export interface FieldsTreePart {
  /** The project's "Customer fields" node, made once so its identity (and expansion) lasts. */
  root(project: ProjectNode): FieldsNode;
  children(node: FieldsNode): Promise<FieldsNode[]>;
  /** Read from the server again when next asked (Refresh). */
  invalidate(): void;
  /** A field's options changed (an option command): its list is read again, now if it shows. */
  optionsChanged(vbotId: string, projectCode: string, fieldCode: string): void;
}
export interface FieldsOfProfile {
  /** The project whose fields the active profile can read (a v3 profile's own), if any. */
  project(): { vbotId: string; projectCode: string } | undefined;
  load(): Promise<FieldsTreePart>;
}

// One icon object for every item: VS Code only reads its id.
const PROJECT_ICON = new vscode.ThemeIcon('project');
const TYPE_ICON = new vscode.ThemeIcon('tag');
/** Up to this many types in the whole cache, projects open expanded; beyond, collapsed (VS Code then remembers each). */
const EXPAND_PROJECTS_UP_TO = 500;

export function projectId(vbotId: string, projectCode: string): string {
  return `project/${encodeURIComponent(vbotId)}/${encodeURIComponent(projectCode)}`;
}
/** The code is the last part and is not encoded: the parts before it hold no "/", so ids stay unique. */
export function typeId(vbotId: string, projectCode: string, typeNo: string): string {
  return `type/${encodeURIComponent(vbotId)}/${encodeURIComponent(projectCode)}/${typeNo}`;
}

export class TypeTreeProvider implements vscode.TreeDataProvider<CrmNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<CrmNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private projectNodes = new Map<string, ProjectNode>();
  /** Per project, the types of the snapshot last drawn (snapshots never change), to refresh only what changed. */
  private drawn = new Map<string, ReadonlyArray<CachedType>>();
  /**
   * Per project, its children in tree order and the types they were made from. Sorting 10,000 names with the
   * Vietnamese collator takes tens of milliseconds, and VS Code asks again after every refresh: an unchanged
   * project gets the same list back, and a change of a few types moves just those.
   */
  private children = new Map<string, { types: ReadonlyArray<CachedType>; nodes: TypeNode[] }>();
  /** Whether projects open expanded: yes while the whole cache fits on a few screens. */
  private expandProjects = true;
  private readonly subscription: { dispose(): void };

  private fieldsPart: Promise<FieldsTreePart> | undefined;
  private loadedFieldsPart: FieldsTreePart | undefined;

  constructor(
    private readonly cache: TypeCache,
    private readonly ready: () => Promise<unknown> = () => Promise.resolve(),
    private readonly fields?: FieldsOfProfile,
  ) {
    this.remember(cache.snapshot());
    this.subscription = cache.onDidChange((snapshot) => this.update(snapshot));
  }

  getTreeItem(node: CrmNode): vscode.TreeItem {
    return node.kind === 'project' ? projectItem(node, this.expandProjects) : node;
  }

  /** An option command changed a field's options: read again if the fields part (and so the field) shows. */
  optionsChanged(vbotId: string, projectCode: string, fieldCode: string): void {
    this.loadedFieldsPart?.optionsChanged(vbotId, projectCode, fieldCode);
  }

  /** Redraws a node (the fields part, when what it shows changed). */
  redraw(node?: CrmNode): void {
    this.changed.fire(node);
  }

  /** The tooltip, made when the pointer rests on an item: 10,000 of them made up front cost time and memory. */
  resolveTreeItem(item: vscode.TreeItem, node: CrmNode): vscode.TreeItem {
    if (node.kind === 'type') item.tooltip = typeTooltip(node);
    else if (node.kind === 'fields' && node.lazyTooltip) item.tooltip ??= node.lazyTooltip();
    return item;
  }

  async getChildren(node?: CrmNode): Promise<CrmNode[]> {
    await this.ready();
    const snapshot = this.cache.snapshot();
    if (!node) {
      this.expandProjects = snapshot.typeCount() <= EXPAND_PROJECTS_UP_TO;
      const keyProject = this.fields?.project();
      // A v3 profile's project shows even before it has a type: its fields can be read.
      const extra = keyProject && !snapshot.project(keyProject.vbotId, keyProject.projectCode) ? [keyProject] : [];
      return [...snapshot.projects(), ...extra]
        .map((p) => this.projectNode(p.vbotId, p.projectCode))
        .sort((a, b) => compareLabels(a.projectCode, b.projectCode) || compareLabels(a.vbotId, b.vbotId));
    }
    if (node.kind === 'type') return [];
    if (node.kind === 'fields') return this.fields ? (await this.loadFieldsPart(this.fields)).children(node) : [];
    return [...this.typeChildren(node, snapshot), ...(await this.fieldsRoot(node))];
  }

  private loadFieldsPart(fields: FieldsOfProfile): Promise<FieldsTreePart> {
    this.fieldsPart ??= fields.load().then(
      (part) => (this.loadedFieldsPart = part),
      (e: unknown) => {
        this.fieldsPart = undefined; // the next expand tries again
        throw e;
      },
    );
    return this.fieldsPart;
  }

  /** The "Customer fields" node, below the types, of the project the active profile's API key belongs to. */
  private async fieldsRoot(node: ProjectNode): Promise<FieldsNode[]> {
    const p = this.fields?.project();
    if (!this.fields || !p || p.vbotId !== node.vbotId || p.projectCode !== node.projectCode) return [];
    return [(await this.loadFieldsPart(this.fields)).root(node)];
  }

  private typeChildren(node: ProjectNode, snapshot: CacheSnapshot): CrmNode[] {
    const project = snapshot.project(node.vbotId, node.projectCode);
    if (!project) return [];
    const id = projectId(node.vbotId, node.projectCode);
    const known = this.children.get(id);
    if (known?.types === project.types) return known.nodes.slice();
    const { vbotId, projectCode } = node;
    const { typeIdPrefix } = projectParts(vbotId, projectCode);
    const typeNode = (t: CachedType) => makeTypeNode(vbotId, projectCode, t, typeIdPrefix);
    const nodes = (known && placeChanges(known.types, known.nodes, project.types, typeNode)) ?? inDisplayOrder(project.types).map(typeNode);
    this.children.set(id, { types: project.types, nodes });
    return nodes.slice();
  }

  getParent(node: CrmNode): CrmNode | undefined {
    if (node.kind === 'fields') return node.parent;
    return node.kind === 'type' ? this.projectNode(node.vbotId, node.projectCode) : undefined;
  }

  /** The node for a type as currently cached, for reveal() after a change. */
  typeNode(vbotId: string, projectCode: string, typeNo: string): TypeNode | undefined {
    const t = this.cache.snapshot().findType(vbotId, projectCode, typeNo);
    return t && makeTypeNode(vbotId, projectCode, t, projectParts(vbotId, projectCode).typeIdPrefix);
  }

  projectNode(vbotId: string, projectCode: string): ProjectNode {
    const id = projectId(vbotId, projectCode);
    let node = this.projectNodes.get(id);
    if (!node) {
      node = { kind: 'project', vbotId, projectCode };
      this.projectNodes.set(id, node);
    }
    return node;
  }

  refreshAll(): void {
    // The fields are read from the server again (the types are only the local list's).
    this.loadedFieldsPart?.invalidate();
    this.remember(this.cache.snapshot());
    this.changed.fire(undefined);
  }

  private update(snapshot: CacheSnapshot): void {
    const before = this.drawn;
    this.remember(snapshot);
    const sameProjects = before.size === this.drawn.size && [...this.drawn.keys()].every((k) => before.has(k));
    if (!sameProjects) {
      this.changed.fire(undefined);
      return;
    }
    for (const [id, types] of this.drawn) {
      const node = this.projectNodes.get(id);
      if (!sameCodesAndNames(before.get(id), types) && node) this.changed.fire(node);
    }
  }

  private remember(snapshot: CacheSnapshot): void {
    this.drawn = new Map(snapshot.projects().map((p) => [projectId(p.vbotId, p.projectCode), p.types]));
    for (const id of this.children.keys()) if (!this.drawn.has(id)) this.children.delete(id);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** Whether two type lists show the same codes and names in the same order (what a refresh would redraw). */
function sameCodesAndNames(a: ReadonlyArray<CachedType> | undefined, b: ReadonlyArray<CachedType>): boolean {
  if (a === b) return true;
  if (!a || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i].typeNo !== b[i].typeNo || a[i].typeName !== b[i].typeName) return false;
  return true;
}

function projectItem(node: ProjectNode, expanded: boolean): vscode.TreeItem {
  const item = new vscode.TreeItem(
    plain(node.projectCode),
    expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
  );
  item.id = projectId(node.vbotId, node.projectCode);
  item.description = plain(node.vbotId);
  item.tooltip = say(vscode.l10n.t('Project {0} of VBotID {1}'), node.projectCode, node.vbotId);
  item.contextValue = 'vbotProject';
  item.iconPath = PROJECT_ICON;
  return item;
}

/**
 * The node of one type, drawn as it is (getTreeItem returns it). What every type shows alike (context
 * value, icon) and what repeats the type's fields (label, description) live on the prototype, so a node
 * holds only its own data: making 10,000 of them is then about as cheap as 10,000 bare TreeItems.
 */
class TypeTreeNode implements TypeNode {
  readonly kind = 'type';
  constructor(
    readonly vbotId: string,
    readonly projectCode: string,
    readonly typeNo: string,
    readonly currentName: string,
    readonly updatedAt: string,
    readonly id: string,
  ) {}
  get label(): string {
    return plain(this.currentName);
  }
  get description(): string {
    return plain(this.typeNo);
  }
  get contextValue(): string {
    return 'vbotType';
  }
  get iconPath(): vscode.ThemeIcon {
    return TYPE_ICON;
  }
}

function makeTypeNode(vbotId: string, projectCode: string, type: CachedType, typeIdPrefix: string): TypeNode {
  // id = typeId(vbotId, projectCode, typeNo)
  return new TypeTreeNode(vbotId, projectCode, type.typeNo, type.typeName, type.updatedAt, typeIdPrefix + type.typeNo);
}

function typeTooltip(node: TypeNode): vscode.MarkdownString {
  return new vscode.MarkdownString(
    `**${markdown(node.currentName)}**\n\n` +
      codeLine(markdown(node.typeNo)) +
      '\n\n' +
      projectParts(node.vbotId, node.projectCode).tooltipLine,
  );
}

// What every type item of a project shares, made once per project rather than once per item: formatting a
// localized message and escaping markdown were most of the cost of drawing 10,000 items.
const projectPartsCache = new Map<string, { typeIdPrefix: string; tooltipLine: string }>();
// A project's items are made one after another: the last project's parts are at hand without a lookup.
let lastParts: { vbotId: string; projectCode: string; parts: { typeIdPrefix: string; tooltipLine: string } } | undefined;
function projectParts(vbotId: string, projectCode: string) {
  if (lastParts?.vbotId === vbotId && lastParts.projectCode === projectCode) return lastParts.parts;
  const key = `${vbotId}\u0000${projectCode}`;
  let parts = projectPartsCache.get(key);
  if (!parts) {
    parts = {
      typeIdPrefix: typeId(vbotId, projectCode, ''),
      tooltipLine: sayMarkdown(vscode.l10n.t('Project: {0} · {1}'), projectCode, vbotId),
    };
    projectPartsCache.set(key, parts);
  }
  lastParts = { vbotId, projectCode, parts };
  return parts;
}

/** The localized 'Code: {0}' with an escaped code, the message looked up once. */
let codeLineParts: string[] | undefined;
function codeLine(code: string): string {
  codeLineParts ??= vscode.l10n.t('Code: {0}').split('{0}');
  return codeLineParts.join(code);
}
