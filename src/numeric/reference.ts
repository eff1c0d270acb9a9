import type { Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";
import { children as childrenOf, postorder } from "../ast/walk.js";
import type { Big } from "./big.js";
import { evaluateBigShared, hidesDigits, isSuspect, reliableValue, rungsAgree, ZERO_SETTLES_AT, type Cancellation } from "./evaluate.js";

/**
 * The reference for the audit: the mathematical expression (never a stabilised one) in BigNumber,
 * correct to REFERENCE_DIGITS: a value stands when two evaluations at different precisions agree
 * to REFERENCE_DIGITS + 5 digits, as on the verifier's ladder (`reliableValue`). What the audit
 * adds, for speed (it evaluates f, f′ and f″ at thousands of points; decimal.js's exp and log cost
 * a millisecond at 120 digits and a tenth of a second at 480):
 *
 * - the precision is chosen per point from the evaluation itself: each sum records the digits its
 *   cancellation cost, and the next rung is the precision that many lost digits need (60 → 80 where
 *   nothing cancels; 60 → 0 → 120 → 1.8e−88 → 160 → 180 for 1 + erf(−14.1)) instead of doubling;
 * - the expressions evaluated at one point and one precision share one memo (f, f′ and f″ have most
 *   subexpressions in common), and subexpressions free of the input (√2, log 2) are computed once
 *   per precision for the whole sweep;
 * - NaN at the first rung is the answer (undefined there), the top rung is 960 digits, and a value
 *   first seen at the top is accepted when it is far below every float.
 */
export const REFERENCE_DIGITS = 40;

const FIRST_RUNG = 60;
const TOP_RUNG = 960;
/** Digits beyond REFERENCE_DIGITS + 5 that a rung chosen from the measured cancellation carries. */
const MARGIN = 15;
/** Rungs are multiples of this, so that expressions at one point meet at the same precisions and share memos. */
const STEP = 20;
/** Far below the smallest float64 (4.9e-324), so a value this small is never measured in ulps. */
const TINY = "1e-400";

/**
 * One reference value on the verifier's ladder (`reliableValue`), for callers with one expression
 * at one point (tests, the rewrite rules' checks): the float result as a hint, NaN at once, the top
 * rung 960 digits and a value first seen there accepted when far below every float.
 */
export function referenceValue(e: Expr, env: ReadonlyMap<string, Q.Rational>, hint?: number): Big | undefined {
  const options = { hint, maxPrecision: TOP_RUNG, nanAtOnce: true, acceptTinyAtTop: true };
  return reliableValue(e, env, REFERENCE_DIGITS, options)?.value;
}

/** Nearest double to a reference value (decimal.js converts through a correctly rounded parse). */
export const toDouble = (v: Big): number => v.toNumber();

interface Rung {
  readonly memo: Map<number, Big>;
  readonly cancellation: Cancellation;
}

/**
 * References for one sweep, computed once per expression and point: the float64 and float32
 * audits, the stable and the naive code, the condition numbers and the blame all read the same values.
 */
export class ReferenceCache {
  private readonly values = new Map<number, Map<number, Big | null>>();
  /** Per point, per precision: the memo of every expression evaluated there. */
  private readonly rungs = new Map<number, Map<number, Rung>>();
  /** Per precision: values of subexpressions that do not depend on the input. */
  private readonly constants = new Map<number, Map<number, Big>>();
  private readonly dependsOnInput = new Map<number, boolean>();
  /** Evaluations done, by precision (for the profile in `--json` and the tests). */
  readonly evaluations = new Map<number, number>();

  constructor(private readonly params: ReadonlyMap<string, Q.Rational>, private readonly variable = "x") {}

  /** The reference value of e at x, undefined where it does not settle. (`_hint` is accepted for callers of the old ladder.) */
  get(e: Expr, x: number, _hint?: number): Big | undefined {
    let perExpr = this.values.get(e.id);
    if (perExpr === undefined) this.values.set(e.id, (perExpr = new Map()));
    const known = perExpr.get(x);
    if (known !== undefined) return known ?? undefined;
    const v = this.settle(e, x);
    perExpr.set(x, v ?? null);
    return v;
  }

  /** The precision at which e's reference at x settled (after `get`), for the blame's exact values. */
  precisionAt(e: Expr, x: number): number | undefined {
    return this.settledAt.get(`${e.id}:${x}`);
  }

  /** Frees the memos of the points (values stay): the blame needs them, the sweep after it not. */
  dropMemos(): void {
    this.rungs.clear();
  }

  private readonly settledAt = new Map<string, number>();

  private rung(x: number, p: number): Rung {
    let perPoint = this.rungs.get(x);
    if (perPoint === undefined) this.rungs.set(x, (perPoint = new Map()));
    let r = perPoint.get(p);
    if (r === undefined) {
      r = { memo: new Map(this.constants.get(p)), cancellation: { lost: 0 } };
      perPoint.set(p, r);
    }
    return r;
  }

  private evaluate(e: Expr, x: number, p: number, rung: Rung): Big | undefined {
    const env = new Map(this.params);
    env.set(this.variable, Q.fromNumber(x));
    const known = rung.memo.get(e.id);
    if (known !== undefined) return known;
    this.evaluations.set(p, (this.evaluations.get(p) ?? 0) + 1);
    let v: Big;
    try {
      v = evaluateBigShared(e, env, p, rung.memo, rung.cancellation);
    } catch (err) {
      // Beyond decimal.js's limits ("[DecimalError] Precision limit exceeded": π past 1025 digits).
      if (err instanceof Error && err.message.includes("DecimalError")) return undefined;
      throw err;
    }
    this.keepConstants(e, p, rung.memo);
    return v;
  }

  /** Subexpressions free of the input, found in this memo, kept for every later point at precision p. */
  private keepConstants(e: Expr, p: number, memo: ReadonlyMap<number, Big>): void {
    let constants = this.constants.get(p);
    if (constants === undefined) this.constants.set(p, (constants = new Map()));
    for (const n of postorder(e)) {
      let depends = this.dependsOnInput.get(n.id);
      if (depends === undefined) {
        depends = n.kind === "sym" ? n.name === this.variable : n.kind === "idx" || n.kind === "elem" || childrenDepend(n, this.dependsOnInput);
        this.dependsOnInput.set(n.id, depends);
      }
      const v = memo.get(n.id);
      if (!depends && v !== undefined && !constants.has(n.id)) constants.set(n.id, v);
    }
  }

  private settle(e: Expr, x: number): Big | undefined {
    const settled = (a: Big, b: Big, p: number): boolean => rungsAgree(a, b, p, REFERENCE_DIGITS);
    let p = FIRST_RUNG;
    let previous: Big | undefined;
    // Whether the previous rung had the digits its own cancellation called for.
    let previousSufficed = false;
    for (let k = 0; ; k++) {
      const rung = this.rung(x, p);
      const v = this.evaluate(e, x, p, rung);
      if (v === undefined) return undefined;
      if (k === 0 && v.isNaN()) return this.done(e, x, p, v);
      if (previous !== undefined && settled(previous, v, p) && !hidesDigits(rung.cancellation, v, REFERENCE_DIGITS, p)) return this.done(e, x, p, v);
      if (belowEveryFloat(v, rung.cancellation, p)) return this.done(e, x, p, v);
      if (p >= TOP_RUNG) {
        const tiny = v.isZero() || (previous?.isZero() === true && v.abs().lt(TINY));
        return tiny ? this.done(e, x, p, v) : undefined;
      }
      let next: number;
      const lost = rung.cancellation.lost;
      const need = REFERENCE_DIGITS + 5 + lost + MARGIN;
      // A zero twice: straight to the precision where a zero is trusted, unless it came from sums
      // that cancelled (x − tanh(x) at 1e−50: truly 3.3e−151), which doubling finds sooner.
      if (isSuspect(v)) next = previous !== undefined && isSuspect(previous) && rung.cancellation.zeroBelow === undefined ? Math.max(2 * p, ZERO_SETTLES_AT) : 2 * p;
      else if (!Number.isFinite(lost) || lost >= p || (previousSufficed && previous !== undefined && !isSuspect(previous))) {
        // All digits gone, or two rungs that should have agreed did not: the estimate (it sees
        // sums, not each function's conditioning) missed something; double from here.
        next = 2 * p;
      } else next = Math.max(p + STEP, Math.ceil(need / STEP) * STEP);
      previousSufficed = !isSuspect(v) && p >= need;
      previous = v;
      p = Math.min(next, TOP_RUNG);
    }
  }

  private done(e: Expr, x: number, p: number, v: Big): Big {
    this.settledAt.set(`${e.id}:${x}`, p);
    return v;
  }
}

/** Exponent (base 10) under which a value is below every float32 and float64, subnormals included (4.9e−324). */
const BELOW_FLOATS = -340;
const BELOW_NORMALS = -310;

/**
 * A value the audit can take without settling its digits, because no float can tell them: a
 * value under 1e−310 with ten digits left, or a 0 reached by sums that cancelled completely
 * whose true value, bounded by their terms' size and the precision (with ten digits of slack for
 * what multiplies it afterwards), is under 1e−340 as well: x − tanh(x) at x = 1e−200 is 0 at 240
 * digits, and truly 3.3e−601.
 */
function belowEveryFloat(v: Big, c: Cancellation, p: number): boolean {
  if (v.isNaN() || !v.isFinite()) return false;
  // Below the smallest normal float64 (2.2e−308) a value with ten digits is enough: the audit
  // measures no ulps there, only whether the output is a normal number where the truth is not.
  if (!v.isZero()) return v.e < BELOW_NORMALS && c.lost < p - 10;
  if (c.zeroBelow === undefined) return false;
  return c.zeroBelow + Math.max(0, c.largest ?? 0) + 10 < BELOW_FLOATS;
}

function childrenDepend(n: Expr, known: ReadonlyMap<number, boolean>): boolean {
  for (const c of childrenOf(n)) if (known.get(c.id) !== false) return true;
  return false;
}
