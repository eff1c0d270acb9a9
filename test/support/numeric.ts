/**
 * An independent oracle for derivatives: central differences computed in BigNumber at high
 * precision. With 80 significant digits and h = 1e-20 the truncation error (h²·f‴/6) and the
 * rounding error (10⁻⁸⁰·|f|/h) are both near 1e-40 relative, far below the 15 digits compared.
 */
import type { Expr } from "../../src/ast/nodes.js";
import * as Q from "../../src/ast/rational.js";
import type { Big } from "../../src/numeric/big.js";
import { bigContext } from "../../src/numeric/big.js";
import { evaluateBig } from "../../src/numeric/evaluate.js";

export const DIFFERENCE_PRECISION = 80;
export const H = Q.rational(1n, 10n ** 20n);

type Env = ReadonlyMap<string, Q.Rational>;

const shifted = (env: Env, name: string, by: Q.Rational): Env => new Map([...env, [name, Q.add(env.get(name)!, by)]]);

/** (f(x + h) − f(x − h)) / 2h, in BigNumber. */
export function centralDifference(f: Expr, wrt: string, env: Env, precision = DIFFERENCE_PRECISION, h = H): Big {
  const D = bigContext(precision);
  const up = evaluateBig(f, shifted(env, wrt, h), precision);
  const down = evaluateBig(f, shifted(env, wrt, Q.neg(h)), precision);
  return up.sub(down).div(new D(2).mul(new D(h.n.toString()).div(h.d.toString())));
}

/** (f(x + h) − 2f(x) + f(x − h)) / h², in BigNumber. */
export function secondDifference(f: Expr, wrt: string, env: Env, precision = DIFFERENCE_PRECISION, h = H): Big {
  const D = bigContext(precision);
  const up = evaluateBig(f, shifted(env, wrt, h), precision);
  const mid = evaluateBig(f, env, precision);
  const down = evaluateBig(f, shifted(env, wrt, Q.neg(h)), precision);
  const hb = new D(h.n.toString()).div(h.d.toString());
  return up.sub(mid.mul(2)).add(down).div(hb.mul(hb));
}

/**
 * |a − b| ≤ 10^−digits · max(|a|, |b|) + floor: agreement to `digits` significant digits, or to
 * an absolute `floor` where the value itself is (close to) zero.
 */
export function agreeTo(a: Big, b: Big, digits: number, floor: number | Big = 0): boolean {
  if (!a.isFinite() || !b.isFinite()) return false;
  const D = a.constructor as new (v: number | string | Big) => Big;
  const scale = a.abs().gt(b.abs()) ? a.abs() : b.abs();
  return a.sub(b).abs().lte(scale.mul(new D(10).pow(-digits)).add(new D(floor)));
}

/** Relative error of a float64 result against a BigNumber reference (absolute where the reference is 0). */
export function relativeError(got: number, reference: Big): number {
  if (reference.isZero()) return Math.abs(got);
  return Math.abs(reference.sub(got).div(reference).toNumber());
}

/**
 * The n-th central difference Σₖ (−1)ᵏ C(n, k) f(x + (n/2 − k)·h) / hⁿ, in BigNumber. Its
 * truncation error is O(h²); the default step and precision keep both errors below 1e-20.
 */
export function nthDifference(f: Expr, wrt: string, env: Env, n: number, precision = 120, h = Q.rational(1n, 10n ** 12n)): Big {
  const D = bigContext(precision);
  let sum = new D(0);
  let binomial = 1;
  for (let k = 0; k <= n; k++) {
    const offset = Q.mul(Q.rational(BigInt(n - 2 * k), 2n), h);
    const term = evaluateBig(f, shifted(env, wrt, offset), precision).mul(binomial);
    sum = k % 2 === 0 ? sum.add(term) : sum.sub(term);
    binomial = (binomial * (n - k)) / (k + 1);
  }
  return sum.div(new D(h.n.toString()).div(h.d.toString()).pow(n));
}

/** An exact rational from a signed decimal literal: decimal("-0.7") is -7/10, not the double. */
export const decimal = (text: string): Q.Rational =>
  text.startsWith("-") ? Q.neg(Q.fromDecimalString(text.slice(1))) : Q.fromDecimalString(text);
