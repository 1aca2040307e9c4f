// The cache of the active profile. Each profile has its own cache file (two environments may
// share a VBotID but not their types); commands and the tree talk to this object and never
// notice a profile switch, except through onDidChange.
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { type CacheProblem, type CacheSnapshot, CustomerTypeCache, type Disposable } from '../core/customerTypeCache';
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
  private current: CustomerTypeCache;
  private currentSubscription: Disposable;
  private readonly listeners = new Set<(snapshot: CacheSnapshot) => void>();
  /** Settles when the active profile's file has been read. */
  ready: Promise<unknown>;

  constructor(
    private readonly folder: string,
    profileName: string,
    private readonly onProblem: (problem: CacheProblem) => void,
    private readonly onLoadError: (e: unknown) => void,
  ) {
    this.current = this.open(profileName);
    this.currentSubscription = this.current.onDidChange((s) => this.fire(s));
    this.ready = this.current.load().catch(onLoadError);
  }

  get filePath(): string {
    return this.current.filePath;
  }

  /** Makes another profile's cache the active one; listeners see its snapshot. */
  async switchTo(profileName: string): Promise<void> {
    if (path.basename(this.current.filePath) === cacheFileName(profileName)) return;
    this.currentSubscription.dispose();
    this.current.dispose();
    this.current = this.open(profileName);
    this.currentSubscription = this.current.onDidChange((s) => this.fire(s));
    this.ready = this.current.load().catch(this.onLoadError);
    await this.ready;
    this.fire(this.current.snapshot());
  }

  private open(profileName: string): CustomerTypeCache {
    return new CustomerTypeCache(path.join(this.folder, cacheFileName(profileName)), { onProblem: this.onProblem });
  }

  private fire(snapshot: CacheSnapshot): void {
    for (const listener of [...this.listeners]) listener(snapshot);
  }

  onDidChange(listener: (snapshot: CacheSnapshot) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  load(): Promise<CacheSnapshot> { return this.current.load(); }
  reload(): Promise<CacheSnapshot> { return this.current.reload(); }
  snapshot(): CacheSnapshot { return this.current.snapshot(); }
  addProject(vbotId: string, projectCode: string): Promise<CacheSnapshot> { return this.current.addProject(vbotId, projectCode); }
  removeProject(vbotId: string, projectCode: string): Promise<CacheSnapshot> { return this.current.removeProject(vbotId, projectCode); }
  upsertType(vbotId: string, projectCode: string, type: { typeNo: string; typeName: string }): Promise<CacheSnapshot> {
    return this.current.upsertType(vbotId, projectCode, type);
  }
  removeType(vbotId: string, projectCode: string, typeNo: string): Promise<CacheSnapshot> { return this.current.removeType(vbotId, projectCode, typeNo); }
  changeTypeCode(vbotId: string, projectCode: string, oldNo: string, newNo: string): Promise<CacheSnapshot> {
    return this.current.changeTypeCode(vbotId, projectCode, oldNo, newNo);
  }
  applyImport(plan: ImportPlan): Promise<CacheSnapshot> { return this.current.applyImport(plan); }

  dispose(): void {
    this.currentSubscription.dispose();
    this.current.dispose();
    this.listeners.clear();
  }
}
