import type { Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";
import { diff } from "../diff/diff.js";
import type { Big } from "../numeric/big.js";
import { reliableValue } from "../numeric/evaluate.js";
import { simplify } from "../simplify/simplify.js";
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

/** Breakpoint reports for f in `variable`, with the parameters at `params`. */
export function kinks(f: Expr, variable: string, params: ReadonlyMap<string, Q.Rational>): Kink[] {
  const f1 = simplify(diff(f, variable));
  const f2 = simplify(diff(f1, variable));
  const bps = breakpoints([f, f1], variable, params);
  return bps.map((b) => {
    const at = (p: Q.Rational, e: Expr): Big | undefined => reliableValue(e, new Map([...params, [variable, p]]), 40)?.value;
    const side = (p: Q.Rational): Big[] | undefined => {
      const vs = [f, f1, f2].map((e) => at(p, e));
      return vs.every((v) => v !== undefined) ? (vs as Big[]) : undefined;
    };
    const left = side(Q.sub(b, EPSILON));
    const right = side(Q.add(b, EPSILON));
    const point = [f, f1].map((e) => at(b, e));
    const same = (k: number): boolean => left !== undefined && right !== undefined && close(left[k]!, right[k]!);
    const smoothness = !same(0) ? "discontinuous" : !same(1) ? "C0" : !same(2) ? "C1" : "C2";
    const l = oneSide(left);
    const r = oneSide(right);
    const where = Q.toString(b);
    const atParams = params.size ? ` (at ${[...params].map(([k, v]) => `${k} = ${Q.toString(v)}`).join(", ")})` : "";
    const summary = {
      discontinuous: `not continuous at ${where}: the value jumps from ${l.value} to ${r.value}`,
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

function close(a: Big, b: Big): boolean {
  if (!a.isFinite() || !b.isFinite()) return a.eq(b);
  const scale = Math.max(1, Math.abs(a.toNumber()), Math.abs(b.toNumber()));
  return a.sub(b).abs().toNumber() <= 1e-20 * scale;
}

function oneSide(vs: Big[] | undefined): OneSide {
  return { value: show(vs?.[0]), derivative: show(vs?.[1]), second: show(vs?.[2]) };
}

/** 12 significant digits, trailing zeros dropped: 0.5, 1, 0.693147180560. */
function show(v: Big | undefined): string {
  if (v === undefined) return "undetermined";
  if (!v.isFinite()) return v.toString();
  const rounded = v.toSignificantDigits(SHOWN);
  if (rounded.abs().lt(1e-25)) return "0";
  return rounded.toString();
}
