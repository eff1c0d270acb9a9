import type { StableRule } from "./rules.js";

/**
 * The rules the formulas of the field (FPBench and Herbie's suite, test/fixtures/fpbench/suite.json)
 * asked for, as data in the form of rules.ts: each is general — matched by its mathematics, in any
 * spelling the examples show — and each example is checked by the verifier (test/stable/rules.test.ts).
 * The code of each is its own module, named in the rule.
 */
export const FIELD_RULES: readonly StableRule[] = [
  {
    name: "hyperbolic-pair", identity: "m·e^u − m·e^(−u) = 2m·sinh(u), m·e^u + m·e^(−u) = 2m·cosh(u) (hyperbolic.ts)",
    why: "(e^x − e^(−x))/2 cancels near 0 (0 at x = 1e−300) and overflows from x = 709.78 on, where sinh is finite up to 710.48; " +
      "Math.sinh and Math.cosh go through expm1 near 0 and e^(|x|/2)² beyond",
    examples: ["(exp(x) - exp(-x)) / 2", "exp(x) - 1 / exp(x)", "3 * exp(-2 * x) - 3 * exp(2 * x)", "(exp(x) + exp(-x)) / 2"],
  },
  {
    name: "asinh-log", identity: "log(A + √(A² + c)) = ½·log c + asinh(A/√c), asinh(w) = sign(w)·log1p(|w| + |w|/(1/|w| + √(1 + 1/w²))) (asinh.ts)",
    why: "log(x + √(x² + 1)) cancels for x < 0 (−∞ from x ≈ −1e8) and keeps only the digits of 1 + x near 0 (0 at x = 1e−20); " +
      "the odd form takes |w| and log1p of it, and never squares a large |w|",
    examples: ["log(x + sqrt(x * x + 1))", "log(sqrt(1 + x^2) + x)", "-log(sqrt(x^2 + 1) - x)", "log(2 * x + sqrt(4 * x^2 + 1))", "log(x + sqrt(x^2 + 4))"],
  },
  {
    name: "softplus-linear", identity: "m·softplus(u) + m·j·u = m·(softplus(−u) + (1 + j)·u) for u ≥ 0, as written for u < 0; m·softplus(−u) alone where j = −1 (softplus-linear.ts)",
    why: "log(1 + e^x) − x·y (Herbie's Logistic regression 2) at y = 1 loses every digit from x ≈ 37 on, where the truth is ≈ e^(−x)",
    examples: ["log(1 + exp(x)) - x", "softplus(x) - 3 * x", "log1p(exp(2 * x)) - 2 * x", "log(1 + exp(x)) - x * y"],
  },
  {
    name: "exp-over-expm1", identity: "e^u·expm1(u)^(−k) = −expm1(−u)^(−1)·expm1(u)^(−(k−1)) for u ≥ 0, as written below (exp-over-expm1.ts)",
    why: "e^x/(e^x − 1) (Hamming's expq2) is ∞/∞ = NaN from x = 709.78 on, where the truth is ≈ 1; 1/(1 − e^(−x)) written with expm1 has neither overflow nor cancellation",
    examples: ["exp(x) / (exp(x) - 1)", "exp(x) / expm1(x)", "exp(2 * x) / (exp(2 * x) - 1)^2"],
  },
  {
    name: "expm1-double", identity: "expm1(2u)/expm1(u) = e^u + 1 (exp-over-expm1.ts)",
    why: "(e^(2x) − 1)/(e^x − 1) (Hamming's sqrtexp) is ∞/∞ = NaN from x = 354.9 on, where e^x + 1 is finite up to 709.78",
    examples: ["(exp(2 * x) - 1) / (exp(x) - 1)", "expm1(2 * x) / expm1(x)", "(exp(x) - 1) / (exp(x / 2) - 1)"],
  },
  {
    name: "sqrt-exp", identity: "√(k + m·e^u) = e^(u/2)·√(m + k·e^(−u)) for u > 0, as written for u ≤ 0 (k ≥ 0, m > 0 numbers; sqrt-exp.ts)",
    why: "e^u overflows from u = 709.78 on, where √(1 + e^u) is finite up to u ≈ 1419",
    examples: ["sqrt(1 + exp(x))", "sqrt(exp(2 * x) + 3)", "sqrt((exp(2 * x) - 1) / (exp(x) - 1))"],
  },
  {
    name: "exp-log", identity: "e^(Σ c_i·log u_i + w) = (Π u_i^(c_i))·e^w where every u_i > 0 (exp-log.ts)",
    why: "e^(log a + log b) turns the rounding of log a + log b into a relative error of |log a + log b|·2⁻⁵³: 657 ulps at a = 1.4e−245 (Herbie's Exp of sum of logs), where a·b is 1",
    examples: ["exp(log(x) + log(y))", "exp(2 * log(x) - x)", "exp(log(x) / 2)"],
  },
  {
    name: "log-ratio", identity: "log(P/Q) = log1p(D/Q), D = P − Q multiplied out, where |D| < |Q|/2 and D is no larger than P; as written elsewhere (log-ratio.ts)",
    why: "log((1 − x)/(1 + x)) (Hamming's logq; 2·artanh) is 0 at x = 1e−20, whose value is −2e−20: the ratio rounds to 1. D = −2x has no cancellation left",
    examples: ["log((1 - x) / (1 + x))", "log((1 + x) / (1 - x)) / 2", "log(x / (1 + x))", "-log((2 + x) / (2 - x))"],
  },
  {
    name: "half-angle", identity: "k − k·cos(u) = 2k·sin(u/2)², k + k·cos(u) = 2k·cos(u/2)² (half-angle.ts)",
    why: "1 − cos x cancels near every 2πn: 0 at x = 1e−8 (the truth 5e−17), and 29 bits lost at x = 710 (cos 710 ≈ 1 − 1.8e−9); sin(x/2)² has nothing to cancel",
    examples: ["1 - cos(x)", "x * (1 - cos(x))", "3 + 3 * cos(2 * x)", "cos(x) - 1"],
  },
];
