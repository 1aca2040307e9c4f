// API v3 customer fields with a choice list (SELECT, CHECKBOX, RADIO) and their options, as the extension
// keeps them: camelCase, the wire's snake_case names stay in schemas.ts.

export type FieldType = 'STRING' | 'TEXT' | 'NUMBER' | 'DATE' | 'PHONE' | 'SELECT' | 'CHECKBOX' | 'RADIO';
export type ChoiceFieldType = 'SELECT' | 'CHECKBOX' | 'RADIO';
/** The doc's rule for option codes: letters, digits, `_` and `-` only. 50 like type codes (the doc gives no length). */
export const OPTION_CODE_RULE = /^[A-Za-z0-9_-]{1,50}$/;

export const CHOICE_FIELD_TYPES: ReadonlySet<string> = new Set<ChoiceFieldType>(['SELECT', 'CHECKBOX', 'RADIO']);

export interface ChoiceField {
  code: string;
  name: string;
  type: ChoiceFieldType;
  /** The display order VBot gives. */
  number: number;
  color: string | null;
  textColor: string | null;
  description: string | null;
  isRequired: boolean;
  /** A system field: cannot be deleted. */
  isDefault: boolean;
}

/** An option of a choice field, or (`type` OPTGROUP, SELECT fields only) a group of options. */
export interface FieldOption {
  code: string;
  name: string;
  type: 'OPTION' | 'OPTGROUP';
  /** The group's code for an option inside a group; null at the top level. */
  groupCode: string | null;
  number: number;
  color: string | null;
  textColor: string | null;
}

/** Options in display order: by `number`, ties by code (what VBot's web console shows is not documented). */
export function inNumberOrder<T extends { number: number; code: string }>(items: ReadonlyArray<T>): T[] {
  return [...items].sort((a, b) => a.number - b.number || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/**
 * A field's list as the tree shows it: the top level (groups and options without a group) in number order,
 * and each group's options in number order. An option whose group is not in the list shows at the top.
 */
export function optionLayout(options: ReadonlyArray<FieldOption>): { top: FieldOption[]; inGroup: Map<string, FieldOption[]> } {
  const groups = new Set(options.filter((o) => o.type === 'OPTGROUP').map((o) => o.code));
  const top: FieldOption[] = [];
  const inGroup = new Map<string, FieldOption[]>();
  for (const o of inNumberOrder(options)) {
    if (o.type === 'OPTION' && o.groupCode !== null && groups.has(o.groupCode)) {
      const list = inGroup.get(o.groupCode) ?? [];
      list.push(o);
      inGroup.set(o.groupCode, list);
    } else top.push(o);
  }
  return { top, inGroup };
}

/** A colour as VBot writes it (#RRGGBB), normalized to upper case; anything else is no colour. */
export function hexColour(value: string | null | undefined): string | undefined {
  return typeof value === 'string' && /^#[0-9A-Fa-f]{6}$/.test(value) ? value.toUpperCase() : undefined;
}

/** The text colour that reads on a background: black on a light one, white on a dark one (relative luminance). */
export function textColourFor(background: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(background.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.4 ? '#000000' : '#FFFFFF';
}
