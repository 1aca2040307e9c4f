// Undo: the API call that reverts one journal entry.
//
//   create X "n"           → delete X
//   delete X "n"           → create X "n" again (same code, same name)
//   rename X "a" → "b"     → rename X back to "a"
//   changeCode X → Y       → change the code Y back to X
//
// Only a change the server confirmed ('done') can be undone: a 'failed' one changed nothing,
// and after an 'unknown' one nobody knows what the type looks like.
// The values are checked with the same rules as typed input, so a hand-edited journal cannot
// make Undo send something the prompts would refuse.
//
// Pure core: no `vscode` import.

import type { JournalEntry, JournalOperation } from './journal';
import { validateProjectCode, validateTypeName, validateTypeNo, validateVbotId } from './validation';

export interface UndoAction {
  readonly operation: JournalOperation;
  readonly vbotId: string;
  readonly projectCode: string;
  /** The code the call addresses: the type to delete, rename or re-code, or the code to create. */
  readonly typeNo: string;
  /** For create and rename: the name to set. */
  readonly typeName?: string;
  /** For changeCode: the code to change back to. */
  readonly newTypeNo?: string;
  /** The entry this action undoes: record it as `undoOf` in the journal. */
  readonly undoOf: string;
  /** English, for the confirmation and the notification, e.g. `Re-create "VIP" (Khách hàng VIP)`. */
  readonly describe: string;
}

export type UndoResult = UndoAction | { readonly impossible: string };

export function isUndoAction(result: UndoResult): result is UndoAction {
  return !('impossible' in result);
}

export function inverseOf(entry: JournalEntry): UndoResult {
  if (entry.outcome === 'failed') return { impossible: 'The change failed, so there is nothing to undo.' };
  if (entry.outcome !== 'done') {
    return { impossible: 'It is not known whether the change was made (the server\'s answer was lost), so it cannot be undone.' };
  }
  if (!validateVbotId(entry.vbotId).ok || !validateProjectCode(entry.projectCode).ok) {
    return { impossible: 'The journal entry has no valid VBotID or project code.' };
  }
  const base = { vbotId: entry.vbotId, projectCode: entry.projectCode, undoOf: entry.id };
  const { before, after } = entry;

  switch (entry.operation) {
    case 'create': {
      const typeNo = after?.typeNo ?? entry.typeNo;
      if (!validateTypeNo(typeNo).ok) return { impossible: 'The created type\'s code is not valid.' };
      const name = after && after.typeName !== '' ? ` (${after.typeName})` : '';
      return { ...base, operation: 'delete', typeNo, describe: `Delete "${typeNo}"${name}` };
    }
    case 'delete': {
      if (!before) return { impossible: 'The deleted type\'s name is not known, so it cannot be re-created.' };
      if (!validateTypeNo(before.typeNo).ok) return { impossible: 'The deleted type\'s code is not valid.' };
      if (!validateTypeName(before.typeName).ok) {
        return { impossible: 'The deleted type\'s name is not known, so it cannot be re-created.' };
      }
      return {
        ...base,
        operation: 'create',
        typeNo: before.typeNo,
        typeName: before.typeName,
        describe: `Re-create "${before.typeNo}" (${before.typeName})`,
      };
    }
    case 'rename': {
      if (!before || !validateTypeName(before.typeName).ok) {
        return { impossible: 'The type\'s earlier name is not known, so it cannot be restored.' };
      }
      const typeNo = after?.typeNo ?? entry.typeNo;
      if (!validateTypeNo(typeNo).ok) return { impossible: 'The renamed type\'s code is not valid.' };
      if (after && after.typeName === before.typeName) return { impossible: 'The name did not change, so there is nothing to undo.' };
      return {
        ...base,
        operation: 'rename',
        typeNo,
        typeName: before.typeName,
        describe: `Rename "${typeNo}" back to "${before.typeName}"`,
      };
    }
    case 'changeCode': {
      if (!before || !after) return { impossible: 'The type\'s codes before and after the change are not both known.' };
      if (!validateTypeNo(before.typeNo).ok || !validateTypeNo(after.typeNo).ok) {
        return { impossible: 'The type\'s codes are not valid.' };
      }
      if (before.typeNo === after.typeNo) return { impossible: 'The code did not change, so there is nothing to undo.' };
      return {
        ...base,
        operation: 'changeCode',
        typeNo: after.typeNo,
        newTypeNo: before.typeNo,
        describe: `Change the code "${after.typeNo}" back to "${before.typeNo}"`,
      };
    }
    default:
      return { impossible: 'This kind of change cannot be undone.' };
  }
}
