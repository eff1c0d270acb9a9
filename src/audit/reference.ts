import type { Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";
import type { Big } from "../numeric/big.js";
import { agree, evaluateBig, ZERO_SETTLES_AT } from "../numeric/evaluate.js";

/**
 * The reference for the audit: the mathematical expression (never a stabilised one) evaluated
 * in BigNumber at a working precision raised until two evaluations agree to REFERENCE_DIGITS + 5
 * significant digits.
 *
 * Like `reliableValue`, a 0 or ±∞ stands only when it survives ZERO_SETTLES_AT digits:
 * 1 − σ(300) is 0 at 60 and at 120 digits and 3·10⁻¹³¹ in truth. Unlike it, a value that first
 * appears at the top precision is accepted when it lies far below every float, and a hint — the
 * value the float code computed — lets the ladder jump straight to the precision the cancellation
 * needs instead of climbing through every rung; it only ever saves work, since a result is
 * accepted only when two precisions agree.
 */
export const REFERENCE_DIGITS = 40;

/** decimal.js knows π to 1025 digits; the ladder stays below that. */
const MAX_PRECISION = 960;
const BASE_PRECISION = 60;

/** No reference where decimal.js gives up ("Precision limit exceeded"), as `reliableValue` does. */
export function referenceValue(e: Expr, env: ReadonlyMap<string, Q.Rational>, hint?: number): Big | undefined {
  try {
    return climb(e, env, hint);
  } catch (err) {
    if (err instanceof Error && err.message.includes("DecimalError")) return undefined;
    throw err;
  }
}

function climb(e: Expr, env: ReadonlyMap<string, Q.Rational>, hint?: number): Big | undefined {
  const at = (p: number): Big => evaluateBig(e, env, p);
  // 0 and ±∞ are suspect below ZERO_SETTLES_AT: 1 − σ(300) is 0 at 120 digits and
  // log(1 − σ(300)) is −∞ there. Finite nonzero values settle when two precisions agree.
  const settled = (a: Big, b: Big, p: number): boolean => {
    if (a.isNaN() || b.isNaN()) return false;
    if (a.isZero() || b.isZero() || !a.isFinite() || !b.isFinite()) return p >= ZERO_SETTLES_AT && a.eq(b);
    return agree(a, b, REFERENCE_DIGITS + 5);
  };
  let p = BASE_PRECISION;
  let previous = at(p);
  if (previous.isNaN()) return previous; // undefined there (log of a negative): no reference
  p *= 2;
  let current = at(p);
  if (settled(previous, current, p)) return current;
  const suspect = (v: Big): boolean => v.isZero() || !v.isFinite();
  let next: number;
  if (suspect(previous) && suspect(current)) {
    next = ZERO_SETTLES_AT;
  } else if (hint !== undefined && Number.isFinite(hint) && hint !== 0) {
    // Digits lost to cancellation ≈ how far below 1 the value lies: go straight there.
    const lost = Math.max(0, -Math.log10(Math.abs(hint)));
    next = Math.max(p * 2, Math.min(MAX_PRECISION, Math.ceil((BASE_PRECISION + lost + 10) / 10) * 10));
  } else {
    next = p * 2;
  }
  while (p < MAX_PRECISION) {
    previous = current;
    p = Math.min(next, MAX_PRECISION);
    current = at(p);
    if (settled(previous, current, p)) return current;
    next = p * 2;
  }
  // A value that appeared only at the top precision lies below 10^-(MAX_PRECISION/2) of the terms
  // (it was 0 one rung down): its digits are not settled, but it is far below any float.
  if (current.isZero() || (previous.isZero() && current.abs().lt(TINY))) return current;
  return undefined;
}

/** Far below the smallest float64 (4.9e-324), so a value this small is never measured in ulps. */
const TINY = "1e-400";

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
