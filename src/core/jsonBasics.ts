// The small JSON helpers every reader of outside JSON needs (isRecord, BOM, dates, error text); json.ts
// re-exports them with its syntax-error scanner. Pure: no I/O, no vscode.

/** A JSON object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The text without a leading byte order mark (editors on Windows add one). */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** An ISO 8601 date and time as `Date.prototype.toISOString` writes it (offsets allowed). */
export const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

/** `e`'s message, for a log line or a notification: never a stack. */
export function formatError(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
