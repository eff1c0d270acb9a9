import { describe, expect, test } from "vitest";
import { define } from "../../src/api/activation.js";
import { print } from "../../src/ast/print.js";
import { jacobianMatrixLatex } from "../../src/codegen/latex-matrix.js";
import { catalogScope } from "../../src/catalog/catalog.js";
import { verifyClaim } from "../../src/verify/verify.js";

/**
 * Jacobians in index notation, and vector–Jacobian products derived from them — summed out to
 * O(N) forms — for the catalog and for definitions written in other styles.
 */
describe("the Jacobian ∂f_i/∂x_j, in textbook form", () => {
  test.each([
    ["softmax", "softmax(x)_i * (delta(i, j) - softmax(x)_j)"],
    ["exp(x) / sum(exp(x))", "softmax(x)_i * (delta(i, j) - softmax(x)_j)"],
    ["log_softmax", "delta(i, j) - softmax(x)_j"],
    ["softmin", "softmax(-x)_i * (softmax(-x)_j - delta(i, j))"],
    ["logsumexp", "softmax(x)_j"],
    ["x - mean(x)", "delta(i, j) - 1 / len(x)"],
    ["x / norm(x)", "delta(i, j) / sqrt(sum(x^2)) - x_i * x_j / sqrt(sum(x^2))^3"],
    ["max(x)", "j == argmax(x) ? 1 : 0"],
    ["x > 0 ? x : 0", "x_i > 0 ? delta(i, j) : 0"],
  ])("%s → %s", (body, jacobian) => {
    const f = body.includes("(") || body.includes(" ") ? define(`f(x[]) = ${body}`) : define(body);
    expect(print(f.derivative("x").expr)).toBe(jacobian);
  });

  test("maxout: only the first maximal unit of each group gets a gradient", () => {
    expect(print(define("maxout").derivative("z").expr)).toBe("j - k * i < k and j - k * i >= 0 ? j - k * i == argmax(z[l + k * i], l, 0, k) ? 1 : 0 : 0");
  });

  test("matrix form: diag(s) − s sᵀ and I − 𝟙 sᵀ", () => {
    const s = "\\operatorname{softmax}\\left(x\\right)";
    expect(jacobianMatrixLatex(define("softmax").derivative("x").expr)).toBe(`\\operatorname{diag}\\left(${s}\\right) - ${s} ${s}^{\\top}`);
    expect(jacobianMatrixLatex(define("log_softmax").derivative("x").expr)).toBe(`I - \\mathbb{1} ${s}^{\\top}`);
  });
});

describe("vector–Jacobian products, derived from the definition in O(N)", () => {
  test.each([
    ["softmax", "vjp_softmax(x[], g[]) = softmax(x) * (g - sum(g * softmax(x)))"],
    ["log_softmax", "vjp_log_softmax(x[], g[]) = g - softmax(x) * sum(g)"],
    ["logsumexp", "vjp_logsumexp(x[], g) = g * softmax(x)"],
    ["softmin", "vjp_softmin(x[], g[]) = softmax(-x) * (sum(g * softmax(-x)) - g)"],
  ])("%s", (name, vjp) => {
    expect(define(name).vjp().toString()).toBe(vjp);
  });

  test("no sum over the output index is left: each gradient element costs O(1) after O(N) reductions", () => {
    for (const name of ["softmax", "log_softmax", "softmin", "logsumexp", "maxout"]) {
      const body = define(name).vjp().expr;
      // Every reduction left runs over the whole vector or a group, not over a product of indices.
      expect(print(body), name).not.toMatch(/delta/);
    }
  });
});

describe("verify: claims in index notation, for every N", () => {
  test.each([
    ["diff(softmax(x)_i, x_j) = softmax(x)_i * (delta(i, j) - softmax(x)_j)", "proved"],
    ["diff(log_softmax(x)_i, x_j) = delta(i, j) - softmax(x)_j", "proved"],
    ["diff(logsumexp(x), x_j) = softmax(x)_j", "proved"],
    ["diff(exp(x_i) / sum(exp(x)), x_j) = exp(x_i) * delta(i, j) / sum(exp(x)) - exp(x_i + x_j) / sum(exp(x))^2", "proved"],
    ["sum(softmax(x)) = 1", "proved"],
    ["logsumexp(x) = log(sum(exp(x)))", "proved"],
  ])("%s → %s", (claim, verdict) => {
    const r = verifyClaim(claim, catalogScope);
    expect(r.verdict, r.detail).toBe(verdict);
  });

  test("the i = j formula used for every i, j is refuted, with a counterexample at i ≠ j", () => {
    const r = verifyClaim("diff(softmax(x)_i, x_j) = softmax(x)_i * (1 - softmax(x)_j)", catalogScope);
    expect(r.verdict).toBe("refuted");
    expect(r.detail).toMatch(/i ≠ j/);
    expect(r.counterexample?.at["i"]).not.toBe(r.counterexample?.at["j"]);
  });

  test("a proof says it holds for every N and names its cases", () => {
    const r = verifyClaim("diff(softmax(x)_i, x_j) = softmax(x)_i * (delta(i, j) - softmax(x)_j)", catalogScope);
    expect(r.detail).toContain("proved for every length N");
    expect(r.detail).toContain("i = j");
    expect(r.detail).toContain("i ≠ j");
  });

  test("what the case split cannot prove is labelled a numeric observation", () => {
    const r = verifyClaim("softmax(x + c)_i = softmax(x)_i", catalogScope);
    expect(r.verdict).toBe("verified");
    expect(r.method).toBe("numeric");
    expect(r.detail).toMatch(/not proved/);
  });
});
