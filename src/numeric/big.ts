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

/**
 * erf by one of two expansions, neither with cancellation: below y² = 0.6·p (p the working digits)
 * the series of positive terms erf(y) = 2/√π · e^(−y²) · Σ 2ⁿ y^(2n+1) / (1·3·…·(2n+1)) (about
 * e·y² + p terms), above it 1 − erfc(y) by erfc's continued fraction (erfcBig), whose terms fall
 * as y grows. The alternating Maclaurin series needed y²/ln 10 guard digits and thousands of terms
 * (0.6 s at y = 28): the audit of 1 + erf(u) spent minutes there.
 */
export function erfBig(D: BigContext, x: Big): Big {
  // erf(NaN) is NaN, not a crash in bigContext(NaN); erf(0) = 0, where the series below would never stop.
  if (x.isNaN() || x.isZero()) return new D(x);
  if (!x.isFinite()) return new D(x.isNegative() ? -1 : 1);
  const y = x.abs();
  const yn = y.toNumber();
  const W = bigContext(D.precision + 10);
  // 1 − erfc(y) is 1 at the working precision once e^(−y²) is below its last digit.
  if (yn * yn > W.precision * Math.LN10) return new D(x.isNegative() ? -1 : 1);
  const value = yn * yn > 0.6 * D.precision ? new W(1).sub(erfcBig(W, y)) : erfSeries(W, new W(y));
  return new D(x.isNegative() ? value.neg() : value);
}

function erfSeries(W: BigContext, y: Big): Big {
  const y2 = y.mul(y);
  const twoY2 = y2.mul(2);
  let term = y;
  let sum = y;
  const eps = new W(10).pow(-W.precision);
  for (let n = 1; ; n++) {
    term = term.mul(twoY2).div(2 * n + 1);
    sum = sum.add(term);
    if (n > y2.toNumber() && term.lt(eps.mul(sum))) break;
  }
  return sum.mul(y2.neg().exp()).mul(2).div(sqrtPi(W));
}

/**
 * erfc(y) for y > 0 large against the precision (y² above about p/2): the continued fraction
 * erfc(y) = e^(−y²)/√π · 1/(y + (1/2)/(y + 1/(y + (3/2)/(y + …)))), evaluated backwards from a
 * depth that gives p digits: about (p·ln 10)²/(5.5·y²) terms (measured against mpmath), with margin.
 */
export function erfcBig(D: BigContext, y: Big): Big {
  const yn = y.toNumber();
  const W = bigContext(D.precision + 10);
  const yw = new W(y);
  const nats = D.precision * Math.LN10;
  const depth = Math.ceil((nats * nats) / (5 * yn * yn)) + 40;
  let acc = yw;
  for (let n = depth; n >= 1; n--) acc = yw.add(new W(n / 2).div(acc)); // n/2 is exact in a double
  return new D(yw.mul(yw).neg().exp().div(sqrtPi(W)).div(acc));
}

/** √π at a context's precision, computed once per precision (decimal.js's sqrt is slow at hundreds of digits). */
const sqrtPiByPrecision = new Map<number, Big>();
function sqrtPi(W: BigContext): Big {
  let v = sqrtPiByPrecision.get(W.precision);
  if (v === undefined) sqrtPiByPrecision.set(W.precision, (v = W.acos(-1).sqrt()));
  return v;
}
