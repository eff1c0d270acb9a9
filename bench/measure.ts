import { measure } from "mitata";
import { random } from "../src/audit/sweep.js";

/**
 * Timing with mitata: each case is warmed up, then sampled until it has used its CPU budget;
 * the statistic is the median sample. The clock is this process's CPU time (user + system, from
 * process.cpuUsage, microsecond resolution): on a machine shared with other work, time spent
 * descheduled is not counted, while everything the process itself does (including GC and wasm)
 * is. Every competitor here is single-threaded, so on an idle machine CPU time equals wall time.
 * Load from elsewhere still slows a sample through shared caches, so paired competitors are
 * measured in alternating rounds and each keeps the best of its round medians.
 */
export interface Budget {
  /** Milliseconds of samples per round. */
  readonly ms: number;
  readonly minSamples: number;
  readonly maxSamples: number;
  readonly rounds: number;
  readonly warmup: number;
}

export const KERNEL_BUDGET: Budget = { ms: 70, minSamples: 8, maxSamples: 200, rounds: 3, warmup: 3 };
export const QUICK_BUDGET: Budget = { ms: 25, minSamples: 3, maxSamples: 20, rounds: 1, warmup: 1 };

const collect = (globalThis as { gc?: () => void }).gc;

/** Process CPU time in nanoseconds. */
export const cpuNow = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1e3;
};

export interface MedianOptions {
  /**
   * A full collection before sampling (the default), so that garbage from earlier cases is not
   * collected inside this one's samples. Off for the symbolic pipeline: a call there allocates
   * little and briefly, and the collection's aftermath — the old generation swept concurrently,
   * on the other core, for the next ~100 ms — is counted in this process's CPU time and lands in
   * its first samples (xwish measured p50 0.73–0.85 ms and p75 1.2–1.8 ms after a forced
   * collection, 0.65 and 0.72 ms without).
   */
  readonly collectFirst?: boolean;
}

/** Median time of one call, in nanoseconds. */
export async function median(fn: () => unknown, budget: Budget, options: MedianOptions = {}): Promise<number> {
  for (let i = 0; i < budget.warmup; i++) fn();
  const stats = await measure(fn, {
    min_cpu_time: budget.ms * 1e6,
    min_samples: budget.minSamples,
    max_samples: budget.maxSamples,
    warmup_samples: 0,
    now: cpuNow,
    // With --expose-gc, a collection before sampling; without it, none (mitata's fallback would
    // allocate a gigabyte to provoke one).
    gc: options.collectFirst === false ? false : collect ?? false,
  });
  return stats.p50;
}

/** Medians of several competitors on one case, measured in alternating rounds; the best round of each. */
export async function paired(fns: readonly (() => unknown)[], budget: Budget): Promise<number[]> {
  const rounds = await pairedRounds(fns, budget);
  return fns.map((_, i) => Math.min(...rounds.map((r) => r[i]!)));
}

/**
 * As paired, with every round's medians (rounds[r][i] for competitor i): the ratio within each
 * round, the two measured a few hundred milliseconds apart, shows how far a ratio moves with the
 * machine's load.
 */
export async function pairedRounds(fns: readonly (() => unknown)[], budget: Budget): Promise<number[][]> {
  const rounds: number[][] = [];
  for (let r = 0; r < budget.rounds; r++) {
    const medians: number[] = [];
    for (const fn of fns) medians.push(await median(fn, budget));
    rounds.push(medians);
  }
  return rounds;
}

/** Uniform in [lo, hi) from the audit's deterministic generator, so every run measures the same inputs. */
export function uniform(seed: number, lo: number, hi: number): () => number {
  const next = random(seed);
  return () => lo + next() * (hi - lo);
}
