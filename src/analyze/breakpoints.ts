/** Breakpoints: f's values and one-sided derivatives on either side, and the smoothness class there. */
import { sub } from "../ast/build.js";
import type { Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";
import { simplify } from "../simplify/simplify.js";
import { decideEquality } from "../verify/exp-rational.js";
import { SNAP, within, type Basis } from "./analysis.js";
import { sameAt, valueAt, type Region } from "./regions.js";
import type { Breakpoint, SmoothnessClass } from "./types.js";

/** How many orders of one-sided derivatives are compared at a breakpoint. */
export const SMOOTHNESS_ORDERS = 4;

export function breakpoint(a: Basis, q: Q.Rational, left: Region, right: Region): Breakpoint {
  const x = a.x;
  const value = valueAt(a.b.f, x, q, SNAP).value;
  const leftValue = valueAt(left.branch, x, q, SNAP).value;
  const rightValue = valueAt(right.branch, x, q, SNAP).value;
  const continuous = (sameAt(left.branch, right.branch, x, q) && sameAt(a.b.f, left.branch, x, q)) || crossesNear(left.branch, right.branch, x, q);
  const leftDerivative = valueAt(left.derivative(1), x, q, SNAP).value;
  const rightDerivative = valueAt(right.derivative(1), x, q, SNAP).value;
  let cls: SmoothnessClass = "discontinuous";
  if (continuous) {
    cls = `C${SMOOTHNESS_ORDERS}`;
    for (let k = 1; k <= SMOOTHNESS_ORDERS; k++) {
      if (!sameAt(left.derivative(k), right.derivative(k), x, q)) {
        cls = `C${k - 1}`;
        break;
      }
    }
    if (cls === `C${SMOOTHNESS_ORDERS}`) {
      const equal = within(a, `whether the branches at x = ${Q.toString(q)} are one function (C∞)`, () => decideEquality(left.branch, right.branch).verdict === "proved-equal", () => false);
      if (equal) cls = "Cinf";
      else a.notes.push(`at x = ${Q.toString(q)} the one-sided derivatives agree through order ${SMOOTHNESS_ORDERS}; higher orders were not compared`);
    }
  }
  return { x: Q.toNumber(q), value, leftValue, rightValue, continuous, leftDerivative, rightDerivative, class: cls };
}

/**
 * Whether two branches cross within a few ulps of q: where two branches of max(x/4, σ(x)) meet
 * at an irrational point, the breakpoint is the nearest double and the branches differ there by
 * ~1e-17. Their difference changing sign across [q − 4 ulp, q + 4 ulp] (signs at 60 digits) proves
 * that they are equal at a point in it, so f, continuous on each side, is continuous there.
 */
function crossesNear(e1: Expr, e2: Expr, variable: string, q: Q.Rational): boolean {
  const x = Q.toNumber(q);
  const ulp = Math.max(Number.MIN_VALUE, Math.abs(x) * Number.EPSILON);
  const difference = simplify(sub(e1, e2));
  const sign = (at: number): number => Math.sign(valueAt(difference, variable, Q.fromNumber(at)).value);
  const [a, b] = [sign(x - 4 * ulp), sign(x + 4 * ulp)];
  return a !== 0 && b !== 0 && !Number.isNaN(a) && !Number.isNaN(b) && a !== b;
}

const CLASS_ORDER = (c: SmoothnessClass): number => (c === "discontinuous" ? -1 : c === "Cinf" ? Infinity : Number(c.slice(1)));

/** The weaker of two smoothness classes: f is as smooth as its least smooth breakpoint. */
export const weakest = (a: SmoothnessClass, b: SmoothnessClass): SmoothnessClass => (CLASS_ORDER(a) <= CLASS_ORDER(b) ? a : b);
