// Shapes of what goes to and comes from the VBot API, checked with zod at the boundary.
// zod/mini: the same checks as zod's classic API at a tenth of the bundle size.
import * as z from 'zod/mini';
import { validateProjectCode, validateTypeName, validateTypeNo, validateVbotId, type ValidationResult } from './validation';

const valid = (check: (v: unknown) => ValidationResult) =>
  z.string().check(z.refine((v) => check(v).ok && v === v.trim(), { message: 'invalid value' }));

const project = { vbot_id: valid(validateVbotId), project_code: valid(validateProjectCode) };

export const createTypeBody = z.object({ ...project, type_name: valid(validateTypeName), type_no: valid(validateTypeNo) });
export const updateTypeBody = createTypeBody;
export const deleteTypeBody = z.object({ ...project, type_no: valid(validateTypeNo) });

/**
 * The doc leaves the body of /api/crm/type/updateNo empty; the sibling status endpoint uses
 * status_no_old / status_no_new, so we assume type_no_old / type_no_new. Change them here only.
 */
export const UPDATE_NO_FIELDS = { oldNo: 'type_no_old', newNo: 'type_no_new' } as const;
export const changeTypeCodeBody = z.object({
  ...project,
  [UPDATE_NO_FIELDS.oldNo]: valid(validateTypeNo),
  [UPDATE_NO_FIELDS.newNo]: valid(validateTypeNo),
});

/** The two field names of one updateNo body: the type's current code and its new one. */
export interface UpdateNoFields {
  readonly oldNo: string;
  readonly newNo: string;
}

/**
 * Every plausible updateNo body, in the order "VBot: Check API Compatibility…" tries them (the assumption
 * above first). The one a server accepted is remembered per API origin (src/vscode/apiFacts.ts) and used by
 * every later change of code. Keep this list here only.
 */
export const UPDATE_NO_BODIES: ReadonlyArray<UpdateNoFields> = [
  UPDATE_NO_FIELDS,
  { oldNo: 'old_type_no', newNo: 'new_type_no' },
  { oldNo: 'type_no', newNo: 'new_type_no' },
  { oldNo: 'type_no', newNo: 'type_no_new' },
];

/** The name of a body for logs, reports and global state: `old/new`. */
export function updateNoBodyId(fields: UpdateNoFields): string {
  return `${fields.oldNo}/${fields.newNo}`;
}

/** The body of UPDATE_NO_BODIES with this id, or undefined (a stored id from another version of the list). */
export function updateNoBodyById(id: unknown): UpdateNoFields | undefined {
  return UPDATE_NO_BODIES.find((b) => updateNoBodyId(b) === id);
}

const updateNoSchemas = new Map<string, z.ZodMiniType>();
/** The request shape of updateNo with these field names (v3: strict, without the project fields). */
export function changeTypeCodeBodyFor(fields: UpdateNoFields, v3: boolean): z.ZodMiniType {
  const key = `${v3 ? 'v3' : 'v2'} ${updateNoBodyId(fields)}`;
  let schema = updateNoSchemas.get(key);
  if (!schema) {
    const codes = { [fields.oldNo]: valid(validateTypeNo), [fields.newNo]: valid(validateTypeNo) };
    schema = v3 ? z.strictObject(codes) : z.object({ ...project, ...codes });
    updateNoSchemas.set(key, schema);
  }
  return schema;
}

/**
 * API v3.0: the same four paths, but the X-API-Key identifies the account and project, so the
 * bodies carry no vbot_id / project_code. Strict objects: a project field must never slip in.
 */
export const createTypeBodyV3 = z.strictObject({ type_name: valid(validateTypeName), type_no: valid(validateTypeNo) });
export const updateTypeBodyV3 = createTypeBodyV3;
export const deleteTypeBodyV3 = z.strictObject({ type_no: valid(validateTypeNo) });
export const changeTypeCodeBodyV3 = z.strictObject({
  [UPDATE_NO_FIELDS.oldNo]: valid(validateTypeNo),
  [UPDATE_NO_FIELDS.newNo]: valid(validateTypeNo),
});

/** Which generation of the Open API a client talks to: v2.0 (bearer token, project in the body) or v3.0 (API key). */
export type ApiVersion = 'v2' | 'v3';

/** Both envelope generations: older answers carry `status`, newer ones only `error`. */
export const envelope = z.looseObject({
  status: z.optional(z.int()),
  error: z.int(),
  message: z.nullish(z.string()),
  data: z.optional(z.unknown()),
});
export type Envelope = z.infer<typeof envelope>;

export function isSuccess(e: Envelope): boolean {
  return e.status !== undefined ? e.status === 1 : e.error === 0;
}

export const tokenAnswer = z.looseObject({
  access_token: z.string().check(z.minLength(1)),
  token_type: z.optional(z.string()),
  expires_in: z.optional(z.number().check(z.positive())),
  refresh_token: z.optional(z.string().check(z.minLength(1))),
});

export const ENDPOINTS = {
  token: '/token',
  createType: '/api/crm/type/create',
  updateTypeName: '/api/crm/type/update',
  deleteType: '/api/crm/type/delete',
  changeTypeCode: '/api/crm/type/updateNo',
} as const;
