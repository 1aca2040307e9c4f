// Shapes of the v3 customer-field answers and request bodies, checked with zod at the boundary
// (/work/shared/vbot-api/customer-fields-v3.md). Loose objects: a property VBot adds later is ignored;
// nullish where the doc shows a value that an empty console field could leave out.
import * as z from 'zod/mini';
import type { ChoiceField, FieldOption } from './model';
import { CHOICE_FIELD_TYPES, OPTION_CODE_RULE } from './model';

export const FIELD_ENDPOINTS = {
  fields: '/api/customerfield/get-all',
  options: '/api/customerfield/option/get-all',
  optionCount: '/api/customerfield/option/count-all',
  optionDetail: '/api/customerfield/option/get-detail',
  optionCodeTaken: '/api/customerfield/option/check-exist-code',
  insertOption: '/api/customerfield/option/insert',
  updateOption: '/api/customerfield/option/update',
  changeOptionCode: '/api/customerfield/option/update-code',
  deleteOption: '/api/customerfield/option/delete',
  countCustomers: '/api/customer/count-all',
} as const;

const text = z.nullish(z.string());
const flag = z.nullish(z.boolean());

export const wireField = z.looseObject({
  create_at: z.nullish(z.number()),
  number: z.nullish(z.number()),
  code: z.string().check(z.minLength(1)),
  name: z.string(),
  color: text,
  text_color: text,
  description: text,
  type: z.string(),
  is_required: flag,
  is_unique: flag,
  is_default: flag,
});
export const wireOption = z.looseObject({
  create_at: z.nullish(z.number()),
  code: z.string().check(z.minLength(1)),
  customer_field_option_group_code: text,
  number: z.nullish(z.number()),
  name: z.string(),
  color: text,
  text_color: text,
  type: z.enum(['OPTION', 'OPTGROUP']),
});
export const fieldPage = z.array(wireField);
export const optionPage = z.array(wireOption);
export const count = z.int().check(z.nonnegative());
export const yesNo = z.boolean();

/** A field of the list as kept, or undefined for a field without a choice list (STRING, DATE…). */
export function choiceField(w: z.infer<typeof wireField>): ChoiceField | undefined {
  if (!CHOICE_FIELD_TYPES.has(w.type)) return undefined;
  return {
    code: w.code,
    name: w.name,
    type: w.type as ChoiceField['type'],
    number: w.number ?? 0,
    color: w.color ?? null,
    textColor: w.text_color ?? null,
    description: w.description ?? null,
    isRequired: w.is_required ?? false,
    isDefault: w.is_default ?? false,
  };
}

export function fieldOption(w: z.infer<typeof wireOption>): FieldOption {
  return {
    code: w.code,
    name: w.name,
    type: w.type,
    groupCode: w.customer_field_option_group_code || null,
    number: w.number ?? 0,
    color: w.color ?? null,
    textColor: w.text_color ?? null,
  };
}

// --- request bodies: what the client refuses to send ------------------------------------------------

export { OPTION_CODE_RULE } from './model';
const code = z.string().check(z.regex(OPTION_CODE_RULE));
const fieldCode = z.string().check(z.minLength(1), z.maxLength(100));
const name = z.string().check(z.refine((v) => v.trim() !== '' && v === v.trim() && [...v].length <= 255, { message: 'invalid name' }));
const colour = z.nullish(z.string().check(z.regex(/^#[0-9A-Fa-f]{6}$/)));

export const insertOptionBody = z.strictObject({
  customer_field_code: fieldCode,
  customer_field_option_code: code,
  customer_field_option_group_code: z.nullable(code),
  name,
  color: colour,
  text_color: colour,
  type: z.enum(['OPTION', 'OPTGROUP']),
  number: z.optional(z.int()),
});
/** The doc shows only an example for update: the full editable set is sent (docs/api-assumptions.md). */
export const updateOptionBody = z.strictObject({
  customer_field_code: fieldCode,
  customer_field_option_code: z.string().check(z.minLength(1)),
  customer_field_option_group_code: z.nullable(code),
  name,
  color: colour,
  text_color: colour,
  number: z.int(),
});
export const changeOptionCodeBody = z.strictObject({
  customer_field_code: fieldCode,
  customer_field_option_code: z.string().check(z.minLength(1)),
  customer_field_option_code_new: code,
});
export const deleteOptionBody = z.strictObject({
  customer_field_code: fieldCode,
  customer_field_option_code: z.string().check(z.minLength(1)),
});
