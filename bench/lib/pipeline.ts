// THE ADAPTER: the one place where the Apply and addType benchmarks (bench/node/apply.ts, addType.ts) meet
// the code they measure. Everything else in those figures (the workload, the sandbox, the network-bound
// baseline, the rounds) stays as it is when the pipeline changes: to measure another pipeline, rewrite the two
// functions below (and nothing else), keeping their signatures.
//
// This version drives the NEW pipeline (src/core/change/): applyChanges (a sliding window of 4 calls in
// flight, items started in plan order as soon as their dependency was answered) over one ChangeRunner (per
// change: the API call, then the journal record and the cache edit, written in groups by GroupCommit), wired
// as the extension wires it in src/vscode/planCommands.ts (run) and src/vscode/changes.ts (runnerFor), minus
// what needs vscode:
//   - the API port is ProfileApi.send (src/vscode/apiRunner.ts): a fresh VbotClient per call (ApiRunner.client),
//     the profile's TokenSession around it, a failure turned into an Outcome and logged; the check that the
//     profile is still the current one reads the settings and is left out;
//   - the journal is the ChangeJournal itself, the cache the profile's CustomerTypeCache (ActiveCache.forProfile
//     hands out that cache);
//   - left out as UI only: the progress notification, confirmation, result document and notifications; the
//     log is silent here (in the extension it goes to an output channel).
// The pipeline before this one (commit 7b16887: executePlan in waves, one journal append and one cache write
// per item), measured with an adapter of the same shape (/work/bench-before/BEFORE.md), 1 project, 2 vCPUs at
// load ~11: Apply 82.6 s against 7.75 s, 11.1× (8.9–12.1×); addType 181 ms against 26 ms, 6.5×.
import { APPLY_CONCURRENCY, APPLY_WRITE_INTERVAL_MS, applyChanges, endsTheProfile } from '../../src/core/change/applyChanges';
import { type ApiAnswer, type ChangeApi, ChangeRunner, type ChangeRunnerDeps } from '../../src/core/change/changeRunner';
import { type ApiRequest, createChange } from '../../src/core/change/typeChange';
import type { CustomerTypeCache } from '../../src/core/cache/customerTypeCache';
import type { ChangeJournal } from '../../src/core/journal/journal';
import type { Logger } from '../../src/core/logger';
import { TokenSession, type TokenStore } from '../../src/core/tokenSession';
import type { PlanItem } from '../../src/core/typesAsCode/planner';
import { VbotClient } from '../../src/core/vbotClient';
import { VbotError } from '../../src/core/vbotError';

export { APPLY_CONCURRENCY } from '../../src/core/change/applyChanges';

/** What either pipeline needs, made by the benchmark: the same objects the extension would hold. */
export interface PipelineDeps {
  /** The API's base URL (the sandbox's). */
  baseUrl: string;
  /** Signed in: holds an access token the sandbox accepts. */
  tokens: TokenStore;
  /** Loaded, over the benchmark's cache file. */
  cache: CustomerTypeCache;
  journal: ChangeJournal;
  /** The active profile's name, as the journal records it. */
  profile: string;
  log: Logger;
}

/** Per item: anything but status 'done' makes the benchmark fail (the figure would be wrong). */
export interface AppliedItem {
  item: PlanItem;
  status: string;
  message?: string;
}

/** Apply of `items` (a plan from computePlan, in plan order), the whole way: API, journal, cache. */
export async function applyWithPipeline(items: ReadonlyArray<PlanItem>, deps: PipelineDeps): Promise<AppliedItem[]> {
  const runner = new ChangeRunner({ ...runnerDeps(deps), minWriteIntervalMs: APPLY_WRITE_INTERVAL_MS });
  // As the extension: one signal for the whole Apply (its progress notification's Cancel), never aborted here.
  const results = await applyChanges(items, runner, {
    concurrency: APPLY_CONCURRENCY,
    signal: new AbortController().signal,
    stopOn: endsTheProfile,
  });
  return results.map((r) => ({
    item: r.item,
    status: r.status,
    message: r.status === 'failed' ? r.error.message : r.status === 'skipped' ? r.skipped : undefined,
  }));
}

/**
 * One "Add Customer Type" once its values are known (typeCommands.ts addType → Changes.runOne → ChangeRunner.run):
 * the API call, the journal record, the cache write. The parts are timed at the runner's ports (one change, so
 * they run one after the other).
 */
export async function addTypeWithPipeline(
  add: { vbotId: string; projectCode: string; typeNo: string; typeName: string },
  deps: PipelineDeps,
): Promise<{ ok: boolean; message?: string; parts?: { apiMs: number; journalMs: number; cacheMs: number } }> {
  const parts = { apiMs: 0, journalMs: 0, cacheMs: 0 };
  const timed =
    <T>(key: keyof typeof parts, work: () => Promise<T>) =>
    async () => {
      const t0 = performance.now();
      try {
        return await work();
      } finally {
        parts[key] += performance.now() - t0;
      }
    };
  const d = runnerDeps(deps);
  const runner = new ChangeRunner({
    ...d,
    api: { send: (request, signal) => timed('apiMs', () => d.api.send(request, signal))() },
    journal: {
      appendMany: (records) => timed('journalMs', () => deps.journal.appendMany(records))(),
      entries: (filter) => deps.journal.entries(filter),
    },
    cache: { applyEdits: (edits) => timed('cacheMs', () => deps.cache.applyEdits(edits))() },
  });
  const result = await runner.run(createChange(add, { typeNo: add.typeNo, typeName: add.typeName }), {
    signal: new AbortController().signal,
  });
  return result.status === 'done'
    ? { ok: true, parts }
    : { ok: false, message: result.status === 'failed' ? result.error.message : result.status };
}

// ------------------------------------------------------------------------------------------------
// The extension's wiring, without vscode

/** Changes.runnerFor: the runner bound to one profile's API, journal and cache. */
function runnerDeps(deps: PipelineDeps): ChangeRunnerDeps {
  return { profile: deps.profile, api: profileApi(deps), journal: deps.journal, cache: deps.cache, log: deps.log };
}

/** ProfileApi.send/call/execute (src/vscode/apiRunner.ts): a fresh client per call, the session around it; never throws. */
function profileApi(deps: PipelineDeps): ChangeApi {
  const client = () => new VbotClient({ baseUrl: deps.baseUrl, logger: deps.log, apiVersion: 'v2' });
  const session = new TokenSession(client, deps.tokens, deps.log);
  return {
    async send(request: ApiRequest, signal?: AbortSignal): Promise<ApiAnswer> {
      const s = signal ?? new AbortController().signal;
      try {
        const c = client();
        await session.call(request.operation, request.typeNo, (token) => request.send(c, token, s), s);
        return { ok: true };
      } catch (e) {
        const error =
          e instanceof VbotError
            ? e
            : new VbotError({ kind: 'badResponse', operation: request.operation, typeNo: request.typeNo, detail: 'unexpected failure' });
        deps.log.warn(error.message);
        return { ok: false, error };
      }
    },
  };
}
