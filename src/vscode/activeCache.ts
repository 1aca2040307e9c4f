// The cache of the active profile. Each profile has its own cache file (two environments may
// share a VBotID but not their types); commands and the tree talk to this object and never
// notice a profile switch, except through onDidChange.
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { type CacheProblem, CacheSnapshot, CustomerTypeCache, type Disposable } from '../core/customerTypeCache';
import type { ImportPlan } from '../core/importExport';
import { DEFAULT_PROFILE } from './settings';

export type TypeCache = Pick<CustomerTypeCache,
  'filePath' | 'load' | 'reload' | 'snapshot' | 'onDidChange' | 'addProject' | 'removeProject' | 'upsertType' | 'removeType' | 'changeTypeCode' | 'applyImport'>;

export const CACHE_FILE_NAME = 'customer-types.json';

/** The default profile keeps the file name of the public contract; others get their own file. */
export function cacheFileName(profileName: string): string {
  if (profileName === DEFAULT_PROFILE) return CACHE_FILE_NAME;
  return `customer-types@${profileName.replace(/[^\p{L}\p{N}_.-]+/gu, '_')}.json`;
}

export class ActiveCache implements TypeCache, vscode.Disposable {
  /** Opened on first use: right after activation, or earlier if a command needs it. */
  private current: CustomerTypeCache | undefined;
  private currentSubscription: Disposable | undefined;
  private readonly listeners = new Set<(snapshot: CacheSnapshot) => void>();
  private disposed = false;
  /** Settles when the active profile's file has been read. */
  ready: Promise<unknown>;

  constructor(
    /** The folder of the cache files, asked for when a file is first opened. */
    private readonly folder: () => string,
    private readonly activeProfileName: () => string,
    private readonly onProblem: (problem: CacheProblem) => void,
    private readonly onLoadError: (e: unknown) => void,
  ) {
    // Read right after activation rather than during it: reading the settings and the file would hold up
    // VS Code's activation of this and other extensions; the tree waits for `ready`.
    this.ready = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => (this.disposed ? undefined : this.cache().load()))
      .catch(onLoadError);
  }

  get filePath(): string {
    return this.cache().filePath;
  }

  /** Makes another profile's cache the active one; listeners see its snapshot. */
  async switchTo(profileName: string): Promise<void> {
    if (path.basename(this.cache().filePath) === cacheFileName(profileName)) return;
    this.close();
    const next = this.cache(profileName);
    this.ready = next.load().catch(this.onLoadError);
    await this.ready;
    this.fire(next.snapshot());
  }

  /** The active profile's cache (or `profileName`'s, when switching), opened if need be. */
  private cache(profileName?: string): CustomerTypeCache {
    if (!this.current) {
      const cache = new CustomerTypeCache(path.join(this.folder(), cacheFileName(profileName ?? this.activeProfileName())), { onProblem: this.onProblem });
      this.currentSubscription = cache.onDidChange((s) => this.fire(s));
      this.current = cache;
    }
    return this.current;
  }

  private close(): void {
    this.currentSubscription?.dispose();
    this.current?.dispose();
    this.current = undefined;
  }

  private fire(snapshot: CacheSnapshot): void {
    for (const listener of [...this.listeners]) listener(snapshot);
  }

  onDidChange(listener: (snapshot: CacheSnapshot) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  load(): Promise<CacheSnapshot> { return this.cache().load(); }
  reload(): Promise<CacheSnapshot> { return this.cache().reload(); }
  snapshot(): CacheSnapshot { return this.current?.snapshot() ?? CacheSnapshot.empty; }
  addProject(vbotId: string, projectCode: string): Promise<CacheSnapshot> { return this.cache().addProject(vbotId, projectCode); }
  removeProject(vbotId: string, projectCode: string): Promise<CacheSnapshot> { return this.cache().removeProject(vbotId, projectCode); }
  upsertType(vbotId: string, projectCode: string, type: { typeNo: string; typeName: string }): Promise<CacheSnapshot> {
    return this.cache().upsertType(vbotId, projectCode, type);
  }
  removeType(vbotId: string, projectCode: string, typeNo: string): Promise<CacheSnapshot> { return this.cache().removeType(vbotId, projectCode, typeNo); }
  changeTypeCode(vbotId: string, projectCode: string, oldNo: string, newNo: string): Promise<CacheSnapshot> {
    return this.cache().changeTypeCode(vbotId, projectCode, oldNo, newNo);
  }
  applyImport(plan: ImportPlan): Promise<CacheSnapshot> { return this.cache().applyImport(plan); }

  dispose(): void {
    this.disposed = true;
    this.close();
    this.listeners.clear();
  }
}
