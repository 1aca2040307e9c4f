// The one path from outside text to UI text. Our own messages are templates (`vscode.l10n.t` with the
// message alone, so placeholders stay); `say` fills them with values made inert (src/core/outsideText.ts).
// What the user is shown (notifications, dialogs, progress titles) takes `Safe` text, which only these
// functions make; a unit test keeps every `vscode.l10n.t` call free of values.
import { breakLinks, escapeIcons, escapeMarkdown, fillTemplate, inert } from '../core/outsideText';

declare const safeText: unique symbol;
/** Text that is ours, with any outside values in it made inert. */
export type Safe = string & { readonly [safeText]: true };

/** One of our messages with its `{n}` placeholders filled with inert values. */
export function say(template: string, ...values: unknown[]): Safe {
  return breakLinks(fillTemplate(template, values)) as Safe;
}

/** An outside value shown on its own (a tree label, a quick pick description). */
export function plain(value: unknown): Safe {
  return inert(value) as Safe;
}

/** For quick picks and the status bar, which draw `$(name)` as an icon: values show as typed. */
export function sayLabel(template: string, ...values: unknown[]): Safe {
  return breakLinks(fillTemplate(template, values, (v) => escapeIcons(inert(v)))) as Safe;
}

/** An outside value as a quick pick label, description or detail. */
export function label(value: unknown): Safe {
  return escapeIcons(inert(value)) as Safe;
}

/** For Markdown documents and tooltips we build: values show as typed, never as Markdown or HTML. */
export function sayMarkdown(template: string, ...values: unknown[]): Safe {
  return fillTemplate(template, values, (v) => escapeMarkdown(inert(v))) as Safe;
}

/** An outside value inside Markdown we build. */
export function markdown(value: unknown): Safe {
  return escapeMarkdown(inert(value)) as Safe;
}

/** Safe parts joined by our own separator. */
export function joinSafe(parts: ReadonlyArray<Safe>, separator: string): Safe {
  return breakLinks(parts.join(separator)) as Safe;
}
