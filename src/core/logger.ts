// The core logs through this interface; the VS Code layer backs it with a LogOutputChannel.
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** Replaces every occurrence of each secret by a marker; the last line of defence before text leaves the core. */
export function scrubSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text;
  for (const s of secrets) {
    if (!s || s.length < 4) continue;
    // A server may echo a secret as it was sent: form-encoded (a sign-in body) or URL-encoded.
    const forms = new Set([s, encodeURIComponent(s), new URLSearchParams({ s }).toString().slice(2)]);
    for (const form of forms) out = out.split(form).join('[redacted]');
  }
  return out;
}
