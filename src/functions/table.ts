import {
  add, call, compare, cond, HALF, int, logic, mul, num, ONE, PI, pow, sub, TWO, ZERO,
} from "../ast/build.js";
import type { Expr } from "../ast/nodes.js";
import type { FnName } from "./names.js";
import * as Q from "../ast/rational.js";
import { atanRemBig, atanRemNumber, atanRemSource, atanRemVector, atanTailBig } from "./atan-rem.js";
import { ERF_SOURCE } from "./erf-source.js";
import { LOGISTIC_PDF_SOURCE, logisticPdfBig, logisticPdfNumber, logisticPdfVector } from "./logistic.js";
import { TANHSHRINK_SOURCE, tanhshrinkBig, tanhshrinkNumber, tanhshrinkVector } from "./tanhshrink.js";
import {
  ERFC_SOURCE, erfc, erfcBigAll, erfcVector, NORMAL_CDF_SOURCE, NORMAL_PDF_SOURCE, normalCdf, normalCdfBig, normalCdfVector, normalPdf, normalPdfBig, normalPdfVector,
} from "./normal.js";
import {
  polynomial, vatan, vexp, vexpm1, vhalfPiPlusAtan, vlog, vlog1p, vsigmoid, vsign, vsoftplus, vtanh, type VectorForm, type VectorOps, type Vec,
} from "./vector.js";
import { bigContext, erfBig, expm1Big, loadMathjs, log1pBig, type Big, type BigContext } from "../numeric/big.js";

/**
 * Everything actdiff knows about a builtin function lives in its entry here: arity, outer
 * derivative, kink convention, exact folds, float64 and high-precision evaluation, LaTeX and
 * JavaScript. `diff`, `simplify`, `codegen` and `verify` read this table and nothing else, so a
 * new function is one entry (and does not type-check until the entry is complete).
 */
/** Standalone JavaScript for a builtin, as `function h_<name>(params) { body }`. */
export interface HelperSource {
  readonly params: readonly string[];
  /** Statements of the body, without indentation. */
  readonly body: readonly string[];
}

interface FnSpecCommon {
  readonly arity: number;
  /** Other spellings accepted by the parser (`ln` for `log`). */
  readonly aliases?: readonly string[];
  /**
   * The name is the function only where it is called: elsewhere it may be an input or a
   * parameter (papers name parameters phi; `f(x; phi = 1) = phi * x` stays valid).
   */
  readonly nameMayBeSymbol?: boolean;
  readonly summary: string;
  /**
   * ∂f/∂argᵢ as an expression in the arguments: only the outer derivative; `diff` applies the
   * chain rule. Where f is not differentiable the value follows PyTorch (see `kink`).
   */
  readonly derivative: (args: readonly Expr[], i: number) => Expr;
  /** The convention at non-differentiable points, written down for the docs. */
  readonly kink?: string;
  /** Exact value for exact arguments where one exists (exp(0) = 1); undefined otherwise. */
  readonly fold?: (args: readonly Q.Rational[]) => Expr | undefined;
  /** float64 evaluation in its numerically stable form. */
  readonly evaluate: (...args: number[]) => number;
  /** High-precision reference evaluation (mathjs BigNumber). */
  readonly evaluateBig: (D: BigContext, args: readonly Big[]) => Big;
  /**
   * evaluateBig never rounds: on exact arguments it gives the exact value (it selects one of them,
   * or an integer). The precision ladder then knows a sum of such values that comes out 0 is truly
   * 0 (x_max − max(x) in a max-shifted softmax) and cannot be hiding digits.
   */
  readonly exactBig?: true;
  /** LaTeX, given the arguments already rendered; `wrap` parenthesises an argument list. */
  readonly latex: (args: readonly string[], wrap: (inner: string) => string) => string;
  /** How tightly the LaTeX binds: `atom` (default), `power` (e^{u}) or `sum` (e^{u} - 1). */
  readonly latexBinding?: "atom" | "power" | "sum";
  /**
   * Parameters a call may give after its arguments, by name or in order (softplus(x; beta = 2),
   * as torch's): each with its default, `undefined` for "none" (the feature it controls is off).
   * `expand` writes the call in builtins; a call that gives none of them is the builtin itself.
   */
  readonly parameters?: BuiltinParameters;
  /** Over float64 lanes, for the WebAssembly SIMD kernels; without it those kernels refuse the function. */
  readonly simd?: VectorForm;
}

export interface BuiltinParameters {
  readonly names: readonly string[];
  readonly defaults: readonly (Expr | undefined)[];
  readonly expand: (args: readonly Expr[], values: readonly (Expr | undefined)[]) => Expr;
}

/**
 * How generated code computes the function: inline JavaScript, or a call of `evaluate` (bound as
 * h_<name>), whose standalone `source` emitted modules (which import nothing) carry instead. The
 * source performs the same operations in the same order as `evaluate`, bit for bit
 * (test/codegen/emit.test.ts); it is text and not `evaluate.toString()` because that text depends
 * on how the package was built, and erf's evaluate calls into mathjs.
 */
export type FnSpec = FnSpecCommon & (
  | { readonly js: (args: readonly string[]) => string; readonly source?: undefined }
  | { readonly js?: undefined; readonly source: HelperSource }
);

const [u0] = [0];
const arg = (args: readonly Expr[]): Expr => args[u0]!;
const isZero = (r: Q.Rational | undefined): boolean => r !== undefined && Q.isZero(r);
const foldAtZero = (value: Expr) => (args: readonly Q.Rational[]) => (isZero(args[0]) ? value : undefined);
const math = (name: string) => (a: readonly string[]) => `Math.${name}(${a.join(", ")})`;
const named = (command: string) => (a: readonly string[], wrap: (s: string) => string) => `${command}${wrap(a.join(", "))}`;
const operatorName = (text: string) => named(`\\operatorname{${text}}`);

/**
 * Below this σ(x) is computed as e^x/(1 + e^x), above it as 1/(1 + e^(−x)). Both are accurate
 * wherever they do not overflow; the switch must come before e^(−x) overflows (x = −709.78) and
 * is put where 1 + e^x is exactly 1 (e^−40 < 2^−57), so the tail form is e^x to the last bit.
 * Far below 0 rather than at 0, so that on the inputs activations see (|x| of a few units) the
 * branch is always the same one and predicted: a branch on the sign of x costs 1.3× here.
 * src/stable shares one exponential between σ(v) and σ(−v) with the same switch.
 */
export const SIGMOID_TAIL = -40;

/**
 * From this |x| on, tanh x is computed as sign(x)·(1 − e)/(1 + e) with e = e^(−2|x|): no
 * cancellation there (e ≤ e^−1.1 < 1/3), at most 2.3 ulps. Below it, Math.tanh. The e is the one
 * 1 − tanh² = 4e/(1 + e)² needs, so src/stable computes tanh and tanh′ from one exponential.
 */
export const TANH_EXP_FROM = 0.55;

/**
 * Below this, eˣ − 1 is computed as Math.exp(x) − 1: eˣ ≤ e^−0.7 < 1/2 there, so the subtraction
 * does not cancel (the error of eˣ is below half an ulp of the result, at most 1 ulp in all).
 * That eˣ is the one the derivative eˣ needs, so src/stable computes elu and elu′ together from
 * one exponential where x is below this: the fused kernel 1.25× faster, for elu alone 1.06×
 * slower, the cost of the test (both measured side by side on the benchmark's inputs). Above it,
 * Math.expm1. The vector form needs neither: its exp and expm1 of one x share their reduction and
 * polynomial anyway.
 */
export const EXPM1_EXP_BELOW = -0.7;

function expm1Number(x: number): number {
  return x < EXPM1_EXP_BELOW ? Math.exp(x) - 1 : Math.expm1(x);
}

function tanhNumber(x: number): number {
  const a = Math.abs(x);
  if (a < TANH_EXP_FROM) return Math.tanh(x);
  const e = Math.exp(-2 * a);
  return Math.sign(x) * (1 - e) / (1 + e);
}

function sigmoidNumber(x: number): number {
  if (x < SIGMOID_TAIL) {
    const e = Math.exp(x);
    return e / (1 + e);
  }
  return 1 / (1 + Math.exp(-x));
}

function softplusNumber(x: number): number {
  // log(1 + e^x) = max(x, 0) + log1p(e^(-|x|)): finite for every finite x.
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

function sigmoidBig(D: BigContext, x: Big): Big {
  if (x.isNegative()) {
    const e = x.exp();
    return e.div(e.add(1));
  }
  return new D(1).div(x.neg().exp().add(1));
}

function softplusBig(D: BigContext, x: Big): Big {
  return x.isNegative() ? log1pBig(D, x.exp()) : x.add(log1pBig(D, x.neg().exp()));
}

// decimal.js's own sinh/cosh/tanh take time that grows with |x| (seconds at 1e5, unbounded at
// 1e6); from |x| = 1 on, the exp forms are as accurate (no cancellation) and take microseconds.
const sinhBig = (x: Big): Big => (x.abs().lt(1) ? x.sinh() : x.exp().sub(x.neg().exp()).div(2));
const coshBig = (x: Big): Big => (x.abs().lt(1) ? x.cosh() : x.exp().add(x.neg().exp()).div(2));
function tanhBig(x: Big): Big {
  if (x.abs().lt(1)) return x.tanh();
  const e = x.abs().mul(-2).exp(); // tanh|x| = (1 − e^(−2|x|)) / (1 + e^(−2|x|))
  const t = e.neg().add(1).div(e.add(1));
  return x.isNegative() ? t.neg() : t;
}

/**
 * atan_tail(u) = π/2 + atan(u) + u/(1 + u²) = ∫₋∞ᵘ 2/(1 + t²)² dt: xwish′ is atan_tail(βx)/π.
 * As u → −∞ the three terms cancel to ≈ 2/(3|u|³), so for u < −1 it is evaluated from its tail
 * series instead: with s = 1/u², atan_tail(u) = −P(s)/u³ where
 *   P(s) = (atan(√s) − √s/(1 + s))/s^(3/2) = Σₖ (−1)ᵏ (2k + 2)/(2k + 3) sᵏ   (0 < s ≤ 1),
 * P by polynomials fitted to it (Chebyshev interpolation at 30 nodes in 80-digit arithmetic,
 * truncated where the next coefficient is below 1e-19, then written in monomials; `npm run fits`
 * reruns it, scripts/fits/atan_tail.py): one in s on s ≤ 1/4 (u ≤ −2), one in
 * t = (8s − 5)/3 on 1/4 < s ≤ 1 (−2 < u < −1), where the Taylor
 * coefficients (all ≈ ±1) would cancel. For −1 ≤ u < 0, π/2 + atan(u) = −atan(1/u) leaves a
 * mild cancellation (the terms are at most 3.5 times the sum); for u ≥ 0 nothing cancels.
 */
export const ATAN_TAIL_NEAR = [
  0.6666666666666666, -0.7999999999999999, 0.8571428571428459, -0.8888888888873635, 0.9090909089819987, -0.9230769183659403,
  0.9333331992486633, -0.9411738252386199, 0.9473310052039836, -0.9519934026752669, 0.9535469630247357, -0.9430105178517397,
  0.8909954770618658, -0.7416062218221119, 0.4633366549777345, -0.15475346604297335,
];
export const ATAN_TAIL_MID = [
  0.36927270979370624, -0.105126503903093, 0.02640973910164838, -0.006386400719075906, 0.0015184166425890066,
  -0.00035775409731059817, 0.00008383226629884979, -0.000019574964213825322, 0.000004559684225070033,
  -0.0000010602563818506293, 2.4622071227801435e-7, -5.712293068749689e-8, 1.3242205922577822e-8, -3.0675215643822814e-9,
  7.102956093583632e-10, -1.6491510864871692e-10, 3.81804776485737e-11, -8.430991948619046e-12, 1.939931084053004e-12,
  -6.267809644684657e-13, 1.4687416093775911e-13,
];

/**
 * The fitted polynomials: c₀ + t(c₁ + t·E) with E the rest by Estrin's scheme, as `polynomial` in
 * vector.ts computes it (pairs c₂ₖ + c₂ₖ₊₁t, then pairs of those with t², t⁴, …). Written out
 * for the tables' lengths, 16 and 21: the dependency chain is 13 operations instead of Horner's
 * 32, and a loop over the coefficients costs more than the arithmetic (atan_tail alone 1.2× faster
 * on [−8, 8], 1.7× below −2, measured side by side). The two leading terms by Horner's rule keep
 * Horner's accuracy, which Estrin's alone misses by an ulp near u = −1.
 */
const pair = (c: readonly number[], k: number, t: number): number => c[k]! + c[k + 1]! * t;
const four = (c: readonly number[], k: number, t: number, t2: number): number => pair(c, k, t) + pair(c, k + 2, t) * t2;
const eight = (c: readonly number[], k: number, t: number, t2: number, t4: number): number =>
  four(c, k, t, t2) + four(c, k + 4, t, t2) * t4;
const leadingByHorner = (c: readonly number[], t: number, rest: number): number => (rest * t + c[1]!) * t + c[0]!;

/** ATAN_TAIL_NEAR's c₂ … c₁₅ by Estrin: 14 coefficients. */
function atanTailNear(s: number): number {
  const c = ATAN_TAIL_NEAR;
  const s2 = s * s;
  const s4 = s2 * s2;
  return leadingByHorner(c, s, eight(c, 2, s, s2, s4) + (four(c, 10, s, s2) + pair(c, 14, s) * s4) * (s4 * s4));
}

/** ATAN_TAIL_MID's c₂ … c₂₀ by Estrin: 19 coefficients. */
function atanTailMid(t: number): number {
  const c = ATAN_TAIL_MID;
  const t2 = t * t;
  const t4 = t2 * t2;
  const t8 = t4 * t4;
  return leadingByHorner(c, t, (eight(c, 2, t, t2, t4) + eight(c, 10, t, t2, t4) * t8) + (pair(c, 18, t) + c[20]! * t2) * (t8 * t8));
}

if (ATAN_TAIL_NEAR.length !== 16 || ATAN_TAIL_MID.length !== 21) throw new Error("internal error: atanTailNear and atanTailMid are written out for 16 and 21 coefficients");

function atanTailNumber(u: number): number {
  if (!(u < -1)) {
    // u/(1 + u²) is below 1e-150 of π/2 + atan(u) past 1e150, where u² would overflow.
    if (u > 1e150) return Math.PI / 2 + Math.atan(u);
    return u < 0 ? -Math.atan(1 / u) + u / (1 + u * u) : Math.PI / 2 + Math.atan(u) + u / (1 + u * u);
  }
  const u2 = u * u;
  const s = 1 / u2;
  const p = s <= 0.25 ? atanTailNear(s) : atanTailMid((8 * s - 5) / 3);
  return -p / (u2 * u);
}

/** atanTailNear and atanTailMid as JavaScript, `p = …`: the powers t2, t4, … as statements, then the sum. */
function leadingByHornerJs(c: readonly number[], t: string): string[] {
  let terms = [];
  for (let k = 2; k < c.length; k += 2) terms.push(k + 1 < c.length ? `(${c[k]} + ${c[k + 1]} * ${t})` : String(c[k]));
  const lines: string[] = [];
  for (let power = 2, previous = t; terms.length > 1; previous = `${t}${power}`, power *= 2) {
    lines.push(`const ${t}${power} = ${previous} * ${previous};`);
    const next: string[] = [];
    for (let k = 0; k < terms.length; k += 2) next.push(k + 1 < terms.length ? `(${terms[k]} + ${terms[k + 1]} * ${t}${power})` : terms[k]!);
    terms = next;
  }
  return [...lines, `p = (${terms[0]} * ${t} + ${c[1]}) * ${t} + ${c[0]};`];
}

/** The same operations as atanTailNumber, as standalone JavaScript (emitted modules). */
function atanTailSource(): HelperSource {
  return {
    params: ["u"],
    body: [
      "// π/2 + atan(u) + u/(1 + u²) without cancellation: as written above u = -1, a fitted polynomial in 1/u² below.",
      "if (!(u < -1)) {",
      "  if (u > 1e150) return Math.PI / 2 + Math.atan(u);",
      "  return u < 0 ? -Math.atan(1 / u) + u / (1 + u * u) : Math.PI / 2 + Math.atan(u) + u / (1 + u * u);",
      "}",
      "const u2 = u * u;",
      "const s = 1 / u2;",
      "let p;",
      "if (s <= 0.25) {",
      ...leadingByHornerJs(ATAN_TAIL_NEAR, "s").map((l) => `  ${l}`),
      "} else {",
      "  const t = (8 * s - 5) / 3;",
      ...leadingByHornerJs(ATAN_TAIL_MID, "t").map((l) => `  ${l}`),
      "}",
      "return -p / (u2 * u);",
    ],
  };
}

/**
 * The same pieces over vector lanes, each computed and the right one selected: π/2 + atan(u) +
 * u/(1 + u²) from u = −1 on (vhalfPiPlusAtan: no cancellation in the first two terms), and
 * −P(s)/u³ below, P one of the two fitted polynomials by s.
 */
const atanTailVector: VectorForm = (v: VectorOps, [u]: readonly Vec[]) => {
  const x = u!;
  const one = v.num(1);
  const u2 = v.mul(x, x);
  // Where u² overflows, u/(1 + u²) is below an ulp of the rest (and ∞/∞ at u = ∞).
  const huge = v.num(v.format.name === "float64" ? 1e150 : 1e18);
  const ratio = v.select(v.gt(x, huge), v.num(0), v.div(x, v.add(one, u2)));
  const head = v.add(vhalfPiPlusAtan(v, x), ratio);
  const s = v.div(one, u2);
  const near = polynomial(v, ATAN_TAIL_NEAR, s);
  const mid = polynomial(v, ATAN_TAIL_MID, v.div(v.sub(v.mul(v.num(8), s), v.num(5)), v.num(3)));
  const tail = v.div(v.neg(v.select(v.le(s, v.num(0.25)), near, mid)), v.mul(u2, x));
  return v.select(v.lt(x, v.num(-1)), tail, head);
};

/** Gradient routing at ties of min/max: PyTorch's minimum/maximum split it evenly. */
function tieSplit(op: "<" | ">", args: readonly Expr[], i: number): Expr {
  const [self, other] = i === 0 ? [args[0]!, args[1]!] : [args[1]!, args[0]!];
  return cond(compare(op, self, other), ONE, cond(compare("==", self, other), HALF, ZERO));
}

export const functions = {
  exp: {
    arity: 1, summary: "e^u",
    simd: (v, [x]) => vexp(v, x!),
    derivative: (a) => call("exp", [arg(a)]), // d/du e^u = e^u
    fold: foldAtZero(ONE),
    evaluate: Math.exp, evaluateBig: (_D, [x]) => x!.exp(),
    latex: ([u]) => `e^{${u}}`, latexBinding: "power", js: math("exp"),
  },
  log: {
    arity: 1, aliases: ["ln"], summary: "natural logarithm",
    simd: (v, [x]) => vlog(v, x!),
    derivative: (a) => pow(arg(a), int(-1)), // d/du ln u = 1/u
    fold: ([x]) => (x && Q.isOne(x) ? ZERO : undefined),
    evaluate: Math.log, evaluateBig: (_D, [x]) => x!.ln(),
    latex: named("\\ln"), js: math("log"),
  },
  log1p: {
    arity: 1, summary: "ln(1 + u), accurate for small u",
    simd: (v, [x]) => vlog1p(v, x!),
    derivative: (a) => pow(add(ONE, arg(a)), int(-1)), // d/du ln(1 + u) = 1/(1 + u)
    fold: foldAtZero(ZERO),
    evaluate: Math.log1p, evaluateBig: (D, [x]) => log1pBig(D, x!),
    latex: ([u], wrap) => `\\ln${wrap(u!.startsWith("-") ? `1 - ${u!.slice(1)}` : `1 + ${u}`)}`, js: math("log1p"),
  },
  expm1: {
    arity: 1, summary: "e^u - 1, accurate for small u",
    simd: (v, [x]) => vexpm1(v, x!),
    derivative: (a) => call("exp", [arg(a)]), // d/du (e^u - 1) = e^u
    fold: foldAtZero(ZERO),
    evaluate: expm1Number, evaluateBig: (D, [x]) => expm1Big(D, x!),
    latex: ([u]) => `e^{${u}} - 1`, latexBinding: "sum",
    source: {
      params: ["x"],
      body: [
        `// Math.exp(x) - 1 below ${EXPM1_EXP_BELOW}, where it does not cancel (and e^x is shared with a derivative); Math.expm1 above.`,
        `return x < ${EXPM1_EXP_BELOW} ? Math.exp(x) - 1 : Math.expm1(x);`,
      ],
    },
  },
  sqrt: {
    arity: 1, summary: "square root",
    simd: (v, [x]) => v.sqrt(x!),
    derivative: (a) => mul(HALF, pow(call("sqrt", [arg(a)]), int(-1))), // d/du √u = 1/(2√u)
    fold: ([x]) => {
      const r = x && Q.exactRoot(x, 2);
      return r ? num(r) : undefined;
    },
    evaluate: Math.sqrt, evaluateBig: (_D, [x]) => x!.sqrt(),
    latex: ([u]) => `\\sqrt{${u}}`, js: math("sqrt"),
  },
  abs: {
    arity: 1, summary: "absolute value",
    simd: (v, [x]) => v.abs(x!),
    derivative: (a) => call("sign", [arg(a)]), // d/du |u| = sgn(u)
    kink: "abs'(0) = 0, as torch.abs (its gradient is sgn(u), and sgn(0) = 0).",
    fold: ([x]) => (x ? num(Q.isNegative(x) ? Q.neg(x) : x) : undefined),
    evaluate: Math.abs, evaluateBig: (_D, [x]) => x!.abs(), exactBig: true,
    latex: ([u]) => `\\left|${u}\\right|`, js: math("abs"),
  },
  sign: {
    arity: 1, summary: "sign: -1, 0 or 1",
    simd: (v, [x]) => vsign(v, x!),
    derivative: () => ZERO, // d/du sgn(u) = 0 (a.e.)
    kink: "sign'(0) = 0, as torch.sign (zero gradient everywhere).",
    fold: ([x]) => (x ? int(Math.sign(Number(x.n))) : undefined),
    evaluate: (x) => (x > 0 ? 1 : x < 0 ? -1 : x), evaluateBig: (D, [x]) => new D(x!.isZero() ? 0 : x!.isNegative() ? -1 : 1), exactBig: true,
    latex: operatorName("sgn"),
    source: {
      params: ["x"],
      // sign(±0) = ±0 and sign(NaN) = NaN, as Math.sign.
      body: ["return x > 0 ? 1 : x < 0 ? -1 : x;"],
    },
  },
  min: {
    arity: 2, summary: "the smaller of two values",
    simd: (v, [a, b]) => v.min(a!, b!),
    derivative: (a, i) => tieSplit("<", a, i), // ∂/∂a min(a, b) = [a < b] + ½[a = b]
    kink: "At a tie min(a, b) passes half the gradient to each argument, as torch.minimum.",
    fold: ([x, y]) => (x && y ? num(Q.compare(x, y) <= 0 ? x : y) : undefined),
    evaluate: Math.min, evaluateBig: (D, [x, y]) => D.min(x!, y!), exactBig: true,
    latex: named("\\min"), js: math("min"),
  },
  max: {
    arity: 2, summary: "the larger of two values",
    simd: (v, [a, b]) => v.max(a!, b!),
    derivative: (a, i) => tieSplit(">", a, i), // ∂/∂a max(a, b) = [a > b] + ½[a = b]
    kink: "At a tie max(a, b) passes half the gradient to each argument, as torch.maximum.",
    fold: ([x, y]) => (x && y ? num(Q.compare(x, y) >= 0 ? x : y) : undefined),
    evaluate: Math.max, evaluateBig: (D, [x, y]) => D.max(x!, y!), exactBig: true,
    latex: named("\\max"), js: math("max"),
  },
  clip: {
    arity: 3, summary: "clip(u, lo, hi) = min(max(u, lo), hi)",
    simd: (v, [x, lo, hi]) => v.min(v.max(x!, lo!), hi!),
    derivative: ([u, lo, hi], i) =>
      i === 0 ? cond(logic("and", [compare(">=", u!, lo!), compare("<=", u!, hi!)]), ONE, ZERO) // 1 on [lo, hi]
        // The lower bound is taken below it, unless the upper one caps it (lo > hi gives hi); the
        // upper bound is taken above it, and everywhere when lo > hi.
        : i === 1 ? cond(logic("and", [compare("<", u!, lo!), compare("<=", lo!, hi!)]), ONE, ZERO)
          : cond(logic("or", [compare(">", u!, hi!), compare(">", lo!, hi!)]), ONE, ZERO),
    kink: "clip'(u) = 1 on the closed interval [lo, hi] (both ends included), as torch.clamp.",
    // min(max(x, lo), hi) exactly as evaluated, also when lo > hi (then it is hi, as torch.clamp)
    fold: ([x, lo, hi]) => {
      if (!x || !lo || !hi) return undefined;
      const above = Q.compare(x, lo) < 0 ? lo : x;
      return num(Q.compare(above, hi) > 0 ? hi : above);
    },
    evaluate: (x, lo, hi) => Math.min(Math.max(x, lo), hi),
    evaluateBig: (D, [x, lo, hi]) => D.min(D.max(x!, lo!), hi!), exactBig: true,
    latex: operatorName("clip"),
    source: {
      params: ["x", "lo", "hi"],
      body: ["return Math.min(Math.max(x, lo), hi);"],
    },
  },
  sin: {
    arity: 1, summary: "sine",
    derivative: (a) => call("cos", [arg(a)]), // d/du sin u = cos u
    fold: foldAtZero(ZERO),
    evaluate: Math.sin, evaluateBig: (_D, [x]) => x!.sin(), latex: named("\\sin"), js: math("sin"),
  },
  cos: {
    arity: 1, summary: "cosine",
    derivative: (a) => mul(int(-1), call("sin", [arg(a)])), // d/du cos u = -sin u
    fold: foldAtZero(ONE),
    evaluate: Math.cos, evaluateBig: (_D, [x]) => x!.cos(), latex: named("\\cos"), js: math("cos"),
  },
  tan: {
    arity: 1, summary: "tangent",
    derivative: (a) => add(ONE, pow(call("tan", [arg(a)]), TWO)), // d/du tan u = 1 + tan²u
    fold: foldAtZero(ZERO),
    evaluate: Math.tan, evaluateBig: (_D, [x]) => x!.tan(), latex: named("\\tan"), js: math("tan"),
  },
  atan: {
    arity: 1, aliases: ["arctan"], summary: "inverse tangent",
    derivative: (a) => pow(add(ONE, pow(arg(a), TWO)), int(-1)), // d/du atan u = 1/(1 + u²)
    fold: foldAtZero(ZERO),
    evaluate: Math.atan, evaluateBig: (_D, [x]) => x!.atan(), latex: named("\\arctan"), js: math("atan"),
    simd: (v, [x]) => vatan(v, x!),
  },
  sinh: {
    arity: 1, summary: "hyperbolic sine",
    derivative: (a) => call("cosh", [arg(a)]), // d/du sinh u = cosh u
    fold: foldAtZero(ZERO),
    evaluate: Math.sinh, evaluateBig: (_D, [x]) => sinhBig(x!), latex: named("\\sinh"), js: math("sinh"),
  },
  cosh: {
    arity: 1, summary: "hyperbolic cosine",
    derivative: (a) => call("sinh", [arg(a)]), // d/du cosh u = sinh u
    fold: foldAtZero(ONE),
    evaluate: Math.cosh, evaluateBig: (_D, [x]) => coshBig(x!), latex: named("\\cosh"), js: math("cosh"),
  },
  tanh: {
    arity: 1, summary: "hyperbolic tangent, (e^u - e^-u)/(e^u + e^-u)",
    simd: (v, [x]) => vtanh(v, x!),
    derivative: (a) => sub(ONE, pow(call("tanh", [arg(a)]), TWO)), // d/du tanh u = 1 - tanh²u
    fold: foldAtZero(ZERO),
    evaluate: tanhNumber, evaluateBig: (_D, [x]) => tanhBig(x!), latex: named("\\tanh"),
    source: {
      params: ["x"],
      body: [
        `// Math.tanh near 0; sign(x)(1 - e)/(1 + e), e = e^(-2|x|), from |x| = ${TANH_EXP_FROM} on (no cancellation there).`,
        "const a = Math.abs(x);",
        `if (a < ${TANH_EXP_FROM}) return Math.tanh(x);`,
        "const e = Math.exp(-2 * a);",
        "return Math.sign(x) * (1 - e) / (1 + e);",
      ],
    },
  },
  erf: {
    arity: 1, summary: "error function",
    derivative: (a) => mul(TWO, pow(call("sqrt", [PI]), int(-1)), call("exp", [mul(int(-1), pow(arg(a), TWO))])), // d/du erf u = 2/√π e^(-u²)
    fold: foldAtZero(ZERO),
    evaluate: (x) => loadMathjs().erf(x) as number, evaluateBig: (D, [x]) => erfBig(D, x!),
    latex: operatorName("erf"),
    source: ERF_SOURCE,
  },
  erfc: {
    arity: 1, summary: "complementary error function 1 − erf(u), accurate where erf(u) is near 1",
    simd: erfcVector,
    derivative: (a) => mul(int(-2), pow(call("sqrt", [PI]), int(-1)), call("exp", [mul(int(-1), pow(arg(a), TWO))])), // d/du erfc u = −2/√π e^(−u²)
    fold: foldAtZero(ONE),
    evaluate: erfc, evaluateBig: (D, [x]) => erfcBigAll(D, x!),
    latex: operatorName("erfc"), source: ERFC_SOURCE,
  },
  Phi: {
    arity: 1, aliases: ["Φ", "normal_cdf"], nameMayBeSymbol: true, summary: "standard normal cdf Φ(u) = erfc(−u/√2)/2 (gelu = x·Φ(x))",
    simd: normalCdfVector,
    derivative: (a) => call("phi", [arg(a)]), // d/du Φ(u) = φ(u)
    fold: foldAtZero(HALF),
    evaluate: normalCdf, evaluateBig: (D, [x]) => normalCdfBig(D, x!),
    latex: named("\\Phi"), source: NORMAL_CDF_SOURCE,
  },
  phi: {
    arity: 1, aliases: ["φ", "normal_pdf"], nameMayBeSymbol: true, summary: "standard normal density φ(u) = e^(−u²/2)/√(2π)",
    simd: normalPdfVector,
    derivative: (a) => mul(int(-1), arg(a), call("phi", [arg(a)])), // d/du φ(u) = −u·φ(u)
    fold: foldAtZero(pow(call("sqrt", [mul(TWO, PI)]), int(-1))),
    evaluate: normalPdf, evaluateBig: (D, [x]) => normalPdfBig(D, x!),
    latex: named("\\phi"), source: NORMAL_PDF_SOURCE,
  },
  sigmoid: {
    arity: 1, aliases: ["σ", "logistic"], summary: "logistic sigmoid, 1/(1 + e^-u)",
    simd: (v, [x]) => vsigmoid(v, x!),
    derivative: (a) => mul(call("sigmoid", [arg(a)]), sub(ONE, call("sigmoid", [arg(a)]))), // σ' = σ(1 - σ)
    fold: foldAtZero(HALF),
    evaluate: sigmoidNumber, evaluateBig: (D, [x]) => sigmoidBig(D, x!),
    latex: named("\\sigma"),
    source: {
      params: ["x"],
      body: [
        "// e^x/(1 + e^x) only far below 0, where e^(-x) would overflow: one predictable branch.",
        `if (x < ${SIGMOID_TAIL}) {`,
        "  const e = Math.exp(x);",
        "  return e / (1 + e);",
        "}",
        "return 1 / (1 + Math.exp(-x));",
      ],
    },
  },
  softplus: {
    arity: 1, summary: "softplus, ln(1 + e^u)",
    simd: (v, [x]) => vsoftplus(v, x!),
    derivative: (a) => call("sigmoid", [arg(a)]), // d/du ln(1 + e^u) = σ(u)
    fold: foldAtZero(call("log", [TWO])),
    evaluate: softplusNumber, evaluateBig: (D, [x]) => softplusBig(D, x!),
    // torch.nn.functional.softplus(x, beta, threshold): softplus(βx)/β, and x where βx > threshold,
    // with the smooth branch at βx = threshold (torch's forward and backward both test βx > threshold).
    // threshold = none (no switch) is the default: actdiff's softplus is exact where torch's is x.
    parameters: {
      names: ["beta", "threshold"], defaults: [ONE, undefined],
      expand: ([u], [beta, threshold]) => {
        const scaled = mul(beta!, u!);
        const smooth = mul(call("softplus", [scaled]), pow(beta!, int(-1)));
        return threshold === undefined ? smooth : cond(compare(">", scaled, threshold), u!, smooth);
      },
    },
    latex: operatorName("softplus"),
    source: {
      params: ["x"],
      body: [
        "// log(1 + e^x) = max(x, 0) + log1p(e^(-|x|)): finite for every finite x.",
        "return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));",
      ],
    },
  },
  tanhshrink: {
    arity: 1, summary: "u − tanh(u) (torch's tanhshrink), accurate near 0 where it is ≈ u³/3",
    simd: tanhshrinkVector,
    derivative: (a) => pow(call("tanh", [arg(a)]), TWO), // d/du (u − tanh u) = tanh²u
    fold: foldAtZero(ZERO),
    evaluate: tanhshrinkNumber, evaluateBig: (D, [x]) => tanhshrinkBig(D, x!, tanhBig),
    latex: operatorName("tanhshrink"), source: TANHSHRINK_SOURCE,
  },
  logistic_pdf: {
    arity: 1, aliases: ["dsigmoid"], summary: "logistic density σ(u)(1 − σ(u)) = σ′(u), the pdf whose cdf is σ; accurate in both tails",
    simd: logisticPdfVector,
    // d/du σ(u)σ(−u) = σ′(u)(1 − 2σ(u)) = −tanh(u/2)·σ′(u): tanh does not cancel where 1 − 2σ would.
    derivative: (a) => mul(int(-1), call("tanh", [mul(HALF, arg(a))]), call("logistic_pdf", [arg(a)])),
    fold: foldAtZero(num(Q.rational(1n, 4n))),
    evaluate: logisticPdfNumber, evaluateBig: (D, [x]) => logisticPdfBig(D, x!),
    latex: operatorName("logistic\\_pdf"), source: LOGISTIC_PDF_SOURCE,
  },
  atan_tail: {
    arity: 1, summary: "π/2 + atan(u) + u/(1 + u²), accurate as u → −∞ (≈ 2/(3|u|³)); xwish′ = atan_tail(βx)/π",
    derivative: (a) => mul(TWO, pow(add(ONE, pow(arg(a), TWO)), int(-2))), // d/du atan_tail(u) = 2/(1 + u²)²
    fold: foldAtZero(mul(HALF, PI)),
    evaluate: atanTailNumber, evaluateBig: (D, [x]) => atanTailBig(D, x!),
    latex: operatorName("atan\\_tail"), source: atanTailSource(), simd: atanTailVector,
  },
  atan_rem: {
    arity: 1, summary: "atan(v) − v/(1 + v²), accurate as v → 0 (≈ 2v³/3): π/2 + atan(u) and atan_tail(u) from v = min(|u|, 1/|u|)",
    derivative: (a) => mul(TWO, pow(arg(a), TWO), pow(add(ONE, pow(arg(a), TWO)), int(-2))), // d/dv = 2v²/(1 + v²)²
    fold: foldAtZero(ZERO),
    evaluate: atanRemNumber, evaluateBig: (D, [x]) => atanRemBig(D, x!),
    latex: operatorName("atan\\_rem"), source: atanRemSource(), simd: atanRemVector,
  },
  delta: {
    arity: 2, summary: "Kronecker delta of two indices: 1 if i = j, else 0",
    derivative: () => ZERO, // an index is not differentiated
    fold: ([i, j]) => (i && j ? (Q.equals(i, j) ? ONE : ZERO) : undefined),
    evaluate: (i, j) => (i === j ? 1 : 0), evaluateBig: (D, [i, j]) => new D(i!.eq(j!) ? 1 : 0), exactBig: true,
    latex: ([i, j]) => (/^[A-Za-z]$/.test(i!) && /^[A-Za-z]$/.test(j!) ? `\\delta_{${i}${j}}` : `\\delta_{${i}, ${j}}`),
    js: ([i, j]) => `(+(${i} === ${j}))`,
  },
  floor: {
    arity: 1, summary: "the largest integer ≤ u (index arithmetic: the group of element j is floor(j / k))",
    derivative: () => ZERO, // d/du ⌊u⌋ = 0 (a.e.)
    kink: "floor'(u) = 0 everywhere, also at the integers, as torch.floor.",
    fold: ([x]) => (x ? num(Q.rational(x.n >= 0n ? x.n / x.d : -((-x.n + x.d - 1n) / x.d))) : undefined),
    evaluate: Math.floor, evaluateBig: (_D, [x]) => x!.floor(), exactBig: true,
    latex: ([u]) => `\\lfloor ${u} \\rfloor`, js: math("floor"),
  },
} satisfies Record<FnName, FnSpec>;

export type { FnName } from "./names.js";

export const fnSpec = (name: FnName): FnSpec => functions[name];

const byName = new Map<string, FnName>();
for (const [name, spec] of Object.entries(functions) as [FnName, FnSpec][]) {
  byName.set(name, name);
  for (const alias of spec.aliases ?? []) byName.set(alias, name);
}

/** Resolves a name or alias (`ln`, `arctan`, `σ`) to its builtin, if any. */
export const lookupFunction = (name: string): FnName | undefined => byName.get(name);
export const functionNames = (): string[] => [...byName.keys()];

/** A builtin's name that cannot be a symbol (an input, a parameter, a bare name): all but phi and Phi themselves. */
export const isReservedFunctionName = (name: string): boolean => {
  const fn = byName.get(name);
  return fn !== undefined && !((functions[fn] as FnSpec).nameMayBeSymbol === true && name === fn);
};
