import type { Decimal } from "decimal.js";
import { loadMathjs } from "./mathjs-loader.js";

/**
 * High-precision reference arithmetic: mathjs's BigNumber (a decimal.js constructor),
 * cloned per working precision so that several precisions can be used side by side.
 */
export type Big = Decimal;
export type BigContext = Decimal.Constructor;

export { loadMathjs };

let baseBigNumber: Decimal.Constructor | undefined;
function mathBigNumber(): Decimal.Constructor {
  if (baseBigNumber === undefined) {
    const m = loadMathjs();
    const instance = m.create(m.all, { number: "BigNumber", precision: 64 });
    // The instance carries its BigNumber class; its typings only expose the factory.
    baseBigNumber = (instance as unknown as { BigNumber: Decimal.Constructor }).BigNumber;
  }
  return baseBigNumber;
}

const contexts = new Map<number, BigContext>();
const ROUND_HALF_EVEN = 6;

export function bigContext(precision: number): BigContext {
  let ctx = contexts.get(precision);
  if (ctx === undefined) {
    ctx = mathBigNumber().clone({ precision, rounding: ROUND_HALF_EVEN, toExpNeg: -30, toExpPos: 30, minE: -9e15, maxE: 9e15 });
    contexts.set(precision, ctx);
  } else if (ctx.precision !== precision || ctx.rounding !== ROUND_HALF_EVEN) {
    // decimal.js's sin, cos and tan raise the context's precision while they work and do not put
    // it back when they throw (π needed past its 1025 digits, for an argument like π^(99.5^π)):
    // the context would compute at a million digits ever after, and the next cos would not end.
    ctx.set({ precision, rounding: ROUND_HALF_EVEN });
  }
  return ctx;
}

/** log(1 + t), accurate also when |t| is far below the working precision. */
export function log1pBig(D: BigContext, t: Big): Big {
  if (t.abs().lt(new D(10).pow(-Math.ceil(D.precision / 4)))) {
    // ln(1+t) = t - t²/2 + t³/3 - …, enough terms for |t| < 10^(-p/4).
    let term = t;
    let sum = t;
    for (let k = 2; k <= 6; k++) {
      term = term.mul(t).neg();
      sum = sum.add(term.div(k));
    }
    return sum;
  }
  return t.add(1).ln();
}

/** exp(t) - 1 without cancellation for small t. */
export function expm1Big(D: BigContext, t: Big): Big {
  if (t.abs().lt(new D(10).pow(-Math.ceil(D.precision / 4)))) {
    let term = t;
    let sum = t;
    for (let k = 2; k <= 6; k++) {
      term = term.mul(t).div(k);
      sum = sum.add(term);
    }
    return sum;
  }
  if (t.abs().lt(1)) {
    // Extra digits absorb the cancellation in e^t - 1 for moderately small t.
    const W = bigContext(D.precision + 20 + Math.ceil(-Math.log10(Math.max(t.abs().toNumber(), 1e-300))));
    return new D(new W(t).exp().sub(1));
  }
  return t.exp().sub(1);
}

/** erf by its Maclaurin series, with guard digits for the alternating-sum cancellation. */
export function erfBig(D: BigContext, x: Big): Big {
  // erf(NaN) is NaN, not a crash in bigContext(NaN); erf(0) = 0, where the series below would never stop.
  if (x.isNaN() || x.isZero()) return new D(x);
  const ax = x.abs().toNumber();
  if (ax > Math.sqrt(D.precision * Math.LN10) + 2) return new D(x.isNegative() ? -1 : 1);
  const guard = Math.ceil((ax * ax) / Math.LN10) + 10;
  const W = bigContext(D.precision + guard);
  const xw = new W(x);
  const x2 = xw.mul(xw);
  let term = xw; // x^(2n+1) (-1)^n / n!
  let sum = xw;
  const eps = new W(10).pow(-(D.precision + guard));
  for (let n = 1; ; n++) {
    term = term.mul(x2).neg().div(n);
    const contribution = term.div(2 * n + 1);
    sum = sum.add(contribution);
    if (contribution.abs().lt(eps.mul(sum.abs()))) break;
  }
  const twoOverSqrtPi = new W(2).div(W.acos(-1).sqrt());
  return new D(sum.mul(twoOverSqrtPi));
}
