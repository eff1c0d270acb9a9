/**
 * Builtins over vector lanes (float64 or float32), for the WebAssembly SIMD kernels. WebAssembly has
 * add, multiply, divide, square root, min and max, but no exp or log: these are ours, written
 * against `VectorOps` (implemented by src/codegen/wasm) so that the mathematics lives here, next
 * to the function table that refers to it.
 *
 * Every lane computes the same operations; a piecewise choice is a `select` between forms both
 * computed, so each form must be harmless (no trap, any NaN discarded) where it is not chosen.
 * Accuracy is measured, not assumed: `actdiff audit --simd` and test/codegen/simd.test.ts.
 */
export interface Vec {
  readonly vec: number;
}

/**
 * The lanes' floating-point format: float64 (two lanes, for Float64Array kernels) or float32
 * (four lanes, for Float32Array kernels). The algorithms below are the same for both; what
 * differs is here: the bit layout, the range, ln 2 split for the format's k, and how many terms
 * the series need for the format's precision.
 */
export interface LaneFormat {
  readonly name: "float64" | "float32";
  readonly mantissaBits: number;
  readonly bias: number;
  /** e^x is +∞ above `expHigh` and below half the smallest subnormal under `expLow` (clamped to these). */
  readonly expLow: number;
  readonly expHigh: number;
  /** ln 2 = LN2_HI + LN2_LO, with k·LN2_HI exact for every k the clamp allows. */
  readonly ln2Hi: number;
  readonly ln2Lo: number;
  /**
   * Σ's coefficients in eʳ − 1 = r + r²·Σ(r), |r| ≤ ln 2/2, within a tenth of an ulp of eʳ: the
   * Taylor series 1/2!, 1/3!, … to the first term below that, or a minimax fit a term shorter.
   */
  readonly expSeries: readonly number[];
  /** 2/3, 2/5, …: log(1 + f) = 2s + s·R(s²), |s| ≤ 0.172, the same. */
  readonly atanhSeries: readonly number[];
  /** −1/3, 1/5, …: atan(c) = c + c·z·Q(z), z = c², |c| ≤ tan(π/16), the same. */
  readonly atanSeries: readonly number[];
  /** √2/2 as bits: log reduces its argument to [√2/2, √2). */
  readonly halfSqrt2Bits: bigint;
}

const inverseFactorials = (count: number): number[] =>
  Array.from({ length: count }, (_, i) => {
    let f = 1;
    for (let k = 2; k <= i + 2; k++) f *= k;
    return 1 / f;
  });
const atanhSeries = (count: number): number[] => Array.from({ length: count }, (_, i) => 2 / (2 * i + 3));
const atanSeries = (count: number): number[] => Array.from({ length: count }, (_, i) => (i % 2 === 0 ? -1 : 1) / (2 * i + 3));

export const FLOAT64_LANES: LaneFormat = {
  name: "float64", mantissaBits: 52, bias: 1023,
  expLow: -746, expHigh: 710,
  // The low 21 bits of LN2_HI are zero (fdlibm's split).
  ln2Hi: 6.93147180369123816490e-1, ln2Lo: 1.90821492927058770002e-10,
  expSeries: inverseFactorials(12), // to 1/13!: r¹⁴/14! < 10⁻¹⁷
  atanhSeries: atanhSeries(10), // to z¹⁰: 2z¹¹/23 · s < 10⁻¹⁸
  atanSeries: atanSeries(11), // to z¹¹/25: z¹²/25 < 10⁻¹⁸ (z ≤ 0.0396)
  halfSqrt2Bits: 0x3fe6a09e667f3bcdn,
};

export const FLOAT32_LANES: LaneFormat = {
  name: "float32", mantissaBits: 23, bias: 127,
  expLow: -104, expHigh: 89,
  // 16 significant bits: k·LN2_HI is exact for |k| < 2^8.
  ln2Hi: 0.693145751953125, ln2Lo: 1.428606765330187e-6,
  // Five terms where the series needs six (to 1/7!): the best fit of degree 4 to Σ for the
  // relative error of eʳ (weight r²e⁻ʳ) on |r| ≤ 0.3467, by Remez exchange; each coefficient a
  // float32, the fit within 3.7·10⁻⁹ (0.06 ulp). An exp is two operations shorter.
  expSeries: [0.4999999403953552, 0.1666652113199234, 0.041668388992547989, 0.0083687352016568184, 0.0013814560370519757],
  atanhSeries: atanhSeries(5), // to z⁵: 2z⁶/15 · s < 10⁻¹⁰
  atanSeries: atanSeries(5), // to z⁵/13: z⁶/15 < 10⁻⁹
  halfSqrt2Bits: 0x3f3504f3n,
};

export interface VectorOps {
  readonly format: LaneFormat;
  /** Every lane this number (rounded to the format). */
  num(x: number): Vec;
  /** Every lane this bit pattern (of the format's width). */
  bits(pattern: bigint): Vec;
  add(a: Vec, b: Vec): Vec;
  sub(a: Vec, b: Vec): Vec;
  mul(a: Vec, b: Vec): Vec;
  div(a: Vec, b: Vec): Vec;
  /** As Math.min and Math.max: NaN if either is NaN, and −0 < +0. */
  min(a: Vec, b: Vec): Vec;
  max(a: Vec, b: Vec): Vec;
  /** b < a ? b : a and a < b ? b : a: one instruction each, and NaN in `a` passes through. */
  pmin(a: Vec, b: Vec): Vec;
  pmax(a: Vec, b: Vec): Vec;
  abs(a: Vec): Vec;
  neg(a: Vec): Vec;
  sqrt(a: Vec): Vec;
  /** Lane masks (all ones where true); false where either side is NaN, but for `ne`. */
  lt(a: Vec, b: Vec): Vec;
  le(a: Vec, b: Vec): Vec;
  gt(a: Vec, b: Vec): Vec;
  ge(a: Vec, b: Vec): Vec;
  eq(a: Vec, b: Vec): Vec;
  ne(a: Vec, b: Vec): Vec;
  and(a: Vec, b: Vec): Vec;
  or(a: Vec, b: Vec): Vec;
  /** a & ~b. */
  andNot(a: Vec, b: Vec): Vec;
  not(a: Vec): Vec;
  /** Bitwise: the bits of `ifSet` where `mask` is 1, of `ifClear` where it is 0. */
  select(mask: Vec, ifSet: Vec, ifClear: Vec): Vec;
  /**
   * select(mask, compute(), otherwise), with compute() run only when some lane is in the mask:
   * for a slow path that the inputs activations see (|x| of a few units) never take.
   */
  rarely(mask: Vec, compute: () => Vec, otherwise: Vec): Vec;
  /**
   * compute(), or what it returned for the same key earlier where that is still in scope (not
   * inside a branch since left): eˣ and eˣ − 1 of one x share their reduction and polynomial.
   */
  memo<T>(key: string, compute: () => T): T;
  /** The lanes as integers of the format's width. */
  iadd(a: Vec, b: Vec): Vec;
  isub(a: Vec, b: Vec): Vec;
  shl(a: Vec, k: number): Vec;
  /** Logical right shift. */
  shru(a: Vec, k: number): Vec;
}

export type VectorForm = (v: VectorOps, args: readonly Vec[]) => Vec;

/** 1.5·2^mantissaBits: x + magic rounds x to an integer and leaves it in the low bits of the mantissa. */
const magic = (f: LaneFormat): number => 1.5 * 2 ** f.mantissaBits;
const signBit = (f: LaneFormat): bigint => 1n << BigInt(f.mantissaBits + (f.name === "float64" ? 11 : 8));
const exponentOne = (f: LaneFormat): bigint => BigInt(f.bias) << BigInt(f.mantissaBits);

/**
 * Σ cₖtᵏ by Estrin's scheme: pairs c₂ₖ + c₂ₖ₊₁t, then pairs of those with t², t⁴, …; the
 * dependency chain is 2·log₂(degree) operations long instead of Horner's 2·degree, which is
 * what limits a loop of independent lanes.
 */
export function polynomial(v: VectorOps, coefficients: readonly number[], t: Vec): Vec {
  let terms: Vec[] = [];
  for (let k = 0; k < coefficients.length; k += 2) {
    const c = v.num(coefficients[k]!);
    terms.push(k + 1 < coefficients.length ? v.add(c, v.mul(v.num(coefficients[k + 1]!), t)) : c);
  }
  let power = v.mul(t, t);
  while (terms.length > 1) {
    const next: Vec[] = [];
    for (let k = 0; k < terms.length; k += 2) next.push(k + 1 < terms.length ? v.add(terms[k]!, v.mul(terms[k + 1]!, power)) : terms[k]!);
    terms = next;
    if (terms.length > 1) power = v.mul(power, power);
  }
  return terms[0]!;
}

/**
 * x = k·ln 2 + r, |r| ≤ ln 2 / 2 (Cody and Waite), and eʳ − 1 = p = r + r²·Σ r^j/(j + 2)!.
 * s = 2ᵏ from its exponent bits, right while 2ᵏ is a normal number; `outside` marks the lanes
 * where it is not (eˣ subnormal, within a factor 2 of overflow, or x infinite), which the
 * callers take from `clampedExpParts` instead. A NaN x gives NaN in p, and so in the result.
 */
function expParts(v: VectorOps, x: Vec) {
  return v.memo(`exp ${x.vec}`, () => {
    const parts = expPartsOf(v, x);
    return { ...parts, outside: v.gt(v.abs(parts.k), v.num(v.format.bias - 1)) };
  });
}

/** The same for every x: clamped first, where e^expHigh overflows and e^expLow is below half the smallest subnormal. */
const clampedExpParts = (v: VectorOps, x: Vec) =>
  v.memo(`clamped exp ${x.vec}`, () => expPartsOf(v, v.pmin(v.pmax(x, v.num(v.format.expLow)), v.num(v.format.expHigh))));

function expPartsOf(v: VectorOps, x: Vec) {
  const f = v.format;
  const M = magic(f);
  const shifted = v.add(v.mul(x, v.num(Math.LOG2E)), v.num(M));
  const k = v.sub(shifted, v.num(M));
  const r = v.sub(v.sub(x, v.mul(k, v.num(f.ln2Hi))), v.mul(k, v.num(f.ln2Lo)));
  const p = v.add(r, v.mul(v.mul(r, r), polynomial(v, f.expSeries, r)));
  return { p, k, s: powerOfTwo(v, shifted) };
}

/**
 * 2ᵏ as 2^k₁ · 2^k₂ with k₁ ≈ k/2 and k₂ = k − k₁, both normal for every k the clamp allows, so
 * that a result that is subnormal is rounded once, by the last product.
 */
function splitPowerOfTwo(v: VectorOps, k: Vec): { readonly s1: Vec; readonly s2: Vec } {
  const M = magic(v.format);
  const half = v.add(v.mul(k, v.num(0.5)), v.num(M));
  const rest = v.add(v.sub(k, v.sub(half, v.num(M))), v.num(M));
  return { s1: powerOfTwo(v, half), s2: powerOfTwo(v, rest) };
}

/** 2ᵏ from k + magic (k in its low bits): k + bias shifted into the exponent field, the rest shifted out. */
const powerOfTwo = (v: VectorOps, shifted: Vec): Vec =>
  v.shl(v.iadd(shifted, v.bits(BigInt(v.format.bias))), v.format.mantissaBits);

export function vexp(v: VectorOps, x: Vec): Vec {
  const { p, s, outside } = expParts(v, x);
  return v.rarely(outside, () => {
    const { p, k } = clampedExpParts(v, x);
    const { s1, s2 } = splitPowerOfTwo(v, k);
    return v.mul(v.mul(v.add(v.num(1), p), s1), s2);
  }, v.mul(v.add(v.num(1), p), s));
}

/**
 * eˣ − 1 = (2ᵏ − 1) + 2ᵏ·p: exact in its first term while 2ᵏ − 1 is representable, below half
 * an ulp of the sum beyond, and without cancellation (p > −0.3). Where 2ᵏ is not normal, from
 * the split power: the same sum while k is small, and eˣ − 1 where 2ᵏ alone would overflow
 * before eˣ does (k = 1024 at x = 709.5).
 */
export function vexpm1(v: VectorOps, x: Vec): Vec {
  const { p, s, outside } = expParts(v, x);
  const inRange = v.add(v.sub(s, v.num(1)), v.mul(p, s));
  return keepZero(v, x, v.rarely(outside, () => {
    const { p, k } = clampedExpParts(v, x);
    const { s1, s2 } = splitPowerOfTwo(v, k);
    const small = v.add(v.sub(v.mul(s1, s2), v.num(1)), v.mul(v.mul(p, s1), s2));
    const large = v.sub(v.mul(v.mul(v.add(v.num(1), p), s1), s2), v.num(1));
    return v.select(v.gt(k, v.num(0)), large, small);
  }, inRange));
}

/**
 * log(u) + c for positive normal finite u: u = 2ᵏ·m with m in [√2/2, √2), f = m − 1 (exact), and
 * log(1 + f) = f − (f²/2 − s(f²/2 + R)), the arrangement of fdlibm's log1p that keeps the
 * rounding of each part below the leading f. `c` is a small correction added with the low part.
 */
function logCore(v: VectorOps, u: Vec, c: Vec, exponentOffset?: Vec): Vec {
  // Garbage where u is not positive, normal and finite: those lanes are taken from elsewhere.
  const F = v.format;
  const mantissaMask = (1n << BigInt(F.mantissaBits)) - 1n;
  const ix = v.iadd(u, v.bits(exponentOne(F) - F.halfSqrt2Bits));
  // The biased exponent as a float: its bits or'ed into 2^mantissaBits, less 2^mantissaBits + bias.
  const unit = 2 ** F.mantissaBits;
  const biased = v.or(v.shru(ix, F.mantissaBits), v.bits(BigInt(F.bias + F.mantissaBits) << BigInt(F.mantissaBits)));
  let k = v.sub(biased, v.num(unit + F.bias));
  if (exponentOffset !== undefined) k = v.sub(k, exponentOffset);
  const m = v.iadd(v.and(ix, v.bits(mantissaMask)), v.bits(F.halfSqrt2Bits));
  const f = v.sub(m, v.num(1));
  const s = v.div(f, v.add(v.num(2), f));
  const z = v.mul(s, s);
  const R = v.mul(z, polynomial(v, F.atanhSeries, z));
  const hfsq = v.mul(v.mul(v.num(0.5), f), f);
  const low = v.add(v.mul(s, v.add(hfsq, R)), v.add(v.mul(k, v.num(F.ln2Lo)), c));
  return v.sub(v.mul(k, v.num(F.ln2Hi)), v.sub(v.sub(hfsq, low), f));
}

/** f(±0) = ±0 (expm1, log1p): the sum that computes f loses the sign of a zero. */
const keepZero = (v: VectorOps, x: Vec, fx: Vec): Vec => v.select(v.eq(x, v.num(0)), x, fx);

/** Where log's argument is 0, negative, infinite or NaN: −∞ at ±0, and √u gives NaN, +∞, NaN. */
const logSpecial = (v: VectorOps, u: Vec): Vec => v.select(v.eq(u, v.num(0)), v.num(-Infinity), v.sqrt(u));
/** log(u) from its core where u is positive and finite, and from logSpecial (rarely) where not. */
const logOf = (v: VectorOps, u: Vec, core: Vec): Vec =>
  v.rarely(v.not(v.and(v.gt(u, v.num(0)), v.lt(u, v.num(Infinity)))), () => logSpecial(v, u), core);

export function vlog(v: VectorOps, x: Vec): Vec {
  // A subnormal x is scaled into the normal range first: 2^(p+2)·x, and p + 2 taken off the exponent.
  const F = v.format;
  const scale = F.mantissaBits + 2;
  const zero = v.num(0);
  const core = v.rarely(v.lt(x, v.num(2 ** (1 - F.bias))), () => logCore(v, v.mul(x, v.num(2 ** scale)), zero, v.num(scale)), logCore(v, x, zero));
  return logOf(v, x, core);
}

/** log1p(x) = log(u) + (x − (u − 1))/u with u = 1 + x rounded: the second term is that rounding. */
export function vlog1p(v: VectorOps, x: Vec): Vec {
  const u = v.add(v.num(1), x);
  const c = v.div(v.sub(x, v.sub(u, v.num(1))), u);
  return keepZero(v, x, logOf(v, u, logCore(v, u, c)));
}

/** The magnitude (≥ 0) with x's sign bit: odd functions computed on |x|. */
const withSignOf = (v: VectorOps, x: Vec, magnitude: Vec): Vec => v.select(v.bits(signBit(v.format)), x, magnitude);

/** |tanh x| = −t/(t + 2) with t = e^(−2|x|) − 1 in (−1, 0]: no cancellation anywhere; x's sign. */
export function vtanh(v: VectorOps, x: Vec): Vec {
  const t = vexpm1(v, v.mul(v.num(-2), v.abs(x)));
  const magnitude = v.div(v.neg(t), v.add(t, v.num(2)));
  return withSignOf(v, x, magnitude);
}

/** σ(x) = 1/(1 + e) for x ≥ 0 and e/(1 + e) below, e = e^(−|x|) ≤ 1: one exponential, no overflow. */
export function vsigmoid(v: VectorOps, x: Vec): Vec {
  const e = vexp(v, v.neg(v.abs(x)));
  return v.div(v.select(v.ge(x, v.num(0)), v.num(1), e), v.add(v.num(1), e));
}

/** log(1 + eˣ) = max(x, 0) + log1p(e^(−|x|)). */
export function vsoftplus(v: VectorOps, x: Vec): Vec {
  return v.add(v.max(x, v.num(0)), vlog1p(v, vexp(v, v.neg(v.abs(x)))));
}

/** 1, −1, or x itself (±0, NaN), as Math.sign. */
export function vsign(v: VectorOps, x: Vec): Vec {
  return v.select(v.gt(x, v.num(0)), v.num(1), v.select(v.lt(x, v.num(0)), v.num(-1), x));
}

// π/4, π/2 and π as a double and the rest (the rest of π/2 is twice that of π/4, and of π
// twice again): each constant's rounding is added where the result is formed, so it does not
// count against the result's ulp.
const QUARTER_PI_LO = 3.061616997868383e-17;

/** k·π/4 in the lanes' format, and what that rounding left out (to float64 precision). */
function quarterPis(v: VectorOps, k: 1 | 2 | 4): { readonly hi: Vec; readonly lo: Vec } {
  const value = (k * Math.PI) / 4;
  const rounded = v.format.name === "float64" ? value : Math.fround(value);
  return { hi: v.num(rounded), lo: v.num(value - rounded + k * QUARTER_PI_LO) };
}

/**
 * atan of a = |x|, reduced: |x| > 1 is taken to 1/|x| (`big`: the caller forms π/2 − atan(1/|x|)),
 * then b > tan(π/8) to (b − 1)/(b + 1) (atan = π/4 + atan(c), the π/4 with its low part), then
 * halved (atan c = 2·atan(c/(1 + √(1 + c²)))) to |c| ≤ tan(π/16), where the series is short.
 */
function atanOfMagnitude(v: VectorOps, a: Vec): { readonly big: Vec; readonly reduced: Vec } {
  const one = v.num(1);
  const big = v.gt(a, one);
  const b = v.select(big, v.div(one, a), a);
  const mid = v.gt(b, v.num(0.41421356237309503));
  const c = v.select(mid, v.div(v.sub(b, one), v.add(b, one)), b);
  const half = v.div(c, v.add(one, v.sqrt(v.add(one, v.mul(c, c)))));
  const z = v.mul(half, half);
  const series = v.add(half, v.mul(v.mul(half, z), polynomial(v, v.format.atanSeries, z)));
  const doubled = v.add(series, series);
  // π/4 + atan(c), its low part first.
  const quarter = quarterPis(v, 1);
  const reduced = v.select(mid, v.add(quarter.hi, v.add(doubled, quarter.lo)), doubled);
  return { big, reduced };
}

export function vatan(v: VectorOps, x: Vec): Vec {
  const { big, reduced } = atanOfMagnitude(v, v.abs(x));
  // π/2 − atan(1/|x|) ≥ π/4: no cancellation.
  const halfPi = quarterPis(v, 2);
  const magnitude = v.select(big, v.sub(halfPi.hi, v.sub(reduced, halfPi.lo)), reduced);
  return withSignOf(v, x, magnitude);
}

/** π/2 + atan(u) for u ≥ −1 (at least π/4 there: no cancellation), its constants' low parts included. */
export function vhalfPiPlusAtan(v: VectorOps, u: Vec): Vec {
  const { big, reduced } = atanOfMagnitude(v, v.abs(u));
  const negative = v.lt(u, v.num(0));
  // u ≥ 0: π/2 + atan u, or π − atan(1/u) when u > 1; u < 0 (|u| ≤ 1 here): π/2 − atan|u|.
  const [halfPi, pi] = [quarterPis(v, 2), quarterPis(v, 4)];
  const plus = v.select(big, v.sub(pi.hi, v.sub(reduced, pi.lo)), v.add(halfPi.hi, v.add(reduced, halfPi.lo)));
  const minus = v.sub(halfPi.hi, v.sub(reduced, halfPi.lo));
  return v.select(negative, minus, plus);
}

