import { cond, neg, num, ONE, ZERO, MINUS_ONE } from "../ast/build.js";
import type { Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";
import { freeSymbols, substitute, transform } from "../ast/walk.js";
import { diff } from "../diff/diff.js";
import { evaluateFloat } from "../numeric/evaluate.js";
import { simplify } from "../simplify/simplify.js";
import { contains, type Interval } from "./domain.js";
import { switchingExpressions } from "./points.js";

/**
 * Piecewise expressions, one piece at a time. Between two neighbouring breakpoints every
 * condition, abs, sign, min, max and clip keeps its choice, so the expression there is one smooth
 * formula: `specialise` picks it. Breakpoints are found exactly here, and only where that is
 * certain: every switching expression must be free of parameters and linear in the variable, so
 * it changes sign exactly once, at a rational point. Anything else returns undefined and the
 * caller samples instead.
 */

export const isPiecewise = (e: Expr): boolean => switchingExpressions(e).length > 0;

/** The exact breakpoints in `variable`, or undefined when they cannot be found exactly. */
export function exactBreakpoints(exprs: readonly Expr[], variable: string): Q.Rational[] | undefined {
  const found = new Map<string, Q.Rational>();
  for (const e of exprs) {
    for (const h of switchingExpressions(e)) {
      const zeros = exactZeros(simplify(h), variable, 0);
      if (zeros === undefined) return undefined;
      for (const z of zeros) found.set(`${z.n}/${z.d}`, z);
    }
  }
  return [...found.values()].sort(Q.compare);
}

/**
 * Where h may change sign: its zero when it is linear in the variable; when h is itself
 * piecewise linear (relu6's max(0, x) − 6), its own breakpoints and the zero of each linear piece.
 */
function exactZeros(h: Expr, variable: string, depth: number): Q.Rational[] | undefined {
  const names = freeSymbols(h);
  if (names.size === 0) return [];
  if (names.size > 1 || !names.has(variable)) return undefined;
  if (isPiecewise(h)) {
    if (depth > 3) return undefined;
    const inner = exactBreakpoints([h], variable);
    if (inner === undefined) return undefined;
    const zeros = [...inner];
    for (const piece of piecesOf(inner, variable)) {
      const hs = specialise(h, new Map([[variable, Q.toNumber(piece.inside)]]));
      if (hs === ZERO) return undefined; // zero on a whole piece: the switch is undecided there
      const z = exactZeros(hs, variable, depth + 1);
      if (z === undefined) return undefined;
      zeros.push(...z.filter((p) => (piece.lo === undefined || Q.compare(p, piece.lo) > 0) && (piece.hi === undefined || Q.compare(p, piece.hi) < 0)));
    }
    return zeros;
  }
  const slope = simplify(diff(h, variable));
  if (slope.kind !== "num" || Q.isZero(slope.value)) return undefined;
  const atZero = simplify(substitute(h, new Map([[variable, num(Q.ZERO)]])));
  if (atZero.kind !== "num") return undefined;
  return [Q.neg(Q.div(atZero.value, slope.value))];
}

export interface Piece {
  /** Open interval between neighbouring breakpoints (ends undefined for ±∞). */
  readonly lo?: Q.Rational;
  readonly hi?: Q.Rational;
  /** A point inside, away from both ends. */
  readonly inside: Q.Rational;
  /** `x < 0`, `0 < x < 6`, `x > 6`. */
  readonly label: string;
}

/** The open intervals the breakpoints cut the line into, within `within`. */
export function piecesOf(breakpoints: readonly Q.Rational[], variable: string, within?: Interval): Piece[] {
  const ends: (Q.Rational | undefined)[] = [undefined, ...breakpoints, undefined];
  const out: Piece[] = [];
  for (let i = 0; i + 1 < ends.length; i++) {
    let lo = ends[i];
    let hi = ends[i + 1];
    if (within?.lo !== undefined && (lo === undefined || Q.compare(within.lo, lo) > 0)) lo = within.lo;
    if (within?.hi !== undefined && (hi === undefined || Q.compare(within.hi, hi) < 0)) hi = within.hi;
    if (lo !== undefined && hi !== undefined && Q.compare(lo, hi) >= 0) continue;
    const inside = lo === undefined && hi === undefined ? Q.ZERO
      : lo === undefined ? Q.sub(hi!, Q.ONE)
      : hi === undefined ? Q.add(lo, Q.ONE)
      : Q.div(Q.add(lo, hi), Q.fromInteger(2));
    if (within !== undefined && !contains(within, inside)) continue;
    out.push({ ...(lo ? { lo } : {}), ...(hi ? { hi } : {}), inside, label: pieceLabel(variable, lo, hi) });
  }
  return out;
}

function pieceLabel(v: string, lo?: Q.Rational, hi?: Q.Rational): string {
  if (lo === undefined && hi === undefined) return `every ${v}`;
  if (lo === undefined) return `${v} < ${Q.toString(hi!)}`;
  if (hi === undefined) return `${v} > ${Q.toString(lo)}`;
  return `${Q.toString(lo)} < ${v} < ${Q.toString(hi)}`;
}

/**
 * The smooth formula that applies around `at` (where no switching expression is zero): each
 * piecewise node replaced by its taken branch, abs(u) by ±u, sign by ±1, min/max/clip by the
 * argument they pick there.
 */
export function specialise(e: Expr, at: ReadonlyMap<string, number>): Expr {
  const value = (u: Expr): number => evaluateFloat(u, at);
  const truth = (c: Expr): boolean => evaluateFloat(cond(c, ONE, ZERO), at) !== 0;
  return simplify(transform(e, (node) => {
    if (node.kind === "piecewise") return node.branches.find((b) => truth(b.when))?.then ?? node.otherwise;
    if (node.kind !== "call") return node;
    const [a, b, c] = node.args;
    switch (node.fn) {
      case "abs": return value(a!) < 0 ? neg(a!) : a!;
      case "sign": { const s = value(a!); return s < 0 ? MINUS_ONE : s > 0 ? ONE : ZERO; }
      case "min": return value(a!) <= value(b!) ? a! : b!;
      case "max": return value(a!) >= value(b!) ? a! : b!;
      // min(max(u, lo), hi): hi wherever max(u, lo) exceeds it, which is everywhere when lo > hi.
      case "clip": { const above = value(a!) < value(b!) ? b! : a!; return value(above) > value(c!) ? c! : above; }
      default: return node;
    }
  }));
}
