// The questions of the option commands (optionCommands.ts): the name, the colour (VBot's palette, none, or a hex
// value), the group, and how a delete's confirmation words the customers that use an option.
import * as vscode from 'vscode';
import { type FieldOption, hexColour } from '../core/fields/model';
import { OPTION_CODE_RULE } from '../core/fields/schemas';
import type { ColourIcons } from './fieldsNodes';
import { type Step, inputText, pickOne } from './prompts';
import { type Safe, say } from './say';

/**
 * VBot's palette as this extension offers it (the docs show colours as #RRGGBB and name no palette): the colours
 * of its web console's tags, with white or black text (textColourFor).
 */
const PALETTE: ReadonlyArray<[string, () => string]> = [
  ['#E53935', () => vscode.l10n.t('Red')],
  ['#FB8C00', () => vscode.l10n.t('Orange')],
  ['#F9A825', () => vscode.l10n.t('Yellow')],
  ['#43A047', () => vscode.l10n.t('Green')],
  ['#00ACC1', () => vscode.l10n.t('Cyan')],
  ['#1E88E5', () => vscode.l10n.t('Blue')],
  ['#6A1B9A', () => vscode.l10n.t('Purple')],
  ['#D81B60', () => vscode.l10n.t('Pink')],
  ['#6D4C41', () => vscode.l10n.t('Brown')],
  ['#757575', () => vscode.l10n.t('Grey')],
];

export function askOptionName(step: Step, code: string, value?: string): Promise<string | undefined> {
  return inputText({
    ...step,
    prompt: say(vscode.l10n.t('Name of option {0}'), code),
    placeholder: vscode.l10n.t('e.g. Vàng'),
    value,
    validate: (v) =>
      v.trim() === ''
        ? say(vscode.l10n.t('The name cannot be empty.'))
        : [...v.trim()].length > 255
          ? say(vscode.l10n.t('The name can be at most 255 characters long.'))
          : undefined,
  }).then((v) => v?.trim());
}

/** A colour of the palette, no colour (null), or a hex value typed; undefined when cancelled. */
export async function pickColour(step: Step, icons: ColourIcons, current: FieldOption | undefined): Promise<string | null | undefined> {
  type Item = vscode.QuickPickItem & { value: string | null | 'other' };
  const keep = hexColour(current?.color);
  const items: Item[] = [
    ...(keep
      ? [{ label: vscode.l10n.t('Keep the current colour'), description: keep, value: current!.color, iconPath: icons.uri(keep) }]
      : []),
    ...PALETTE.map(([hex, name]): Item => ({ label: name(), description: hex, value: hex, iconPath: icons.uri(hex) })),
    { label: vscode.l10n.t('No colour'), value: null },
    { label: vscode.l10n.t('Another colour (hex value)…'), value: 'other' },
  ];
  const picked = await pickOne<Item>(step, 'colour', vscode.l10n.t('Colour of the option'), items, (i) => String(i.value));
  if (!picked || picked.value !== 'other') return picked?.value;
  const typed = await inputText({
    ...step,
    prompt: vscode.l10n.t('Colour as #RRGGBB'),
    placeholder: '#00AA00',
    value: keep,
    validate: (v) => (/^#[0-9A-Fa-f]{6}$/.test(v.trim()) ? undefined : say(vscode.l10n.t('A colour is written #RRGGBB, e.g. #00AA00.'))),
  });
  return typed?.trim().toUpperCase();
}

export async function pickGroup(step: Step, groups: FieldOption[]): Promise<string | null | undefined> {
  type Item = vscode.QuickPickItem & { value: string | null };
  const items: Item[] = [
    { label: vscode.l10n.t('No group (top level)'), value: null },
    ...groups.map((g): Item => ({ label: g.name, description: g.code, value: g.code })),
  ];
  return (await pickOne<Item>(step, 'group', vscode.l10n.t('Group of the option'), items, (i) => String(i.value)))?.value;
}

/** How many customers have the option, as a delete's confirmation says it (a count only). */
export function usedText(count: number | undefined): Safe {
  if (count === undefined) return say(vscode.l10n.t('How many customers use it could not be read.'));
  if (count === 1) return say(vscode.l10n.t('1 customer has this option.'));
  return say(vscode.l10n.t('{0} customers have this option.'), String(count));
}

/** Why a code cannot be an option's new code in the field (the rule, taken, or the option's own), or undefined. */
export function optionCodeProblem(v: string, list: { fieldCode: string; options: FieldOption[] }, current?: string): Safe | undefined {
  if (!OPTION_CODE_RULE.test(v)) return say(vscode.l10n.t('An option code has 1 to 50 letters, digits, "_" or "-".'));
  if (v === current) return say(vscode.l10n.t('The new code is the same as the current one.'));
  if (list.options.some((o) => o.code === v)) return say(vscode.l10n.t('Option "{0}" is already in field {1}.'), v, list.fieldCode);
  return undefined;
}
