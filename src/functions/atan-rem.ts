import { bigContext, type Big, type BigContext } from "../numeric/big.js";
import type { HelperSource } from "./table.js";
import { vatan, type VectorForm } from "./vector.js";

/**
 * atan_rem(v) = atan(v) − v/(1 + v²): what is left of the arctangent once its rational part is
 * taken away, ≈ 2v³/3 for small v; odd. With r = min(|u|, 1/|u|) ∈ [0, 1], T = atan_rem(r) and
 * q = r/(1 + r²), without a branch on u and without cancellation:
 *   π/2 + atan(u) = π/2 ± (T + q) for |u| < 1, π − (T + q) for u ≥ 1, T + q for u ≤ −1;
 *   atan_tail(u)  = π/2 + T + 2q for 0 ≤ u < 1, π − T for u ≥ 1, T for u ≤ −1
 * (the stable forms of xwish and xwish′: stabilize.ts).
 *
 * For |v| ≤ 1, v³·P(s)/D(s) with s = v², P/D (NUMERATOR/DENOMINATOR) the (6, 6) rational fitted
 * to (atan(√s) − √s/(1 + s))/s^(3/2) = Σₖ (−1)ᵏ (2k + 2)/(2k + 3) sᵏ on 0 ≤ s ≤ 1 (relative
 * error 3.7e-18 in 50-digit arithmetic: Lawson-weighted linearised least squares at 300 Chebyshev
 * nodes; `npm run fits` reruns it, scripts/fits/atan_rem.py). A polynomial would need degree 22
 * there, the series' singularity at s = −1 being close; the rational costs 12 multiply-adds and
 * one division, and its coefficients are all but one positive, so Horner's rule does not cancel.
 * Beyond |v| = 1 nothing cancels (atan ≥ π/4, the ratio ≤ 1/2) and it is computed as written,
 * the ratio as 1/(v + 1/v), which does not overflow.
 */
export const NUMERATOR = [
  0.6666666666666666, 1.297106939179611, 0.8689429550044382, 0.2358070205160529, 0.023009708041965195,
  0.0004371593500814363, -0.000002991258743181805,
];
export const DENOMINATOR = [1, 3.145660408769418, 3.792492637315536, 2.193614503329572, 0.6213675184511124, 0.0776705708654846, 0.003067364138091759];

if (NUMERATOR.length !== 7 || DENOMINATOR.length !== 7) throw new Error("internal error: atanRemNumber is written out for 7 coefficients");
const [p0, p1, p2, p3, p4, p5, p6] = NUMERATOR as [number, number, number, number, number, number, number];
const [d0, d1, d2, d3, d4, d5, d6] = DENOMINATOR as [number, number, number, number, number, number, number];

// Written out: a loop over the coefficients costs more than the arithmetic (as in atan_tail).
export function atanRemNumber(v: number): number {
  // v/(1 + v²) as 1/(v + 1/v): v² would overflow, and ∞/∞ at v = ∞.
  if (!(Math.abs(v) <= 1)) return Math.atan(v) - 1 / (v + 1 / v);
  const s = v * v;
  return (v * s * ((((((p6 * s + p5) * s + p4) * s + p3) * s + p2) * s + p1) * s + p0)) / ((((((d6 * s + d5) * s + d4) * s + d3) * s + d2) * s + d1) * s + d0);
}

const hornerJs = (c: readonly number[], s: string): string => c.slice(0, -1).reduceRight((inner, k) => `(${inner}) * ${s} + ${k}`, String(c[c.length - 1]));

/** The same operations as atanRemNumber, as standalone JavaScript. */
export function atanRemSource(): HelperSource {
  return {
    params: ["v"],
    body: [
      "// atan(v) - v/(1 + v²): as written beyond |v| = 1, a rational fitted in s = v² within.",
      "if (!(Math.abs(v) <= 1)) return Math.atan(v) - 1 / (v + 1 / v);",
      "const s = v * v;",
      `return v * s * (${hornerJs(NUMERATOR, "s")}) / (${hornerJs(DENOMINATOR, "s")});`,
    ],
  };
}

/** The same over vector lanes: both sides, selected. */
export const atanRemVector: VectorForm = (v, [x]) => {
  const s = v.mul(x!, x!);
  const inLanes = (c: readonly number[]) => c.slice(0, -1).reduceRight((inner, k) => v.add(v.mul(inner, s), v.num(k)), v.num(c[c.length - 1]!));
  const within = v.div(v.mul(v.mul(x!, s), inLanes(NUMERATOR)), inLanes(DENOMINATOR));
  const beyond = v.sub(vatan(v, x!), v.div(v.num(1), v.add(x!, v.div(v.num(1), x!))));
  return v.select(v.le(v.abs(x!), v.num(1)), within, beyond);
};

/** The reference: atan_rem(v) = atan_tail(−1/v) for v > 0, odd, 0 at 0. */
export function atanRemBig(D: BigContext, v: Big): Big {
  if (v.isNaN()) return new D(NaN);
  if (v.isZero()) return new D(0);
  if (!v.isFinite()) return D.acos(-1).div(v.isNegative() ? -2 : 2);
  const t = atanTailBig(D, new D(-1).div(v.abs()));
  return v.isNegative() ? t.neg() : t;
}

/** atan_tail's reference: the defining sum with guard digits for its cancellation, or the tail series far out. */
export function atanTailBig(D: BigContext, u: Big): Big {
  if (u.isNaN()) return new D(NaN);
  if (!u.isFinite()) return u.isNegative() ? new D(0) : D.acos(-1);
  if (u.lt(-1e3)) {
    // Σₖ≥1 (−1)^(k+1) · 2k/(2k + 1) · w^(2k+1), w = −1/u ≤ 1e-3: each term 1e-6 times the last.
    const w = new D(-1).div(u);
    const w2 = w.mul(w);
    let power = w.mul(w2);
    let sum = new D(0);
    const eps = new D(10).pow(-D.precision - 2);
    for (let k = 1; ; k++) {
      const term = power.mul(2 * k).div(2 * k + 1);
      sum = k % 2 === 1 ? sum.add(term) : sum.sub(term);
      if (term.lt(eps.mul(sum.abs()))) return sum;
      power = power.mul(w2);
    }
  }
  // The sum loses about 3·log10|u| digits for u < −1; they are carried as guard digits.
  const guard = 10 + Math.ceil(3 * Math.log10(Math.max(1, -u.toNumber())));
  const W = bigContext(D.precision + guard);
  const uw = new W(u);
  return new D(W.acos(-1).div(2).add(uw.atan()).add(uw.div(uw.mul(uw).add(1))));
}
