/**
 * The stable rewrites as data: each rule is one named datum — the identity it rests on, what goes
 * wrong in floating point without it, and formulas it rewrites, which test/stable/rules.test.ts
 * has the verifier check (symbolically where the decision procedure applies, else to 40 digits on
 * both sides of every breakpoint and far out in the tails). The engine that applies them is
 * stabilize.ts, with the rule families of their own modules (max-shift.ts, erf-complement.ts,
 * conjugate.ts, near-zero.ts, exp-product.ts).
 */
import { FIELD_RULES } from "./field-rules.js";

export interface StableRule {
  readonly name: string;
  /** The identity the rewrite rests on, as a reader would write it. */
  readonly identity: string;
  /** What goes wrong in floating point without it. */
  readonly why: string;
  /** Formulas (in the formula language, input x) that the rule rewrites: the verifier checks each. */
  readonly examples: readonly string[];
  /**
   * For a rewrite that is not an identity but an approximation (a truncated series), the relative
   * error it is within where it is used: the test compares both sides at 40 digits there instead
   * of asking the verifier for equality.
   */
  readonly tolerance?: number;
}

export const STABLE_RULES: readonly StableRule[] = [
  {
    name: "log1p", identity: "log(1 + u) = log1p(u)",
    why: "1 + u rounds away every digit of u below 2⁻⁵³: log(1 + 1e-20) is 0, log1p(1e-20) is 1e-20",
    examples: ["log(1 + x)", "log(1 + x^2)", "log(1 - x / 3)"],
  },
  {
    name: "softplus", identity: "log(1 + exp(u)) = log1p(exp(u)) = softplus(u)",
    why: "exp(u) overflows for u > 709.78 although softplus(u) ≈ u; softplus is evaluated branch-stable",
    examples: ["log1p(exp(x))", "log1p(exp(2 * x))"],
  },
  {
    name: "log-sigmoid", identity: "log(σ(u)) = −softplus(−u)",
    why: "σ(u) underflows to 0 for u < −745, where log σ(u) ≈ u is finite",
    examples: ["log(sigmoid(x))", "log(1 - sigmoid(x))", "log(sigmoid(2 * x))"],
  },
  {
    name: "expm1", identity: "c·(exp(u) − 1) = c·expm1(u)",
    why: "exp(u) − 1 cancels for small |u|: exp(1e-10) − 1 keeps only 7 digits",
    examples: ["exp(x) - 1", "2 * exp(x) - 2", "x * (exp(x) - 1)", "1 - exp(-x)"],
  },
  {
    name: "sigmoid-complement", identity: "c·(1 − σ(u)) = c·σ(−u)",
    why: "1 − σ(u) is exactly 0 for u > 36.7 (σ rounds to 1) while the truth is ≈ e^(−u)",
    examples: ["1 - sigmoid(x)", "sigmoid(x) - 1", "x * (1 - sigmoid(x))", "sigmoid(x) * (1 - sigmoid(x))"],
  },
  {
    name: "tanh-from-sigmoid", identity: "c·(1 − 2σ(u)) = −c·tanh(u/2)",
    why: "1 − 2σ(u) cancels near u = 0 and loses every digit of e^(−u) for large u",
    examples: ["1 - 2 * sigmoid(x)", "2 * sigmoid(x) - 1"],
  },
  {
    name: "sigmoid-from-tanh", identity: "c·(1 ± tanh(u)) = 2c·σ(±2u)",
    why: "1 + tanh(u) is exactly 0 for u < −19.1 (tanh rounds to −1) while the truth is ≈ 2e^(2u): gelu_tanh(−20) would be 0",
    examples: ["1 + tanh(x)", "1 - tanh(x)", "x * (1 + tanh(x^3 + x)) / 2", "3 - 3 * tanh(2 * x)"],
  },
  {
    name: "sech2", identity: "c·(1 − tanh²u) = c·4e^(−2|u|)/(1 + e^(−2|u|))²",
    why: "1 − tanh²u is exactly 0 for |u| > 19.1 (tanh rounds to ±1) while the truth is ≈ 4e^(−2|u|); " +
      "1/cosh²u would not cancel either, but cosh² overflows from |u| = 355.6 on, where the truth is still subnormal",
    examples: ["1 - tanh(x)^2", "4 - 4 * tanh(x)^2", "tanh(x) * (1 - tanh(x)^2)"],
  },
  {
    name: "softplus-shift",
    identity: "softplus(u) − log 2 = log1p(e^u) − log 2 (u < −1), log1p(expm1(u)/2) (−1 ≤ u < 1), u + log1p(expm1(−u)/2) (u ≥ 1)",
    why: "softplus(u) − log 2 cancels near u = 0 (both ≈ 0.693); the middle forms avoid it and overflow on their sides. " +
      "Below −1 it does not cancel (log1p(e^u) < 0.32): written as such, log1p has a small argument, the cheap one",
    examples: ["softplus(x) - log(2)", "log(1 + exp(x)) - log(2)"],
  },
  {
    name: "half-pi-plus-atan",
    identity: "π/2 + atan(u) = (π/2)(1 + B − 2BN) + (1 − 2N)(1 − 2B)(atan_rem(r) + r/(1 + r²)), r = min(|u|, 1/|u|), B = [|u| ≥ 1], N = [u < 0] " +
      "(vector lanes: π·[u ≥ 0] + (1 − 2[u ≥ 0])·atan(1/|u|)); π/2 − atan(u) = atan(1/u) (u > 0)",
    why: "π/2 + atan(u) cancels as u → −∞ (atan → −π/2): at u = −1e8 only 8 digits survive. The reduced form has no branch on u " +
      "and shares atan_rem(r) and r/(1 + r²) with atan_tail (xwish and xwish′ computed together)",
    examples: ["pi / 2 + atan(x)", "pi / 2 - atan(x)", "x * (pi / 2 + atan(x)) / pi", "atan(x) - pi / 2"],
  },
  {
    name: "atan-tail",
    identity: "π/2 + atan(u) + u/(1 + u²) = atan_tail(u) = (π/2)(1 + B − 2BN) + (1 − 2B(1 − N))·atan_rem(r) + 2(1 − B)·r/(1 + r²) " +
      "outside −1 < u < 0 (r, B, N as above; vector lanes: the builtin)",
    why: "as u → −∞ the three terms cancel to ≈ 2/(3|u|³), which atan_rem(r) is, without cancellation; atan_tail's own branch at u = −1 " +
      "mispredicts on inputs of both signs, and its Math.atan is the one f computes already",
    examples: ["pi / 2 + atan(x) + x / (1 + x^2)", "(pi / 2 + atan(x)) / pi + x / (pi * (1 + x^2))"],
  },
  {
    name: "sigmoid-from-exp", identity: "1/(1 + e^v)^k = σ(−v)^k",
    why: "1 + e^v overflows for v > 709.78: e^v/(1 + e^v)² is then ∞/∞ = NaN",
    examples: ["1 / (1 + exp(-x))", "1 / (1 + exp(x))^2"],
  },
  {
    name: "exp-sigmoid", identity: "e^u·σ(−u)^k = σ(u)·σ(−u)^(k−1)",
    why: "e^u overflows for u > 709.78 while σ(−u)^k underflows: ∞·0 = NaN, where the product is σ(u)σ(−u)^(k−1)",
    examples: ["exp(x) * (1 - sigmoid(x))^2", "exp(x) / (1 + exp(x))^2", "exp(-x) * sigmoid(x)^3"],
  },
  {
    name: "sigmoid-pair", identity: "σ(u)·σ(−u) = E/(1 + E)², E = e^(−u) (u ≥ −40); e/(1 + e)², e = e^u (u < −40)",
    why: "σ(u)(1 − σ(u)) cancels for u > 36.7; σ(u)·σ(−u) does not, but costs two exponentials where one suffices. " +
      "The switch is where the σ builtin switches, so σ(u) computed with it from the same E has the builtin's bits",
    examples: ["sigmoid(x) * (1 - sigmoid(x))", "sigmoid(2 * x) * sigmoid(-2 * x)"],
  },
  {
    name: "shared-exponential", identity: "σ(v) = 1/(1 + E), σ(−v) = E/(1 + E), E = e^(−v) (v ≥ −40); e/(1 + e) and 1/(1 + e), e = e^v (v < −40)",
    why: "σ(v) and σ(−v) in one formula (swish′), or σ(v) next to σ′(v) (f and f′ fused), would each compute an exponential; " +
      "sharing one halves the cost, and σ(v) keeps the builtin's bits",
    examples: ["sigmoid(x) * (1 + x * sigmoid(-x))", "sigmoid(x) + x * sigmoid(x) * (1 - sigmoid(x))"],
  },
  {
    name: "sigmoid-of-known-sign", identity: "σ(v) = e^v/(1 + e^v), where the tests on the way to it say v ≤ 0",
    why: "the builtin tests which side of −40 v is on and computes 1/(1 + e^(−v)) there; on a path where v ≤ 0 the form below needs no test, " +
      "cannot overflow, and shares e^v with f (relu_softplus and its derivative computed together cost one exponential)",
    examples: ["x >= 0 ? 1 : sigmoid(x)", "x < -1 ? sigmoid(2 * x) : x", "x > 2 ? 3 * sigmoid(-x) : x"],
  },
  {
    name: "shared-exponential-tanh", identity: "tanh(u) = sign(u)·(1 − e)/(1 + e), e = e^(−2|u|) (|u| ≥ 0.55; Math.tanh below)",
    why: "tanh(u) next to its stable derivative 4e/(1 + e)² (f and f′ fused) would cost Math.tanh and an exp; " +
      "the tanh builtin computes this form from |u| = 0.55 on, so sharing e changes no bits",
    examples: ["tanh(x) * (1 - tanh(x)^2)", "x * tanh(2 * x) - x * tanh(2 * x)^3"],
  },
  {
    name: "shared-exponential-expm1", identity: "expm1(u) = e^u − 1 (u < −0.7; Math.expm1 above)",
    why: "expm1(u) next to e^u (elu and elu′ computed together) would cost Math.expm1 and Math.exp; " +
      "the expm1 builtin computes e^u − 1 below u = −0.7, where it does not cancel, so sharing e^u changes no bits",
    examples: ["exp(x) * expm1(x)", "exp(2 * x) + 3 * expm1(2 * x)"],
  },
  {
    name: "log-sum-exp",
    identity: "log Σ_j c_j·e^(u_j) = m + log1p(Σ_(j≥2) e^(l_j − m)), v_j = u_j + log c_j, m = max_j v_j, l_j = min(max(v_1, …, v_(j−1)), v_j) " +
      "(the v_j less one copy of m; two terms: m + softplus(l − m); equal c_j = c: log c + the same of the u_j)",
    why: "e^u overflows for u > 709.78: log(e^x + e^y) is ∞ at x = 710 where the truth is ≈ 710. m + log(Σ e^(v_j − m)) would not " +
      "overflow, but log(1 + r) rounds r away where m ≈ 0 (lse(1e-20, −50)): the max term is exactly 1, log1p of the rest keeps r",
    examples: ["log(exp(x) + exp(y))", "log(exp(x) + exp(y) + exp(z))", "log(1 + exp(x) + exp(-x))", "log(2 * exp(x) + exp(y) + 3)", "log1p(exp(x) + exp(2 * x))"],
  },
  {
    name: "softmax-ratio",
    identity: "c·e^w/(Σ_j c_j·e^(u_j))^p = c·e^(w − p·m)/(Σ_j c_j·e^(u_j − m))^p, m = max_j u_j less clip(max_j u_j, 0, T) (0 where nothing can overflow: max-shift.ts); e^(w − p·m) = ∏_j e^(u_j − m)^(k_j) where w = Σ_j k_j·u_j, Σ_j k_j = p",
    why: "e^x/(e^x + e^y + e^z) is ∞/∞ = NaN from x = 709.78 on, where the truth is ≈ 1; shifted, every e^(u_j − m) ≤ 1 and the sum is ≥ 1. " +
      "The derivatives' s_k·s_l terms, e^(u_k + u_l)/S², are products of the shifted exponentials the sum computes anyway",
    examples: [
      "exp(x) / (exp(x) + exp(y) + exp(z))", "1 / (1 + exp(y - x) + exp(z - x))", "(exp(x + y) + exp(x + z)) / (exp(x) + exp(y) + exp(z))^2",
      "exp(2 * x) / (exp(x) + exp(-x))^2", "2 * exp(x) / (3 + 2 * exp(x) + exp(y))",
    ],
  },
  {
    name: "log-softmax", identity: "c·u_k − c·log Σ_j c_j·e^(u_j) = −c·log Σ_j c_j·e^(u_j − u_k) (then log-sum-exp, or softplus for two terms)",
    why: "x − log(e^x + e^y + e^z) is −∞ from x = 709.78 on and keeps no digit from x ≈ 33 on (x − log(e^x·(1 + r)) = 0 where the truth " +
      "is −r); x − lse(x, y, z) would still cancel. The differences u_j − u_k have max m ≥ 0, and m + log1p(…) adds two non-negative parts",
    examples: ["x - log(exp(x) + exp(y) + exp(z))", "x - log(exp(x) + exp(y))", "log(exp(x) + exp(y) + exp(z)) - y"],
  },
  {
    name: "softmax-complement",
    identity: "k − k·c_k·e^(u_k)/S = k·Σ_(j≠k) c_j·e^(u_j)/S, S = Σ_j c_j·e^(u_j); in general Σ_i M_i/S^(p_i) = (Σ_i M_i·S^(P − p_i))/S^P, " +
      "M_i products of exponentials, multiplied out and collected (then softmax-ratio)",
    why: "1 − s_x (log-softmax′) is exactly 0 from x − max(y, z) ≈ 37 on, where the truth is ≈ e^(y − x) + e^(z − x); and terms over S, S², S³ " +
      "left apart would share the factor 1/S², unshifted (∂²s_x/∂x∂y: ∞·0 at (−1e308, −1e308, −1e308))",
    examples: [
      "1 - exp(x) / (exp(x) + exp(y) + exp(z))", "2 - 2 * exp(x) / (exp(x) + exp(y))", "exp(x) / (exp(x) + exp(y)) - 1",
      "exp(x) / (exp(x) + exp(y)) - exp(2 * x) / (exp(x) + exp(y))^2",
      "exp(x + y) / (exp(x) + exp(y) + exp(z))^2 - 2 * exp(y) * (exp(x + y) + exp(x + z)) / (exp(x) + exp(y) + exp(z))^3",
    ],
  },
  {
    name: "erf-complement",
    identity: "k ± k·erf(u) = k·erfc(∓u); erfc(w) = 2Φ(−√2·w) where the √2 cancels; k − k·Φ(u) = k·Φ(−u); 2k − k·erfc(u) = k·erfc(−u); k − k·erfc(u) = k·erf(u)",
    why: "1 + erf(u) is exactly 0 for u < −5.9 (erf rounds to −1) while the truth is ≈ e^(−u²)/(|u|√π): gelu written x·(1 + erf(x/√2))/2 " +
      "is 0 from x ≈ −8.3 on, and its derivative has the wrong sign from x ≈ −25. erfc is a builtin (Cody's rationals, as Φ), and Φ takes x itself: x/√2 is not rounded",
    examples: ["1 + erf(x)", "erf(x) + 1", "1 - erf(x)", "x * (1 + erf(x / sqrt(2))) / 2", "(1 + erf(x * 0.7071067811865476)) * x * 0.5", "1 - Phi(x)", "2 - erfc(x)", "1 - erfc(2 * x)"],
  },
  {
    name: "sqrt-conjugate",
    identity: "A + √B = (B − A²)/(√B − A) for A < 0 (as written for A ≥ 0), where B − A² multiplied out is smaller than B; k + m·A/√B = k·(√B + (m/k)·A)/√B",
    why: "x + √(x² + b) cancels as x → −∞: squareplus (x + √(x² + b))/2 keeps 5 digits at x = −1000, and its derivative ½ + x/(2√(x² + b)) as few. " +
      "B − A² = b is exact, symbolically, so the conjugate has no cancellation left",
    examples: ["(x + sqrt(x^2 + 1)) / 2", "sqrt(x^2 + 4) - x", "x - sqrt(1 + x^2)", "1/2 + x / (2 * sqrt(x^2 + 1))", "x + sqrt(x^2 + x + 1)"],
  },
  {
    name: "series-near-zero",
    identity: "S(t) = Σ_(k=L…N) c_k·t^k for |t| < T, c_k = S^(k)(0)/k! by the Taylor mode of actdiff's differentiation (src/diff/series.ts), where the terms of the sum S vanish to a lower order than L",
    why: "x − tanh x is 0 at x = 1e−8 (the truth is 3.3e−25) and keeps 13 digits at 0.05: the terms agree in their leading orders. Detected by the coefficients, " +
      "not by name; T is the least threshold from which the written form is measured within max(2, 2κ) ulps (or as far as 160 orders converge), N where the next terms fall below 2⁻⁵⁶",
    // x − tanh(x) is tanhshrink(x), an identity (the rule of that name) that this approximation leaves alone.
    examples: ["x - sin(x)", "x - atan(x)", "log(1 + x) - x", "sinh(x) - x", "cosh(x) - 1", "tan(x) - x"],
    tolerance: 2 ** -52,
  },
  {
    name: "sigmoid-difference", identity: "σ(a) − σ(b) = −σ(a)·σ(−b)·expm1(−d) for d = a − b ≥ 0, σ(b)·σ(−a)·expm1(d) below, where a name cancels out of d (sigmoid-difference.ts)",
    why: "softclip′ = σ(px) − σ(p(x − 1)) is 0.5 − 0.27 near 0: each σ's rounding, scaled by the cancellation, gave 5 ulps where the bound is 4; the product has no cancellation",
    examples: ["sigmoid(x) - sigmoid(x - 1)", "1 / (1 + exp(-x)) - 1 / (1 + exp(1 - x))", "sigmoid(2 * x + 3) - sigmoid(2 * x)", "sigmoid(1 - x) - sigmoid(-x)"],
  },
  {
    name: "tanhshrink", identity: "c·u − c·tanh(u) = c·tanhshrink(u)",
    why: "x − tanh x cancels near 0 (0 at x = 1e−8 where the truth is 3.3e−25); the tanhshrink builtin computes x·x²/(d + x²), d Lambert's continued fraction, " +
      "with nothing to cancel: an exact rewrite, where series-near-zero would put a truncated Taylor polynomial",
    examples: ["x - tanh(x)", "x / 2 - tanh(x / 2)", "3 * tanh(2 * x) - 6 * x", "x^2 - tanh(x^2)"],
  },
  {
    name: "exp-product",
    identity: "e^a·e^b = e^(a + b), (e^a)^k = e^(k·a), where one of the exponentials can overflow",
    why: "x·e^x·e^(−x/2) is ∞ at x = 710 where the value x·e^(x/2) is finite up to 1419; e^(x²)·e^(−x² − x) is ∞·0 = NaN from |x| = 26.6 on",
    examples: ["x * exp(x) * exp(-x / 2)", "exp(x^2) * exp(-x^2 - x)", "exp(x) * exp(y)"],
  },
  { name: "regime-split", identity: "log S = u + log(S·e^(−u)), N/S^k = N·e^(−ku)/(S·e^(−u))^k, a + log S = log(e^a·S); u < T ? one form : another, T bisected on the measured error (regimes.ts)", why: "log(e^x − 1) is ∞ from x = 709.78 on as log(expm1(x)) and loses the digits of x near 0 as x + log1p(−e^(−x)): neither form alone is accurate on [−1000, 1000], the branch between them is", examples: ["log(exp(x) - 1)", "exp(x) / (exp(x) - 1)", "log(exp(2 * x) - 1)", "log(1 + exp(x)) - x", "x + log(1 + exp(-x))"] },
  {
    name: "common-factor", identity: "a·b + a·c = a·(b + c)",
    why: "brings 1 − σ, 1 − 2σ, 1 − tanh² patterns hidden in expanded derivatives (σ(1 − σ)² − σ²(1 − σ)) together",
    examples: ["sigmoid(x) * (1 - sigmoid(x))^2 - sigmoid(x)^2 * (1 - sigmoid(x))", "sigmoid(x) + x * sigmoid(x) * (1 - sigmoid(x))"],
  },
  ...FIELD_RULES,
];
