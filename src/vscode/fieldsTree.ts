// The "Customer fields" part of the tree (API v3), loaded with the first expand of such a node (esbuild.mjs
// bundles it into dist/lazy/): each choice field of the project, its groups (SELECT) and options in `number`
// order, each option with its colour as the icon and its code as description. A list is read from VBot when
// its node is first expanded and again after Refresh; every read is kept (FieldStore), so when VBot cannot be
// reached the tree shows the last read, marked "read at <time>".
import * as path from 'node:path';
import * as vscode from 'vscode';
import { FieldsApi } from '../core/fields/fieldsApi';
import { FieldStore, type StoredList, fieldStoreFileName } from '../core/fields/fieldStore';
import { type ChoiceField, type FieldOption, optionLayout } from '../core/fields/model';
import { formatError } from '../core/json';
import type { VbotError } from '../core/vbotError';
import type { ApiRunner } from './apiRunner';
import type { ExtensionLog } from './log';
import { ColourIcons, type PartNode, fieldNode, listNotes, messageNode, optionRows } from './fieldsNodes';
import { DEFAULT_PROFILE, type Profile, type Settings } from './settings';
import type { CrmNode, FieldsNode, FieldsTreePart, ProjectNode } from './typeTreeProvider';

export interface FieldsTreeDeps {
  settings: Settings;
  /** The API runner, made (with the services) when a list is first read. */
  runner: () => Promise<ApiRunner>;
  /** The extension's storage folder: the store files and the colour icons live there. */
  storage: () => string;
  log: ExtensionLog;
  redraw: (node?: CrmNode) => void;
}

/** One list as the tree has it this session: read from VBot, or (offline) the stored read. */
interface Shown<T> {
  list?: StoredList<T>;
  /** Set when the list is the stored one because the read failed (or no list at all). */
  failure?: VbotError;
  /** The nodes made of it, made once: VS Code may ask again while it takes them in, and the same ids must be the same nodes. */
  nodes?: FieldsNode[];
}

export function createFieldsTree(deps: FieldsTreeDeps): FieldsTreePart {
  return new FieldsTree(deps);
}

class FieldsTree implements FieldsTreePart {
  private readonly stores = new Map<string, Promise<FieldStore>>();
  /** What was shown per root (profile + project) and per field; cleared by Refresh. */
  private readonly fieldLists = new Map<string, Shown<ChoiceField>>();
  private readonly optionLists = new Map<string, Promise<Shown<FieldOption>>>();
  private readonly groupChildren = new WeakMap<FieldsNode, FieldsNode[]>();
  /** The page base each profile's server showed (paging.ts), so later reads ask no page twice. */
  private readonly pageBase = new Map<string, 0 | 1>();
  private readonly icons: ColourIcons;

  constructor(private readonly deps: FieldsTreeDeps) {
    this.icons = new ColourIcons(path.join(deps.storage(), 'field-colours'));
  }

  private readonly roots = new Map<string, FieldsNode>();

  root(project: ProjectNode): FieldsNode {
    const id = `fields/${encodeURIComponent(project.vbotId)}/${encodeURIComponent(project.projectCode)}`;
    let root = this.roots.get(id);
    if (!root) {
      root = {
        kind: 'fields',
        vbotId: project.vbotId,
        projectCode: project.projectCode,
        parent: project,
        id,
        label: vscode.l10n.t('Customer fields'),
        collapsibleState: vscode.TreeItemCollapsibleState.Collapsed,
        iconPath: new vscode.ThemeIcon('symbol-enum'),
        contextValue: 'vbotFields',
      };
      this.roots.set(id, root);
    }
    return root;
  }

  invalidate(): void {
    this.fieldLists.clear();
    this.optionLists.clear();
  }

  optionsChanged(vbotId: string, projectCode: string, fieldCode: string): void {
    const profile = this.deps.settings.activeProfile().name;
    this.optionLists.delete(JSON.stringify([profile, vbotId, projectCode, fieldCode]));
    const fields = this.fieldLists.get(JSON.stringify([profile, vbotId, projectCode]));
    const node = fields?.nodes?.find((n) => (n as PartNode).field?.code === fieldCode);
    if (!node) return;
    // Read first, then redraw once: VS Code finds the new nodes ready and is not told to redraw while it asks.
    const redraw = () => this.deps.redraw(node);
    this.fieldChildren(node as PartNode).then(redraw, redraw);
  }

  async children(node: FieldsNode): Promise<FieldsNode[]> {
    const part = node as PartNode;
    if (part.level === 'group') {
      // Made once per group node, as a field's: VS Code may ask twice, and new nodes with the same ids are refused.
      let made = this.groupChildren.get(part);
      if (!made) this.groupChildren.set(part, (made = optionRows(this.icons, part, part.members ?? [])));
      return made;
    }
    if (part.level === 'field') return this.fieldChildren(part);
    if (part.level === 'message' || part.level === 'option') return [];
    return this.rootChildren(node);
  }

  // --- the fields of a project ---------------------------------------------------------------

  private async rootChildren(root: FieldsNode): Promise<FieldsNode[]> {
    const profile = this.deps.settings.activeProfile();
    const key = JSON.stringify([profile.name, root.vbotId, root.projectCode]);
    let shown = this.fieldLists.get(key);
    if (!shown) {
      shown = await this.readFields(profile, root);
      this.fieldLists.set(key, shown);
    }
    shown.nodes ??= shown.list
      ? [...listNotes(root, shown.list, shown.failure), ...shown.list.items.map((f) => fieldNode(root, f))]
      : [messageNode(root, shown.failure)];
    return shown.nodes;
  }

  private async readFields(profile: Profile, root: FieldsNode): Promise<Shown<ChoiceField>> {
    const api = (await this.deps.runner()).bind(profile);
    const outcome = await inView(() =>
      api.call({
        operation: 'readFields',
        run: (client, key, signal) => new FieldsApi(client, key, signal).readChoiceFields({ base: this.pageBase.get(profile.name) }),
      }),
    );
    const store = await this.store(profile);
    if (outcome.ok) {
      if (outcome.value.base !== undefined) this.pageBase.set(profile.name, outcome.value.base);
      const list = { items: outcome.value.fields, readAt: new Date().toISOString(), complete: outcome.value.complete };
      await store
        .saveFields(root.vbotId, root.projectCode, list)
        .catch((e) => this.deps.log.warn(`Could not keep the fields read: ${formatError(e)}`));
      return { list };
    }
    this.deps.log.warn(
      `Reading the customer fields failed; ${store.project(root.vbotId, root.projectCode)?.fields ? 'showing the last read' : 'nothing stored'}`,
    );
    return { list: store.project(root.vbotId, root.projectCode)?.fields, failure: outcome.error };
  }

  // --- the options of a field ----------------------------------------------------------------

  private async fieldChildren(fieldNode: PartNode): Promise<FieldsNode[]> {
    const field = fieldNode.field!;
    const profile = this.deps.settings.activeProfile();
    const key = JSON.stringify([profile.name, fieldNode.vbotId, fieldNode.projectCode, field.code]);
    // VS Code asks again while an answer is on its way (after a change, optionsChanged's read): every ask
    // shares the one read and the one set of nodes, since two nodes with one id make VS Code drop the children.
    let reading = this.optionLists.get(key);
    if (!reading) {
      reading = this.readOptions(profile, fieldNode);
      this.optionLists.set(key, reading);
      reading.catch(() => this.optionLists.get(key) === reading && this.optionLists.delete(key));
    }
    const shown = await reading;
    if (!shown.list) return (shown.nodes ??= [messageNode(fieldNode, shown.failure)]);
    if (!shown.nodes) {
      const { top, inGroup } = optionLayout(shown.list.items);
      shown.nodes = [...listNotes(fieldNode, shown.list, shown.failure), ...optionRows(this.icons, fieldNode, top, inGroup)];
    }
    return shown.nodes;
  }

  private async readOptions(profile: Profile, fieldNode: PartNode): Promise<Shown<FieldOption>> {
    const { vbotId, projectCode } = fieldNode;
    const code = fieldNode.field!.code;
    const api = (await this.deps.runner()).bind(profile);
    const outcome = await inView(() =>
      api.call({
        operation: 'readOptions',
        typeNo: code,
        run: (client, key, signal) => new FieldsApi(client, key, signal).readOptions(code, { base: this.pageBase.get(profile.name) }),
      }),
    );
    const store = await this.store(profile);
    if (outcome.ok) {
      if (outcome.value.base !== undefined) this.pageBase.set(profile.name, outcome.value.base);
      const list = { items: outcome.value.options, readAt: new Date().toISOString(), complete: outcome.value.complete };
      await store
        .saveOptions(vbotId, projectCode, code, list)
        .catch((e) => this.deps.log.warn(`Could not keep the options read: ${formatError(e)}`));
      return { list };
    }
    return { list: store.project(vbotId, projectCode)?.options[code], failure: outcome.error };
  }

  private store(profile: Profile): Promise<FieldStore> {
    let store = this.stores.get(profile.name);
    if (!store) {
      const file = path.join(this.deps.storage(), fieldStoreFileName(profile.name, profile.name === DEFAULT_PROFILE));
      const made = new FieldStore(file, {
        onProblem: (p) => this.deps.log.warn(`The stored customer fields could not be read (${p.detail}); kept as ${p.backupPath}`),
      });
      store = made.load().then(
        () => made,
        (e) => {
          this.deps.log.warn(`Could not read the stored customer fields: ${formatError(e)}`);
          return made;
        },
      );
      this.stores.set(profile.name, store);
    }
    return store;
  }
}

/** A read shows as the view's progress bar, as the local list's reload does. */
function inView<T>(work: () => Promise<T>): Promise<T> {
  return Promise.resolve(vscode.window.withProgress({ location: { viewId: 'vbotCrm.types' } }, work));
}
