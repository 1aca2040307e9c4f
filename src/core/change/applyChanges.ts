// Apply's scheduler: carries out a plan's changes through the ChangeRunner in a sliding window.
//   - at most `concurrency` API calls in flight; a slot frees when its call is answered, not when the
//     change is saved (saving is grouped by the runner and overlaps the next calls);
//   - items start in plan order, each as soon as its dependency was answered ok;
//   - an item whose dependency failed or was skipped is skipped ('dependency'), as is one whose
//     dependency is not in the plan or never can run (a cycle);
//   - cancelling skips what has not started ('cancelled'); a result the caller stops on (the profile was
//     signed out…) skips the rest ('stopped'). Calls in flight always run to their end.
// Results come back in plan order, whatever order they ended in.
//
// Pure core: no `vscode` import.
import type { LocalSaveError } from '../atomicFile';
import { VbotError, type VbotErrorKind } from '../vbotError';
import { type Change, type ChangeResult, type RunOptions, unexpectedError } from './changeRunner';
import type { TypeChange } from './typeChange';

/** Calls in flight at once while applying: quick enough, and gentle with the API. */
export const APPLY_CONCURRENCY = 4;
/** While applying, the local list and the journal are written at most this often (see GroupCommit). */
export const APPLY_WRITE_INTERVAL_MS = 500;

/**
 * The rule Apply stops on: a failure after which nothing more can be done in the profile's name (signed out,
 * its session refused, the profile removed or edited).
 */
export function endsTheProfile(result: ItemResult<BatchItem>): boolean {
  return result.status === 'failed' && result.error instanceof VbotError && PROFILE_ENDED.has(result.error.kind);
}

const PROFILE_ENDED: ReadonlySet<VbotErrorKind> = new Set(['signedOut', 'unauthorized', 'profileChanged']);

export type ApplyItem = TypeChange & { readonly id: string; readonly dependsOn?: string };
/** Any change the runner carries (an option's too: Apply of a file with "fields"). */
export type BatchItem = Change & { readonly id: string; readonly dependsOn?: string };

export type SkipReason = 'dependency' | 'cancelled' | 'stopped';

export type ItemResult<I extends BatchItem = ApplyItem> =
  | { readonly item: I; readonly status: 'done' | 'recovered' }
  | { readonly item: I; readonly status: 'failed'; readonly error: VbotError | LocalSaveError }
  | { readonly item: I; readonly status: 'skipped'; readonly skipped: SkipReason };

/** What the scheduler needs of the ChangeRunner. */
export interface ChangeRunnerLike {
  run(change: Change, options?: RunOptions): Promise<ChangeResult<Change>>;
}

export interface ApplyOptions<I extends BatchItem = ApplyItem> {
  /** How many API calls may be in flight at once (at least 1). */
  concurrency: number;
  signal?: AbortSignal;
  /** Called once per item as it ends (a success once it is saved), with the count of ended items. */
  onResult?: (result: ItemResult<I>, ended: number, total: number) => void;
  /**
   * True to start nothing more after this result. Asked as soon as a call is refused (so no other call
   * starts with, say, a signed-out profile) and again for every final result.
   */
  stopOn?: (result: ItemResult<I>) => boolean;
}

export function applyChanges<I extends BatchItem>(
  items: ReadonlyArray<I>,
  runner: ChangeRunnerLike,
  options: ApplyOptions<I>,
): Promise<ItemResult<I>[]> {
  return new Promise((resolve, reject) => new SlidingWindow(items, runner, options, { resolve, reject }).start());
}

interface Ending<I extends BatchItem> {
  resolve(results: ItemResult<I>[]): void;
  /** Only a callback of the caller that throws (onResult, stopOn) ends the run this way. */
  reject(error: unknown): void;
}

type State = 'waiting' | 'running' | 'answered' | 'ended';

class SlidingWindow<I extends BatchItem> {
  private readonly limit: number;
  private readonly states: State[];
  private readonly results: Array<ItemResult<I> | undefined>;
  private readonly indexOf = new Map<string, number>();
  /** By index: whether the item's call was answered ok (only set once answered). */
  private readonly answeredOk = new Map<number, boolean>();
  private inFlight = 0;
  private ended = 0;
  /** Every item before this one has started or ended: the scan for what to start begins here. */
  private firstWaiting = 0;
  private stopped = false;
  private finished = false;
  private readonly onAbort = () => this.guard(() => this.schedule());

  constructor(
    private readonly items: ReadonlyArray<I>,
    private readonly runner: ChangeRunnerLike,
    private readonly options: ApplyOptions<I>,
    private readonly ending: Ending<I>,
  ) {
    this.limit = Math.max(1, Math.floor(options.concurrency) || 1);
    this.states = items.map(() => 'waiting');
    this.results = items.map(() => undefined);
    // The first item with an id is the one its dependents mean.
    items.forEach((item, index) => {
      if (!this.indexOf.has(item.id)) this.indexOf.set(item.id, index);
    });
  }

  start(): void {
    this.options.signal?.addEventListener('abort', this.onAbort, { once: true });
    this.guard(() => this.schedule());
  }

  /** Starts what may start and skips what never will; ends the run when every item has ended. */
  private schedule(): void {
    if (this.finished) return;
    while (this.firstWaiting < this.items.length && this.states[this.firstWaiting] !== 'waiting') this.firstWaiting++;
    for (let i = this.firstWaiting; i < this.items.length; i++) {
      if (this.states[i] !== 'waiting') continue;
      const skipAll = this.options.signal?.aborted ? 'cancelled' : this.stopped ? 'stopped' : undefined;
      if (skipAll) {
        this.skip(i, skipAll);
        continue;
      }
      // With every slot taken, what comes later is looked at when a slot frees.
      if (this.inFlight >= this.limit) break;
      const ready = this.readiness(i);
      if (ready === 'never') this.skip(i, 'dependency');
      else if (ready === 'now') this.launch(i);
    }
    this.skipStuck();
    if (this.ended === this.items.length) this.finish();
  }

  private readiness(index: number): 'now' | 'later' | 'never' {
    const dependsOn = this.items[index].dependsOn;
    if (dependsOn === undefined) return 'now';
    const dependency = this.indexOf.get(dependsOn);
    if (dependency === undefined || dependency === index) return 'never';
    const ok = this.answeredOk.get(dependency);
    if (ok !== undefined) return ok ? 'now' : 'never';
    // A dependency skipped (or ended without an answer) never will be answered.
    return this.states[dependency] === 'ended' ? 'never' : 'later';
  }

  /** With no call in flight, items still waiting wait on each other (a cycle): none of them can run. */
  private skipStuck(): void {
    if (this.inFlight > 0) return;
    for (let i = this.firstWaiting; i < this.items.length; i++) if (this.states[i] === 'waiting') this.skip(i, 'dependency');
  }

  private launch(index: number): void {
    this.states[index] = 'running';
    this.inFlight++;
    const item = this.items[index];
    const onAnswered = (ok: boolean, error?: VbotError) => this.answered(index, ok, error);
    this.runner
      .run(item, { signal: this.options.signal, onAnswered })
      // The runner never throws; should it all the same, the item fails rather than the run hanging.
      .catch((e: unknown): ChangeResult<Change> => ({ status: 'failed', change: item, error: unexpectedError(item, e) }))
      .then((result) =>
        this.guard(() => {
          // A runner that ends without calling onAnswered still frees its slot.
          if (this.states[index] === 'running') this.answered(index, result.status !== 'failed', undefined, false);
          this.end(index, resultOf(item, result));
          this.schedule();
        }),
      );
  }

  private answered(index: number, ok: boolean, error: VbotError | undefined, reschedule = true): void {
    if (this.states[index] !== 'running' || this.finished) return;
    this.states[index] = 'answered';
    this.inFlight--;
    this.answeredOk.set(index, ok);
    if (!ok && error && this.wantsStop({ item: this.items[index], status: 'failed', error })) this.stopped = true;
    if (reschedule) this.guard(() => this.schedule());
  }

  private skip(index: number, reason: SkipReason): void {
    this.end(index, { item: this.items[index], status: 'skipped', skipped: reason });
  }

  private end(index: number, result: ItemResult<I>): void {
    this.states[index] = 'ended';
    this.results[index] = result;
    this.ended++;
    if (result.status !== 'skipped' && this.wantsStop(result)) this.stopped = true;
    this.options.onResult?.(result, this.ended, this.items.length);
  }

  private wantsStop(result: ItemResult<I>): boolean {
    return this.options.stopOn?.(result) ?? false;
  }

  private finish(): void {
    this.finished = true;
    this.options.signal?.removeEventListener('abort', this.onAbort);
    this.ending.resolve(this.results as ItemResult<I>[]);
  }

  /** Runs a step; a caller's callback that throws ends the run with its error. */
  private guard(step: () => void): void {
    try {
      step();
    } catch (e) {
      if (this.finished) return;
      this.finished = true;
      this.options.signal?.removeEventListener('abort', this.onAbort);
      this.ending.reject(e);
    }
  }
}

function resultOf<I extends BatchItem>(item: I, result: ChangeResult<Change>): ItemResult<I> {
  return result.status === 'failed' ? { item, status: 'failed', error: result.error } : { item, status: result.status };
}
