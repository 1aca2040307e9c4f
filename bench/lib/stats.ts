// Small statistics helpers shared by the benchmark parts (Node side and extension host side).
// No imports: this file is bundled into the host entry too.

export interface Stats {
  /** How many samples. */
  n: number;
  median: number;
  p25: number;
  p75: number;
  min: number;
  max: number;
}

/** Linear-interpolated quantile of sorted values. */
function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    median: quantile(sorted, 0.5),
    p25: quantile(sorted, 0.25),
    p75: quantile(sorted, 0.75),
    min: sorted[0] ?? NaN,
    max: sorted[sorted.length - 1] ?? NaN,
  };
}

/**
 * Ratio of ours to the baseline, per paired round (ours_i / base_i), summarized. Pairing rounds that ran
 * back to back cancels most of the machine's drift (other processes come and go on a shared box).
 */
export function pairedRatio(ours: number[], base: number[]): Stats {
  const n = Math.min(ours.length, base.length);
  const ratios: number[] = [];
  for (let i = 0; i < n; i++) ratios.push(ours[i] / base[i]);
  return stats(ratios);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs `ours` and `base` alternately (order flipped every round), returning each one's samples. */
export async function interleaved(
  rounds: number,
  ours: () => Promise<number> | number,
  base: () => Promise<number> | number,
): Promise<{ ours: number[]; base: number[] }> {
  const out = { ours: [] as number[], base: [] as number[] };
  for (let i = 0; i < rounds; i++) {
    if (i % 2 === 0) {
      out.ours.push(await ours());
      out.base.push(await base());
    } else {
      out.base.push(await base());
      out.ours.push(await ours());
    }
  }
  return out;
}
