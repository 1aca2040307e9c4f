// The customer fields as last read (core/fields/fieldStore.ts: what the fields tree shows), for the export, the
// diff's left side and the editor's help: the active profile's store file, beside its customer-type list, read as
// it is now (the tree may have read a list since). Only a v3 profile with an API key reads fields, and only for the
// key's project; for anything else there is nothing stored.
import { promises as fs, watch } from 'node:fs';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { type StoredFields, type StoredProject, fieldStoreFileName, readStoredFields } from '../core/fields/fieldStore';
import { type FieldToWrite, fieldsToWrite } from '../core/typesAsCode/fieldsText';
import { desiredStateText } from '../core/typesAsCode/scaffold';
import type { CacheSnapshot } from '../core/cache/snapshot';
import { DEFAULT_PROFILE, type Profile } from './settings';

/** A project's stored fields, or undefined. */
export type FieldsOf = (vbotId: string, projectCode: string) => StoredProject | undefined;

const NOTHING: FieldsOf = () => undefined;

/** The store file of `profile`: in the folder of its customer-type list (`cacheFile`), named as fieldsTree.ts names it. */
function storeFile(cacheFile: string, profile: Profile): string {
  return path.join(path.dirname(cacheFile), fieldStoreFileName(profile.name, profile.name === DEFAULT_PROFILE));
}

const readsFields = (profile: Profile) => profile.apiVersion === 'v3' && !!profile.projectCode;

/** Whether `profile` reads the customer fields of that project (its API key's). */
export const readsFieldsOf = (profile: Profile, vbotId: string, projectCode: string): boolean =>
  readsFields(profile) && vbotId === profile.vbotId && projectCode === profile.projectCode;

function scoped(profile: Profile, stored: StoredFields): FieldsOf {
  return (vbotId, projectCode) => (readsFieldsOf(profile, vbotId, projectCode) ? stored.project(vbotId, projectCode) : undefined);
}

/** What `profile` has stored, read now. */
export async function storedFieldsOf(cacheFile: string, profile: Profile): Promise<FieldsOf> {
  return readsFields(profile) ? scoped(profile, await readStoredFields(storeFile(cacheFile, profile))) : NOTHING;
}

/** The same, read again only when the file changed (the editor asks at every pause in typing). */
export class StoredFieldsReader {
  private last: { key: string; fieldsOf: FieldsOf } | undefined;

  async read(cacheFile: string, profile: Profile): Promise<FieldsOf> {
    if (!readsFields(profile)) return NOTHING;
    const file = storeFile(cacheFile, profile);
    const stat = await fs.stat(file).catch(() => undefined);
    const key = JSON.stringify([file, stat?.mtimeMs, stat?.size, profile.vbotId, profile.projectCode]);
    if (this.last?.key === key) return this.last.fieldsOf;
    const fieldsOf = stat ? scoped(profile, await readStoredFields(file)) : NOTHING;
    this.last = { key, fieldsOf };
    return fieldsOf;
  }
}

/**
 * A whole project's vbot-types.json for the export: its cached types and, when `profile` reads its fields, the
 * choice lists as last read (`fields`: what was written of them; none stored, no "fields" key).
 */
export async function projectTypesFile(
  snapshot: CacheSnapshot,
  cacheFile: string,
  profile: Profile,
  vbotId: string,
  projectCode: string,
): Promise<{ text: string; fields?: FieldToWrite[] }> {
  const fields = fieldsToWrite((await storedFieldsOf(cacheFile, profile))(vbotId, projectCode));
  const types = snapshot.project(vbotId, projectCode)?.types ?? [];
  return { text: desiredStateText([{ vbotId, projectCode, types, fields }]), fields };
}

/**
 * Calls `onChange` (debounced) when a store file in the folder of `cacheFile()` is written: the fields tree read a
 * list, so the CodeLenses and the diff's left side are asked for again. Nothing when the folder cannot be watched.
 */
export function watchStoredFields(cacheFile: () => string, onChange: () => void): vscode.Disposable {
  let timer: NodeJS.Timeout | undefined;
  try {
    const watcher = watch(path.dirname(cacheFile()), (_event, file) => {
      if (!file?.toString().startsWith('customer-fields')) return;
      clearTimeout(timer);
      timer = setTimeout(onChange, 150);
    });
    watcher.on('error', () => undefined);
    return { dispose: () => (clearTimeout(timer), watcher.close()) };
  } catch {
    return { dispose: () => undefined };
  }
}
