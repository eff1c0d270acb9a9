import { num, sub } from "../ast/build.js";
import type { Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";
import { freeSymbols, postorder, substitute } from "../ast/walk.js";
import { diff } from "../diff/diff.js";
import { evaluateBig, evaluateFloat } from "../numeric/evaluate.js";
import { simplify } from "../simplify/simplify.js";

/**
 * Where to look: a grid across both tails and the origin, both sides of every breakpoint (where
 * a condition flips or abs/sign/min/max/clip switch), never the breakpoint itself — there the
 * value is a convention, not mathematics.
 */
const GRID = [
  -100, -40, -20, -10, -6, -4, -3, -2.5, -2, -1.5, -1.25, -1, -0.75, -0.5, -0.3, -0.1, -0.01,
  0, 0.01, 0.1, 0.3, 0.5, 0.75, 1, 1.25, 1.5, 2, 2.5, 3, 4, 6, 10, 20, 40, 100,
].map(Q.fromNumber);

const NEAR = [Q.rational(1n, 10n ** 8n), Q.rational(1n, 1000n), Q.rational(1n, 10n)];

/** Expressions whose sign change marks a breakpoint: conditions, and where abs/sign/min/max/clip switch. */
export function switchingExpressions(e: Expr): Expr[] {
  const out: Expr[] = [];
  for (const n of postorder(e)) {
    if (n.kind === "compare") out.push(sub(n.left, n.right));
    else if (n.kind === "call") {
      const [a, b, c] = n.args;
      if (n.fn === "abs" || n.fn === "sign") out.push(a!);
      else if (n.fn === "min" || n.fn === "max") out.push(sub(a!, b!));
      else if (n.fn === "clip") out.push(sub(a!, b!), sub(a!, c!));
    }
  }
  return out;
}

/**
 * The value of a closed expression to the nearest double, from 60 digits; below 1e-45 it is 0 (a
 * true 0 reached through cancellation or an identity, as tan(π), comes out as noise there).
 * Undefined when it is not a finite number.
 */
function closedValue(e: Expr): number | undefined {
  try {
    const v = evaluateBig(e, new Map(), 60);
    if (!v.isFinite()) return undefined;
    return v.abs().lt(1e-45) ? 0 : v.toNumber();
  } catch {
    return undefined;
  }
}

/** Zeros in x of h (with the parameters bound): exact when h is linear, else by bisection. */
function zerosOf(h: Expr, variable: string, params: ReadonlyMap<string, Q.Rational>): Q.Rational[] {
  const bound = simplify(substitute(h, new Map([...params].map(([k, v]) => [k, num(v)]))));
  const slope = simplify(diff(bound, variable));
  if (slope.kind === "num") {
    if (Q.isZero(slope.value)) return [];
    const atZero = simplify(substitute(bound, new Map([[variable, num(Q.ZERO)]])));
    if (atZero.kind === "num") return [Q.neg(Q.div(atZero.value, slope.value))];
    // A constant that does not fold (x < tan(π), x > erf(1)): its value at 60 digits, not in
    // float64, where tan(π) is −1.2e-16 and the breakpoint would sit beside the true one, 0.
    if (freeSymbols(atZero).size === 0) {
      const zero = closedValue(atZero);
      if (zero !== undefined) return [Q.neg(Q.div(Q.fromNumber(zero), slope.value))];
    }
  }
  const f = (x: number): number => {
    try {
      return evaluateFloat(bound, new Map([[variable, x]]));
    } catch {
      return NaN;
    }
  };
  const zeros: Q.Rational[] = [];
  const xs = Array.from({ length: 481 }, (_, i) => -60 + i * 0.25);
  const values = xs.map(f);
  for (let i = 0; i < xs.length; i++) {
    // A zero can sit exactly on the scan grid (max(0, 1 - |x|) at x = ±1): no sign change brackets it.
    // Inside a stretch where h is 0 throughout there is no switch, only at its ends.
    const flat = (values[i - 1] ?? 0) === 0 && (values[i + 1] ?? 0) === 0;
    if (values[i] === 0 && !flat) zeros.push(Q.fromNumber(xs[i]!));
  }
  for (let i = 1; i < xs.length; i++) {
    let [a, b] = [xs[i - 1]!, xs[i]!];
    let [fa, fb] = [f(a), f(b)];
    if (!(fa * fb < 0)) continue;
    for (let k = 0; k < 80; k++) {
      const m = (a + b) / 2;
      const fm = f(m);
      if (fa * fm <= 0) [b, fb] = [m, fm];
      else [a, fa] = [m, fm];
    }
    zeros.push(Q.fromNumber((a + b) / 2));
  }
  return zeros;
}

export function breakpoints(exprs: readonly Expr[], variable: string, params: ReadonlyMap<string, Q.Rational>): Q.Rational[] {
  const found = new Map<string, Q.Rational>();
  for (const e of exprs) {
    for (const h of switchingExpressions(e)) {
      for (const z of zerosOf(h, variable, params)) found.set(`${z.n}/${z.d}`, z);
    }
  }
  return [...found.values()].sort(Q.compare);
}

/** Sample points for the main variable: the grid and both sides of each breakpoint, minus the breakpoints. */
export function samplePoints(exprs: readonly Expr[], variable: string, params: ReadonlyMap<string, Q.Rational>): { points: Q.Rational[]; breakpoints: Q.Rational[] } {
  const bps = breakpoints(exprs, variable, params);
  const points = new Map<string, Q.Rational>();
  const addPoint = (p: Q.Rational): void => {
    if (!bps.some((b) => Q.equals(b, p))) points.set(`${p.n}/${p.d}`, p);
  };
  GRID.forEach(addPoint);
  for (const b of bps) for (const d of NEAR) {
    addPoint(Q.add(b, d));
    addPoint(Q.sub(b, d));
  }
  return { points: [...points.values()].sort(Q.compare), breakpoints: bps };
}

/** Parameter values to try: a few positive values per parameter, crossed when there are few. */
export function parameterSets(names: readonly string[]): Map<string, Q.Rational>[] {
  const values = [Q.ONE, Q.rational(1n, 2n), Q.rational(7n, 4n)];
  let sets: Map<string, Q.Rational>[] = [new Map()];
  if (names.length <= 2) {
    for (const n of names) sets = sets.flatMap((s) => values.map((v) => new Map([...s, [n, v]])));
  } else {
    sets = values.map((v, i) => new Map(names.map((n, j) => [n, values[(i + j) % values.length] ?? v])));
  }
  return sets;
}
