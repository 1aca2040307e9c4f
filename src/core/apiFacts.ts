// What a compatibility check learned about one API, remembered in the extension's global state (never a
// setting): today, which updateNo body the server accepted. Keyed by the API's origin and generation (a v2 and
// a v3 API may share an origin). Holds field names only. No zod here: this is read when the client is made.

/** The global-state key of the remembered facts. */
export const API_FACTS_KEY = 'vbotCrm.apiFacts';

export interface ApiFactsEntry {
  updateNoBody: string;
  checkedAt: string;
}

export function apiFactsKey(origin: string, apiVersion: 'v2' | 'v3'): string {
  return `${apiVersion} ${origin}`;
}

/** The remembered updateNo body id (`old/new`) for `key` in a stored facts object, if any. */
export function rememberedUpdateNoBody(stored: unknown, key: string): string | undefined {
  if (!stored || typeof stored !== 'object' || Array.isArray(stored)) return undefined;
  const entry = (stored as Record<string, unknown>)[key];
  const body = entry && typeof entry === 'object' ? (entry as { updateNoBody?: unknown }).updateNoBody : undefined;
  return typeof body === 'string' ? body : undefined;
}

/** The facts object with `key`'s body remembered (a copy: the stored one is left alone). */
export function withUpdateNoBody(stored: unknown, key: string, body: string, now: Date): Record<string, ApiFactsEntry> {
  const base: Record<string, ApiFactsEntry> =
    stored && typeof stored === 'object' && !Array.isArray(stored) ? { ...(stored as Record<string, ApiFactsEntry>) } : {};
  base[key] = { updateNoBody: body, checkedAt: now.toISOString() };
  return base;
}
