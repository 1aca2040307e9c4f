// What was last read of a profile's customer fields, per project: the choice fields, each field's options and
// groups, and when each list was read. The tree draws from it when VBot cannot be reached ("read at <time>").
// The file discipline of the customer-type cache: every write a locked read-modify-write of the current file,
// replaced atomically (temp file, fsync, rename); a file that cannot be read is moved aside, never overwritten.
// Pure core: no `vscode` import.
import { promises as fs } from 'node:fs';
import * as z from 'zod/mini';
import { readBytesOrNull, removeOrphanTempFiles, renameWithRetry, withFileLock } from '../atomicFile';
import { writeFileAtomically } from '../atomicWrite';
import { stripBom } from '../json';
import type { ChoiceField, FieldOption } from './model';

export const FIELD_STORE_VERSION = 1;

/** One list as read: when, and whether the read reached its end (see paging.ts, MAX_PAGES). */
export interface StoredList<T> {
  items: T[];
  /** ISO time of the read. */
  readAt: string;
  complete: boolean;
}

export interface StoredProject {
  vbotId: string;
  projectCode: string;
  fields?: StoredList<ChoiceField>;
  /** field code → its options and groups, as last read. */
  options: Record<string, StoredList<FieldOption>>;
}

export interface FieldStoreProblem {
  /** Where the unreadable file was moved; never overwritten or deleted. */
  backupPath: string;
  detail: string;
}

const colour = z.nullable(z.string());
const storedField = z.object({
  code: z.string(),
  name: z.string(),
  type: z.enum(['SELECT', 'CHECKBOX', 'RADIO']),
  number: z.number(),
  color: colour,
  textColor: colour,
  description: z.nullable(z.string()),
  isRequired: z.boolean(),
  isDefault: z.boolean(),
});
const storedOption = z.object({
  code: z.string(),
  name: z.string(),
  type: z.enum(['OPTION', 'OPTGROUP']),
  groupCode: z.nullable(z.string()),
  number: z.number(),
  color: colour,
  textColor: colour,
});
const list = <T extends z.ZodMiniType>(item: T) => z.object({ items: z.array(item), readAt: z.iso.datetime(), complete: z.boolean() });
const storeFile = z.object({
  version: z.literal(FIELD_STORE_VERSION),
  projects: z.array(
    z.object({
      vbotId: z.string(),
      projectCode: z.string(),
      fields: z.optional(list(storedField)),
      options: z.record(z.string(), list(storedOption)),
    }),
  ),
});

const key = (vbotId: string, projectCode: string) => `${vbotId}\u0000${projectCode}`;

export class FieldStore {
  private projects = new Map<string, StoredProject>();
  /** Serializes this instance's operations. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly filePath: string,
    private readonly options: { onProblem?: (problem: FieldStoreProblem) => void; now?: () => Date } = {},
  ) {}

  /** Reads the file (no file: nothing stored; an unreadable one is moved aside first). */
  load(): Promise<void> {
    return this.enqueue(async () => {
      await removeOrphanTempFiles(this.filePath);
      // Without the lock while the file reads well: a read-only folder still shows what was stored.
      const read = parseStore(await readBytesOrNull(this.filePath));
      if (read.ok) {
        this.projects = read.projects;
        return;
      }
      await withFileLock(this.filePath, 'fields', async () => {
        this.projects = await this.readUnderLock();
      });
    });
  }

  /** What is stored for a project (after load), or undefined. */
  project(vbotId: string, projectCode: string): StoredProject | undefined {
    return this.projects.get(key(vbotId, projectCode));
  }

  /** Keeps a fresh read of the fields; the options of fields that are gone are forgotten. */
  saveFields(vbotId: string, projectCode: string, fields: StoredList<ChoiceField>): Promise<void> {
    return this.mutate(vbotId, projectCode, (p) => {
      const codes = new Set(fields.items.map((f) => f.code));
      const options = Object.fromEntries(Object.entries(p.options).filter(([code]) => codes.has(code)));
      return { ...p, fields, options };
    });
  }

  saveOptions(vbotId: string, projectCode: string, fieldCode: string, options: StoredList<FieldOption>): Promise<void> {
    return this.mutate(vbotId, projectCode, (p) => ({ ...p, options: { ...p.options, [fieldCode]: options } }));
  }

  // -------------------------------------------------------------------------------------------

  private enqueue<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation, operation);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** One locked read-modify-write of the file as it is now (another window may have written it). */
  private mutate(vbotId: string, projectCode: string, change: (p: StoredProject) => StoredProject): Promise<void> {
    return this.enqueue(() =>
      withFileLock(this.filePath, 'fields', async (assertLockHeld) => {
        const projects = await this.readUnderLock();
        const k = key(vbotId, projectCode);
        projects.set(k, change(projects.get(k) ?? { vbotId, projectCode, options: {} }));
        const text = JSON.stringify({ version: FIELD_STORE_VERSION, projects: [...projects.values()] }, null, 1) + '\n';
        await writeFileAtomically(this.filePath, Buffer.from(text, 'utf8'), assertLockHeld);
        this.projects = projects;
      }),
    );
  }

  private async readUnderLock(): Promise<Map<string, StoredProject>> {
    const read = parseStore(await readBytesOrNull(this.filePath));
    if (read.ok) return read.projects;
    const backupPath = await this.moveAside();
    this.options.onProblem?.({ backupPath, detail: read.detail });
    return new Map();
  }

  /** `<file>.bad-<time>`, with `-2`, `-3`… rather than overwrite a backup. Only the lock holder gets here. */
  private async moveAside(): Promise<string> {
    const stamp = (this.options.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-');
    let backupPath = `${this.filePath}.bad-${stamp}`;
    for (
      let n = 2;
      await fs.lstat(backupPath).then(
        () => true,
        () => false,
      );
      n++
    )
      backupPath = `${this.filePath}.bad-${stamp}-${n}`;
    await renameWithRetry(this.filePath, backupPath);
    return backupPath;
  }
}

/** What a profile's store file holds, read without a lock and never moved aside (for exports and the editor). */
export interface StoredFields {
  project(vbotId: string, projectCode: string): StoredProject | undefined;
}

/** Reads a store file as it is now: a missing or unreadable file holds nothing (the tree deals with a bad one). */
export async function readStoredFields(filePath: string): Promise<StoredFields> {
  const read = parseStore(await readBytesOrNull(filePath).catch(() => null));
  const projects = read.ok ? read.projects : new Map<string, StoredProject>();
  return { project: (vbotId, projectCode) => projects.get(key(vbotId, projectCode)) };
}

function parseStore(bytes: Buffer | null): { ok: true; projects: Map<string, StoredProject> } | { ok: false; detail: string } {
  if (bytes === null) return { ok: true, projects: new Map() };
  let json: unknown;
  try {
    json = JSON.parse(stripBom(bytes.toString('utf8')));
  } catch {
    return { ok: false, detail: 'not JSON' };
  }
  const parsed = storeFile.safeParse(json);
  if (!parsed.success) return { ok: false, detail: `not a field store of version ${FIELD_STORE_VERSION}` };
  return { ok: true, projects: new Map(parsed.data.projects.map((p) => [key(p.vbotId, p.projectCode), p])) };
}

/** Beside the profile's customer-type list: `customer-fields.json` for the default profile, else one per profile. */
export function fieldStoreFileName(profileName: string, isDefault: boolean): string {
  return isDefault ? 'customer-fields.json' : `customer-fields@${profileName.replace(/[^\p{L}\p{N}_.-]+/gu, '_')}.json`;
}
