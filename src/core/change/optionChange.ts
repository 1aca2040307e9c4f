// One change to one option of a customer field (API v3): the option counterpart of typeChange.ts, carried out
// by the same runner (changeRunner.ts) and recorded in the same journal. Pure functions: the request a change
// makes, how it is read back when its answer is lost, the journal record it leaves, one line of text.
//
//   createOption      after                      the option that now exists (all its parts)
//   updateOption      before, after (same code)  name, colours, order, group
//   changeOptionCode  before, after              the same option under a new code
//   deleteOption      before                     the option that was deleted
//
// Unlike a customer type, an option can be read from the server: an unknown outcome is settled by reading it
// back (get-detail, check-exist-code), never inferred. The journal records the codes and names only, so these
// changes have no Undo (typeChange.ts#undoOfRecord refuses them).
//
// Pure core: no `vscode` import.
import { FieldsApi } from '../fields/fieldsApi';
import type { FieldOption } from '../fields/model';
import type { VbotErrorKind } from '../vbotError';
import type { ApiRequest, ChangeClient, ChangeOutcome, ChangeRecord, OptionOp, TypeState } from './typeChange';

export interface OptionChange {
  readonly op: OptionOp;
  readonly vbotId: string;
  readonly projectCode: string;
  /** The customer field the option belongs to. */
  readonly fieldCode: string;
  /** The option before the change; absent for a create. */
  readonly before?: FieldOption;
  /** The option after the change; absent for a delete. */
  readonly after?: FieldOption;
}

type Where = { vbotId: string; projectCode: string };

export function createOptionChange(where: Where, fieldCode: string, option: FieldOption): OptionChange {
  return { op: 'createOption', ...at(where), fieldCode, after: option };
}

/** Name, colours, order or group; the code and type stay. */
export function updateOptionChange(where: Where, fieldCode: string, before: FieldOption, after: FieldOption): OptionChange {
  return { op: 'updateOption', ...at(where), fieldCode, before, after: { ...after, code: before.code, type: before.type } };
}

export function changeOptionCodeChange(where: Where, fieldCode: string, before: FieldOption, newCode: string): OptionChange {
  return { op: 'changeOptionCode', ...at(where), fieldCode, before, after: { ...before, code: newCode } };
}

export function deleteOptionChange(where: Where, fieldCode: string, before: FieldOption): OptionChange {
  return { op: 'deleteOption', ...at(where), fieldCode, before };
}

const at = (where: Where) => ({ vbotId: where.vbotId, projectCode: where.projectCode });

/** Tells the two kinds of change apart (a type's change has no field). */
export function isOptionChange(change: { op: string }): change is OptionChange {
  return 'fieldCode' in change;
}

/** The code the API call names: the new code for a create, the current code for the rest. */
export function optionCode(change: OptionChange): string {
  return (change.before ?? change.after)!.code;
}

/** The refusal that proves an earlier attempt made it (as for types); an edit has none. */
export function optionProofOfDone(change: OptionChange): VbotErrorKind | undefined {
  if (change.op === 'createOption') return 'alreadyExists';
  if (change.op === 'updateOption') return undefined;
  return 'notFound';
}

// ---------------------------------------------------------------------------------------------
// The API request, and its read-back

export function optionRequestOf(change: OptionChange): ApiRequest {
  const field = change.fieldCode;
  const code = optionCode(change);
  const fields = (c: ChangeClient, key: string, signal?: AbortSignal) => new FieldsApi(c, key, signal);
  const { before, after } = change;
  switch (change.op) {
    case 'createOption':
      return {
        operation: 'createOption',
        typeNo: code,
        send: async (c, key, s) => void (await fields(c, key, s).insertOption({ fieldCode: field, ...after! })),
        readBack: {
          operation: 'readOption',
          run: async (c, key, s) => sameOption(await fields(c, key, s).readOption(field, code), after!),
        },
      };
    case 'updateOption':
      return {
        operation: 'updateOption',
        typeNo: code,
        send: (c, key, s) => fields(c, key, s).updateOption({ fieldCode: field, ...after! }),
        readBack: {
          operation: 'readOption',
          run: async (c, key, s) => sameOption(await fields(c, key, s).readOption(field, code), after!),
        },
      };
    case 'changeOptionCode':
      return {
        operation: 'changeOptionCode',
        typeNo: code,
        send: (c, key, s) => fields(c, key, s).changeOptionCode(field, code, after!.code),
        readBack: {
          operation: 'checkOptionCode',
          run: async (c, key, s) => {
            const api = fields(c, key, s);
            return (await api.isOptionCodeTaken(field, after!.code)) && !(await api.isOptionCodeTaken(field, before!.code));
          },
        },
      };
    case 'deleteOption':
      return {
        operation: 'deleteOption',
        typeNo: code,
        send: (c, key, s) => fields(c, key, s).deleteOption(field, code),
        readBack: { operation: 'checkOptionCode', run: async (c, key, s) => !(await fields(c, key, s).isOptionCodeTaken(field, code)) },
      };
  }
}

/** The option read back is the one the change asked for: every part the change sets. */
function sameOption(read: FieldOption | undefined, wanted: FieldOption): boolean {
  return (
    read !== undefined &&
    read.name === wanted.name &&
    read.type === wanted.type &&
    (read.groupCode ?? null) === (wanted.groupCode ?? null) &&
    sameColour(read.color, wanted.color) &&
    sameColour(read.textColor, wanted.textColor) &&
    read.number === wanted.number
  );
}

const sameColour = (a: string | null, b: string | null) => (a ?? '').toUpperCase() === (b ?? '').toUpperCase();

// ---------------------------------------------------------------------------------------------
// The journal

/** The journal entry: the field, the option's code and name before and after (its other parts are not kept). */
export function optionRecordOf(
  change: OptionChange,
  how: { profile: string; outcome: ChangeOutcome; message?: string; undoOf?: string },
): ChangeRecord {
  const state = (o: FieldOption | undefined): TypeState | undefined => (o ? { typeNo: o.code, typeName: o.name } : undefined);
  const before = change.op === 'createOption' ? undefined : state(change.before);
  const after = change.op === 'deleteOption' ? undefined : state(change.after);
  return {
    profile: how.profile,
    vbotId: change.vbotId,
    projectCode: change.projectCode,
    field: change.fieldCode,
    operation: change.op,
    typeNo: optionCode(change),
    ...(before ? { before } : {}),
    ...(after ? { after } : {}),
    outcome: how.outcome,
    ...(how.message !== undefined ? { message: how.message } : {}),
    ...(how.undoOf !== undefined ? { undoOf: how.undoOf } : {}),
  };
}

/** The entry records this very change (same field, operation and codes; a create also the same name). */
export function recordsOptionChange(entry: ChangeRecord, change: OptionChange): boolean {
  return (
    entry.field === change.fieldCode &&
    entry.operation === change.op &&
    entry.vbotId === change.vbotId &&
    entry.projectCode === change.projectCode &&
    entry.typeNo === optionCode(change) &&
    (entry.after?.typeNo ?? undefined) === change.after?.code &&
    (change.op !== 'createOption' || entry.after?.typeName === change.after?.name)
  );
}

/** One line of English for the log: `createOption VIP "Khách VIP" in field hang of VB1/P1`. */
export function describeOptionChange(change: OptionChange): string {
  const q = JSON.stringify;
  const where = `in field ${change.fieldCode} of ${change.vbotId}/${change.projectCode}`;
  const code = optionCode(change);
  switch (change.op) {
    case 'createOption':
      return `createOption ${code} ${q(change.after!.name)} ${where}`;
    case 'updateOption':
      return `updateOption ${code} ${q(change.after!.name)} number ${change.after!.number} ${where}`;
    case 'changeOptionCode':
      return `changeOptionCode ${code} → ${change.after!.code} ${where}`;
    case 'deleteOption':
      return `deleteOption ${code} ${where}`;
  }
}
