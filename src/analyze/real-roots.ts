import type { Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";
import { postorder } from "../ast/walk.js";
import { checkBudget } from "../budget.js";
import { toExpRational } from "../verify/exp-rational.js";
import type * as P from "../verify/polynomial.js";

/**
 * Real roots of a polynomial in one variable, decided exactly: integer coefficients (bigints),
 * Sturm sequences on the square-free part to count the distinct roots in an interval, bisection
 * at dyadic points to isolate them, and exact evaluation for the sign between them. Nothing here
 * rounds, so a sign it reports is the sign: the property sheet states such facts as proved.
 *
 * Every loop checks the budget in force (src/budget.ts): a Sturm sequence of degree d costs
 * O(d²) operations on integers whose size grows about linearly along it, which is polynomial but
 * not small for degrees in the hundreds.
 */

/** Coefficients, lowest degree first (c[i] multiplies xⁱ), no trailing zeros: 0 is []. */
export type IntPoly = readonly bigint[];

/** Beyond this degree the interval certificate is used instead (a Sturm sequence is O(d²) polynomials' worth of work). */
export const MAX_DEGREE = 1000;

const abs = (a: bigint): bigint => (a < 0n ? -a : a);
const sign = (a: bigint): -1 | 0 | 1 => (a < 0n ? -1 : a > 0n ? 1 : 0);
const degreeOf = (p: IntPoly): number => p.length - 1;
const leading = (p: IntPoly): bigint => p[p.length - 1]!;

function trim(c: bigint[]): bigint[] {
  while (c.length > 0 && c[c.length - 1] === 0n) c.pop();
  return c;
}

/**
 * factor·p with integer coefficients and factor > 0, when p is a polynomial in `variable` alone
 * (no other variable, no negative power, degree ≤ MAX_DEGREE); undefined otherwise.
 */
export function fromPoly(p: P.Poly, variable: string): { readonly poly: IntPoly; readonly factor: bigint } | undefined {
  const byDegree = new Map<number, Q.Rational>();
  let common = 1n;
  for (const t of p.values()) {
    let k = 0;
    for (const [v, e] of t.monomial) {
      if (v !== variable || e < 0) return undefined;
      k = e;
    }
    if (k > MAX_DEGREE) return undefined;
    byDegree.set(k, t.coefficient);
    common = (common / Q.gcd(common, t.coefficient.d)) * t.coefficient.d;
  }
  const out = Array.from({ length: Math.max(-1, ...byDegree.keys()) + 1 }, () => 0n);
  for (const [k, c] of byDegree) out[k] = c.n * (common / c.d);
  return { poly: trim(out), factor: common };
}

/** e = scale · num/den with integer polynomials num and den; `polynomial` when e has no negative power (den is then a constant). */
export interface ExactForm {
  readonly num: IntPoly;
  readonly den: IntPoly;
  readonly scale: Q.Rational;
  readonly polynomial: boolean;
}

const forms = new WeakMap<Expr, Map<string, ExactForm | null>>();

/**
 * e as a quotient of polynomials in `variable` with rational coefficients, when it is built from
 * numbers, the variable, +, × and integer powers alone (through the exp-rational converter's
 * polynomial arithmetic); undefined otherwise. Cached per (shared) expression.
 */
export function exactForm(e: Expr, variable: string): ExactForm | undefined {
  let byVariable = forms.get(e);
  if (byVariable === undefined) forms.set(e, (byVariable = new Map()));
  const known = byVariable.get(variable);
  if (known !== undefined) return known ?? undefined;
  const form = convert(e, variable);
  byVariable.set(variable, form ?? null);
  return form;
}

/**
 * Conversions whose cost bound (nodes × degree) exceeds this are not tried: the converter adds
 * term by term, each sum copying the terms so far, so a flat sum of 8000 powers took 29 s.
 */
const CONVERSION_WORK = 4_000_000;

function convert(e: Expr, variable: string): ExactForm | undefined {
  // Bounds on the degrees of numerator and denominator, node by node, before any expansion.
  const degrees = new Map<number, readonly [number, number]>();
  const at = (n: Expr): readonly [number, number] => degrees.get(n.id)!;
  let polynomial = true;
  const nodes = postorder(e);
  for (const n of nodes) {
    let d: readonly [number, number];
    if (n.kind === "num") d = [0, 0];
    else if (n.kind === "sym" && n.name === variable) d = [1, 0];
    else if (n.kind === "add" || n.kind === "mul") {
      const parts = (n.kind === "add" ? n.terms : n.factors).map(at);
      const den = parts.reduce((sum, [, b]) => sum + b, 0);
      // over a common denominator: Σ numᵢ·Π_{j≠i} denⱼ, or the product of the numerators
      d = n.kind === "add" ? [parts.reduce((top, [a, b]) => Math.max(top, a - b), -Infinity) + den, den] : [parts.reduce((sum, [a]) => sum + a, 0), den];
    } else if (n.kind === "pow" && n.exponent.kind === "num" && Q.isInteger(n.exponent.value)) {
      const k = Number(n.exponent.value.n);
      if (!Number.isSafeInteger(k)) return undefined;
      const [a, b] = at(n.base);
      if (k < 0) polynomial = false;
      d = k >= 0 ? [k * a, k * b] : [-k * b, -k * a];
    } else return undefined;
    if (Math.max(...d) > MAX_DEGREE) return undefined;
    degrees.set(n.id, d);
  }
  if (nodes.length * (Math.max(...at(e)) + 1) > CONVERSION_WORK) return undefined;
  const form = toExpRational(e);
  if ("outside" in form) return undefined;
  const num = fromPoly(form.num, variable);
  const den = fromPoly(form.den, variable);
  if (num === undefined || den === undefined || den.poly.length === 0) return undefined;
  // num.poly / den.poly = (num.factor / den.factor) · e
  return { num: num.poly, den: den.poly, scale: Q.rational(den.factor, num.factor), polynomial };
}

/** The exact value of a form at x, or undefined where its denominator vanishes. */
export function valueOf(form: ExactForm, x: Q.Rational): Q.Rational | undefined {
  const d = scaledValue(form.den, x);
  if (d === 0n) return undefined;
  // p(x) = scaledValue(p, x) / x.d^deg(p)
  const n = scaledValue(form.num, x) * x.d ** BigInt(Math.max(0, degreeOf(form.den)));
  return Q.mul(form.scale, Q.rational(n, d * x.d ** BigInt(Math.max(0, degreeOf(form.num)))));
}

/**
 * p divided by a positive common divisor of its coefficients, their gcd as a rule (signs are
 * kept whatever the divisor). The gcd of two large numbers costs a Euclid step for every few
 * bits, and in a Sturm sequence the content is large: so it is computed once, between the
 * smallest coefficient and a combination of all of them with small weights, and confirmed by
 * dividing (the content divides that gcd; if the gcd divides every coefficient, it is the content).
 */
function primitive(p: bigint[]): bigint[] {
  let smallest = 0n;
  for (const c of p) if (c !== 0n && (smallest === 0n || abs(c) < smallest)) smallest = abs(c);
  if (smallest <= 1n) return p;
  let combination = 0n;
  p.forEach((c, i) => (combination += c * BigInt(((i * 40503) % 65521) + 1)));
  let g = Q.gcd(smallest, combination);
  // Rarely a common factor of the two only: fold the others in, from the small g.
  for (const c of p) {
    if (g === 1n) return p;
    if (c % g !== 0n) g = Q.gcd(g, c);
  }
  return g > 1n ? p.map((c) => c / g) : p;
}

export function derivative(p: IntPoly): IntPoly {
  return trim(p.slice(1).map((c, i) => c * BigInt(i + 1)));
}

/**
 * The pseudo-remainder lc(b)^(δ+1)·a mod b, δ = deg a − deg b: the remainder of a by b times a
 * constant, without leaving the integers.
 */
function pseudoRemainder(a: IntPoly, b: IntPoly): bigint[] {
  const r = [...a];
  const n = degreeOf(b);
  const lc = leading(b);
  for (let k = degreeOf(a) - n; k >= 0; k--) {
    checkBudget();
    const top = r[n + k]!;
    for (let i = 0; i < r.length; i++) r[i] = r[i]! * lc;
    if (top !== 0n) for (let i = 0; i <= n; i++) r[i + k] = r[i + k]! - top * b[i]!;
    r.length = n + k; // the top coefficient is now 0
  }
  return trim(r);
}

/** a/b when b divides a exactly in ℤ[x] (b primitive and a factor of a over ℚ, by Gauss's lemma). */
function exactQuotient(a: IntPoly, b: IntPoly): bigint[] {
  const r = [...a];
  const n = degreeOf(b);
  const q: bigint[] = Array.from({ length: degreeOf(a) - n + 1 }, () => 0n);
  for (let k = degreeOf(a) - n; k >= 0; k--) {
    checkBudget();
    const c = r[n + k]! / leading(b);
    q[k] = c;
    if (c !== 0n) for (let i = 0; i <= n; i++) r[i + k] = r[i + k]! - c * b[i]!;
  }
  return trim(q);
}

/**
 * The Sturm sequence p, p′, −rem(p, p′), … with every member divided by a positive constant
 * (which changes no sign). Its last member is gcd(p, p′) up to a constant.
 *
 * A primitive remainder sequence: each member divided by its content. A subresultant sequence
 * (exact divisors known in advance, no gcd at all) was measured too: for (x+1)…(x+100)′ its
 * coefficients came out five times longer (41 against 8 million bits in all) and the isolation
 * twice as slow, which more than paid for the gcds.
 */
function sturmSequence(p: IntPoly): IntPoly[] {
  const chain: IntPoly[] = [p];
  let next: bigint[] = primitive([...derivative(p)]);
  while (next.length > 0) {
    chain.push(next);
    const a = chain[chain.length - 2]!;
    const b = next;
    const r = pseudoRemainder(a, b);
    // r = lc(b)^(δ+1)·rem: the next member is −rem, so −r with the sign of lc(b)^(δ+1) undone.
    const flip = leading(b) < 0n && (degreeOf(a) - degreeOf(b) + 1) % 2 === 1;
    next = primitive(flip ? r : r.map((c) => -c));
  }
  return chain;
}

/** p·d^deg(p) at x = n/d (d > 0), exactly: its sign is the sign of p(x). */
function scaledValue(p: IntPoly, x: Q.Rational): bigint {
  let acc = 0n;
  let power = 1n;
  for (let i = p.length - 1; i >= 0; i--) {
    acc = acc * x.n + p[i]! * power;
    power *= x.d;
  }
  return acc;
}

/** The sign of p at x, exactly. */
export function signAt(p: IntPoly, x: Q.Rational): -1 | 0 | 1 {
  return sign(scaledValue(p, x));
}

/** The sign of p as x → side·∞ (0 for the zero polynomial). */
export function signAtInfinity(p: IntPoly, side: 1 | -1): -1 | 0 | 1 {
  if (p.length === 0) return 0;
  const s = sign(leading(p));
  return (side < 0 && degreeOf(p) % 2 === 1 ? -s : s) as -1 | 0 | 1;
}

/** A point of the extended line: a rational, or −Infinity or Infinity. */
export type Point = Q.Rational | number;
function isInfinite(x: Point): x is number {
  if (typeof x !== "number") return false;
  if (Number.isFinite(x)) throw new RangeError(`a finite point is a rational, not the number ${x}`);
  return true;
}

/** The distinct real roots of a nonzero polynomial, with the means to count and place them. */
export class RealRoots {
  /** p over the gcd of p and p′: the same roots, each simple, so that it changes sign at each. */
  readonly squarefree: IntPoly;
  private readonly chain: readonly IntPoly[];

  constructor(readonly p: IntPoly) {
    if (p.length === 0) throw new RangeError("the zero polynomial has every number as a root");
    const own = primitive([...p]);
    const chain = sturmSequence(own);
    const gcd = primitive([...chain[chain.length - 1]!]);
    if (degreeOf(gcd) > 0) {
      this.squarefree = primitive(exactQuotient(own, gcd));
      this.chain = sturmSequence(this.squarefree);
    } else {
      this.squarefree = own;
      this.chain = chain;
    }
  }

  /** Sign changes along the sequence at x, zeros skipped. */
  private variations(x: Point): number {
    let count = 0;
    let last = 0;
    for (const q of this.chain) {
      const s = isInfinite(x) ? signAtInfinity(q, x > 0 ? 1 : -1) : signAt(q, x);
      if (s === 0) continue;
      if (last !== 0 && s !== last) count++;
      last = s;
    }
    return count;
  }

  private isRoot(x: Point): boolean {
    return !isInfinite(x) && signAt(this.squarefree, x) === 0;
  }

  /**
   * How many distinct real roots lie in the open interval (a, b), a < b. Sturm: V(a) − V(b)
   * counts those in (a, b] — also when a is a root, since zeros are skipped — so a root at b is
   * taken off.
   */
  count(a: Point, b: Point): number {
    return this.variations(a) - this.variations(b) - (this.isRoot(b) ? 1 : 0);
  }

  /**
   * A bound B = 2ᵏ with every root in (−B, B), by Fujiwara's: |root| ≤ 2·max_k |c_{d−k}/c_d|^{1/k}
   * (with bit lengths for the ratios, rounded up). Cauchy's 1 + max |cᵢ/c_d| would be 2⁴⁰⁰ for
   * (x+1)…(x+80), and every halving from there costs an evaluation of the whole sequence.
   */
  private bound(): Q.Rational {
    const q = this.squarefree;
    const d = degreeOf(q);
    const top = abs(leading(q)).toString(2).length;
    let exponent = 0;
    for (let k = 1; k <= d; k++) {
      const c = abs(q[d - k]!);
      // |c / c_d| < 2^(bits(c) − bits(c_d) + 1)
      if (c !== 0n) exponent = Math.max(exponent, Math.ceil((c.toString(2).length - top + 1) / k));
    }
    return Q.rational(1n << BigInt(exponent + 2));
  }

  /**
   * A point inside (a, b) that is not a root, near the middle: the midpoint, or the nearest of
   * the dyadic fractions 3/8, 5/8, 7/16, … of the way; there are more of them than roots.
   */
  private split(a: Q.Rational, b: Q.Rational): Q.Rational {
    const width = Q.sub(b, a);
    for (let level = 1; ; level++) {
      checkBudget();
      const scale = 1n << BigInt(level);
      const odd = Array.from({ length: Number(scale / 2n) }, (_, i) => BigInt(2 * i + 1)).sort((u, v) => Number(abs(2n * u - scale) - abs(2n * v - scale)));
      for (const j of odd) {
        const m = Q.add(a, Q.mul(width, Q.rational(j, scale)));
        if (!this.isRoot(m)) return m;
      }
    }
  }

  /**
   * Intervals (lo, hi) of rationals that are not roots, each holding exactly one root, in order;
   * together they hold every root in the open interval (a, b) and none outside [a, b].
   */
  isolate(a: Point = -Infinity, b: Point = Infinity): { readonly lo: Q.Rational; readonly hi: Q.Rational }[] {
    const bound = this.bound();
    const lo = isInfinite(a) || Q.compare(a, Q.neg(bound)) < 0 ? Q.neg(bound) : a;
    const hi = isInfinite(b) || Q.compare(b, bound) > 0 ? bound : b;
    if (Q.compare(lo, hi) >= 0) return [];
    const out: { lo: Q.Rational; hi: Q.Rational }[] = [];
    const pending: [Q.Rational, Q.Rational, number][] = [[lo, hi, this.count(lo, hi)]];
    while (pending.length > 0) {
      checkBudget();
      const [u, v, n] = pending.pop()!;
      if (n === 0) continue;
      if (n === 1 && !this.isRoot(u) && !this.isRoot(v)) {
        out.push({ lo: u, hi: v });
        continue;
      }
      // Two roots or more, or one next to an end that is itself a root (a region's end): halve.
      const m = this.split(u, v);
      const left = this.count(u, m);
      pending.push([m, v, n - left], [u, m, left]);
    }
    return out.sort((x, y) => Q.compare(x.lo, y.lo));
  }

  /**
   * The double the root in (lo, hi) (an isolating interval) rounds to, by bisection on the sign of
   * the square-free part at exact midpoints until both ends round to the same double (rounding is
   * monotone, so the root does too). A root exactly halfway between two doubles is met exactly
   * by a dyadic midpoint; the cap only guards the conversion's own rounding.
   */
  nearestDouble(interval: { readonly lo: Q.Rational; readonly hi: Q.Rational }): number {
    let { lo, hi } = interval;
    const q = this.squarefree;
    // A root at 0 would take 1074 halvings to pin down to doubles: test it outright.
    if (Q.isNegative(lo) && Q.compare(hi, Q.ZERO) > 0 && signAt(q, Q.ZERO) === 0) return 0;
    const atLo = signAt(q, lo);
    for (let step = 0; step < 1200; step++) {
      checkBudget();
      if (Q.toNumber(lo) === Q.toNumber(hi)) return Q.toNumber(lo);
      const m = Q.div(Q.add(lo, hi), Q.fromInteger(2));
      const s = signAt(q, m);
      if (s === 0) return Q.toNumber(m);
      if (s === atLo) lo = m;
      else hi = m;
    }
    return Q.toNumber(Q.div(Q.add(lo, hi), Q.fromInteger(2)));
  }
}

/** The sign of a polynomial on an open interval of the line (lo, hi), region by region of its roots. */
export interface SignPattern {
  /** The sign between consecutive roots, from left to right (never 0: roots are not counted). */
  readonly gaps: readonly (1 | -1)[];
  /** The roots where the sign changes (odd multiplicity), with the nearest double. */
  readonly changes: readonly { readonly x: number; readonly from: 1 | -1; readonly to: 1 | -1 }[];
}

/** A point of (lo, hi) for a region without roots: the middle, or one unit in from its finite end. */
function inside(lo: number, hi: number): Q.Rational {
  if (Number.isFinite(lo) && Number.isFinite(hi)) return Q.div(Q.add(Q.fromNumber(lo), Q.fromNumber(hi)), Q.fromInteger(2));
  if (Number.isFinite(lo)) return Q.add(Q.fromNumber(lo), Q.ONE);
  if (Number.isFinite(hi)) return Q.sub(Q.fromNumber(hi), Q.ONE);
  return Q.ZERO;
}

const toPoint = (v: number): Point => (Number.isFinite(v) ? Q.fromNumber(v) : v);

/**
 * The sign pattern of num/den on the open interval (lo, hi) (ends may be infinite), when den has
 * no root there; undefined when it has one (a pole: the interval certificate decides instead).
 */
export function rationalSigns(num: IntPoly, den: IntPoly, lo: number, hi: number): SignPattern | undefined {
  const denominator = new RealRoots(den);
  if (denominator.isolate(toPoint(lo), toPoint(hi)).length > 0) return undefined;
  const denSign = signAt(den, inside(lo, hi)) as 1 | -1;
  const roots = new RealRoots(num);
  const isolated = roots.isolate(toPoint(lo), toPoint(hi));
  const signOf = (x: Q.Rational): 1 | -1 => (signAt(num, x) * denSign) as 1 | -1;
  if (isolated.length === 0) return { gaps: [signOf(inside(lo, hi))], changes: [] };
  // The ends of isolating intervals are not roots, and no root lies between one interval and the next.
  const gaps = [signOf(isolated[0]!.lo), ...isolated.map((r) => signOf(r.hi))];
  const changes = isolated.flatMap((r, i) => (gaps[i] !== gaps[i + 1] ? [{ x: roots.nearestDouble(r), from: gaps[i]!, to: gaps[i + 1]! }] : []));
  return { gaps, changes };
}
