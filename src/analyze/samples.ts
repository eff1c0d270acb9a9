import { fillDraws } from "../random/draws.js";

/**
 * Seeded uniforms on [0, 1) for the sheets' observations: the counter-based generator of
 * training mode (src/random), so that the same sheet comes out on every run and machine, and
 * what was observed can be read again from the seed.
 */
export function uniforms(count: number, seed: number, offset = 0): Float64Array {
  const out = new Float64Array(count);
  fillDraws(out, "uniform", [0, 1], { seed, offset }, 0);
  return out;
}
