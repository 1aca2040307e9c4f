// API v3 customer fields and their choice lists in the sandbox, faithful to
// /work/shared/vbot-api/customer-fields-v3.md: customerfield/get-all (paged), the option endpoints
// (get-all, count-all, get-detail, check-exist-code, insert, update, update-code, delete), customerfield
// get-detail/delete (default fields cannot be deleted) and customer/count-all with an EQUAL filter over
// seeded customers. VbotSandbox routes the v3 requests here (after its fault injection and key check) and
// wraps what comes back in its envelope.
//
// Where the doc is silent, the sandbox picks one answer and can be told another (`paging`), so the
// client is tested against each: pages start at 1 by default; a page below the base is read as the
// first page ('clamp'); size defaults to 20 and is capped at 100.
//
// Plain Node only, no imports: it is bundled into the extension-host tests like vbotSandbox.ts.

export type FieldType = 'STRING' | 'TEXT' | 'NUMBER' | 'DATE' | 'PHONE' | 'SELECT' | 'CHECKBOX' | 'RADIO';
export type OptionType = 'OPTION' | 'OPTGROUP';

/** A customer field as get-all lists it (the wire's own names). */
export interface SandboxField {
  create_at: number;
  number: number;
  code: string;
  name: string;
  color: string | null;
  text_color: string | null;
  description: string | null;
  type: FieldType;
  is_required: boolean;
  is_unique: boolean;
  is_default: boolean;
}

/** An option (or group of options) as option/get-all lists it. */
export interface SandboxOption {
  create_at: number;
  code: string;
  customer_field_option_group_code: string | null;
  number: number;
  name: string;
  color: string | null;
  text_color: string | null;
  type: OptionType;
}

/** What a seed gives for a field: code, name and type at least; its options in list order. */
export interface FieldSeed {
  code: string;
  name: string;
  type: FieldType;
  color?: string;
  text_color?: string;
  description?: string;
  options?: Array<{
    code: string;
    name: string;
    type?: OptionType;
    group?: string;
    color?: string;
    text_color?: string;
    number?: number;
  }>;
}

/** A customer with the values of its choice fields: field code → option codes. */
export interface CustomerSeed {
  name: string;
  values: Record<string, string[]>;
}

/**
 * The paging the server does (the doc says nothing): `base` is the number of the first page; a page below
 * it is read as the first page ('clamp'), answers an empty list ('empty') or is refused with -1 ('error');
 * `ignorePage` answers the first page whatever was asked (a server that does not page at all).
 */
export interface PagingRules {
  base: 0 | 1;
  belowBase: 'clamp' | 'empty' | 'error';
  defaultSize: number;
  maxSize: number;
  ignorePage: boolean;
}
export const DEFAULT_PAGING: PagingRules = { base: 1, belowBase: 'clamp', defaultSize: 20, maxSize: 100, ignorePage: false };

/** What a route decided: VbotSandbox puts it into its envelope (HTTP 200, as the v2 API does for business errors). */
export type FieldResult = { ok: true; data: unknown } | { ok: false; error: number; message: string };

export const FIELD_PATHS = {
  fields: '/api/customerfield/get-all',
  fieldCount: '/api/customerfield/count-all',
  fieldDetail: '/api/customerfield/get-detail',
  fieldDelete: '/api/customerfield/delete',
  options: '/api/customerfield/option/get-all',
  optionCount: '/api/customerfield/option/count-all',
  optionDetail: '/api/customerfield/option/get-detail',
  optionCodeTaken: '/api/customerfield/option/check-exist-code',
  optionInsert: '/api/customerfield/option/insert',
  optionUpdate: '/api/customerfield/option/update',
  optionUpdateCode: '/api/customerfield/option/update-code',
  optionDelete: '/api/customerfield/option/delete',
  customerCount: '/api/customer/count-all',
} as const;
const GET_PATHS: ReadonlySet<string> = new Set([
  FIELD_PATHS.fields,
  FIELD_PATHS.fieldCount,
  FIELD_PATHS.fieldDetail,
  FIELD_PATHS.options,
  FIELD_PATHS.optionCount,
  FIELD_PATHS.optionDetail,
  FIELD_PATHS.optionCodeTaken,
]);
export const ALL_FIELD_PATHS: ReadonlySet<string> = new Set(Object.values(FIELD_PATHS));
/** The method a field path answers to: reads are GET with a query, writes (and the customer count) POST with JSON. */
export function fieldPathMethod(path: string): 'GET' | 'POST' {
  return GET_PATHS.has(path) ? 'GET' : 'POST';
}

const CHOICE_TYPES: ReadonlySet<FieldType> = new Set(['SELECT', 'CHECKBOX', 'RADIO']);
const FIELD_TYPES: ReadonlySet<string> = new Set(['STRING', 'TEXT', 'NUMBER', 'DATE', 'PHONE', 'SELECT', 'CHECKBOX', 'RADIO']);
/** Letters, digits, `_` and `-` only (the doc's rule for option codes). */
const CODE_RULE = /^[A-Za-z0-9_-]+$/;
const HEX_COLOUR = /^#[0-9A-Fa-f]{6}$/;
const LIMITS = { code: 50, name: 255 } as const;

const DEFAULT_FIELDS: ReadonlyArray<Pick<SandboxField, 'code' | 'name' | 'type'>> = [
  { code: 'name', name: 'Tên khách hàng', type: 'STRING' },
  { code: 'customer_code', name: 'Mã khách hàng', type: 'STRING' },
  { code: 'phone', name: 'Số điện thoại', type: 'PHONE' },
  { code: 'member_no', name: 'Mã thành viên', type: 'STRING' },
];

const MSG = {
  bad: 'Sai tham số',
  fieldMissing: 'Không tìm thấy trường thông tin',
  notChoice: 'Trường thông tin không có danh sách lựa chọn',
  optionMissing: 'Không tìm thấy lựa chọn',
  optionExists: 'Mã lựa chọn đã tồn tại',
  groupOnlySelect: 'Nhóm lựa chọn chỉ dùng cho trường SELECT',
  groupMissing: 'Không tìm thấy nhóm lựa chọn',
  defaultField: 'Không thể xoá trường thông tin mặc định',
} as const;

interface FieldRecord {
  field: SandboxField;
  /** code → option; Map order is creation order, the tie-break after `number`. */
  options: Map<string, SandboxOption>;
}

interface ProjectFields {
  fields: Map<string, FieldRecord>;
  customers: CustomerSeed[];
}

type Query = URLSearchParams;
type Body = Record<string, unknown>;

const ok = (data: unknown): FieldResult => ({ ok: true, data });
const fail = (error: number, message: string): FieldResult => ({ ok: false, error, message });
const bad = (why: string): FieldResult => fail(-1, `${MSG.bad}: ${why}`);

export class FieldSandbox {
  paging: PagingRules = { ...DEFAULT_PAGING };
  /** `${vbotId}\u0000${projectCode}` → the project's fields and customers. */
  private readonly projects = new Map<string, ProjectFields>();
  /** A clock that never repeats, so create_at orders what was made one after another. */
  private lastCreateAt = 0;

  reset(): void {
    this.projects.clear();
    this.paging = { ...DEFAULT_PAGING };
  }

  /** Replaces the project's own fields (the four default fields stay) and its customers. */
  seed(vbotId: string, projectCode: string, fields: FieldSeed[], customers: CustomerSeed[] = []): void {
    const project = this.project(vbotId, projectCode);
    for (const [code, record] of project.fields) if (!record.field.is_default) project.fields.delete(code);
    for (const f of fields) {
      if (!FIELD_TYPES.has(f.type)) throw new Error(`unknown field type ${f.type}`);
      const record: FieldRecord = { field: this.newField(project, f, false), options: new Map() };
      project.fields.set(f.code, record);
      for (const o of f.options ?? []) {
        const result = this.insertOption(record, {
          customer_field_option_code: o.code,
          name: o.name,
          type: o.type ?? 'OPTION',
          customer_field_option_group_code: o.group ?? null,
          color: o.color,
          text_color: o.text_color,
          number: o.number,
        });
        if (!result.ok) throw new Error(`seed option ${o.code} of ${f.code}: ${result.message}`);
      }
    }
    project.customers = customers.map((c) => ({ name: c.name, values: structuredClone(c.values) }));
  }

  /** The project's fields in list order (default ones included). */
  fields(vbotId: string, projectCode: string): SandboxField[] {
    return sortedFields(this.project(vbotId, projectCode)).map((f) => ({ ...f }));
  }

  /** A field's options (groups included) in list order. */
  options(vbotId: string, projectCode: string, fieldCode: string): SandboxOption[] {
    const record = this.project(vbotId, projectCode).fields.get(fieldCode);
    return record ? sortedOptions(record).map((o) => ({ ...o })) : [];
  }

  /** The customers of a project, values included (after code changes and deletes). */
  customers(vbotId: string, projectCode: string): CustomerSeed[] {
    return structuredClone(this.project(vbotId, projectCode).customers);
  }

  /** One request on the key's project; `query` for GET, `body` (already a JSON object) for POST. */
  route(vbotId: string, projectCode: string, path: string, query: Query, body: Body): FieldResult {
    const project = this.project(vbotId, projectCode);
    switch (path) {
      case FIELD_PATHS.fields:
        return this.listFields(project, query, true);
      case FIELD_PATHS.fieldCount:
        return this.listFields(project, query, false);
      case FIELD_PATHS.fieldDetail:
        return this.fieldDetail(project, query);
      case FIELD_PATHS.fieldDelete:
        return this.deleteField(project, body);
      case FIELD_PATHS.customerCount:
        return this.countCustomers(project, body);
      default:
        return this.optionRoute(project, path, query, body);
    }
  }

  private optionRoute(project: ProjectFields, path: string, query: Query, body: Body): FieldResult {
    const read = fieldPathMethod(path) === 'GET';
    const fieldCode = read ? query.get('customer_field_code') : body.customer_field_code;
    if (typeof fieldCode !== 'string' || fieldCode === '') return bad('customer_field_code là bắt buộc');
    const record = project.fields.get(fieldCode);
    if (!record) return fail(404, MSG.fieldMissing);
    if (!CHOICE_TYPES.has(record.field.type)) return bad(MSG.notChoice);
    switch (path) {
      case FIELD_PATHS.options:
        return this.listOptions(record, query, true);
      case FIELD_PATHS.optionCount:
        return this.listOptions(record, query, false);
      case FIELD_PATHS.optionDetail:
      case FIELD_PATHS.optionCodeTaken: {
        const code = query.get('customer_field_option_code');
        if (!code) return bad('customer_field_option_code là bắt buộc');
        const option = record.options.get(code);
        if (path === FIELD_PATHS.optionCodeTaken) return ok(option !== undefined);
        return option ? ok({ ...option }) : fail(404, MSG.optionMissing);
      }
      case FIELD_PATHS.optionInsert:
        return this.insertOption(record, body);
      case FIELD_PATHS.optionUpdate:
        return this.updateOption(record, body);
      case FIELD_PATHS.optionUpdateCode:
        return this.changeOptionCode(project, record, body);
      default:
        return this.deleteOption(project, record, body);
    }
  }

  // --- fields ------------------------------------------------------------------------------------

  private listFields(project: ProjectFields, query: Query, page: boolean): FieldResult {
    const key = (query.get('key') ?? '').toLowerCase();
    const from = Number(query.get('from') ?? -1);
    const to = Number(query.get('to') ?? -1);
    const hits = sortedFields(project).filter(
      (f) =>
        (key === '' || f.code.toLowerCase().includes(key) || f.name.toLowerCase().includes(key)) &&
        (!(from >= 0) || f.create_at >= from) &&
        (!(to >= 0) || f.create_at <= to),
    );
    return page ? this.page(hits, query) : ok(hits.length);
  }

  private fieldDetail(project: ProjectFields, query: Query): FieldResult {
    const record = project.fields.get(query.get('customer_field_code') ?? '');
    return record ? ok({ ...record.field }) : fail(404, MSG.fieldMissing);
  }

  private deleteField(project: ProjectFields, body: Body): FieldResult {
    const code = body.customer_field_code;
    if (typeof code !== 'string' || code === '') return bad('customer_field_code là bắt buộc');
    const record = project.fields.get(code);
    if (!record) return fail(404, MSG.fieldMissing);
    if (record.field.is_default) return bad(MSG.defaultField);
    project.fields.delete(code);
    for (const c of project.customers) delete c.values[code];
    return ok(true);
  }

  private newField(project: ProjectFields, f: Partial<SandboxField> & Pick<SandboxField, 'code' | 'name' | 'type'>, isDefault: boolean) {
    return {
      create_at: this.createAt(),
      number: project.fields.size + 1,
      code: f.code,
      name: f.name,
      color: f.color ?? null,
      text_color: f.text_color ?? null,
      description: f.description ?? null,
      type: f.type,
      is_required: isDefault && f.code === 'name',
      is_unique: isDefault && f.code === 'customer_code',
      is_default: isDefault,
    };
  }

  // --- options -----------------------------------------------------------------------------------

  private listOptions(record: FieldRecord, query: Query, page: boolean): FieldResult {
    const group = query.get('customer_field_option_group_code');
    const type = query.get('type');
    const key = (query.get('key') ?? '').toLowerCase();
    if (type !== null && type !== 'OPTION' && type !== 'OPTGROUP') return bad('type phải là OPTION hoặc OPTGROUP');
    const hits = sortedOptions(record).filter(
      (o) =>
        (group === null || group === '' || o.customer_field_option_group_code === group) &&
        (type === null || o.type === type) &&
        (key === '' || o.name.toLowerCase().includes(key)),
    );
    return page ? this.page(hits, query) : ok(hits.length);
  }

  private insertOption(record: FieldRecord, body: Body): FieldResult {
    const code = body.customer_field_option_code;
    const codeProblem = checkCode(code, 'customer_field_option_code');
    if (codeProblem) return codeProblem;
    const type = body.type;
    if (type !== 'OPTION' && type !== 'OPTGROUP') return bad('type phải là OPTION hoặc OPTGROUP');
    const parts = this.checkEditable(record, body, type, true);
    if ('error' in parts) return parts.error;
    // Unique across the whole field, groups included (the "check code" page).
    if (record.options.has(code as string)) return fail(409, MSG.optionExists);
    const option: SandboxOption = {
      create_at: this.createAt(),
      code: code as string,
      customer_field_option_group_code: parts.group ?? null,
      number: parts.number ?? Math.max(0, ...[...record.options.values()].map((o) => o.number)) + 1,
      name: parts.name as string,
      color: parts.color ?? null,
      text_color: parts.textColor ?? null,
      type,
    };
    record.options.set(option.code, option);
    return ok(option.code);
  }

  private updateOption(record: FieldRecord, body: Body): FieldResult {
    const option = record.options.get(String(body.customer_field_option_code ?? ''));
    if (!option) return typeof body.customer_field_option_code === 'string' ? fail(404, MSG.optionMissing) : bad('mã lựa chọn là bắt buộc');
    if (body.type !== undefined && body.type !== option.type) return bad('không đổi được type');
    const parts = this.checkEditable(record, body, option.type, false);
    if ('error' in parts) return parts.error;
    if (parts.name !== undefined) option.name = parts.name;
    if (parts.color !== undefined) option.color = parts.color;
    if (parts.textColor !== undefined) option.text_color = parts.textColor;
    if (parts.number !== undefined) option.number = parts.number;
    if (parts.group !== undefined) option.customer_field_option_group_code = parts.group;
    return ok(option.code);
  }

  /**
   * The editable parts of an insert or update, checked: a name (required on insert), hex colours, a whole
   * `number`, and a group that is an OPTGROUP of this SELECT field (a group itself sits at the top).
   * `undefined` = not given (update keeps the value); a group of null = top level.
   */
  private checkEditable(record: FieldRecord, body: Body, type: OptionType, insert: boolean) {
    type Parts = { name?: string; color?: string | null; textColor?: string | null; number?: number; group?: string | null };
    const parts: Parts = {};
    const error = (why: string) => ({ error: bad(why) });
    const name = body.name;
    if (name !== undefined || insert) {
      if (typeof name !== 'string' || name.trim() === '') return error('name là bắt buộc');
      if ([...name].length > LIMITS.name) return error(`name tối đa ${LIMITS.name} ký tự`);
      parts.name = name;
    }
    for (const [wire, key] of [
      ['color', 'color'],
      ['text_color', 'textColor'],
    ] as const) {
      const value = body[wire];
      if (value === undefined) continue;
      if (value !== null && (typeof value !== 'string' || !HEX_COLOUR.test(value))) return error(`${wire} phải là mã màu #RRGGBB`);
      parts[key] = value;
    }
    if (body.number !== undefined && body.number !== null) {
      if (typeof body.number !== 'number' || !Number.isInteger(body.number)) return error('number phải là số nguyên');
      parts.number = body.number;
    }
    const group = body.customer_field_option_group_code;
    if (group !== undefined && group !== null && group !== '') {
      if (typeof group !== 'string') return error('customer_field_option_group_code phải là chuỗi');
      if (record.field.type !== 'SELECT') return error(MSG.groupOnlySelect);
      if (type === 'OPTGROUP') return error('nhóm không nằm trong nhóm khác');
      if (record.options.get(group)?.type !== 'OPTGROUP') return { error: fail(404, MSG.groupMissing) };
      parts.group = group;
    } else if (group !== undefined || insert) {
      parts.group = null;
    }
    if (type === 'OPTGROUP' && record.field.type !== 'SELECT') return error(MSG.groupOnlySelect);
    return parts;
  }

  private changeOptionCode(project: ProjectFields, record: FieldRecord, body: Body): FieldResult {
    const oldCode = body.customer_field_option_code;
    const newCode = body.customer_field_option_code_new;
    if (typeof oldCode !== 'string' || oldCode === '') return bad('customer_field_option_code là bắt buộc');
    const codeProblem = checkCode(newCode, 'customer_field_option_code_new');
    if (codeProblem) return codeProblem;
    const option = record.options.get(oldCode);
    if (!option) return fail(404, MSG.optionMissing);
    if (record.options.has(newCode as string)) return fail(409, MSG.optionExists);
    // Rebuilt so the Map keeps creation order under the new key.
    const entries = [...record.options.entries()].map(([code, o]): [string, SandboxOption] =>
      code === oldCode ? [newCode as string, { ...o, code: newCode as string }] : [code, o],
    );
    record.options.clear();
    for (const [code, o] of entries) {
      if (o.customer_field_option_group_code === oldCode) o.customer_field_option_group_code = newCode as string;
      record.options.set(code, o);
    }
    for (const c of project.customers) {
      const values = c.values[record.field.code];
      if (values) c.values[record.field.code] = values.map((v) => (v === oldCode ? (newCode as string) : v));
    }
    return ok(true);
  }

  /** A deleted group's options move to the top level (the doc is silent); customers lose the deleted value. */
  private deleteOption(project: ProjectFields, record: FieldRecord, body: Body): FieldResult {
    const code = body.customer_field_option_code;
    if (typeof code !== 'string' || code === '') return bad('customer_field_option_code là bắt buộc');
    if (!record.options.delete(code)) return fail(404, MSG.optionMissing);
    for (const o of record.options.values()) if (o.customer_field_option_group_code === code) o.customer_field_option_group_code = null;
    for (const c of project.customers) {
      const values = c.values[record.field.code];
      if (values) c.values[record.field.code] = values.filter((v) => v !== code);
    }
    return ok(true);
  }

  // --- customers ---------------------------------------------------------------------------------

  /** customer/count-all: customers matching every searched condition; only EQUAL on a field's value is known here. */
  private countCustomers(project: ProjectFields, body: Body): FieldResult {
    const search = body.field_search ?? [];
    if (!Array.isArray(search)) return bad('field_search phải là một danh sách');
    const conditions: Array<{ field: string; value: string }> = [];
    for (const s of search as unknown[]) {
      if (typeof s !== 'object' || s === null) return bad('field_search không hợp lệ');
      const c = s as Body;
      if (c.is_search === false) continue;
      if (typeof c.customer_field_code !== 'string' || typeof c.value !== 'string') return bad('customer_field_code và value là bắt buộc');
      if (c.type !== 'EQUAL') return bad('type chỉ hỗ trợ EQUAL');
      if (!project.fields.has(c.customer_field_code)) return fail(404, MSG.fieldMissing);
      conditions.push({ field: c.customer_field_code, value: c.value });
    }
    const matches = project.customers.filter((customer) =>
      conditions.every((c) => (customer.values[c.field] ?? []).includes(c.value) || (c.field === 'name' && customer.name === c.value)),
    );
    return ok(matches.length);
  }

  // --- shared ------------------------------------------------------------------------------------

  /** One page of `items` by the paging rules in force. */
  private page<T>(items: T[], query: Query): FieldResult {
    const rules = this.paging;
    const sizeText = query.get('size');
    const pageText = query.get('page');
    const size = sizeText === null ? rules.defaultSize : Number(sizeText);
    const asked = pageText === null ? rules.base : Number(pageText);
    if (!Number.isInteger(size) || size < 1) return bad('size phải là số nguyên dương');
    if (!Number.isInteger(asked)) return bad('page phải là số nguyên');
    let index = rules.ignorePage ? 0 : asked - rules.base;
    if (index < 0) {
      if (rules.belowBase === 'error') return bad(`page bắt đầu từ ${rules.base}`);
      if (rules.belowBase === 'empty') return ok([]);
      index = 0;
    }
    const take = Math.min(size, rules.maxSize);
    return ok(items.slice(index * take, index * take + take).map((i) => ({ ...i })));
  }

  private project(vbotId: string, projectCode: string): ProjectFields {
    const key = `${vbotId}\u0000${projectCode}`;
    let project = this.projects.get(key);
    if (!project) {
      project = { fields: new Map(), customers: [] };
      for (const f of DEFAULT_FIELDS) project.fields.set(f.code, { field: this.newField(project, f, true), options: new Map() });
      this.projects.set(key, project);
    }
    return project;
  }

  private createAt(): number {
    this.lastCreateAt = Math.max(Date.now(), this.lastCreateAt + 1);
    return this.lastCreateAt;
  }
}

function checkCode(code: unknown, name: string): FieldResult | undefined {
  if (typeof code !== 'string' || code === '') return bad(`${name} là bắt buộc`);
  if (!CODE_RULE.test(code)) return bad(`${name} chỉ gồm chữ, số, _ và -`);
  if (code.length > LIMITS.code) return bad(`${name} tối đa ${LIMITS.code} ký tự`);
  return undefined;
}

const byNumber = <T extends { number: number; create_at: number }>(a: T, b: T) => a.number - b.number || a.create_at - b.create_at;

function sortedFields(project: ProjectFields): SandboxField[] {
  return [...project.fields.values()].map((r) => r.field).sort(byNumber);
}

function sortedOptions(record: FieldRecord): SandboxOption[] {
  return [...record.options.values()].sort(byNumber);
}
