import type { Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";
import type { Big } from "../numeric/big.js";
import { reliableValue } from "../numeric/evaluate.js";

/**
 * The reference for the audit: the mathematical expression (never a stabilised one) in BigNumber,
 * from the verifier's precision ladder (`reliableValue`) with REFERENCE_DIGITS + 5 digits agreeing,
 * plus what an audit of floats can use: the float result as a hint (jump straight to the precision
 * its cancellation needs), NaN at once as "undefined there", a top rung of 960 digits (it runs at
 * thousands of points), and a value first seen at the top accepted when it is far below every float.
 */
export const REFERENCE_DIGITS = 40;

export function referenceValue(e: Expr, env: ReadonlyMap<string, Q.Rational>, hint?: number): Big | undefined {
  const options = { hint, maxPrecision: 960, nanAtOnce: true, acceptTinyAtTop: true };
  return reliableValue(e, env, REFERENCE_DIGITS, options)?.value;
}

/** Nearest double to a reference value (decimal.js converts through a correctly rounded parse). */
export const toDouble = (v: Big): number => v.toNumber();

/**
 * References for one sweep, computed once per expression and point: the float64 and float32
 * audits, the stable and the naive code, and the condition numbers all read the same values.
 */
export class ReferenceCache {
  private readonly values = new Map<number, Map<number, Big | null>>();
  constructor(private readonly params: ReadonlyMap<string, Q.Rational>, private readonly variable = "x") {}

  get(e: Expr, x: number, hint?: number): Big | undefined {
    let perExpr = this.values.get(e.id);
    if (perExpr === undefined) this.values.set(e.id, (perExpr = new Map()));
    const known = perExpr.get(x);
    if (known !== undefined) return known ?? undefined;
    const env = new Map(this.params);
    env.set(this.variable, Q.fromNumber(x));
    const v = referenceValue(e, env, hint);
    perExpr.set(x, v ?? null);
    return v;
  }
}
