import type { Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";
import { diff } from "../diff/diff.js";
import type { Big } from "../numeric/big.js";
import { reliableValue } from "../numeric/evaluate.js";
import { BudgetExceeded } from "../budget.js";
import { simplify } from "../simplify/simplify.js";
import { specialise } from "./pieces.js";
import { breakpoints } from "./points.js";

/**
 * What a piecewise function does at each breakpoint: its one-sided limits and those of its first
 * two derivatives, hence whether it is continuous, C¹ or C² there. One-sided limits are values at
 * b ∓ 10⁻³⁰ to 40 digits, shown to 12: each piece is smooth up to b, so the error is of order
 * 10⁻³⁰ times the next derivative, far below what is shown.
 */
export interface Kink {
  /** The breakpoint (its nearest double when it is irrational). */
  readonly at: number;
  /** Parameter values the report is for, when the function has parameters. */
  readonly parameters?: Readonly<Record<string, number>>;
  readonly left: OneSide;
  readonly right: OneSide;
  /** The value and derivative the definition gives at the point itself (a convention). */
  readonly atPoint: { readonly value: string; readonly derivative: string };
  readonly continuous: boolean;
  readonly smoothness: "discontinuous" | "C0" | "C1" | "C2";
  /** `continuous at 0; the derivative jumps from 0.5 to 1`. */
  readonly summary: string;
}

export interface OneSide { readonly value: string; readonly derivative: string; readonly second: string }

const EPSILON = Q.rational(1n, 10n ** 30n);
const SHOWN = 12;

/**
 * One side's limits of f, f′ and f″ at b. Each piece is one formula (`specialise`), continuous
 * wherever it is defined, so where that formula has a finite value at b itself, that value is
 * the one-sided limit, exactly (√x at 0 is 0, not the 10⁻¹⁵ that √(10⁻³⁰) is). Only where the
 * formula is undefined or infinite at b (1/x, sin(x)/x) is the limit read off at b ∓ 10⁻³⁰,
 * and then it is marked as a numeric reading.
 */
interface Limit { readonly value: Big; readonly exact: boolean }

function oneSidedLimits(exprs: readonly Expr[], variable: string, b: Q.Rational, side: -1 | 1, neighbours: readonly Q.Rational[], params: ReadonlyMap<string, Q.Rational>): (Limit | undefined)[] {
  const env = (p: Q.Rational) => new Map([...params, [variable, p]]);
  const at = (e: Expr, p: Q.Rational): Big | undefined => {
    try {
      return reliableValue(e, env(p), 40)?.value;
    } catch (err) {
      // A spent budget ends the whole report (a missing limit would read as a jump).
      if (err instanceof BudgetExceeded) throw err;
      return undefined;
    }
  };
  // A point inside the piece on this side: half-way to the next breakpoint, at most 10⁻⁶ away.
  const gap = neighbours.filter((n) => Q.compare(n, b) * side > 0).map((n) => Math.abs(Q.toNumber(Q.sub(n, b))) / 2);
  const inside = Q.toNumber(b) + side * Math.min(1e-6, ...gap);
  const floats = new Map([...params].map(([k, v]) => [k, Q.toNumber(v)] as const));
  const near = side < 0 ? Q.sub(b, EPSILON) : Q.add(b, EPSILON);
  return exprs.map((e) => {
    let piece: Expr | undefined;
    try {
      piece = specialise(e, new Map([...floats, [variable, inside]]));
    } catch {
      piece = undefined;
    }
    const exact = piece === undefined ? undefined : at(piece, b);
    if (exact !== undefined && exact.isFinite()) return { value: exact, exact: true };
    const reading = at(e, near);
    if (reading === undefined) return undefined;
    // The piece is infinite at b (1/(2√x) at 0) and huge next to it: the limit is ±∞, with the
    // sign of the side it is approached from (1/0 alone does not tell −∞ from +∞).
    if (exact !== undefined && !exact.isNaN() && reading.isFinite() && reading.abs().gt(1e10)) {
      return { value: reading.div(reading.abs()).mul(exact.abs()), exact: true };
    }
    return { value: reading, exact: false };
  });
}

/** Breakpoint reports for f in `variable`, with the parameters at `params`. */
export function kinks(f: Expr, variable: string, params: ReadonlyMap<string, Q.Rational>): Kink[] {
  const f1 = simplify(diff(f, variable));
  const f2 = simplify(diff(f1, variable));
  const bps = breakpoints([f, f1], variable, params);
  return bps.map((b) => {
    const at = (p: Q.Rational, e: Expr): Big | undefined => reliableValue(e, new Map([...params, [variable, p]]), 40)?.value;
    const side = (direction: -1 | 1): Limit[] | undefined => {
      const vs = oneSidedLimits([f, f1, f2], variable, b, direction, bps, params);
      return vs.every((v) => v !== undefined) ? (vs as Limit[]) : undefined;
    };
    const left = side(-1);
    const right = side(1);
    const point = [f, f1].map((e) => at(b, e));
    // Limits known exactly are compared exactly; a numeric reading can only show a difference
    // far above its own error (of order 10⁻¹⁵ for √ at 10⁻³⁰), never prove an equality.
    const same = (k: number): boolean => {
      if (left === undefined || right === undefined) return false;
      const [l, r] = [left[k]!, right[k]!];
      // An infinite limit is no value: infinite from both sides is not continuous (1/|x| at 0).
      if (!l.value.isFinite() || !r.value.isFinite()) return false;
      return l.exact && r.exact ? close(l.value, r.value) : closeNumerically(l.value, r.value);
    };
    const smoothness = !same(0) ? "discontinuous" : !same(1) ? "C0" : !same(2) ? "C1" : "C2";
    const l = oneSide(left);
    const r = oneSide(right);
    const where = Q.toString(b);
    const atParams = params.size ? ` (at ${[...params].map(([k, v]) => `${k} = ${Q.toString(v)}`).join(", ")})` : "";
    const summary = {
      discontinuous: left !== undefined && right !== undefined && (!left[0]!.value.isFinite() || !right[0]!.value.isFinite())
        ? `not continuous at ${where}: the value tends to ${l.value} from the left and to ${r.value} from the right`
        : `not continuous at ${where}: the value jumps from ${l.value} to ${r.value}`,
      C0: `continuous at ${where} (value ${r.value}); the derivative jumps from ${l.derivative} to ${r.derivative}`,
      C1: `C¹ at ${where}: value ${r.value} and derivative ${r.derivative} from both sides; the second derivative jumps from ${l.second} to ${r.second}`,
      C2: `C² at ${where}: value, first and second derivative agree from both sides (${r.value}, ${r.derivative}, ${r.second})`,
    }[smoothness] + atParams;
    return {
      at: Q.toNumber(b),
      ...(params.size ? { parameters: Object.fromEntries([...params].map(([k, v]) => [k, Q.toNumber(v)])) } : {}),
      left: l, right: r,
      atPoint: { value: show(point[0]), derivative: show(point[1]) },
      continuous: smoothness !== "discontinuous", smoothness, summary,
    };
  });
}

/** Agreement of two numeric readings at b ∓ 10⁻³⁰: to 10⁻⁸, far above what a reading there can be off by. */
function closeNumerically(a: Big, b: Big): boolean {
  if (!a.isFinite() || !b.isFinite()) return a.eq(b);
  const scale = Math.max(1, Math.abs(a.toNumber()), Math.abs(b.toNumber()));
  return a.sub(b).abs().toNumber() <= 1e-8 * scale;
}

function close(a: Big, b: Big): boolean {
  if (!a.isFinite() || !b.isFinite()) return a.eq(b);
  const scale = Math.max(1, Math.abs(a.toNumber()), Math.abs(b.toNumber()));
  return a.sub(b).abs().toNumber() <= 1e-20 * scale;
}

/** A numeric reading is shown with `≈`: it is the value next to the breakpoint, not a limit proved. */
function oneSide(vs: readonly Limit[] | undefined): OneSide {
  const shown = (l: Limit | undefined): string => (l === undefined ? show(undefined) : `${l.exact ? "" : "≈ "}${show(l.value)}`);
  return { value: shown(vs?.[0]), derivative: shown(vs?.[1]), second: shown(vs?.[2]) };
}

/** 12 significant digits, trailing zeros dropped: 0.5, 1, 0.693147180560. */
function show(v: Big | undefined): string {
  if (v === undefined) return "undetermined";
  if (!v.isFinite()) return v.toString();
  const rounded = v.toSignificantDigits(SHOWN);
  if (rounded.abs().lt(1e-25)) return "0";
  return rounded.toString();
}
