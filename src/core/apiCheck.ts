// "VBot: Check API Compatibility…": what VBot's documentation leaves open, tried on the user's own account with
// one temporary customer type (create, rename, change its code, delete). This module is the check itself,
// without VS Code: the order of the steps, the self-healing search for the updateNo body, the clean-up that
// always runs, the report's model and what was learned. The calls go through `CheckOps` (the extension's
// normal client and token session, src/vscode/checkApiCommands.ts); a report holds field names, never values
// of secrets.
import { UPDATE_NO_BODIES, type UpdateNoFields, updateNoBodyById, updateNoBodyId } from './schemas';
import type { AnswerRecord } from './vbotClient';
import type { VbotErrorKind } from './vbotError';

export type CheckStepName = 'create' | 'rename' | 'changeCode' | 'verify' | 'delete';

/** What one call of the check answered: ok, or the failure's kind and details; `answer` when one came back. */
export interface StepAnswer {
  ok: boolean;
  kind?: VbotErrorKind;
  serverCode?: number;
  serverMessage?: string;
  httpStatus?: number;
  outcomeUnknown?: boolean;
  /** The shape of the answer (src/core/vbotClient.ts `onAnswer`): undefined when none came (refused before, network). */
  answer?: AnswerRecord;
  ms: number;
}

/** The calls the check makes, each on the probe type of the chosen project. */
export interface CheckOps {
  create(typeNo: string, typeName: string): Promise<StepAnswer>;
  rename(typeNo: string, typeName: string): Promise<StepAnswer>;
  changeCode(oldTypeNo: string, newTypeNo: string, fields: UpdateNoFields): Promise<StepAnswer>;
  delete(typeNo: string): Promise<StepAnswer>;
}

/** One line of the report. */
export interface CheckStep {
  step: CheckStepName;
  /** The probe's code the step acted on (ours, made by the check). */
  typeNo: string;
  /** changeCode: the body tried (`old/new` field names). */
  updateNoBody?: string;
  /** The request's field names, never values. */
  requestFields: string[];
  ok: boolean;
  kind?: VbotErrorKind;
  envelope?: 'withStatus' | 'errorOnly';
  error?: number;
  message?: string;
  httpStatus?: number;
  ms: number;
  /** changeCode: the server refused this body as a wrong parameter, or said yes without changing the code. */
  note?: 'bodyRefused' | 'codeUnchanged';
}

export interface CheckResult {
  probe: string;
  newCode: string;
  steps: CheckStep[];
  /** The updateNo body the server accepted (and changed the code with), as `old/new`; undefined when none. */
  acceptedBody?: string;
  /** Bodies tried, in order. */
  bodiesTried: string[];
  /** Why no body was found: every one refused, or a failure that is not about the body stopped the search. */
  bodySearch: 'accepted' | 'noneAccepted' | 'stopped' | 'notReached';
  /** Codes the probe may still have on the server after the clean-up: empty when it is gone. */
  remaining: string[];
}

export const PROBE_PREFIX = 'VBOT_CHECK_';
export const PROBE_NAMES = { created: 'VBot CRM API check (temporary)', renamed: 'VBot CRM API check (renamed)' } as const;

/** The probe's code and the code it is changed to: VBOT_CHECK_<6 random hex digits>, and that with `_2`. */
export function probeCodes(random: string): { probe: string; newCode: string } {
  const tag =
    random
      .replace(/[^0-9A-Za-z]/g, '')
      .toUpperCase()
      .slice(0, 12) || 'X';
  return { probe: `${PROBE_PREFIX}${tag}`, newCode: `${PROBE_PREFIX}${tag}_2` };
}

/** Failures after which the next steps cannot work either: go straight to the clean-up. */
const STOPS: ReadonlySet<VbotErrorKind> = new Set([
  'cancelled',
  'network',
  'timeout',
  'unauthorized',
  'signedOut',
  'profileChanged',
  'badUrl',
  'authFailed',
  'forbidden',
]);
/** The server did not understand the updateNo body: try the next one. The probe exists, so a 404 means the same. */
const BODY_REFUSED: ReadonlySet<VbotErrorKind> = new Set(['invalidParams', 'notFound']);

/**
 * The order in which the bodies are tried: the one in use first (remembered, else the assumption), then the others
 * of UPDATE_NO_BODIES in their order.
 */
export function bodyOrder(inUse?: UpdateNoFields): UpdateNoFields[] {
  const first = inUse ? updateNoBodyById(updateNoBodyId(inUse)) : undefined;
  return first ? [first, ...UPDATE_NO_BODIES.filter((b) => b !== first)] : [...UPDATE_NO_BODIES];
}

/** Runs the check: create, rename, change the code (each body until one works), and always the clean-up. */
export async function runApiCheck(ops: CheckOps, codes: { probe: string; newCode: string }, inUse?: UpdateNoFields): Promise<CheckResult> {
  const steps: CheckStep[] = [];
  const result: CheckResult = { ...codes, steps, bodiesTried: [], bodySearch: 'notReached', remaining: [] };
  const take = (step: CheckStepName, typeNo: string, a: StepAnswer, extra: Partial<CheckStep> = {}): StepAnswer => {
    steps.push(toStep(step, typeNo, a, extra));
    return a;
  };

  const created = take('create', codes.probe, await ops.create(codes.probe, PROBE_NAMES.created));
  if (!created.ok) {
    // A lost answer may hide a created probe: look for it in the clean-up.
    if (created.outcomeUnknown) result.remaining = await cleanUp(ops, [codes.probe], steps);
    return result;
  }
  /** Where the probe may be now, the likeliest first. */
  let candidates = [codes.probe];
  const renamed = take('rename', codes.probe, await ops.rename(codes.probe, PROBE_NAMES.renamed));
  if (renamed.ok || !STOPS.has(renamed.kind!)) {
    result.bodySearch = 'noneAccepted';
    for (const body of bodyOrder(inUse)) {
      const id = updateNoBodyId(body);
      result.bodiesTried.push(id);
      const changed = await ops.changeCode(codes.probe, codes.newCode, body);
      if (!changed.ok) {
        const refused = BODY_REFUSED.has(changed.kind!);
        take('changeCode', codes.probe, changed, { updateNoBody: id, note: refused ? 'bodyRefused' : undefined });
        if (refused) continue;
        if (changed.outcomeUnknown) candidates = [codes.newCode, codes.probe];
        result.bodySearch = 'stopped';
        break;
      }
      take('changeCode', codes.probe, changed, { updateNoBody: id });
      // A "yes" is not proof: a server that ignores unknown fields says yes and changes nothing. The new code must answer.
      const verified = take('verify', codes.newCode, await ops.rename(codes.newCode, PROBE_NAMES.renamed));
      if (verified.ok) {
        candidates = [codes.newCode];
        result.acceptedBody = id;
        result.bodySearch = 'accepted';
        break;
      }
      if (verified.kind === 'notFound') {
        steps[steps.length - 2].note = 'codeUnchanged';
        continue;
      }
      // The code may or may not have changed: the clean-up tries both.
      candidates = [codes.newCode, codes.probe];
      result.bodySearch = 'stopped';
      break;
    }
  }
  result.remaining = await cleanUp(ops, candidates, steps);
  return result;
}

/**
 * Deletes the probe under each code it may have, until one delete works; a 404 means "not under this code".
 * Returns the codes under which it may remain (empty: gone). Also the Retry of a failed clean-up.
 */
export async function cleanUp(ops: CheckOps, candidates: readonly string[], steps: CheckStep[]): Promise<string[]> {
  const remaining: string[] = [];
  for (const code of candidates) {
    const a = await ops.delete(code);
    steps.push(toStep('delete', code, a, {}));
    if (a.ok) return [];
    if (a.kind !== 'notFound') remaining.push(code);
  }
  return remaining;
}

function toStep(step: CheckStepName, typeNo: string, a: StepAnswer, extra: Partial<CheckStep>): CheckStep {
  return {
    step,
    typeNo,
    requestFields: a.answer?.requestFields ?? [],
    ok: a.ok,
    kind: a.ok ? undefined : a.kind,
    envelope: a.answer?.envelope,
    error: a.answer?.error ?? a.serverCode,
    message: a.answer?.message ?? a.serverMessage,
    httpStatus: a.answer?.httpStatus ?? a.httpStatus,
    ms: a.ms,
    ...extra,
  };
}

/** What the check showed about the API, for the report's "What was learned". */
export interface Learned {
  /** The accepted updateNo body (`old/new`), or undefined. */
  updateNoBody?: string;
  /** Envelope generations the answers used. */
  envelopes: Array<'withStatus' | 'errorOnly'>;
  /** HTTP statuses that came with a business error (a failing envelope). */
  businessErrorStatuses: number[];
  /** HTTP statuses of successful answers. */
  successStatuses: number[];
}

export function learnedFrom(result: CheckResult): Learned {
  const uniq = <T>(xs: T[]) => [...new Set(xs)].sort();
  const answered = result.steps.filter((s) => s.httpStatus !== undefined);
  return {
    updateNoBody: result.acceptedBody,
    envelopes: uniq(answered.flatMap((s) => (s.envelope ? [s.envelope] : []))),
    businessErrorStatuses: uniq(
      answered.filter((s) => !s.ok && s.envelope && s.error !== undefined && s.error !== 0).map((s) => s.httpStatus!),
    ),
    successStatuses: uniq(answered.filter((s) => s.ok).map((s) => s.httpStatus!)),
  };
}
