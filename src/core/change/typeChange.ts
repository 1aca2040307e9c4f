// One change to one customer type: the single model every part speaks (commands, Plan/Apply, the
// journal, undo). Everything about a change that does not need I/O is a pure function here: the API
// request it makes, the cache edit it implies, the journal entry it leaves, its inverse, one line of text.
//
//   create      after                      the type that now exists
//   rename      before, after (same code)  before.typeName may be '' when the old name is not known
//   changeCode  before, after (same name)  the name may be '' when it is not known
//   delete      before                     before.typeName may be '' when it is not known
//
// Pure core: no `vscode` import.
import type { CodeChange, TypeInput, TypeKey, VbotClient } from '../vbotClient';
import type { VbotErrorKind, VbotOperation } from '../vbotError';
import { validateProjectCode, validateTypeName, validateTypeNo, validateVbotId } from '../validation';

export type ChangeOp = 'create' | 'rename' | 'changeCode' | 'delete';

export const CHANGE_OPS: ReadonlyArray<ChangeOp> = ['create', 'rename', 'changeCode', 'delete'];

/**
 * The operations on an option of a customer field (API v3, optionChange.ts), named apart from a type's so that
 * a journal line of one is never read as the other (an older version skips these lines as unknown).
 */
export type OptionOp = 'createOption' | 'updateOption' | 'changeOptionCode' | 'deleteOption';
export const OPTION_OPS: ReadonlyArray<OptionOp> = ['createOption', 'updateOption', 'changeOptionCode', 'deleteOption'];

export interface TypeState {
  readonly typeNo: string;
  readonly typeName: string;
}

export interface TypeChange {
  readonly op: ChangeOp;
  readonly vbotId: string;
  readonly projectCode: string;
  /** The type before the change; absent for a create. */
  readonly before?: TypeState;
  /** The type after the change; absent for a delete. */
  readonly after?: TypeState;
}

// ---------------------------------------------------------------------------------------------
// Making changes

type Where = { vbotId: string; projectCode: string };

export function createChange(where: Where, type: TypeState): TypeChange {
  return { op: 'create', vbotId: where.vbotId, projectCode: where.projectCode, after: state(type.typeNo, type.typeName) };
}

/** `oldName` '' when the current name is not known. */
export function renameChange(where: Where, typeNo: string, oldName: string, newName: string): TypeChange {
  return {
    op: 'rename',
    vbotId: where.vbotId,
    projectCode: where.projectCode,
    before: state(typeNo, oldName),
    after: state(typeNo, newName),
  };
}

/** `typeName` '' when the name is not known. */
export function changeCodeChange(where: Where, oldTypeNo: string, newTypeNo: string, typeName: string): TypeChange {
  return {
    op: 'changeCode',
    vbotId: where.vbotId,
    projectCode: where.projectCode,
    before: state(oldTypeNo, typeName),
    after: state(newTypeNo, typeName),
  };
}

/** `typeName` '' when the name is not known. */
export function deleteChange(where: Where, typeNo: string, typeName: string): TypeChange {
  return { op: 'delete', vbotId: where.vbotId, projectCode: where.projectCode, before: state(typeNo, typeName) };
}

function state(typeNo: string, typeName: string): TypeState {
  return { typeNo, typeName };
}

// ---------------------------------------------------------------------------------------------
// What a change addresses

/** The code the API call names: the new code for a create, the current code for the rest. */
export function addressedCode(change: TypeChange): string {
  return (change.before ?? change.after)!.typeNo;
}

/** The code the type has afterwards; undefined for a delete. */
export function resultCode(change: TypeChange): string | undefined {
  return change.after?.typeNo;
}

/** The codes a change touches: the addressed one and, for a change of code, the new one. */
export function codesOf(change: TypeChange): string[] {
  const codes = [addressedCode(change)];
  const after = resultCode(change);
  if (after !== undefined && after !== codes[0]) codes.push(after);
  return codes;
}

/** The same change: same operation, project and codes (names aside). */
export function sameChange(a: TypeChange, b: TypeChange): boolean {
  return (
    a.op === b.op &&
    a.vbotId === b.vbotId &&
    a.projectCode === b.projectCode &&
    a.before?.typeNo === b.before?.typeNo &&
    a.after?.typeNo === b.after?.typeNo
  );
}

/**
 * The answer that proves an earlier attempt of this change was carried out, when that attempt's outcome
 * is unknown: the type already exists (create), or the code it addressed is gone (delete, change of code).
 * A rename has no such proof (the server answers a rename to the same name with success anyway).
 */
export function proofOfDone(change: TypeChange): VbotErrorKind | undefined {
  switch (change.op) {
    case 'create':
      return 'alreadyExists';
    case 'delete':
    case 'changeCode':
      return 'notFound';
    case 'rename':
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// The API request

/** The client calls a type's request is made of; VbotClient has them all. */
export interface TypeApi {
  createType(t: TypeInput, accessToken: string, signal?: AbortSignal): Promise<void>;
  updateTypeName(t: TypeInput, accessToken: string, signal?: AbortSignal): Promise<void>;
  changeTypeCode(c: CodeChange, accessToken: string, signal?: AbortSignal): Promise<void>;
  deleteType(t: TypeKey, accessToken: string, signal?: AbortSignal): Promise<void>;
}

/** What a request is sent with: the type calls and (API v3, options) the v3 call; VbotClient has them all. */
export type ChangeClient = TypeApi & Pick<VbotClient, 'v3Call'>;

export interface ApiRequest {
  readonly operation: VbotOperation;
  /** The code the request names, for error messages. */
  readonly typeNo: string;
  send(client: ChangeClient, accessToken: string, signal?: AbortSignal): Promise<void>;
  /**
   * Whether the server shows the change made, by reading it back (an option can be read; a type cannot): how
   * the runner settles an answer that was lost.
   */
  readonly readBack?: {
    readonly operation: VbotOperation;
    run(client: ChangeClient, accessToken: string, signal?: AbortSignal): Promise<boolean>;
  };
}

export function apiRequestOf(change: TypeChange): ApiRequest {
  const where = { vbotId: change.vbotId, projectCode: change.projectCode };
  const typeNo = addressedCode(change);
  switch (change.op) {
    case 'create': {
      const type = { ...where, typeNo, typeName: change.after!.typeName };
      return { operation: 'createType', typeNo, send: (c, token, signal) => c.createType(type, token, signal) };
    }
    case 'rename': {
      const type = { ...where, typeNo, typeName: change.after!.typeName };
      return { operation: 'updateTypeName', typeNo, send: (c, token, signal) => c.updateTypeName(type, token, signal) };
    }
    case 'changeCode': {
      const codes = { ...where, oldTypeNo: typeNo, newTypeNo: change.after!.typeNo };
      return { operation: 'changeTypeCode', typeNo, send: (c, token, signal) => c.changeTypeCode(codes, token, signal) };
    }
    case 'delete': {
      const key = { ...where, typeNo };
      return { operation: 'deleteType', typeNo, send: (c, token, signal) => c.deleteType(key, token, signal) };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The cache edit

/**
 * What the local list does once the server confirmed a change. Edits never conflict: each makes the
 * list agree with what the server just said, whatever the list held before.
 *   upsert      the type exists with this name (the project is added if need be)
 *   remove      the code no longer exists
 *   changeCode  `oldNo` is gone and `newNo` exists; its name is the cached one of `oldNo`, else
 *               `typeName` when known, else `newNo` is left out (the list never invents a name)
 *   addProject  the project is listed, even with no types
 *   upsertSorted  an upsert of each of `types` into one project, their codes in strictly increasing order
 *               (an import's rows, as the collector that read them found them): merged without comparing
 *               each code with the next, and without an edit object per type
 */
export type CacheEdit =
  | { readonly kind: 'upsert'; readonly vbotId: string; readonly projectCode: string; readonly typeNo: string; readonly typeName: string }
  | { readonly kind: 'remove'; readonly vbotId: string; readonly projectCode: string; readonly typeNo: string }
  | {
      readonly kind: 'changeCode';
      readonly vbotId: string;
      readonly projectCode: string;
      readonly oldNo: string;
      readonly newNo: string;
      readonly typeName: string;
    }
  | { readonly kind: 'addProject'; readonly vbotId: string; readonly projectCode: string }
  | {
      readonly kind: 'upsertSorted';
      readonly vbotId: string;
      readonly projectCode: string;
      readonly types: ReadonlyArray<{ readonly typeNo: string; readonly typeName: string }>;
    };

export function cacheEditOf(change: TypeChange): CacheEdit {
  const where = { vbotId: change.vbotId, projectCode: change.projectCode };
  switch (change.op) {
    case 'create':
    case 'rename':
      return { kind: 'upsert', ...where, typeNo: change.after!.typeNo, typeName: change.after!.typeName };
    case 'changeCode':
      return { kind: 'changeCode', ...where, oldNo: change.before!.typeNo, newNo: change.after!.typeNo, typeName: change.after!.typeName };
    case 'delete':
      return { kind: 'remove', ...where, typeNo: change.before!.typeNo };
  }
}

// ---------------------------------------------------------------------------------------------
// The journal entry

export type ChangeOutcome = 'done' | 'failed' | 'unknown';

/** What the journal records of a change (the journal adds the id and the time). */
export interface ChangeRecord {
  readonly profile: string;
  readonly vbotId: string;
  readonly projectCode: string;
  /** An option's change (API v3): the customer field's code; absent for a customer type's change. */
  readonly field?: string;
  readonly operation: ChangeOp | OptionOp;
  readonly typeNo: string;
  readonly before?: TypeState;
  readonly after?: TypeState;
  readonly outcome: ChangeOutcome;
  readonly message?: string;
  readonly undoOf?: string;
}

/**
 * The journal entry a change leaves. A name that is not known ('') is left out with its state, as the
 * journal always did, except for a change of code, whose two codes are the change itself.
 */
export function recordOf(
  change: TypeChange,
  how: { profile: string; outcome: ChangeOutcome; message?: string; undoOf?: string },
): ChangeRecord {
  const keep = (s: TypeState | undefined) => (s && (s.typeName !== '' || change.op === 'changeCode') ? s : undefined);
  const before = change.op === 'create' ? undefined : keep(change.before);
  const after = change.op === 'delete' ? undefined : change.op === 'create' ? change.after : keep(change.after);
  return {
    profile: how.profile,
    vbotId: change.vbotId,
    projectCode: change.projectCode,
    operation: change.op,
    typeNo: addressedCode(change),
    ...(before ? { before } : {}),
    ...(after ? { after } : {}),
    outcome: how.outcome,
    ...(how.message !== undefined ? { message: how.message } : {}),
    ...(how.undoOf !== undefined ? { undoOf: how.undoOf } : {}),
  };
}

/** The change a journal entry of a customer type records (names not recorded are ''). */
export function changeOfRecord(entry: Omit<ChangeRecord, 'profile' | 'outcome'>): TypeChange {
  const where = { vbotId: entry.vbotId, projectCode: entry.projectCode };
  switch (entry.operation) {
    case 'createOption':
    case 'updateOption':
    case 'changeOptionCode':
    case 'deleteOption':
      throw new TypeError('not a change of a customer type');
    case 'create':
      return createChange(where, entry.after ?? state(entry.typeNo, ''));
    case 'rename':
      return renameChange(where, entry.typeNo, entry.before?.typeName ?? '', entry.after?.typeName ?? '');
    case 'changeCode':
      return changeCodeChange(
        where,
        entry.before?.typeNo ?? entry.typeNo,
        entry.after?.typeNo ?? entry.typeNo,
        entry.before?.typeName ?? entry.after?.typeName ?? '',
      );
    case 'delete':
      return deleteChange(where, entry.typeNo, entry.before?.typeName ?? '');
  }
}

// ---------------------------------------------------------------------------------------------
// The inverse (undo)
//
//   create X "n"        → delete X
//   delete X "n"        → create X "n" again (same code, same name)
//   rename X "a" → "b"  → rename X back to "a"
//   changeCode X → Y    → change the code Y back to X
//
// Values are checked with the rules of typed input, so a hand-edited journal cannot make Undo send
// something the prompts would refuse.

export type Inverse = { readonly change: TypeChange } | { readonly impossible: string };

export function inverseOf(change: TypeChange): Inverse {
  if (!validateVbotId(change.vbotId).ok || !validateProjectCode(change.projectCode).ok) {
    return { impossible: 'The change has no valid VBotID or project code.' };
  }
  const where = { vbotId: change.vbotId, projectCode: change.projectCode };
  const { before, after } = change;
  switch (change.op) {
    case 'create': {
      if (!after || !validateTypeNo(after.typeNo).ok) return { impossible: "The created type's code is not valid." };
      return { change: deleteChange(where, after.typeNo, after.typeName) };
    }
    case 'delete': {
      if (!before || !validateTypeNo(before.typeNo).ok) return { impossible: "The deleted type's code is not valid." };
      if (!validateTypeName(before.typeName).ok) return { impossible: "The deleted type's name is not known, so it cannot be re-created." };
      return { change: createChange(where, before) };
    }
    case 'rename': {
      if (!before || !validateTypeName(before.typeName).ok)
        return { impossible: "The type's earlier name is not known, so it cannot be restored." };
      if (!after || !validateTypeNo(after.typeNo).ok) return { impossible: "The renamed type's code is not valid." };
      if (after.typeName === before.typeName) return { impossible: 'The name did not change, so there is nothing to undo.' };
      return { change: renameChange(where, after.typeNo, after.typeName, before.typeName) };
    }
    case 'changeCode': {
      if (!before || !after) return { impossible: "The type's codes before and after the change are not both known." };
      if (!validateTypeNo(before.typeNo).ok || !validateTypeNo(after.typeNo).ok) return { impossible: "The type's codes are not valid." };
      if (before.typeNo === after.typeNo) return { impossible: 'The code did not change, so there is nothing to undo.' };
      return { change: changeCodeChange(where, after.typeNo, before.typeNo, after.typeName) };
    }
  }
}

/** The undo of a journal entry: only a change the server confirmed can be undone. */
export function undoOfRecord(entry: ChangeRecord & { id: string }): Inverse & { undoOf?: string } {
  if (entry.field !== undefined || OPTION_OPS.includes(entry.operation as OptionOp))
    return { impossible: 'Changes to the options of a customer field cannot be undone.' };
  if (entry.outcome === 'failed') return { impossible: 'The change failed, so there is nothing to undo.' };
  if (entry.outcome !== 'done')
    return { impossible: "It is not known whether the change was made (the server's answer was lost), so it cannot be undone." };
  if (entry.operation === 'delete' && !entry.before)
    return { impossible: "The deleted type's name is not known, so it cannot be re-created." };
  if (entry.operation === 'changeCode' && (!entry.before || !entry.after))
    return { impossible: "The type's codes before and after the change are not both known." };
  const inverse = inverseOf(changeOfRecord(entry));
  return 'change' in inverse ? { change: inverse.change, undoOf: entry.id } : inverse;
}

// ---------------------------------------------------------------------------------------------
// Text

/** One line of English for the log: `create VIP "Khách hàng VIP" in VB1/P1`. Values are quoted with JSON. */
export function describeChange(change: TypeChange): string {
  const q = JSON.stringify;
  const where = `in ${change.vbotId}/${change.projectCode}`;
  switch (change.op) {
    case 'create':
      return `create ${change.after!.typeNo} ${q(change.after!.typeName)} ${where}`;
    case 'rename':
      return `rename ${change.after!.typeNo}: ${q(change.before!.typeName)} → ${q(change.after!.typeName)} ${where}`;
    case 'changeCode':
      return `change code ${change.before!.typeNo} → ${change.after!.typeNo} ${where}`;
    case 'delete':
      return `delete ${change.before!.typeNo} ${where}`;
  }
}
