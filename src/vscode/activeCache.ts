// The cache of the active profile. Each profile has its own cache file (two environments may
// share a VBotID but not their types); the tree talks to this object and never notices a profile
// switch, except through onDidChange. A command that must write to the file of the profile it
// started with, whatever is active by then, takes that profile's cache with forProfile.
import { basename, join } from 'node:path';
import type * as vscode from 'vscode';
import { type CacheProblem, CustomerTypeCache } from '../core/cache/customerTypeCache';
import { CacheSnapshot } from '../core/cache/snapshot';
import type { CacheEdit } from '../core/change/typeChange';
import { type Disposable, Emitter } from '../core/emitter';
import { DEFAULT_PROFILE } from './settings';

export type TypeCache = Pick<
  CustomerTypeCache,
  | 'filePath'
  | 'load'
  | 'reload'
  | 'snapshot'
  | 'onDidChange'
  | 'addProject'
  | 'removeProject'
  | 'upsertType'
  | 'removeType'
  | 'changeTypeCode'
  | 'applyEdits'
>;

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
  private readonly changed: Emitter<CacheSnapshot>;
  private disposed = false;
  /** Settles when the active profile's file has been read. */
  ready: Promise<unknown>;

  constructor(
    /** The folder of the cache files, asked for when a file is first opened. */
    private readonly folder: () => string,
    private readonly activeProfileName: () => string,
    private readonly onProblem: (problem: CacheProblem) => void,
    private readonly onLoadError: (e: unknown) => void,
    /** Hears what a change listener threw. */
    private readonly onListenerError?: (e: unknown) => void,
  ) {
    this.changed = new Emitter(onListenerError);
    // Made after activation (src/vscode/viewParts.ts), so the file is read at once, its read under way while the
    // other parts of the view are made; the tree waits for `ready`.
    this.ready = this.startLoading();
  }

  private startLoading(): Promise<unknown> {
    try {
      return this.cache().load().catch(this.onLoadError);
    } catch (e) {
      this.onLoadError(e);
      return Promise.resolve();
    }
  }

  get filePath(): string {
    return this.cache().filePath;
  }

  /** Makes another profile's cache the active one; listeners see its snapshot. */
  async switchTo(profileName: string): Promise<void> {
    if (basename(this.cache().filePath) === cacheFileName(profileName)) return;
    this.close();
    const next = this.cache(profileName);
    this.ready = next.load().catch(this.onLoadError);
    await this.ready;
    this.changed.fire(next.snapshot());
  }

  /**
   * The cache of `profileName`'s file, for as long as the caller needs it: every call goes to the
   * active cache while that profile is active (so the tree sees the change at once), and to a cache
   * of its own on the same file otherwise. Writes lock, re-read and replace the file, so two
   * instances on one file never lose each other's changes.
   */
  forProfile(profileName: string): TypeCache {
    const filePath = join(this.folder(), cacheFileName(profileName));
    return new ProfileCache(filePath, {
      active: () => (this.disposed ? undefined : this.cache()),
      open: (file) => this.open(file),
      onActiveChange: (listener) => this.onDidChange(listener),
    });
  }

  /** The active profile's cache (or `profileName`'s, when switching), opened if need be. */
  private cache(profileName?: string): CustomerTypeCache {
    if (!this.current) {
      const cache = this.open(join(this.folder(), cacheFileName(profileName ?? this.activeProfileName())));
      this.currentSubscription = cache.onDidChange((s) => this.changed.fire(s));
      this.current = cache;
    }
    return this.current;
  }

  private open(filePath: string): CustomerTypeCache {
    return new CustomerTypeCache(filePath, { onProblem: this.onProblem, onListenerError: this.onListenerError });
  }

  private close(): void {
    this.currentSubscription?.dispose();
    this.current?.dispose();
    this.current = undefined;
  }

  onDidChange(listener: (snapshot: CacheSnapshot) => void): Disposable {
    return this.changed.event(listener);
  }

  load(): Promise<CacheSnapshot> {
    return this.cache().load();
  }
  reload(): Promise<CacheSnapshot> {
    return this.cache().reload();
  }
  snapshot(): CacheSnapshot {
    return this.current?.snapshot() ?? CacheSnapshot.empty;
  }
  applyEdits(edits: ReadonlyArray<CacheEdit>): Promise<CacheSnapshot> {
    return this.cache().applyEdits(edits);
  }
  addProject(vbotId: string, projectCode: string): Promise<CacheSnapshot> {
    return this.cache().addProject(vbotId, projectCode);
  }
  removeProject(vbotId: string, projectCode: string): Promise<CacheSnapshot> {
    return this.cache().removeProject(vbotId, projectCode);
  }
  upsertType(vbotId: string, projectCode: string, type: { typeNo: string; typeName: string }): Promise<CacheSnapshot> {
    return this.cache().upsertType(vbotId, projectCode, type);
  }
  removeType(vbotId: string, projectCode: string, typeNo: string): Promise<CacheSnapshot> {
    return this.cache().removeType(vbotId, projectCode, typeNo);
  }
  changeTypeCode(vbotId: string, projectCode: string, oldNo: string, newNo: string, typeName?: string): Promise<CacheSnapshot> {
    return this.cache().changeTypeCode(vbotId, projectCode, oldNo, newNo, typeName);
  }

  dispose(): void {
    this.disposed = true;
    this.close();
    this.changed.dispose();
  }
}

interface ProfileCacheParts {
  /** The active profile's cache, if there is one. */
  active(): CustomerTypeCache | undefined;
  open(filePath: string): CustomerTypeCache;
  /** Changes of the active cache, whichever file it is on. */
  onActiveChange(listener: (snapshot: CacheSnapshot) => void): Disposable;
}

/** One profile's cache file, whether or not that profile is active when a call is made. */
class ProfileCache implements TypeCache {
  /** The cache on this file used while the profile is not active; made when first needed. */
  private own: CustomerTypeCache | undefined;
  /** The cache that last read or wrote the file for us: the freshest snapshot, until another has. */
  private lastUsed: CustomerTypeCache | undefined;

  constructor(
    readonly filePath: string,
    private readonly parts: ProfileCacheParts,
  ) {}

  load(): Promise<CacheSnapshot> {
    return this.use((c) => c.load());
  }
  reload(): Promise<CacheSnapshot> {
    return this.use((c) => c.reload());
  }
  applyEdits(edits: ReadonlyArray<CacheEdit>): Promise<CacheSnapshot> {
    return this.use((c) => c.applyEdits(edits));
  }
  addProject(vbotId: string, projectCode: string): Promise<CacheSnapshot> {
    return this.use((c) => c.addProject(vbotId, projectCode));
  }
  removeProject(vbotId: string, projectCode: string): Promise<CacheSnapshot> {
    return this.use((c) => c.removeProject(vbotId, projectCode));
  }
  upsertType(vbotId: string, projectCode: string, type: { typeNo: string; typeName: string }): Promise<CacheSnapshot> {
    return this.use((c) => c.upsertType(vbotId, projectCode, type));
  }
  removeType(vbotId: string, projectCode: string, typeNo: string): Promise<CacheSnapshot> {
    return this.use((c) => c.removeType(vbotId, projectCode, typeNo));
  }
  changeTypeCode(vbotId: string, projectCode: string, oldNo: string, newNo: string, typeName?: string): Promise<CacheSnapshot> {
    return this.use((c) => c.changeTypeCode(vbotId, projectCode, oldNo, newNo, typeName));
  }

  snapshot(): CacheSnapshot {
    const target = this.target();
    return (target === this.own && this.lastUsed ? this.lastUsed : target).snapshot();
  }

  /** Changes of this file, seen through the active cache or through our own. */
  onDidChange(listener: (snapshot: CacheSnapshot) => void): Disposable {
    const fromActive = this.parts.onActiveChange((snapshot) => {
      if (this.parts.active()?.filePath === this.filePath) listener(snapshot);
    });
    const fromOwn = this.ownCache().onDidChange(listener);
    return {
      dispose: () => {
        fromActive.dispose();
        fromOwn.dispose();
      },
    };
  }

  /** Makes the call on the cache it goes to; once our own cache has read or written the file, its snapshot is the freshest. */
  private use<T>(call: (cache: CustomerTypeCache) => Promise<T>): Promise<T> {
    const target = this.target();
    const result = call(target);
    if (target === this.own)
      result.then(
        () => (this.lastUsed = target),
        () => undefined,
      );
    return result;
  }

  private target(): CustomerTypeCache {
    const active = this.parts.active();
    if (active?.filePath === this.filePath) return (this.lastUsed = active);
    return this.ownCache();
  }

  private ownCache(): CustomerTypeCache {
    return (this.own ??= this.parts.open(this.filePath));
  }
}
