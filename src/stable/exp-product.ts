import { add, call, mul, splitCoefficient } from "../ast/build.js";
import type { Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";

/**
 * Products of exponentials as one: e^a·e^b = e^(a + b). x·e^x·e^(−x/2) overflows at x = 710
 * (∞ times a finite factor, or ∞·0 = NaN once the other underflows) where the value is
 * x·e^(x/2), finite up to x = 1419; and the product rounds twice where e^(a + b) rounds once.
 * Integer powers count: (e^a)^k·e^b = e^(k·a + b). Taken only where two different exponentials
 * meet and one of them can overflow: exponentials that cannot (e^(−2|u|) of the stable 1 − tanh²,
 * e^(u − max(…)) of a max-shifted sum) are left as they are, shared with the code around them.
 */
export function combineExponentials(factors: readonly Expr[]): Expr[] | undefined {
  const exponents: Expr[] = [];
  const rest: Expr[] = [];
  for (const f of factors) {
    const w = exponentOf(f);
    // A max-shifted exponential is one of its sum's: combined, it would be computed twice.
    if (w === undefined || isShifted(w)) rest.push(f);
    else exponents.push(w);
  }
  if (exponents.length < 2 || exponents.every(cannotOverflow)) return undefined;
  return [...rest, call("exp", [add(...exponents)])];
}

const isShifted = (a: Expr): boolean =>
  (a.kind === "add" ? a.terms : [a]).some((t) => {
    const [c, r] = splitCoefficient(t);
    // By the max, or by a ratio's clipped shift (max-shift.ts), a piecewise value testing the max first.
    const first = r.kind === "piecewise" ? r.branches[0]!.when : undefined;
    return Q.isNegative(c) && ((r.kind === "call" && r.fn === "max") || (first?.kind === "compare" && first.left.kind === "call" && first.left.fn === "max"));
  });

/** −c·|w| or −c·w^(2k), as the stable forms write the exponentials that are at most 1. */
function cannotOverflow(a: Expr): boolean {
  const [c, r] = splitCoefficient(a);
  const even = (r.kind === "call" && r.fn === "abs") || (r.kind === "pow" && r.exponent.kind === "num" && Q.isInteger(r.exponent.value) && r.exponent.value.n % 2n === 0n);
  return even && Q.isNegative(c);
}

/** a for e^a, k·a for (e^a)^k with k an integer. */
function exponentOf(f: Expr): Expr | undefined {
  if (f.kind === "call" && f.fn === "exp") return f.args[0];
  if (f.kind === "pow" && f.base.kind === "call" && f.base.fn === "exp" && f.exponent.kind === "num" && Q.isInteger(f.exponent.value)) {
    return mul(f.exponent, f.base.args[0]!);
  }
  return undefined;
}
