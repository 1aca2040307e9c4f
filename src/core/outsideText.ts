// Outside text (file contents, server messages, type names and codes, file names, settings) is data,
// never UI. These are the only transformations it gets on its way to a notification, a quick pick, a
// tree item, a document or a log line: after them it cannot become a link, a command, an icon, Markdown
// or a line of its own. The VS Code layer's `say()` applies them to every value it puts into a message.

/** The pattern VS Code's linked-text parser turns into a link in notifications and dialogs. */
export const LINKED_TEXT = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;

/**
 * Line breaks and other controls become U+FFFD (visible, so nothing is hidden), a tab a space; bidi
 * controls and invisible format characters, which can make text read other than it is, become U+FFFD too.
 */
// eslint-disable-next-line no-control-regex -- these are the characters that must not reach the UI
const UNSAFE_CHARS = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F\u061C\u180E\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]/g;
/** Anything inert() would change but the length: most values have none, and are then returned as they are. */
// eslint-disable-next-line no-control-regex -- these are the characters that must not reach the UI
const NEEDS_WORK = /[\t\u0000-\u001F\u007F-\u009F\u061C\u180E\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]|\]\(/;
/** Quick pick labels and the status bar draw `$(name)` as an icon; `\$(name)` shows the text itself. */
const ICON = /(\\)?\$\(([A-Za-z0-9-]+(?:~[A-Za-z]+)?)\)/g;
/**
 * What makes Markdown of text placed inside a line (never at its start): emphasis, code, links and images,
 * HTML and entities, table cells, strike-through. The rest stays unescaped so the source reads as typed.
 */
const MARKDOWN_SPECIAL = /[\\`*[\]<>&|~]/g;
/**
 * `_` emphasises only at a word's edge: inside a code like DAI_LY_C1 it stays as typed. Made when first used:
 * V8 builds its Unicode classes when it is made (~0.4 ms), which would otherwise be paid by the main file's load.
 */
let edgeUnderscore: RegExp | undefined;
/** Longer than any value we accept ourselves; a server message beyond this is cut. */
export const MAX_OUTSIDE_TEXT = 1000;

/**
 * Any outside value as one line of inert text: no line breaks or invisible controls, no `[label](link)`
 * that the linked-text parser would recognise, at most `maxLength` characters. Idempotent, so text
 * already made safe can be passed again.
 */
export function inert(value: unknown, maxLength = MAX_OUTSIDE_TEXT): string {
  let text = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
  if (text.length > maxLength) text = `${text.slice(0, maxLength - 1)}…`;
  // Tree labels, quick pick items and log lines pass here by the thousand: a test that allocates nothing first.
  if (!NEEDS_WORK.test(text)) return text;
  return breakLinks(text.replace(/\t/g, ' ').replace(UNSAFE_CHARS, '\uFFFD'));
}

/** `[a](command:x)` → `[a] (command:x)`: still readable, no longer a link. */
export function breakLinks(text: string): string {
  return text.includes('](') ? text.replace(/\]\(/g, '] (') : text;
}

/** Whether VS Code would show a link in this notification or dialog text. */
export function hasLiveLink(text: string): boolean {
  LINKED_TEXT.lastIndex = 0;
  const found = LINKED_TEXT.test(text);
  LINKED_TEXT.lastIndex = 0;
  return found;
}

/** `$(alert)` → `\$(alert)`, shown as typed in quick picks and the status bar; escaped ones stay as they are. */
export function escapeIcons(text: string): string {
  return text.includes('$(') ? text.replace(ICON, (match, escaped) => (escaped ? match : `\\${match}`)) : text;
}

/** Text that Markdown shows as typed (no emphasis, links, HTML, headings or table cells). */
export function escapeMarkdown(text: string): string {
  // `://` and `www.` would become links by themselves (GFM autolinks).
  return text
    .replace(MARKDOWN_SPECIAL, '\\$&')
    .replace((edgeUnderscore ??= /(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu), '\\_')
    .replace(/:\/\//g, '\\://')
    .replace(/\bwww\./gi, (w) => `${w.slice(0, 3)}\\.`);
}

/**
 * Fills `{0}`, `{1}`… of a template (one of our own messages) with values made safe by `escape`, in one
 * pass: a value that contains `{1}` stays as it is. A placeholder with no value is left visible.
 */
export function fillTemplate(template: string, values: ReadonlyArray<unknown>, escape: (value: unknown) => string = inert): string {
  return template.replace(/\{(\d+)\}/g, (match, index: string) => (Number(index) < values.length ? escape(values[Number(index)]) : match));
}
