import type { Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";
import { evaluateFloat } from "../numeric/evaluate.js";
import { contains, EVERYWHERE, parameterValues, pointsNearEnds, type Domain, type Interval } from "./domain.js";
import { samplePoints } from "./points.js";

/**
 * The values at which identities of real numbers most often fail, tried for every free symbol:
 * 0 and 1 (x⁰, 0ˣ), ±1 and −2 (negative bases), 2 and 3 (even and odd integer exponents: (x²)^½
 * is |x|, not x), ±½ and ±3/2 (half-integers: roots of negative numbers), 7/4 (an ordinary value).
 * Eleven values, a prime number of them, so that the covering array below is exact.
 */
const SPECIAL = [0n, 1n, -1n, 2n, 3n, -2n].map((n) => Q.rational(n)).concat(
  [[1n, 2n], [-1n, 2n], [3n, 2n], [-3n, 2n], [7n, 4n]].map(([n, d]) => Q.rational(n!, d!)),
);

/** The special values inside a symbol's range, its own range's values (ends included) after them. */
export function screeningValues(range: Interval = EVERYWHERE): Q.Rational[] {
  const values = [...SPECIAL.filter((v) => contains(range, v)), ...parameterValues(range)];
  return [...new Map(values.map((v) => [`${v.n}/${v.d}`, v])).values()];
}

const isPrime = (p: number): boolean => {
  for (let k = 2; k * k <= p; k++) if (p % k === 0) return false;
  return p >= 2;
};

/**
 * Assignments in which every pair of values of every two symbols occurs together (a covering
 * array of strength 2): row (a, b) gives symbol j its value number (a + j·b) mod p, p a prime at
 * least the longest list and the number of symbols. For two symbols j ≠ k the map (a, b) ↦ the
 * pair of value numbers is a bijection mod p, so each pair of values meets in some row; p² rows
 * however many symbols there are. A list shorter than p takes its numbers mod its length.
 */
export function pairwiseAssignments(names: readonly string[], lists: readonly (readonly Q.Rational[])[]): Map<string, Q.Rational>[] {
  if (names.length === 0) return [new Map()];
  if (names.length === 1) return lists[0]!.map((v) => new Map([[names[0]!, v]]));
  let p = Math.max(names.length, ...lists.map((l) => l.length));
  while (!isPrime(p)) p++;
  const rows = new Map<string, Map<string, Q.Rational>>();
  for (let a = 0; a < p; a++) {
    for (let b = 0; b < p; b++) {
      const row = new Map(names.map((n, j) => {
        const list = lists[j]!;
        return [n, list[((a + j * b) % p) % list.length]!] as const;
      }));
      rows.set([...row.values()].map((v) => `${v.n}/${v.d}`).join(","), row);
    }
  }
  return [...rows.values()];
}

export interface ScreenSide {
  readonly l: Expr;
  readonly r: Expr;
  readonly variable: string | undefined;
  readonly params: readonly string[];
  readonly domain: Domain;
}

/**
 * Candidate counterexamples, cheaply: both sides in float64 at every pairwise combination of the
 * special values of the parameters and the sample points of the variable (never a breakpoint,
 * never outside the stated domain), where both are finite and differ by more than float noise.
 * Only candidates: the verifier confirms each at 40 digits before it states anything.
 */
export function* screen(s: ScreenSide, accept: (p: Q.Rational) => boolean = () => true): Generator<Map<string, Q.Rational>> {
  const lists = s.params.map((p) => screeningValues(s.domain.get(p)));
  const range = s.variable === undefined ? undefined : s.domain.get(s.variable);
  for (const row of pairwiseAssignments(s.params, lists)) {
    let points: Q.Rational[] = [Q.ZERO];
    if (s.variable !== undefined) {
      let found: ReturnType<typeof samplePoints>;
      try {
        found = samplePoints([s.l, s.r], s.variable, row);
      } catch {
        continue; // a switching expression that cannot be bound at these values: no breakpoints known
      }
      points = [...found.points, ...(range ? pointsNearEnds(range) : [])]
        .filter((p) => (range === undefined || contains(range, p)) && accept(p) && !found.breakpoints.some((b) => Q.equals(b, p)));
    }
    const floats = new Map([...row].map(([k, v]) => [k, Q.toNumber(v)]));
    for (const p of points) {
      const env = new Map(floats);
      if (s.variable !== undefined) env.set(s.variable, Q.toNumber(p));
      const a = valueOrNaN(s.l, env);
      const b = valueOrNaN(s.r, env);
      if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
      if (Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b))) continue;
      const at = new Map(row);
      if (s.variable !== undefined) at.set(s.variable, p);
      yield at;
    }
  }
}

function valueOrNaN(e: Expr, env: ReadonlyMap<string, number>): number {
  try {
    return evaluateFloat(e, env);
  } catch {
    return NaN;
  }
}
