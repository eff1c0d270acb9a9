import { checkBudget } from "../budget.js";
import * as Q from "../ast/rational.js";

/**
 * Sparse multivariate polynomials with exact rational coefficients, the arithmetic under the
 * exp-rational decision procedure. Variables are plain strings. Exponents are integers and may
 * be negative (Laurent polynomials): a monomial denominator such as e^{-x} = t⁻¹ then needs no
 * division, and a Laurent polynomial is zero exactly when all its coefficients are.
 *
 * A polynomial is a map from a canonical monomial key to its term, with no zero coefficients, so
 * two polynomials are equal exactly when their keys and coefficients are.
 */

/** Variable–exponent pairs, sorted by variable, no zero exponents. */
export type Monomial = readonly (readonly [variable: string, exponent: number])[];

export interface Term {
  readonly monomial: Monomial;
  readonly coefficient: Q.Rational;
}

export type Poly = ReadonlyMap<string, Term>;

/** Length-prefixed, so that the key is unambiguous whatever characters the names contain. */
export const monomialKey = (m: Monomial): string => m.map(([v, k]) => `${v.length}:${v}^${k};`).join("");

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function monomialTimes(a: Monomial, b: Monomial): Monomial {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out: [string, number][] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const c = i === a.length ? 1 : j === b.length ? -1 : compareStrings(a[i]![0], b[j]![0]);
    if (c < 0) out.push([...a[i++]!]);
    else if (c > 0) out.push([...b[j++]!]);
    else {
      const k = a[i]![1] + b[j]![1];
      if (k !== 0) out.push([a[i]![0], k]);
      i++;
      j++;
    }
  }
  return out;
}

// Most coefficients met in practice are integers; these skip the gcd that Q.add and Q.mul pay.
const addQ = (a: Q.Rational, b: Q.Rational): Q.Rational => (a.d === 1n && b.d === 1n ? { n: a.n + b.n, d: 1n } : Q.add(a, b));
const mulQ = (a: Q.Rational, b: Q.Rational): Q.Rational => (a.d === 1n && b.d === 1n ? { n: a.n * b.n, d: 1n } : Q.mul(a, b));

function accumulate(into: Map<string, Term>, monomial: Monomial, coefficient: Q.Rational): void {
  const key = monomialKey(monomial);
  const existing = into.get(key);
  const c = existing === undefined ? coefficient : addQ(existing.coefficient, coefficient);
  if (Q.isZero(c)) into.delete(key);
  else into.set(key, { monomial, coefficient: c });
}

export const ZERO: Poly = new Map();

export function constant(c: Q.Rational): Poly {
  return Q.isZero(c) ? ZERO : new Map([["", { monomial: [], coefficient: c }]]);
}

export const ONE: Poly = constant(Q.ONE);

/** c · Π vᵢ^kᵢ; the pairs need not be sorted or distinct. */
export function monomial(pairs: Iterable<readonly [string, number]>, c: Q.Rational = Q.ONE): Poly {
  let m: Monomial = [];
  for (const [v, k] of pairs) if (k !== 0) m = monomialTimes(m, [[v, k]]);
  return Q.isZero(c) ? ZERO : new Map([[monomialKey(m), { monomial: m, coefficient: c }]]);
}

export const variable = (name: string, exponent = 1): Poly => monomial([[name, exponent]]);

export const isZero = (p: Poly): boolean => p.size === 0;

/** The constant term's value when p is a constant, else undefined. */
export function asConstant(p: Poly): Q.Rational | undefined {
  if (p.size === 0) return Q.ZERO;
  const only = p.get("");
  return p.size === 1 && only !== undefined ? only.coefficient : undefined;
}

export function add(a: Poly, b: Poly): Poly {
  if (a.size === 0) return b;
  if (b.size === 0) return a;
  const out = new Map(a);
  for (const t of b.values()) accumulate(out, t.monomial, t.coefficient);
  return out;
}

export function scale(p: Poly, c: Q.Rational): Poly {
  if (Q.isZero(c)) return ZERO;
  if (Q.isOne(c)) return p;
  const out = new Map<string, Term>();
  for (const [key, t] of p) out.set(key, { monomial: t.monomial, coefficient: Q.mul(t.coefficient, c) });
  return out;
}

export const neg = (p: Poly): Poly => scale(p, Q.rational(-1n));
export const sub = (a: Poly, b: Poly): Poly => add(a, neg(b));

export function mul(a: Poly, b: Poly): Poly {
  if (a.size === 0 || b.size === 0) return ZERO;
  if (a.size > b.size) [a, b] = [b, a];
  const out = new Map<string, Term>();
  for (const s of a.values()) {
    // Products of products grow (gelu_tanh's limits: 13 s here): within the budget in force, if any.
    checkBudget();
    for (const t of b.values()) accumulate(out, monomialTimes(s.monomial, t.monomial), mulQ(s.coefficient, t.coefficient));
  }
  return out;
}

/** pⁿ for a non-negative integer n, by repeated squaring. */
export function pow(p: Poly, n: number): Poly {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`polynomial power must be a non-negative integer, not ${n}`);
  let result = ONE;
  let base = p;
  for (let k = n; k > 0; k >>= 1) {
    if (k & 1) result = mul(result, base);
    if (k > 1) base = mul(base, base);
  }
  return result;
}

/** 1/p for a single term p (its exponents negated, its coefficient inverted). */
export function invertTerm(p: Poly): Poly {
  const [t] = p.values();
  if (p.size !== 1 || t === undefined) throw new RangeError("only a single nonzero term can be inverted");
  return monomial(t.monomial.map(([v, k]) => [v, -k] as const), Q.div(Q.ONE, t.coefficient));
}

/** Terms in canonical order: by monomial key. */
export function terms(p: Poly): Term[] {
  return [...p.entries()].sort(([a], [b]) => compareStrings(a, b)).map(([, t]) => t);
}

/** A canonical string for the whole polynomial: equal strings ⇔ equal polynomials. */
export const key = (p: Poly): string =>
  [...p.entries()].sort(([a], [b]) => compareStrings(a, b)).map(([k, t]) => `${k}=${t.coefficient.n}/${t.coefficient.d}`).join("|");

export function equals(a: Poly, b: Poly): boolean {
  if (a.size !== b.size) return false;
  for (const [k, t] of a) {
    const u = b.get(k);
    if (u === undefined || !Q.equals(t.coefficient, u.coefficient)) return false;
  }
  return true;
}

/** The largest |exponent| of any variable in any term. */
export function degree(p: Poly): number {
  let d = 0;
  for (const t of p.values()) for (const [, k] of t.monomial) d = Math.max(d, Math.abs(k));
  return d;
}

/** For every variable, its smallest exponent over the terms (0 where a term lacks it). */
export function minimalExponents(p: Poly): Map<string, number> {
  const seen = new Map<string, number>();
  const count = new Map<string, number>();
  for (const t of p.values()) {
    for (const [v, k] of t.monomial) {
      seen.set(v, Math.min(seen.get(v) ?? k, k));
      count.set(v, (count.get(v) ?? 0) + 1);
    }
  }
  for (const [v, n] of count) if (n < p.size) seen.set(v, Math.min(seen.get(v)!, 0));
  return seen;
}

/** The variables that occur in p. */
export function variables(p: Poly): Set<string> {
  const out = new Set<string>();
  for (const t of p.values()) for (const [v] of t.monomial) out.add(v);
  return out;
}

/** Readable form, highest total degree first: `2*t^2 - t + 1/3`. */
export function toString(p: Poly): string {
  if (p.size === 0) return "0";
  const totalDegree = (t: Term): number => t.monomial.reduce((s, [, k]) => s + k, 0);
  const sorted = terms(p).sort((a, b) => totalDegree(b) - totalDegree(a));
  return sorted.map((t, i) => {
    const negative = Q.isNegative(t.coefficient);
    const magnitude = negative ? Q.neg(t.coefficient) : t.coefficient;
    const factors = t.monomial.map(([v, k]) => (k === 1 ? v : `${v}^${k < 0 ? `(${k})` : k}`));
    if (!Q.isOne(magnitude) || factors.length === 0) factors.unshift(Q.toString(magnitude));
    const body = factors.join("*");
    return i === 0 ? (negative ? `-${body}` : body) : `${negative ? " - " : " + "}${body}`;
  }).join("");
}
