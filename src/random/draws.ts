import { fail } from "../errors.js";
import { DISTRIBUTIONS, type DistributionName } from "./distributions.js";
import { philox4x32 } from "./philox.js";

/**
 * Where a training kernel's draws come from: element i of a call draws counter `offset + i` of
 * the generator keyed by `seed`. It is all the generator's state, and the caller holds it: a
 * kernel over [0, n/2) with offset 0 and one over [n/2, n) with offset n/2 draw exactly what
 * one kernel over [0, n) draws; the next training step passes offset + n, or another seed.
 */
export interface DrawState {
  /** The generator's key: an integer from 0 to 2^53 − 1. */
  readonly seed: number;
  /** The counter of element 0 (0 by default): an integer, with offset + n ≤ 2^53. */
  readonly offset?: number;
}

const TWO_32 = 0x100000000;
const TWO_53 = 2 ** 53;
const words = new Uint32Array(4);

/**
 * Fills `target` with draws from `distribution(args…)`: target[i] from counter offset + i of
 * stream `stream` (the random variable's index in its definition, so that two variables of one
 * definition never share a counter). A counter is (offset + i, its high word, stream, 0) and the
 * key is the seed's low and high 32-bit words. Each counter gives two uniforms on [0, 1) of 53
 * bits each, u0 from words 0–1 and u1 from words 2–3; a distribution uses one or both. Values
 * are computed in float64 and rounded once on the store into a Float32Array.
 */
export function fillDraws(target: Float64Array | Float32Array, distribution: DistributionName, args: readonly number[], state: DrawState, stream: number): void {
  const n = target.length;
  const { seed, offset } = checkedState(state, n);
  const sample = DISTRIBUTIONS[distribution].sample;
  const k0 = seed % TWO_32;
  const k1 = Math.floor(seed / TWO_32);
  for (let i = 0; i < n; i++) {
    const counter = offset + i;
    philox4x32(counter % TWO_32, Math.floor(counter / TWO_32), stream, 0, k0, k1, words);
    // 53 bits: the top 21 of one word, then 32 of the next.
    const u0 = ((words[0]! >>> 11) * TWO_32 + words[1]!) / TWO_53;
    const u1 = ((words[2]! >>> 11) * TWO_32 + words[3]!) / TWO_53;
    target[i] = sample(args, u0, u1);
  }
}

/** The state with its default offset, or a usage error that says what a state is. */
export function checkedState(state: DrawState, n: number): { seed: number; offset: number } {
  if (typeof state !== "object" || state === null) fail("E_USAGE", "a training kernel takes its generator's state { seed, offset? } after the arrays", { hint: "for example { seed: 7 } or { seed: 7, offset: 1024 }" });
  const { seed, offset = 0 } = state;
  if (!Number.isSafeInteger(seed) || seed < 0) fail("E_USAGE", `the seed must be an integer from 0 to 2^53 − 1, not ${String(seed)}`);
  if (!Number.isSafeInteger(offset) || offset < 0 || offset + n > TWO_53) {
    fail("E_USAGE", `the offset must be an integer from 0 with offset + n ≤ 2^53, not ${String(offset)} (n = ${n})`);
  }
  return { seed, offset };
}
