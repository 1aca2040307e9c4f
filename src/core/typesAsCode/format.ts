// Customer types as code: a workspace file, `vbot-types.json`, declares the customer types a team
// wants on VBot. This module is the file's format: its name, version, limits, what it holds once
// read, and the errors reading it reports. Pure: no I/O, no vscode.
//
// The file (JSON Schema: media/vbot-types.schema.json):
//
//   {
//     "$schema": "…",                  optional, ignored (editors use it)
//     "version": 1,                     required
//     "projects": [
//       {
//         "vbotId": "VB-DEMO-0001",     the account
//         "projectCode": "SALES",
//         "deleteUnlisted": false,      optional. false (default): types in the cache but not in
//                                       this list are left alone; true: they are deleted
//         "types": [
//           { "typeNo": "VIP", "typeName": "Khách hàng VIP", "previousCodes": ["KH_VIP"] }
//         ]
//       }
//     ]
//   }
//
// Values follow validation.ts (trimmed; not empty; no control or invisible characters; at most
// 100 characters for vbotId/projectCode, 50 for codes, 255 for names). Refused as duplicates: the
// same project twice; the same typeNo twice in a project; a previous code listed twice, by one
// type or by two; a type's own typeNo among its previousCodes. Also refused: previous codes that
// go round in a loop (B lists A, A lists B: a swap), which code changes cannot carry out. A
// previous code MAY be another listed type's typeNo: that is how a chain is written (GOLD was
// VIP, VIP was SILVER). How previous codes are matched against the cache: planner.ts.
//
// A project may also declare the choice lists of its customer fields (API v3), optional:
//
//   "fields": {
//     "hang": {                         a SELECT, CHECKBOX or RADIO field's code
//       "deleteUnlisted": false,        optional: true deletes the field's options the file does not list
//       "options": [                    in display order (their `number`)
//         { "code": "NHOM", "name": "Cao cấp", "type": "OPTGROUP" },          a group (SELECT only)
//         { "code": "VANG", "name": "Vàng", "color": "#F9A825", "group": "NHOM", "previousCodes": ["GOLD"] }
//       ]
//     }
//   }
//
// Option codes follow the API's rule (1 to 50 letters, digits, "_" or "-"); colours are #RRGGBB. The same
// duplicates and loops are refused as for types, within one field; a `group` names a group listed in the same
// field. Planned against the server's own list: fieldPlanner.ts.

import { LIMITS } from '../validation';

export { DESIRED_STATE_FILE_NAME } from './fileName';
export const DESIRED_STATE_VERSION = 1;

export const DESIRED_STATE_LIMITS = {
  maxBytes: 5 * 1024 * 1024,
  /** More errors than this are not useful to show; reading stops there. */
  maxErrors: 100,
} as const;

/** The string limits the JSON schema must repeat (tested against media/vbot-types.schema.json). */
export const DESIRED_STATE_STRING_LIMITS = {
  vbotId: LIMITS.vbotId,
  projectCode: LIMITS.projectCode,
  typeNo: LIMITS.typeNo,
  typeName: LIMITS.typeName,
  previousCode: LIMITS.typeNo,
} as const;

export interface DesiredType {
  readonly typeNo: string;
  readonly typeName: string;
  /** In file order; `[]` when the file has none. */
  readonly previousCodes: ReadonlyArray<string>;
}

export interface DesiredProject {
  readonly vbotId: string;
  readonly projectCode: string;
  readonly deleteUnlisted: boolean;
  /** In file order. */
  readonly types: ReadonlyArray<DesiredType>;
  /** The choice lists the file declares (API v3), in file order; absent when the project has no "fields". */
  readonly fields?: ReadonlyArray<DesiredField>;
}

/** An option (or, `type` OPTGROUP, a group of a SELECT field) of a field's choice list. */
export interface DesiredOption {
  readonly code: string;
  readonly name: string;
  readonly type: 'OPTION' | 'OPTGROUP';
  /** #RRGGBB in upper case, or null for none. */
  readonly color: string | null;
  /** As given, else the black or white that reads on `color`; null with no colour. */
  readonly textColor: string | null;
  /** The group's code, or null at the top level. */
  readonly group: string | null;
  readonly previousCodes: ReadonlyArray<string>;
}

export interface DesiredField {
  readonly fieldCode: string;
  /** True: options on the server that the file does not list are deleted (else only reported). */
  readonly deleteUnlisted: boolean;
  /** In file order: the display order. */
  readonly options: ReadonlyArray<DesiredOption>;
}

export interface DesiredState {
  readonly version: 1;
  /** In file order. */
  readonly projects: ReadonlyArray<DesiredProject>;
}

export type DesiredStateErrorCode =
  | 'tooLarge'
  | 'emptyFile'
  | 'badJson'
  | 'wrongType'
  | 'missing'
  | 'unknownProperty'
  | 'unsupportedVersion'
  | 'empty'
  | 'tooLong'
  | 'controlChar'
  | 'duplicateProject'
  | 'duplicateTypeNo'
  | 'duplicatePreviousCode'
  | 'previousCodeIsOwnCode'
  | 'previousCodeLoop'
  | 'badOptionCode'
  | 'badColour'
  | 'duplicateOptionCode'
  | 'unknownOptionGroup'
  | 'groupInGroup'
  | 'duplicateOptionPreviousCode'
  | 'optionPreviousCodeIsOwnCode'
  | 'optionPreviousCodeLoop';

export interface DesiredStateError {
  /** JSON path of the faulty value, e.g. `projects[0].types[3].typeNo`; `''` for the file as a whole. */
  path: string;
  /** Stable code, so the UI can show its own translated text. */
  code: DesiredStateErrorCode;
  /** Short English text (without the path), for logs and as a fallback. */
  message: string;
  /** For 'badJson': 1-based line and column (UTF-16 units) of the error, when known. */
  line?: number;
  column?: number;
  /** For 'tooLong': the limit, in characters; for 'tooLarge': in bytes. */
  max?: number;
  /** The values the message names, in its order (a field, a code, a limit), for a translated text. */
  args?: string[];
}

export type DesiredStateParseResult = { ok: true; state: DesiredState } | { ok: false; errors: DesiredStateError[] };
