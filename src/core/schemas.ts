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
