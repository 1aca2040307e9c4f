// Runs the items of a plan with bounded concurrency: a project's items in waves (its code changes
// one by one, then its deletes, adds and renames each as a concurrent wave), projects side by side.
// A failure never stops the others; an item whose dependency did not succeed is skipped;
// cancelling skips whatever has not started.
import type { Plan, PlanItem, PlanItemResult } from './typesAsCode';

export type ItemOutcome = { ok: true } | { ok: false; message: string };

export interface ExecuteOptions {
  /** How many calls may be in flight at once. */
  concurrency: number;
  signal?: AbortSignal;
  /** Called after each item ends, with the count of ended items. */
  onProgress?: (ended: number, total: number, last: PlanItemResult) => void;
}

export async function executePlan(
  plan: Plan,
  execute: (item: PlanItem, signal?: AbortSignal) => Promise<ItemOutcome>,
  options: ExecuteOptions,
): Promise<PlanItemResult[]> {
  const results = new Map<string, PlanItemResult>();
  const limit = limiter(Math.max(1, options.concurrency));
  let ended = 0;
  const finish = (result: PlanItemResult) => {
    results.set(result.item.id, result);
    options.onProgress?.(++ended, plan.items.length, result);
  };
  const runOne = (item: PlanItem) => limit(async () => {
    const dependency = item.dependsOn !== undefined ? results.get(item.dependsOn) : undefined;
    if (item.dependsOn !== undefined && dependency?.status !== 'done') {
      finish({ item, status: 'skipped', message: dependency ? undefined : 'its dependency did not run' });
      return;
    }
    if (options.signal?.aborted) {
      finish({ item, status: 'skipped', message: 'cancelled' });
      return;
    }
    let outcome: ItemOutcome;
    try {
      outcome = await execute(item, options.signal);
    } catch (e) {
      outcome = { ok: false, message: e instanceof Error ? e.message : String(e) };
    }
    finish(outcome.ok ? { item, status: 'done' } : { item, status: 'failed', message: outcome.message });
  });
  const runProject = async (waves: PlanItem[][]) => {
    for (const wave of waves) await Promise.all(wave.map(runOne));
  };
  await Promise.all(projectWaves(plan.items).map(runProject));
  // In plan order, whatever order they ended in.
  return plan.items.map((item) => results.get(item.id)!);
}

/** Groups each project's items into waves that may run concurrently, keeping plan order. */
export function projectWaves(items: ReadonlyArray<PlanItem>): PlanItem[][][] {
  const projects = new Map<string, PlanItem[][]>();
  for (const item of items) {
    const key = JSON.stringify([item.vbotId, item.projectCode]);
    const waves = projects.get(key) ?? [];
    projects.set(key, waves);
    const last = waves[waves.length - 1];
    // Code changes can form chains (B→C before A→B), so each is a wave of its own.
    if (last && item.kind !== 'changeCode' && last[0].kind === item.kind) last.push(item);
    else waves.push([item]);
  }
  return [...projects.values()];
}

/** At most `n` of the given tasks run at once. */
function limiter(n: number) {
  let active = 0;
  const queue: Array<() => void> = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((resolve) => queue.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}
