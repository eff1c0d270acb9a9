import { DENOMINATOR, NUMERATOR } from "../../functions/atan-rem.js";
import type { FnName } from "../../functions/names.js";
import { ATAN_TAIL_MID, ATAN_TAIL_NEAR } from "../../functions/table.js";
import { INV_SQRT_2PI, LARGE_P, LARGE_Q, MID_P, MID_Q, ONE_OVER_SQRT_PI, SMALL_P, SMALL_Q, X_CAP, Y_CAP } from "../../functions/normal.js";

/**
 * How TensorFlow.js computes each builtin: a tfjs op, or a helper `h_<name>` written in tfjs ops
 * that the module carries. Typed `Record<FnName, …>`, so a builtin added to the function table
 * does not compile until it is spelled here too (the table per target of SymPy's printers).
 *
 * Where a tfjs op is less accurate than float32 allows on some backend, the helper computes it
 * from ops that are accurate: log1p and expm1 by Goldberg's and Kahan's identities (the wasm
 * backend's log1p is log(1 + x)), sign by comparisons (its sign is 0 for |x| ≤ 1e-10); tf.softplus returns x itself from x ≈ 11.9 on (6 ulps off at 12), so softplus is
 * max(x, 0) + log1p(e^(−|x|)) as in the function table; tf.erf (Abramowitz–Stegun 7.1.26,
 * absolute error 1.5e-7) loses relative accuracy near 0, where Cody's rational takes over.
 */
export interface TfjsSpelling {
  readonly call: (args: readonly string[]) => string;
  /** The helper's parameters and body (tfjs ops, no indentation), when `call` calls one. */
  readonly helper?: {
    readonly params: readonly string[];
    readonly body: readonly string[];
    /** Other helpers the body calls. */
    readonly needs?: readonly FnName[];
  };
}

const op = (name: string): TfjsSpelling => ({ call: (a) => `tf.${name}(${a.join(", ")})` });
const helper = (name: FnName, params: readonly string[], body: readonly string[], needs: readonly FnName[] = []): TfjsSpelling =>
  ({ call: (a) => `h_${name}(${a.join(", ")})`, helper: { params, body, needs } });

/** Σ cₖtᵏ by Horner's rule, highest first (a monic denominator adds tⁿ), as normal.ts evaluates it. */
function tfHorner(c: readonly number[], t: string, monic: boolean): string {
  let acc = monic ? `tf.add(${t}, ${c[c.length - 1]})` : String(c[c.length - 1]);
  for (let k = c.length - 2; k >= 0; k--) acc = `tf.add(tf.mul(${acc}, ${t}), ${c[k]})`;
  return acc;
}

/** e = e^(−ax²/2) for ax ≥ 0 as e^(−a²/2)·e^(−(ax − a)(ax + a)/2), a = ax rounded down to 1/16: a²/2 is exact. */
const TF_EXP_MINUS_HALF_SQUARE = [
  "const a = tf.div(tf.floor(tf.mul(ax, 16)), 16);",
  "const e = tf.mul(tf.exp(tf.mul(-0.5, tf.mul(a, a))), tf.exp(tf.mul(-0.5, tf.mul(tf.sub(ax, a), tf.add(ax, a)))));",
];

/** c₀ + t(c₁ + t(c₂ + …)) in tfjs ops, the coefficients in ascending order (a leading 1 is not multiplied). */
export function hornerTf(c: readonly number[], t: string): string {
  return c.slice(0, -1).reduceRight((inner, k) => `tf.add(${inner === "1" ? t : `tf.mul(${inner}, ${t})`}, ${k})`, String(c[c.length - 1]));
}

/**
 * The coefficients a float32 result needs: the trailing terms whose size |cₖ|·tMaxᵏ stays below
 * 2⁻³⁰|c₀| (an eighth of float32's unit roundoff, 2⁻²⁴, squared away) are left out.
 */
export function float32Terms(c: readonly number[], tMax: number): number[] {
  let last = c.length - 1;
  while (last > 0 && Math.abs(c[last]!) * tMax ** last < 2 ** -30 * Math.abs(c[0]!)) last--;
  return c.slice(0, last + 1);
}

// W. J. Cody's rational for erf on |x| ≤ 0.46875 (netlib specfun erf, as erf-source.ts): erf(x) = x·P(x²)/Q(x²).
const ERF_P = [3209.37758913846947, 377.485237685302021, 113.864154151050156, 3.16112374387056560, 0.185777706184603153];
const ERF_Q = [2844.23683343917062, 1282.61652607737228, 244.024637934444173, 23.6012909523441209, 1];

export const TFJS_FUNCTIONS: Record<FnName, TfjsSpelling> = {
  exp: op("exp"),
  log: op("log"),
  log1p: helper("log1p", ["x"], [
    "// log(u)·x/(u - 1) with u = 1 + x rounded (Goldberg's identity: a few ulps wherever log is accurate),",
    "// x itself where u is 1: tf.log1p on the wasm backend is log(1 + x), which loses all accuracy near 0.",
    "const u = tf.add(1, x);",
    "const ratio = tf.where(tf.equal(u, Infinity), 1, tf.div(x, tf.sub(u, 1)));",
    "return tf.where(tf.equal(u, 1), x, tf.mul(tf.log(u), ratio));",
  ]),
  expm1: helper("expm1", ["x"], [
    "// (u - 1)·x/log(u) with u = e^x rounded (Kahan's identity), x itself where u is 1, -1 where u - 1 is:",
    "// accurate near 0 on every backend, whatever its tf.expm1 does.",
    "const u = tf.exp(x);",
    "const um1 = tf.sub(u, 1);",
    "const ratio = tf.where(tf.equal(u, Infinity), 1, tf.div(x, tf.log(u)));",
    "return tf.where(tf.equal(u, 1), x, tf.where(tf.equal(um1, -1), -1, tf.mul(um1, ratio)));",
  ]),
  sqrt: op("sqrt"),
  abs: op("abs"),
  sign: helper("sign", ["x"], [
    "// x > 0 ? 1 : x < 0 ? -1 : x, as the function table: tf.sign on the wasm backend is 0 for |x| up to about 1e-10.",
    "return tf.where(tf.greater(x, 0), 1, tf.where(tf.less(x, 0), -1, x));",
  ]),
  min: op("minimum"),
  max: op("maximum"),
  // min(max(u, lo), hi), as the function table: tf.clipByValue takes numbers only.
  clip: { call: ([u, lo, hi]) => `tf.minimum(tf.maximum(${u}, ${lo}), ${hi})` },
  sin: op("sin"),
  cos: op("cos"),
  tan: op("tan"),
  atan: op("atan"),
  sinh: op("sinh"),
  cosh: op("cosh"),
  tanh: op("tanh"),
  erf: helper("erf", ["x"], [
    "// Cody's rational x·P(x²)/Q(x²) on |x| ≤ 0.46875, accurate relative to erf near 0; tf.erf beyond,",
    "// where |erf(x)| > 0.49 and its absolute error (1.5e-7) is about an ulp of float32.",
    "const z = tf.mul(x, x);",
    `const near = tf.div(tf.mul(x, ${hornerTf(ERF_P, "z")}), ${hornerTf(ERF_Q, "z")});`,
    "return tf.where(tf.lessEqual(tf.abs(x), 0.46875), near, tf.erf(x));",
  ]),
  // actdiff's Φ and φ (src/functions/normal.ts) in tfjs ops: Cody's erfc, each interval computed
  // and one chosen, and e^(−x²/2) without rounding x² (1/2·(1 + erf(x/√2)) is 0 below x ≈ −5.5).
  Phi: helper("Phi", ["x"], [
    "const t = tf.mul(x, Math.SQRT1_2);",
    "const y = tf.abs(t);",
    "const tt = tf.mul(t, t);",
    `const small = tf.add(0.5, tf.mul(0.5, tf.div(tf.mul(t, ${tfHorner(SMALL_P, "tt", false)}), ${tfHorner(SMALL_Q, "tt", true)})));`,
    `const c = tf.minimum(y, ${Y_CAP});`,
    `const mid = tf.div(${tfHorner(MID_P, "c", false)}, ${tfHorner(MID_Q, "c", true)});`,
    "const z = tf.div(1, tf.mul(c, c));",
    `const large = tf.div(tf.sub(${ONE_OVER_SQRT_PI}, tf.div(tf.mul(z, ${tfHorner(LARGE_P, "z", false)}), ${tfHorner(LARGE_Q, "z", true)})), c);`,
    "const r = tf.where(tf.lessEqual(c, 4), mid, large);",
    `const ax = tf.minimum(tf.abs(x), ${X_CAP});`,
    ...TF_EXP_MINUS_HALF_SQUARE,
    "const half = tf.mul(tf.mul(0.5, e), r);",
    "return tf.where(tf.greater(y, 0.46875), tf.where(tf.less(t, 0), half, tf.sub(1, half)), small);",
  ]),
  erfc: helper("erfc", ["x"], [
    "// erfc(x) = 1 - erf(x) by Cody's rationals (src/functions/normal.ts), each interval computed and one chosen.",
    "const y = tf.abs(x);",
    "const xx = tf.mul(x, x);",
    `const small = tf.sub(1, tf.div(tf.mul(x, ${tfHorner(SMALL_P, "xx", false)}), ${tfHorner(SMALL_Q, "xx", true)}));`,
    `const c = tf.minimum(y, ${Y_CAP});`,
    `const mid = tf.div(${tfHorner(MID_P, "c", false)}, ${tfHorner(MID_Q, "c", true)});`,
    "const z = tf.div(1, tf.mul(c, c));",
    `const large = tf.div(tf.sub(${ONE_OVER_SQRT_PI}, tf.div(tf.mul(z, ${tfHorner(LARGE_P, "z", false)}), ${tfHorner(LARGE_Q, "z", true)})), c);`,
    "const r = tf.where(tf.lessEqual(c, 4), mid, large);",
    "const a = tf.div(tf.floor(tf.mul(c, 16)), 16);",
    "const tail = tf.mul(tf.mul(tf.exp(tf.neg(tf.mul(a, a))), tf.exp(tf.neg(tf.mul(tf.sub(c, a), tf.add(c, a))))), r);",
    "return tf.where(tf.greater(y, 0.46875), tf.where(tf.less(x, 0), tf.sub(2, tail), tail), small);",
  ]),
  phi: helper("phi", ["x"], [
    `const ax = tf.minimum(tf.abs(x), ${X_CAP});`,
    ...TF_EXP_MINUS_HALF_SQUARE,
    `return tf.mul(${INV_SQRT_2PI}, e);`,
  ]),
  sigmoid: op("sigmoid"),
  softplus: helper("softplus", ["x"], [
    "// log(1 + e^x) = max(x, 0) + log1p(e^(-|x|)): finite for every finite x, and accurate where tf.softplus returns x.",
    "return tf.add(tf.maximum(x, 0), h_log1p(tf.exp(tf.neg(tf.abs(x)))));",
  ], ["log1p"]),
  atan_tail: helper("atan_tail", ["u"], [
    "// π/2 + atan(u) + u/(1 + u²): as written from u = -1 on (u/(1 + u²) is 0 where u² overflows float32),",
    "// the fitted tail -P(1/u²)/u³ below, where the terms cancel.",
    "const u2 = tf.mul(u, u);",
    "const ratio = tf.where(tf.greater(u, 1e18), 0, tf.div(u, tf.add(1, u2)));",
    "const head = tf.add(tf.where(tf.less(u, 0), tf.neg(tf.atan(tf.div(1, u))), tf.add(Math.PI / 2, tf.atan(u))), ratio);",
    "const s = tf.div(1, u2);",
    `const near = ${hornerTf(float32Terms(ATAN_TAIL_NEAR, 0.25), "s")};`,
    "const t = tf.div(tf.sub(tf.mul(8, s), 5), 3);",
    `const mid = ${hornerTf(float32Terms(ATAN_TAIL_MID, 1), "t")};`,
    "const tail = tf.div(tf.div(tf.neg(tf.where(tf.lessEqual(s, 0.25), near, mid)), u2), u);",
    "return tf.where(tf.less(u, -1), tail, head);",
  ]),
  atan_rem: helper("atan_rem", ["v"], [
    "// atan(v) - v/(1 + v²): as written beyond |v| = 1, a rational fitted in s = v² within.",
    "const s = tf.mul(v, v);",
    `const within = tf.div(tf.mul(tf.mul(v, s), ${hornerTf(float32Terms(NUMERATOR, 1), "s")}), ${hornerTf(float32Terms(DENOMINATOR, 1), "s")});`,
    "const beyond = tf.sub(tf.atan(v), tf.div(1, tf.add(v, tf.div(1, v))));",
    "return tf.where(tf.lessEqual(tf.abs(v), 1), within, beyond);",
  ]),
  tanhshrink: helper("tanhshrink", ["x"], [
    "// x - tanh(x) as written from |x| = 2.5 on; below, x·x²/(d + x²) with d Lambert's continued fraction",
    "// 3 + x²/(5 + x²/(7 + …)) for tanh: positive terms, no cancellation near 0 (src/functions/tanhshrink.ts).",
    "const y = tf.mul(x, x);",
    "let d = tf.add(tf.mul(y, 0), 31);",
    "for (let k = 14; k >= 1; k--) d = tf.add(2 * k + 1, tf.div(y, d));",
    "const near = tf.div(tf.mul(x, y), tf.add(d, y));",
    "return tf.where(tf.less(tf.abs(x), 2.5), near, tf.sub(x, tf.tanh(x)));",
  ]),
  logistic_pdf: helper("logistic_pdf", ["x"], [
    "// σ(x)σ(-x) = e/(1 + e)² with e = e^(-|x|): no 1 - σ(x) to round to 0 in the tail.",
    "const e = tf.exp(tf.neg(tf.abs(x)));",
    "const s = tf.add(1, e);",
    "return tf.div(tf.div(e, s), s);",
  ]),
  delta: { call: ([i, j]) => `tf.cast(tf.equal(${i}, ${j}), "float32")` },
  floor: op("floor"),
};

/** These helpers and those they call, sorted. */
export function withNeeds(helpers: Iterable<FnName>): FnName[] {
  const all = new Set<FnName>();
  const add = (fn: FnName): void => {
    if (all.has(fn)) return;
    all.add(fn);
    (TFJS_FUNCTIONS[fn].helper?.needs ?? []).forEach(add);
  };
  [...helpers].forEach(add);
  return [...all].sort();
}

/** `function h_<name>(…) { … }` for a builtin that tfjs computes through a helper. */
export function tfjsHelperSource(fn: FnName): string {
  const h = TFJS_FUNCTIONS[fn].helper;
  if (h === undefined) throw new Error(`internal error: '${fn}' is a tfjs op, not a helper`);
  return [`function h_${fn}(${h.params.join(", ")}) {`, ...h.body.map((l) => `  ${l}`), "}"].join("\n");
}
