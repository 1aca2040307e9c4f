// The v3 customer-field calls over VbotClient.v3Call: every page of the choice fields and of a field's
// options, one option back (get-detail, check-exist-code), the option changes and the count of customers with
// an option. Each answer's `data` is checked (schemas.ts); a wrong shape is a 'badResponse' VbotError.
import type * as z from 'zod/mini';
import type { V3Call, VbotClient } from '../vbotClient';
import { VbotError, type VbotOperation } from '../vbotError';
import { type ChoiceField, type FieldOption, inNumberOrder } from './model';
import { type PagedRead, type PagingOptions, readAllPages } from './paging';
import {
  FIELD_ENDPOINTS,
  changeOptionCodeBody,
  choiceField,
  count,
  deleteOptionBody,
  fieldOption,
  fieldPage,
  insertOptionBody,
  optionPage,
  updateOptionBody,
  wireOption,
  yesNo,
} from './schemas';

export interface FieldsRead extends Omit<PagedRead<ChoiceField>, 'items'> {
  /** The choice fields (SELECT, CHECKBOX, RADIO) in number order. */
  fields: ChoiceField[];
}
export interface OptionsRead extends Omit<PagedRead<FieldOption>, 'items'> {
  /** Options and groups, in number order. */
  options: FieldOption[];
}

/** What an option is made of (insert), and what an edit sends (update: all of it but the type). */
export interface OptionInput {
  fieldCode: string;
  code: string;
  name: string;
  type: 'OPTION' | 'OPTGROUP';
  groupCode: string | null;
  color: string | null;
  textColor: string | null;
  /** Insert: optional (VBot places it last). Update: required (the full editable set is sent). */
  number?: number;
}

export class FieldsApi {
  constructor(
    /** Only its v3 call is used (the change runner passes what it sends changes with). */
    private readonly client: Pick<VbotClient, 'v3Call'>,
    /** The profile's API key. */
    private readonly apiKey: string,
    private readonly signal?: AbortSignal,
  ) {}

  /** Every page of customerfield/get-all, keeping the fields with a choice list. */
  async readChoiceFields(paging: PagingOptions = {}): Promise<FieldsRead> {
    const read = await readAllPages(
      async (page, size) => this.list('readFields', FIELD_ENDPOINTS.fields, { page, size }, fieldPage, undefined),
      (f) => f.code,
      paging,
    );
    const fields = read.items.map(choiceField).filter((f): f is ChoiceField => f !== undefined);
    return { fields: inNumberOrder(fields), pages: read.pages, base: read.base, complete: read.complete };
  }

  /** Every page of option/get-all for one field: its options and (SELECT) groups. */
  async readOptions(fieldCode: string, paging: PagingOptions = {}): Promise<OptionsRead> {
    const read = await readAllPages(
      async (page, size) =>
        (
          await this.list('readOptions', FIELD_ENDPOINTS.options, { customer_field_code: fieldCode, page, size }, optionPage, fieldCode)
        ).map(fieldOption),
      (o) => o.code,
      paging,
    );
    return { options: inNumberOrder(read.items), pages: read.pages, base: read.base, complete: read.complete };
  }

  /** One option as the server has it now, or undefined when it answers 404 (no such option). */
  async readOption(fieldCode: string, code: string): Promise<FieldOption | undefined> {
    try {
      const data = await this.get('readOption', FIELD_ENDPOINTS.optionDetail, code, {
        customer_field_code: fieldCode,
        customer_field_option_code: code,
      });
      const parsed = wireOption.safeParse(data);
      if (!parsed.success) throw this.wrongShape('readOption', code);
      return fieldOption(parsed.data);
    } catch (e) {
      if (e instanceof VbotError && e.kind === 'notFound') return undefined;
      throw e;
    }
  }

  /** Whether the code is taken in the field (groups included). */
  async isOptionCodeTaken(fieldCode: string, code: string): Promise<boolean> {
    const data = await this.get('checkOptionCode', FIELD_ENDPOINTS.optionCodeTaken, code, {
      customer_field_code: fieldCode,
      customer_field_option_code: code,
    });
    return this.shaped('checkOptionCode', code, yesNo, data);
  }

  /** How many options (and groups) the field has, by count-all. */
  async countOptions(fieldCode: string): Promise<number> {
    const data = await this.get('readOptions', FIELD_ENDPOINTS.optionCount, fieldCode, { customer_field_code: fieldCode });
    return this.shaped('readOptions', fieldCode, count, data);
  }

  /** insert; answers the code the server gave the new option (the one sent, when it says nothing). */
  async insertOption(o: OptionInput): Promise<string> {
    const body = {
      customer_field_code: o.fieldCode,
      customer_field_option_code: o.code,
      customer_field_option_group_code: o.groupCode,
      name: o.name,
      color: o.color,
      text_color: o.textColor,
      type: o.type,
      ...(o.number !== undefined ? { number: o.number } : {}),
    };
    const data = await this.post('createOption', FIELD_ENDPOINTS.insertOption, o.code, insertOptionBody, body);
    // A success envelope means the option was made, whatever `data` holds: its shape cannot undo that.
    return typeof data === 'string' && data !== '' ? data : o.code;
  }

  /** update with the full editable set (name, colours, number, group); the type and code stay. */
  async updateOption(o: OptionInput & { number: number }): Promise<void> {
    const body = {
      customer_field_code: o.fieldCode,
      customer_field_option_code: o.code,
      customer_field_option_group_code: o.groupCode,
      name: o.name,
      color: o.color,
      text_color: o.textColor,
      number: o.number,
    };
    await this.post('updateOption', FIELD_ENDPOINTS.updateOption, o.code, updateOptionBody, body);
  }

  async changeOptionCode(fieldCode: string, code: string, newCode: string): Promise<void> {
    const body = { customer_field_code: fieldCode, customer_field_option_code: code, customer_field_option_code_new: newCode };
    const data = await this.post('changeOptionCode', FIELD_ENDPOINTS.changeOptionCode, code, changeOptionCodeBody, body);
    this.refusedIfFalse('changeOptionCode', code, data);
  }

  async deleteOption(fieldCode: string, code: string): Promise<void> {
    const body = { customer_field_code: fieldCode, customer_field_option_code: code };
    const data = await this.post('deleteOption', FIELD_ENDPOINTS.deleteOption, code, deleteOptionBody, body);
    this.refusedIfFalse('deleteOption', code, data);
  }

  /** customer/count-all with an EQUAL filter: the customers whose field holds this option. */
  async countCustomersWith(fieldCode: string, code: string): Promise<number> {
    const body = { field_search: [{ customer_field_code: fieldCode, value: code, type: 'EQUAL', is_search: true }] };
    const data = await this.client.v3Call(
      { operation: 'countCustomers', item: code, path: FIELD_ENDPOINTS.countCustomers, method: 'POST', body },
      this.apiKey,
      this.signal,
    );
    return this.shaped('countCustomers', code, count, data);
  }

  // -------------------------------------------------------------------------------------------

  private async list<T>(
    operation: VbotOperation,
    path: string,
    query: Record<string, string | number>,
    schema: z.ZodMiniType<T[]>,
    item: string | undefined,
  ): Promise<T[]> {
    return this.shaped(operation, item, schema, await this.get(operation, path, item, query));
  }

  private get(operation: VbotOperation, path: string, item: string | undefined, query: Record<string, string | number>): Promise<unknown> {
    const call: V3Call = { operation, item, path, method: 'GET', query };
    return this.client.v3Call(call, this.apiKey, this.signal);
  }

  /** A change: its body checked before it is sent, so nothing the server would refuse (or misread) leaves. */
  private post(
    operation: VbotOperation,
    path: string,
    item: string,
    schema: z.ZodMiniType,
    body: Record<string, unknown>,
  ): Promise<unknown> {
    if (!schema.safeParse(body).success) {
      return Promise.reject(
        new VbotError({ kind: 'invalidInput', operation, typeNo: item, detail: 'a value breaks the validation rules' }),
      );
    }
    return this.client.v3Call({ operation, item, path, method: 'POST', body }, this.apiKey, this.signal);
  }

  private shaped<T>(operation: VbotOperation, item: string | undefined, schema: z.ZodMiniType<T>, data: unknown): T {
    const parsed = schema.safeParse(data);
    if (!parsed.success) throw this.wrongShape(operation, item);
    return parsed.data;
  }

  private wrongShape(operation: VbotOperation, item: string | undefined): VbotError {
    return new VbotError({ kind: 'badResponse', operation, typeNo: item, detail: 'the data is not of the documented shape' });
  }

  /** The doc promises a Bool: an explicit false inside a success envelope is a refusal. */
  private refusedIfFalse(operation: VbotOperation, item: string, data: unknown): void {
    if (data === false) throw new VbotError({ kind: 'apiError', operation, typeNo: item, detail: 'the server answered data=false' });
  }
}
