import { describe, expect, test } from "vitest";
import { define } from "../../src/api/activation.js";
import { print } from "../../src/ast/print.js";
import { toLatex } from "../../src/codegen/latex.js";
import { parseTopLevel } from "../../src/parse/parse.js";
import { resolveTopLevel } from "../../src/parse/resolve.js";
import { catalogScope } from "../../src/catalog/catalog.js";
import { errorOf } from "../support/errors.js";

/**
 * Functions of vectors, written as people write them in numpy or in a paper: definition →
 * textbook form (printed back as the whole vector) → its element in index notation.
 */
describe("definitions of vectors, in several styles, and their textbook form", () => {
  test.each([
    ["softmax(x[]) = exp(x) / sum(exp(x))", "softmax(x[]) = softmax(x)", "softmax(x)_i"],
    ["s2(x[]) = exp(x) * sum(exp(x))^(-1)", "s2(x[]) = softmax(x)", "softmax(x)_i"],
    ["s3(v[]) = 1 / sum(exp(v)) * exp(v)", "s3(v[]) = softmax(v)", "softmax(v)_i"],
    ["s4(x[]; t = 2) = exp(x / t) / sum(exp(x / t))", "s4(x[]; t = 2) = softmax(x / t)", "softmax(x / t)_i"],
    ["log_softmax(x[]) = x - logsumexp(x)", "log_softmax(x[]) = x - logsumexp(x)", "x_i - logsumexp(x)"],
    ["lsm(x[]) = x - log(sum(exp(x)))", "lsm(x[]) = x - logsumexp(x)", "x_i - logsumexp(x)"],
    ["softmin(x[]) = softmax(-x)", "softmin(x[]) = softmax(-x)", "softmax(-x)_i"],
    ["lse(x[]) = log(sum(exp(x)))", "lse(x[]) = logsumexp(x)", "logsumexp(x)"],
    ["maxout(z[]; k = 2) = groupmax(z, k)", "maxout(z[]; k = 2) = groupmax(z, k)", "groupmax(z, k)_i"],
    ["centered(x[]) = x - mean(x)", "centered(x[]) = x - sum(x) / len(x)", "x_i - sum(x) / len(x)"],
    ["l2(x[]) = x / norm(x)", "l2(x[]) = x / sqrt(sum(x^2))", "x_i / sqrt(sum(x^2))"],
    ["dot(x[], y[]) = sum(x * y)", "dot(x[], y[]) = sum(x * y)", "sum(x * y)"],
    ["sq(x[]) = sum(x_k * x_k, k)", "sq(x[]) = sum(x^2)", "sum(x^2)"],
    ["relu_v(x[]) = x > 0 ? x : 0", "relu_v(x[]) = x > 0 ? x : 0", "x_i > 0 ? x_i : 0"],
    ["gate(x[], y[]) = x * sigmoid(y)", "gate(x[], y[]) = x * sigmoid(y)", "x_i * sigmoid(y_i)"],
  ])("%s", (source, textbook, element) => {
    const f = define(source);
    expect(f.toString()).toBe(textbook);
    expect(print(f.expr)).toBe(element);
    // The textbook line parses back to the same function.
    expect(define(f.toString()).expr).toBe(f.expr);
  });

  test("calls of vector functions inline: softmin is softmax of −x, a user's function of a catalog one", () => {
    expect(define("t(x[]) = log_softmax(2 * x)").toString()).toBe("t(x[]) = 2 * x - logsumexp(2 * x)");
    expect(define("u(x[]) = softmin(x) * 3").toString()).toBe("u(x[]) = 3 * softmax(-x)");
    expect(define("w(x[]) = logsumexp(x) - max(x)").toString()).toBe("w(x[]) = logsumexp(x) - max(x)");
  });

  test("LaTeX: sums, maxima, elements and softmax as a textbook writes them", () => {
    expect(toLatex(define("softmax(x[]) = exp(x) / sum(exp(x))").written)).toBe("\\frac{e^{x_{i}}}{\\sum_{k} e^{x_{k}}}");
    expect(toLatex(define("softmax").expr)).toBe("\\operatorname{softmax}\\left(x\\right)_{i}");
    expect(toLatex(define("m(x[]) = max(x)").expr)).toBe("\\max_{k} x_{k}");
  });
});

describe("errors: positioned, with a hint", () => {
  test.each([
    ["f(x[]) = swish(1; beta = x)", "E_TYPE", "a vector is used where a number is needed", 26],
    ["f(x) = sum(x)", "E_TYPE", "sum takes a vector, not a number", 12],
    ["f(x[]) = groupmax(x)", "E_ARITY", "groupmax takes a vector and 1 number, not 1 argument", 10],
    ["f(x[]) = sum(x, x)", "E_ARITY", "sum takes one vector, not 2 arguments", 10],
    ["f(x[]; k = 2) = x + groupmax(x, k)", "E_TYPE", "vectors of different lengths (len(x) and len(x) / k) are combined", 17],
    ["f(x) = x_i", "E_UNKNOWN_NAME", "unknown name 'x_i'", 8],
    ["f(x) = x[0]", "E_TYPE", "'x' is a number, not a vector; only a vector has elements", 8],
  ])("%s → %s", (source, code, message, column) => {
    const err = errorOf(() => resolveTopLevel(parseTopLevel(source), source, catalogScope));
    expect(err.code).toBe(code);
    expect(err.summary).toBe(message);
    if (column !== undefined) expect(err.span?.column).toBe(column);
    expect(err.hint?.length ?? 0).toBeGreaterThan(5);
  });
});
