// The base URL decides where the token goes, so it is checked before any request.

export type BaseUrlResult =
  { ok: true; url: string; origin: string } | { ok: false; reason: 'invalid' | 'insecure' | 'credentials' | 'queryOrHash' };

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Trims, removes trailing slashes, and refuses anything but https (or http on loopback). */
export function normalizeBaseUrl(raw: string): BaseUrlResult {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: 'invalid' };
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) return { ok: false, reason: 'insecure' };
  if (url.username || url.password) return { ok: false, reason: 'credentials' };
  if (url.search || url.hash) return { ok: false, reason: 'queryOrHash' };
  const path = url.pathname.replace(/\/+$/, '');
  return { ok: true, url: url.origin + path, origin: url.origin };
}
