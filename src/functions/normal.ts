import type { HelperSource } from "./table.js";
import { vexp, type VectorForm, type VectorOps, type Vec } from "./vector.js";
import { bigContext, erfBig, type Big, type BigContext } from "../numeric/big.js";

/**
 * The standard normal distribution: φ(x) = e^(−x²/2)/√(2π) and Φ(x) = ∫₋∞ˣ φ = erfc(−x/√2)/2,
 * GELU's pieces (gelu = x·Φ(x), gelu′ = Φ(x) + x·φ(x)). Φ is not written 1/2 + erf(x/√2)/2:
 * that cancels as x → −∞ (Φ(−10) ≈ 7.6e−24 is 0 there), where erfc keeps every digit.
 *
 * erfc comes from W. J. Cody's rational Chebyshev approximations (netlib specfun erf, 1987), the
 * ones erf's ERF_SOURCE evaluates, by the same three intervals of y = |x|/√2: y·P(y²)/Q(y²) for
 * erf on y ≤ 0.46875, e^(−y²)·P(y)/Q(y) for erfc on y ≤ 4, e^(−y²)/y·(1/√π − P(1/y²)/(y²Q(1/y²)))
 * beyond. e^(−y²) = e^(−x²/2) is e^(−a²/2)·e^(−(|x| − a)(|x| + a)/2) with a = |x| rounded down to
 * 1/16: a²/2 is exact, so neither x² nor x/√2 is rounded before the exponential (at x = −20 a
 * rounded y = x/√2 alone costs 15 ulps); x/√2 enters only the rational factor, which is flat.
 */
export const SMALL_P = [3209.37758913846947, 377.485237685302021, 113.864154151050156, 3.16112374387056560, 0.185777706184603153];
export const SMALL_Q = [2844.23683343917062, 1282.61652607737228, 244.024637934444173, 23.6012909523441209];
export const MID_P = [
  1230.33935479799725, 2051.07837782607147, 1712.04761263407058, 881.952221241769090, 298.635138197400131,
  66.1191906371416295, 8.88314979438837594, 0.564188496988670089, 2.15311535474403846e-8,
];
export const MID_Q = [1230.33935480374942, 3439.36767414372164, 4362.61909014324716, 3290.79923573345963, 1621.38957456669019, 537.181101862009858, 117.693950891312499, 15.7449261107098347];
export const LARGE_P = [0.000658749161529837803, 0.0160837851487422766, 0.125781726111229246, 0.360344899949804439, 0.305326634961232344, 0.0163153871373020978];
export const LARGE_Q = [0.00233520497626869185, 0.0605183413124413191, 0.527905102951428412, 1.87295284992346047, 2.56852019228982242];
export const ONE_OVER_SQRT_PI = 0.56418958354775628695;
/** 1/√(2π). */
export const INV_SQRT_2PI = 0.3989422804014327;
/** Past this y, e^(−y²) is below every float64 (e^(−1600)): y is taken at min(y, 40), |x| at min(|x|, 40√2). */
export const Y_CAP = 40;
export const X_CAP = 56.5;

/** Σ cₖtᵏ by Horner's rule, highest first; a monic denominator adds t^n at the top. */
function horner(c: readonly number[], t: number, monic: boolean): number {
  let acc = monic ? t + c[c.length - 1]! : c[c.length - 1]!;
  for (let k = c.length - 2; k >= 0; k--) acc = acc * t + c[k]!;
  return acc;
}

/** erf(t) = t·P(t²)/Q(t²) for |t| ≤ 0.46875, Cody's first interval. */
function smallErf(t: number): number {
  return (t * horner(SMALL_P, t * t, false)) / horner(SMALL_Q, t * t, true);
}

/** erfc(y)·e^(y²) for y > 0.46875 (the rational factor of erfc), as Cody's approximations. */
function erfcFactor(y: number): number {
  if (y <= 4) return horner(MID_P, y, false) / horner(MID_Q, y, true);
  const z = 1 / (y * y);
  return (ONE_OVER_SQRT_PI - (z * horner(LARGE_P, z, false)) / horner(LARGE_Q, z, true)) / y;
}

/** e^(−x²/2) for x ≥ 0 without rounding x² first. */
function expMinusHalfSquare(x: number): number {
  const a = Math.trunc(x * 16) / 16;
  return Math.exp(-0.5 * (a * a)) * Math.exp(-0.5 * ((x - a) * (x + a)));
}

/** e^(−y²) for y ≥ 0 without rounding y² first: a = y rounded down to 1/16, a² exact. */
function expMinusSquare(y: number): number {
  const a = Math.trunc(y * 16) / 16;
  return Math.exp(-(a * a)) * Math.exp(-((y - a) * (y + a)));
}

/**
 * erfc(x) = 1 − erf(x), which JavaScript lacks: 1 − erf(x) is 0 from x ≈ 5.9 on (erf rounds to
 * 1) while erfc(x) ≈ e^(−x²)/(x√π) is a normal double up to x ≈ 26.5. Cody's three intervals as
 * above, now of y = |x| itself: 1 − x·P(x²)/Q(x²) for |x| ≤ 0.46875 (erf ≤ 0.5 there: no
 * cancellation), e^(−y²)·R(y) beyond, and 2 − erfc(|x|) for x < 0 (erfc(|x|) ≤ 0.51: none either).
 */
export function erfc(x: number): number {
  const y = Math.abs(x);
  if (!(y > 0.46875)) return 1 - smallErf(x);
  const c = Math.min(y, Y_CAP);
  const tail = expMinusSquare(c) * erfcFactor(c);
  return x < 0 ? 2 - tail : tail;
}

/** Φ(x), the standard normal cdf: within a few ulps also in the lower tail. */
export function normalCdf(x: number): number {
  const t = x * Math.SQRT1_2;
  const y = Math.abs(t);
  if (!(y > 0.46875)) return 0.5 + 0.5 * smallErf(t);
  const half = 0.5 * expMinusHalfSquare(Math.min(Math.abs(x), X_CAP)) * erfcFactor(Math.min(y, Y_CAP));
  return t < 0 ? half : 1 - half;
}

/** φ(x), the standard normal density. */
export function normalPdf(x: number): number {
  return INV_SQRT_2PI * expMinusHalfSquare(Math.min(Math.abs(x), X_CAP));
}

const hornerJs = (c: readonly number[], t: string, monic: boolean): string => {
  let acc = monic ? `(${t} + ${c[c.length - 1]})` : String(c[c.length - 1]);
  for (let k = c.length - 2; k >= 0; k--) acc = `(${acc} * ${t} + ${c[k]})`;
  return acc;
};

const expMinusHalfSquareJs = (x: string): string[] => [
  `const a = Math.trunc(${x} * 16) / 16; // e^(-x²/2) as e^(-a²/2)·e^(-(x - a)(x + a)/2): a²/2 is exact`,
  `const e = Math.exp(-0.5 * (a * a)) * Math.exp(-0.5 * ((${x} - a) * (${x} + a)));`,
];

// Cody's rational erfc, written once for both standalone sources (Φ's and erfc's): they differ
// only in what surrounds it, Φ taking e^(−x²/2) from x itself where erfc takes e^(−c²) from c.

/** smallErf as a JavaScript expression in t (a name). */
const smallErfJs = (t: string): string => `(${t} * ${hornerJs(SMALL_P, `(${t} * ${t})`, false)}) / ${hornerJs(SMALL_Q, `(${t} * ${t})`, true)}`;

/** Statements that set c = min(y, Y_CAP) and r = erfcFactor(c), for a y > 0.46875. */
const erfcFactorJs = (y: string): string[] => [
  `const c = Math.min(${y}, ${Y_CAP});`,
  "let r;",
  `if (c <= 4) r = ${hornerJs(MID_P, "c", false)} / ${hornerJs(MID_Q, "c", true)};`,
  "else {",
  "  const z = 1 / (c * c);",
  `  r = (${ONE_OVER_SQRT_PI} - (z * ${hornerJs(LARGE_P, "z", false)}) / ${hornerJs(LARGE_Q, "z", true)}) / c;`,
  "}",
];

/** normalCdf as standalone JavaScript: the same operations in the same order. */
export const NORMAL_CDF_SOURCE: HelperSource = {
  params: ["x"],
  body: [
    "// Φ(x) = erfc(-x/√2)/2 by W. J. Cody's rational approximations (netlib specfun erf).",
    "const t = x * Math.SQRT1_2;",
    "const y = Math.abs(t);",
    `if (!(y > 0.46875)) return 0.5 + 0.5 * (${smallErfJs("t")});`,
    ...erfcFactorJs("y"),
    `const ax = Math.min(Math.abs(x), ${X_CAP});`,
    ...expMinusHalfSquareJs("ax"),
    "const half = 0.5 * e * r;",
    "return t < 0 ? half : 1 - half;",
  ],
};

/** erfc as standalone JavaScript: the same operations in the same order. */
export const ERFC_SOURCE: HelperSource = {
  params: ["x"],
  body: [
    "// erfc(x) = 1 - erf(x) by W. J. Cody's rational approximations (netlib specfun erf), without the cancellation.",
    "const y = Math.abs(x);",
    `if (!(y > 0.46875)) return 1 - ${smallErfJs("x")};`,
    ...erfcFactorJs("y"),
    "const a = Math.trunc(c * 16) / 16; // e^(-c²) as e^(-a²)·e^(-(c - a)(c + a)): a² is exact",
    "const tail = Math.exp(-(a * a)) * Math.exp(-((c - a) * (c + a))) * r;",
    "return x < 0 ? 2 - tail : tail;",
  ],
};

export const NORMAL_PDF_SOURCE: HelperSource = {
  params: ["x"],
  body: [
    "// e^(-x²/2)/√(2π), with x² not rounded before the exponential.",
    `const ax = Math.min(Math.abs(x), ${X_CAP});`,
    ...expMinusHalfSquareJs("ax"),
    `return ${INV_SQRT_2PI} * e;`,
  ],
};

// Over vector lanes: the same pieces, each computed and the right one selected.
function vhorner(v: VectorOps, c: readonly number[], t: Vec, monic: boolean): Vec {
  let acc = monic ? v.add(t, v.num(c[c.length - 1]!)) : v.num(c[c.length - 1]!);
  for (let k = c.length - 2; k >= 0; k--) acc = v.add(v.mul(acc, t), v.num(c[k]!));
  return acc;
}

/** e^(−x²/2) for 0 ≤ x ≤ X_CAP, a = x rounded to a multiple of 1/16 (by adding and subtracting 1.5·2^mantissaBits). */
function vexpMinusHalfSquare(v: VectorOps, x: Vec): Vec {
  const magic = v.num(1.5 * 2 ** v.format.mantissaBits);
  const a = v.div(v.sub(v.add(v.mul(x, v.num(16)), magic), magic), v.num(16));
  const half = v.num(-0.5);
  return v.mul(vexp(v, v.mul(half, v.mul(a, a))), vexp(v, v.mul(half, v.mul(v.sub(x, a), v.add(x, a)))));
}

/** smallErf over lanes. */
const vsmallErf = (v: VectorOps, t: Vec): Vec => {
  const t2 = v.mul(t, t);
  return v.div(v.mul(t, vhorner(v, SMALL_P, t2, false)), vhorner(v, SMALL_Q, t2, true));
};

/** erfcFactor over lanes, for 0.46875 < c ≤ Y_CAP: both intervals computed, the right one selected. */
function verfcFactor(v: VectorOps, c: Vec): Vec {
  const mid = v.div(vhorner(v, MID_P, c, false), vhorner(v, MID_Q, c, true));
  const z = v.div(v.num(1), v.mul(c, c));
  const large = v.div(v.sub(v.num(ONE_OVER_SQRT_PI), v.div(v.mul(z, vhorner(v, LARGE_P, z, false)), vhorner(v, LARGE_Q, z, true))), c);
  return v.select(v.le(c, v.num(4)), mid, large);
}

export const normalCdfVector: VectorForm = (v, [x]) => {
  const t = v.mul(x!, v.num(Math.SQRT1_2));
  const y = v.abs(t);
  const small = v.add(v.num(0.5), v.mul(v.num(0.5), vsmallErf(v, t)));
  const c = v.min(y, v.num(Y_CAP));
  const ax = v.min(v.abs(x!), v.num(X_CAP));
  const half = v.mul(v.mul(v.num(0.5), vexpMinusHalfSquare(v, ax)), verfcFactor(v, c));
  const tail = v.select(v.lt(t, v.num(0)), half, v.sub(v.num(1), half));
  // NaN fails `y > 0.46875` and takes the small form, which keeps it NaN.
  return v.select(v.gt(y, v.num(0.46875)), tail, small);
};

export const erfcVector: VectorForm = (v, [x]) => {
  const y = v.abs(x!);
  const small = v.sub(v.num(1), vsmallErf(v, x!));
  const c = v.min(y, v.num(Y_CAP));
  // e^(−c²) as e^(−a²)·e^(−(c − a)(c + a)), a = c rounded to a multiple of 1/16: a² is exact.
  const magic = v.num(1.5 * 2 ** v.format.mantissaBits);
  const a = v.div(v.sub(v.add(v.mul(c, v.num(16)), magic), magic), v.num(16));
  const e = v.mul(vexp(v, v.neg(v.mul(a, a))), vexp(v, v.neg(v.mul(v.sub(c, a), v.add(c, a)))));
  const tail = v.mul(e, verfcFactor(v, c));
  const outer = v.select(v.lt(x!, v.num(0)), v.sub(v.num(2), tail), tail);
  // NaN fails `y > 0.46875` and takes the small form, which keeps it NaN.
  return v.select(v.gt(y, v.num(0.46875)), outer, small);
};

export const normalPdfVector: VectorForm = (v, [x]) =>
  v.mul(v.num(INV_SQRT_2PI), vexpMinusHalfSquare(v, v.min(v.abs(x!), v.num(X_CAP))));

/**
 * erfc(y) for y ≥ 0 in BigNumber: 1 − erf(y) with the digits its cancellation costs added where
 * e^(−y²) is above the working precision's last digit, and the continued fraction
 * erfc(y) = e^(−y²)/√π · 1/(y + (1/2)/(y + 1/(y + (3/2)/(y + …)))) beyond, where it converges fast.
 */
export function erfcBig(D: BigContext, y: Big): Big {
  const yn = y.toNumber();
  if (yn * yn < D.precision * Math.LN10) {
    const W = bigContext(D.precision + Math.ceil((yn * yn) / Math.LN10) + 10);
    return new D(new W(1).sub(erfBig(W, new W(y))));
  }
  const W = bigContext(D.precision + 10);
  const yw = new W(y);
  const fraction = (terms: number): Big => {
    let acc = yw;
    for (let n = terms; n >= 1; n--) acc = yw.add(new W(n).div(2).div(acc));
    return new W(1).div(acc);
  };
  let terms = 16;
  let k = fraction(terms);
  for (;;) {
    const next = fraction(terms * 2);
    terms *= 2;
    if (next.sub(k).abs().lte(next.abs().mul(new W(10).pow(-(D.precision + 5))))) {
      k = next;
      break;
    }
    k = next;
  }
  return new D(yw.mul(yw).neg().exp().div(W.acos(-1).sqrt()).mul(k));
}

/** erfc(x) for every x: 2 − erfc(−x) below 0, where erfc(−x) ≤ 1 and nothing cancels. */
export function erfcBigAll(D: BigContext, x: Big): Big {
  if (x.isNaN()) return new D(NaN);
  if (!x.isFinite()) return new D(x.isNegative() ? 2 : 0);
  const W = bigContext(D.precision + 5);
  const tail = erfcBig(W, new W(x).abs());
  return new D(x.isNegative() ? new W(2).sub(tail) : tail);
}

export function normalCdfBig(D: BigContext, x: Big): Big {
  if (x.isNaN()) return new D(NaN);
  if (!x.isFinite()) return new D(x.isNegative() ? 0 : 1);
  const W = bigContext(D.precision + 5);
  const y = new W(x).abs().div(new W(2).sqrt());
  const half = erfcBig(W, y).div(2);
  return new D(x.isNegative() ? half : new W(1).sub(half));
}

export function normalPdfBig(D: BigContext, x: Big): Big {
  const W = bigContext(D.precision + 5);
  const xw = new W(x);
  return new D(xw.mul(xw).div(-2).exp().div(W.acos(-1).mul(2).sqrt()));
}
