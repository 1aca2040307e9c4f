// The one runner that carries out a change, whoever asks (a command, Undo, Apply):
//   the API call → settle a lost answer → the journal → the local list (cache),
// and it answers only once that is durable. It never throws: every end is a ChangeResult.
//
// A lost answer (outcome unknown) is remembered in the journal, not in memory, so it survives a window
// reload: when a later attempt of the same change meets the answer that proves it was already made
// (409 for a create, 404 for a delete or a change of code), the change is 'recovered'.
// A change to an option of a customer field (API v3, optionChange.ts) goes the same way, and its lost answer
// is first settled by reading the option back: made (done) or not made (failed), not left unknown.
//
// Pure core: no `vscode` import.
import * as path from 'node:path';
import { LocalSaveError } from '../atomicFile';
import { formatError } from '../json';
import { type VbotOperation, VbotError } from '../vbotError';
import {
  type ApiRequest,
  type CacheEdit,
  type ChangeOp,
  type ChangeOutcome,
  type ChangeRecord,
  type TypeChange,
  addressedCode,
  apiRequestOf,
  cacheEditOf,
  changeOfRecord,
  describeChange,
  proofOfDone,
  recordOf,
  sameChange,
} from './typeChange';
import {
  type OptionChange,
  describeOptionChange,
  isOptionChange,
  optionCode,
  optionProofOfDone,
  optionRecordOf,
  optionRequestOf,
  recordsOptionChange,
} from './optionChange';

/** What the runner carries out: a change to a customer type or (API v3) to an option of a customer field. */
export type Change = TypeChange | OptionChange;
import { GroupCommit } from './groupCommit';

// ---------------------------------------------------------------------------------------------
// Ports: what the runner needs of the world, shaped so the real client, journal and cache fit them.

export type ApiAnswer = { ok: true } | { ok: false; error: VbotError };

/** The API, already bound to one profile (its client and token) by the caller. Never throws. */
export interface ChangeApi {
  send(request: ApiRequest, signal?: AbortSignal): Promise<ApiAnswer>;
}

export interface JournalLookup {
  profile: string;
  vbotId: string;
  projectCode: string;
  /** Entries whose addressed code, code before or code after is this one. */
  typeNo: string;
  /** An option's change: the customer field whose options the code is among (else a type's code). */
  field?: string;
}

export interface ChangeJournalPort {
  appendMany(records: ReadonlyArray<ChangeRecord>): Promise<unknown>;
  /** Newest first. */
  entries(filter: JournalLookup): Promise<ReadonlyArray<ChangeRecord & { id: string }>>;
}

export interface ChangeCachePort {
  /** Rejects when the file cannot be written. */
  applyEdits(edits: ReadonlyArray<CacheEdit>): Promise<unknown>;
}

export interface ChangeLog {
  info(s: string): void;
  warn(s: string): void;
}

export interface ChangeRunnerDeps {
  /** The name of the profile the command started in: the journal records it, recovery looks within it. */
  profile: string;
  api: ChangeApi;
  journal: ChangeJournalPort;
  cache: ChangeCachePort;
  log: ChangeLog;
  /** Apply: the least time between the starts of two writes (see GroupCommit). */
  minWriteIntervalMs?: number;
}

export interface RunOptions {
  signal?: AbortSignal;
  /** The journal id of the entry this change undoes. */
  undoOf?: string;
  /**
   * Called once the server's answer is settled, before the durable write, so a scheduler can start the
   * next call. `error` is the refusal when `ok` is false.
   */
  onAnswered?: (ok: boolean, error?: VbotError) => void;
}

/**
 * done: made and saved. recovered: an earlier attempt whose answer was lost had made it; now saved.
 * failed with a VbotError: not made (or not known to be made: `error.outcomeUnknown`).
 * failed with a LocalSaveError: made on VBot, but not saved in the local list.
 */
export type ChangeResult<C extends Change = TypeChange> =
  | { readonly status: 'done' | 'recovered'; readonly change: C }
  | { readonly status: 'failed'; readonly change: C; readonly error: VbotError | LocalSaveError };

// ---------------------------------------------------------------------------------------------

/** What one change leaves: its journal record and, when the server made it, the cache edit. */
interface Durable {
  readonly record: ChangeRecord;
  readonly edit?: CacheEdit;
}

type Settled = { status: 'done' | 'recovered'; readBack?: true } | { status: 'failed'; error: VbotError };

export class ChangeRunner {
  private readonly commit: GroupCommit<Durable>;

  constructor(private readonly d: ChangeRunnerDeps) {
    this.commit = new GroupCommit((group) => this.write(group), d.minWriteIntervalMs);
  }

  async run<C extends Change>(change: C, options: RunOptions = {}): Promise<ChangeResult<C>> {
    const { answer, request } = await this.call(change, options.signal);
    const settled: Settled = answer.ok
      ? { status: 'done' }
      : answer.error.outcomeUnknown && request?.readBack
        ? await this.readBack(change, request, answer.error, options.signal)
        : await this.settle(change, answer.error);
    this.answered(options, settled);
    const failure = await this.save(change, settled, options.undoOf);
    if (failure) return { status: 'failed', change, error: failure };
    return settled.status === 'failed' ? { status: 'failed', change, error: settled.error } : { status: settled.status, change };
  }

  /** The API call; a request that cannot be made or a port that throws becomes a VbotError. */
  private async call(change: Change, signal?: AbortSignal): Promise<{ answer: ApiAnswer; request?: ApiRequest }> {
    let request: ApiRequest;
    try {
      request = isOptionChange(change) ? optionRequestOf(change) : apiRequestOf(change);
    } catch (e) {
      // Nothing was sent: a malformed change is refused like an invalid value.
      const error = new VbotError({ kind: 'invalidInput', operation: operationOf(change), detail: formatError(e) });
      return { answer: { ok: false, error } };
    }
    try {
      return { answer: await this.d.api.send(request, signal), request };
    } catch (e) {
      return { answer: { ok: false, error: unexpectedError(change, e) }, request };
    }
  }

  /**
   * A lost answer to a change that can be read back: the server shows it made (done) or not (failed, and
   * known not made); when the read fails too, the outcome stays unknown, and the journal remembers it.
   */
  private async readBack(change: Change, request: ApiRequest, error: VbotError, signal?: AbortSignal): Promise<Settled> {
    const check = request.readBack!;
    let made: boolean | undefined;
    try {
      const answer = await this.d.api.send(
        { operation: check.operation, typeNo: request.typeNo, send: async (c, key, s) => void (made = await check.run(c, key, s)) },
        signal,
      );
      if (!answer.ok || made === undefined) {
        this.d.log.warn(`${describe(change)}: the answer was lost, and reading it back failed too; the outcome is unknown.`);
        return { status: 'failed', error };
      }
    } catch (e) {
      this.d.log.warn(`${describe(change)}: could not read it back: ${formatError(e)}`);
      return { status: 'failed', error };
    }
    this.d.log.info(`${describe(change)}: the answer was lost; read back, the server shows it ${made ? 'made' : 'not made'}.`);
    if (made) return { status: 'done', readBack: true };
    return {
      status: 'failed',
      error: new VbotError({
        kind: error.kind,
        operation: error.operation,
        typeNo: error.typeNo,
        httpStatus: error.httpStatus,
        detail: 'the answer was lost; read back, the change was not made',
      }),
    };
  }

  /**
   * A refusal that proves the change exists on the server counts as done when the journal's last word on
   * the code is this very change with an unknown (or done) outcome: an earlier attempt made it. A 'done'
   * entry counts because its cache write may have failed. The journal is read only on such a refusal.
   */
  private async settle(change: Change, error: VbotError): Promise<Settled> {
    const proof = isOptionChange(change) ? optionProofOfDone(change) : proofOfDone(change);
    if (error.kind !== proof) return { status: 'failed', error };
    try {
      // Records of this runner still waiting for their write are part of that last word.
      await this.commit.flushed();
      const entries = await this.d.journal.entries({
        profile: this.d.profile,
        vbotId: change.vbotId,
        projectCode: change.projectCode,
        typeNo: codeOf(change),
        ...(isOptionChange(change) ? { field: change.fieldCode } : {}),
      });
      // The last word on this code among the entries of the same list (the types, or this field's options).
      const field = isOptionChange(change) ? change.fieldCode : undefined;
      const last = entries.find((entry) => entry.outcome !== 'failed' && entry.field === field);
      if (last && provesDone(last, change)) {
        this.d.log.info(`${describe(change)}: the server already has it; an earlier attempt whose answer was lost made it.`);
        return { status: 'recovered' };
      }
    } catch (e) {
      this.d.log.warn(`Could not read the change journal to settle a lost answer: ${formatError(e)}`);
    }
    return { status: 'failed', error };
  }

  private answered(options: RunOptions, settled: Settled): void {
    try {
      options.onAnswered?.(settled.status !== 'failed', settled.status === 'failed' ? settled.error : undefined);
    } catch (e) {
      this.d.log.warn(`A change's answer callback failed: ${formatError(e)}`);
    }
  }

  /** Writes the journal record and, for a change the server made, the cache edit; the cache's failure if any. */
  private async save(change: Change, settled: Settled, undoOf: string | undefined): Promise<LocalSaveError | undefined> {
    const outcome: ChangeOutcome = settled.status !== 'failed' ? 'done' : settled.error.outcomeUnknown ? 'unknown' : 'failed';
    const message =
      settled.status === 'failed'
        ? (settled.error.serverMessage ?? settled.error.kind)
        : settled.status === 'recovered'
          ? 'made by an earlier attempt whose answer was lost'
          : settled.readBack
            ? 'the answer was lost; read back, the server shows it made'
            : undefined;
    let durable: Durable;
    try {
      const how = { profile: this.d.profile, outcome, message, undoOf };
      // An option is not in the local list of types: its change leaves no cache edit (the tree reads the field again).
      if (isOptionChange(change)) durable = { record: optionRecordOf(change, how) };
      else durable = outcome === 'done' ? { record: recordOf(change, how), edit: cacheEditOf(change) } : { record: recordOf(change, how) };
    } catch (e) {
      // Only a malformed change gets here, and it was refused before being sent.
      this.d.log.warn(`Could not record a change: ${formatError(e)}`);
      return undefined;
    }
    try {
      await this.commit.add(durable);
      return undefined;
    } catch (e) {
      // The group's cache write failed: that only matters to a change that had a cache edit in it.
      return durable.edit ? asLocalSaveError(e) : undefined;
    }
  }

  /** One group: the journal first (its failure is only logged), then the cache. */
  private async write(group: ReadonlyArray<Durable>): Promise<void> {
    await this.append(group.map((item) => item.record));
    const edits = group.flatMap((item) => (item.edit ? [item.edit] : []));
    if (edits.length === 0) return;
    try {
      await this.d.cache.applyEdits(edits);
    } catch (e) {
      this.d.log.warn(`Could not save the local list: ${formatError(e)}`);
      throw e;
    }
  }

  /**
   * The journal refuses a whole group for one invalid record (a TypeError, writing nothing): the records
   * are then written one by one, so the others, and with them the memory of lost answers, are kept.
   */
  private async append(records: ReadonlyArray<ChangeRecord>): Promise<void> {
    try {
      await this.d.journal.appendMany(records);
      return;
    } catch (e) {
      if (!(e instanceof TypeError) || records.length === 1) {
        this.d.log.warn(`Could not write the change journal: ${formatError(e)}`);
        return;
      }
    }
    for (const record of records) await this.append([record]);
  }
}

/**
 * The entry records this change, carried out or maybe carried out. A create must also have had the same
 * name: otherwise the type on the server is not the one asked for.
 */
function provesDone(entry: ChangeRecord, change: Change): boolean {
  if (entry.outcome !== 'unknown' && entry.outcome !== 'done') return false;
  if (isOptionChange(change)) return recordsOptionChange(entry, change);
  const recorded = changeOfRecord(entry);
  if (!sameChange(recorded, change)) return false;
  return change.op !== 'create' || recorded.after?.typeName === change.after?.typeName;
}

/**
 * A port (or a runner) that threw although it must not: the request may have gone out, so the outcome
 * is unknown, which keeps a later attempt able to recover it.
 */
export function unexpectedError(change: Change, e: unknown): VbotError {
  return new VbotError({
    kind: 'badResponse',
    operation: operationOf(change),
    typeNo: safeAddressedCode(change),
    outcomeUnknown: true,
    detail: formatError(e),
  });
}

function safeAddressedCode(change: Change): string | undefined {
  try {
    return codeOf(change);
  } catch {
    return undefined;
  }
}

const OPERATION_OF: Record<ChangeOp, VbotOperation> = {
  create: 'createType',
  rename: 'updateTypeName',
  changeCode: 'changeTypeCode',
  delete: 'deleteType',
};

/** An option's operations are named as the API client names them. */
const operationOf = (change: Change): VbotOperation => (isOptionChange(change) ? change.op : OPERATION_OF[change.op]);
const codeOf = (change: Change): string => (isOptionChange(change) ? optionCode(change) : addressedCode(change));
const describe = (change: Change): string => (isOptionChange(change) ? describeOptionChange(change) : describeChange(change));

/**
 * A cache failure as the LocalSaveError the UI explains. A file system error (a code and a path) keeps
 * both, so the UI can name the folder; anything else is 'UNKNOWN', explained by its message.
 */
function asLocalSaveError(e: unknown): LocalSaveError {
  if (e instanceof LocalSaveError) return e;
  const { code, path: file } = (e ?? {}) as { code?: unknown; path?: unknown };
  const message = `The local list could not be saved: ${formatError(e)}`;
  if (typeof code === 'string' && typeof file === 'string' && file !== '') {
    return new LocalSaveError(code, file, path.dirname(file), message, { cause: e });
  }
  return new LocalSaveError('UNKNOWN', '', '', message, { cause: e });
}
