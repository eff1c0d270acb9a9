import { describe, expect, test } from "vitest";
import { printRandoms, print } from "../../src/ast/print.js";
import { catalogScope } from "../../src/catalog/catalog.js";
import type { ErrorCode } from "../../src/errors.js";
import { allParses, parseClaim, parseTopLevel } from "../../src/parse/parse.js";
import { resolveClaim, resolveTopLevel } from "../../src/parse/resolve.js";
import { errorOf } from "../support/errors.js";

/**
 * Random variables are declarations of a definition, in a trailing clause:
 * `f(x; …) = body where a ~ uniform(lower, upper), y ~ normal(0, sigma)` (`,` or `and` between
 * them). The body uses them as plain symbols; the definition's body is its evaluation form, each
 * variable replaced by its mean.
 */
const resolve = (src: string) => resolveTopLevel(parseTopLevel(src), src, catalogScope);

/** source  ==>  the body as written (given the draws)  |  the random clause  |  the evaluation form */
const GOLDEN: readonly [string, string, string, string][] = [
  ["f(x; lower = 1/8, upper = 1/3) = x > 0 ? x : a * x where a ~ uniform(lower, upper)",
    "x > 0 ? x : a * x", "where a ~ uniform(lower, upper)", "x > 0 ? x : x * (lower / 2 + upper / 2)"],
  ["f(x; sigma = 1) = x >= 0 ? x + y : 0 where y ~ normal(0, sigma)",
    "x >= 0 ? x + y : 0", "where y ~ normal(0, sigma)", "x >= 0 ? x : 0"],
  ["f(x) = a * x + b where a ~ uniform(0, 1), b ~ normal(2, 0.5)",
    "b + a * x", "where a ~ uniform(0, 1), b ~ normal(2, 1/2)", "2 + x / 2"],
  ["f(x) = a * x + b where a ~ uniform(0, 1) and b ~ normal(2, 0.5)",
    "b + a * x", "where a ~ uniform(0, 1), b ~ normal(2, 1/2)", "2 + x / 2"],
  ["f(x; s = 2) = x * sigmoid(x + z) where z ~ normal(1 - s, s^2)",
    "x * sigmoid(x + z)", "where z ~ normal(1 - s, s^2)", "x * sigmoid(1 - s + x)"],
  // Nair and Hinton's form of the noisy ReLU (see the catalog's noisy_relu)
  ["nrelu(x) = max(0, x + sqrt(sigmoid(x)) * z) where z ~ normal(0, 1)",
    "max(0, x + z * sqrt(sigmoid(x)))", "where z ~ normal(0, 1)", "max(0, x)"],
  ["g(a, b) = a * sigmoid(b) * m where m ~ uniform(0.9, 1.1)",
    "a * m * sigmoid(b)", "where m ~ uniform(0.9, 1.1)", "a * sigmoid(b)"],
  ["f(x) = x * a where a ~ uniform(pi, 2 * pi)",
    "a * x", "where a ~ uniform(pi, 2 * pi)", "3 * pi * x / 2"],
  ["f(x) =\n  x * a\n  where a ~ uniform(0, 1)", "a * x", "where a ~ uniform(0, 1)", "x / 2"],
];

describe("definitions with random variables", () => {
  test.each(GOLDEN)("%j", (src, written, clause, evaluation) => {
    expect(allParses(src)).toHaveLength(1);
    const d = resolve(src);
    expect(print(d.stochastic!.body)).toBe(written);
    expect(printRandoms(d.stochastic!.randoms)).toBe(clause);
    expect(print(d.body)).toBe(evaluation);
  });

  test("a definition without a where clause draws nothing", () => {
    expect(resolve("f(x) = x * a where a ~ uniform(0, 1)").stochastic).toBeDefined();
    expect(resolve("f(x; a = 1) = x * a").stochastic).toBeUndefined();
  });

  test("the printed definition and clause parse back to the same random variables and body", () => {
    for (const [src] of GOLDEN) {
      const d = resolve(src);
      const again = resolve(`${d.name}(${d.inputs.join(", ")}${d.params.length ? `; ${d.params.map((p) => `${p.name} = ${print(p.defaultValue!)}`).join(", ")}` : ""}) = ${print(d.stochastic!.body)} ${printRandoms(d.stochastic!.randoms)}`);
      expect(again.stochastic!.body).toBe(d.stochastic!.body);
      expect(again.stochastic!.randoms).toEqual(d.stochastic!.randoms);
      expect(again.body).toBe(d.body);
    }
  });

  test("a call of a definition that draws inlines its evaluation form", () => {
    const scope = { lookup: (n: string) => (n === "f" ? resolve("f(x) = x * a where a ~ uniform(0, 1)") : catalogScope.lookup(n)), names: () => catalogScope.names() };
    const src = "h(x) = 2 * f(x) + 1";
    const caller = resolveTopLevel(parseTopLevel(src), src, scope);
    expect(print(caller.body)).toBe("1 + x");
    expect(caller.stochastic).toBeUndefined();
  });

  test("a claim's where clause still binds names", () => {
    const src = "diff(tanh(x), x) = 1 - y^2 where y = tanh(x)";
    expect(allParses(src, "claim")).toHaveLength(1);
    expect(resolveClaim(parseClaim(src), src, catalogScope).where.map((b) => b.name)).toEqual(["y"]);
  });
});

interface Expected { code: ErrorCode; line: number; column: number; message: string }

const ERRORS: readonly [string, string, Expected][] = [
  ["an unknown distribution, with did-you-mean", "f(x) = x * a where a ~ unifrom(0, 1)", {
    code: "E_UNKNOWN_NAME", line: 1, column: 24, message: [
      "error[E_UNKNOWN_NAME]: unknown distribution 'unifrom' (line 1, column 24)",
      "  1 | f(x) = x * a where a ~ unifrom(0, 1)",
      "    |                        ^^^^^^^",
      "hint: did you mean 'uniform'?",
    ].join("\n"),
  }],
  ["an unknown distribution, with the list", "f(x) = x * a where a ~ gamma(2, 1)", {
    code: "E_UNKNOWN_NAME", line: 1, column: 24, message: [
      "error[E_UNKNOWN_NAME]: unknown distribution 'gamma' (line 1, column 24)",
      "  1 | f(x) = x * a where a ~ gamma(2, 1)",
      "    |                        ^^^^^",
      "hint: the distributions: uniform(lower, upper), normal(mean, sd)",
    ].join("\n"),
  }],
  ["the wrong number of arguments", "f(x) = x + y where y ~ normal(1)", {
    code: "E_ARITY", line: 1, column: 24, message: [
      "error[E_ARITY]: normal takes 2 arguments, not 1 (line 1, column 24)",
      "  1 | f(x) = x + y where y ~ normal(1)",
      "    |                        ^^^^^^",
      "hint: normal(mean, sd): normal with this mean and standard deviation (not variance), as torch.normal",
    ].join("\n"),
  }],
  ["a random variable named like an input", "f(x) = x where x ~ normal(0, 1)", {
    code: "E_DEFINITION", line: 1, column: 16, message: [
      "error[E_DEFINITION]: 'x' is an input of f; a random variable needs a name of its own (line 1, column 16)",
      "  1 | f(x) = x where x ~ normal(0, 1)",
      "    |                ^",
      "hint: choose another name for the random variable",
    ].join("\n"),
  }],
  ["a random variable named like a parameter", "f(x; a = 1) = a * x where a ~ uniform(0, 1)", {
    code: "E_DEFINITION", line: 1, column: 27, message: [
      "error[E_DEFINITION]: 'a' is a parameter of f; a random variable needs a name of its own (line 1, column 27)",
      "  1 | f(x; a = 1) = a * x where a ~ uniform(0, 1)",
      "    |                           ^",
      "hint: choose another name for the random variable",
    ].join("\n"),
  }],
  ["a random variable in a parameter's default", "f(x; s = 2 * a) = s * a * x where a ~ uniform(0, 1)", {
    code: "E_PARAM", line: 1, column: 14, message: [
      "error[E_PARAM]: the default of 's' uses the random variable 'a' (line 1, column 14)",
      "  1 | f(x; s = 2 * a) = s * a * x where a ~ uniform(0, 1)",
      "    |              ^",
      "hint: it is fixed for a whole call, while a random variable is drawn for every element: use constants",
    ].join("\n"),
  }],
  ["an input in a distribution's arguments", "f(x) = x + y where y ~ normal(0, abs(x))", {
    code: "E_DEFINITION", line: 1, column: 38, message: [
      "error[E_DEFINITION]: a distribution's arguments cannot use the input 'x' (line 1, column 38)",
      "  1 | f(x) = x + y where y ~ normal(0, abs(x))",
      "    |                                      ^",
      "hint: they are fixed for a whole call: use parameters and constants",
    ].join("\n"),
  }],
  ["constant arguments that define no distribution", "f(x) = a * x where a ~ uniform(1/3, 1/8)", {
    code: "E_PARAM", line: 1, column: 20, message: [
      "error[E_PARAM]: 'a' cannot be drawn: its lower bound 0.3333333333333333 exceeds its upper bound 0.125 (line 1, column 20)",
      "  1 | f(x) = a * x where a ~ uniform(1/3, 1/8)",
      "    |                    ^^^^^^^^^^^^^^^^^^^^^",
      "hint: give lower ≤ upper",
    ].join("\n"),
  }],
  ["a claim's binding in a definition", "f(x) = x * y where y = tanh(x)", {
    code: "E_SYNTAX", line: 1, column: 22, message: [
      "error[E_SYNTAX]: unexpected '=' (line 1, column 22)",
      "  1 | f(x) = x * y where y = tanh(x)",
      "    |                      ^",
      "hint: expected '~'",
    ].join("\n"),
  }],
];

describe("errors in random variables: code, position, caret and hint", () => {
  test.each(ERRORS)("%s: %j", (_what, src, expected) => {
    const err = errorOf(() => resolve(src));
    expect({ code: err.code, line: err.line, column: err.column, message: err.message }).toEqual(expected);
  });

  test.each<[string, ErrorCode, number, number, string]>([
    ["f(x) = x where a ~ normal(0, 1)", "E_DEFINITION", 1, 16, "the random variable 'a' is drawn but never used"],
    ["f(x) = a * x where a ~ uniform(0, 1), a ~ normal(0, 1)", "E_DEFINITION", 1, 39, "the random variable 'a' is declared twice"],
    ["f(x) = x * pi where pi ~ uniform(0, 1)", "E_DEFINITION", 1, 21, "'pi' is a builtin name and cannot be a random variable"],
    ["f(x) = x * exp where exp ~ uniform(0, 1)", "E_DEFINITION", 1, 22, "'exp' is a builtin name and cannot be a random variable"],
    ["f(x) = a * b * x where a ~ uniform(0, 1), b ~ normal(a, 1)", "E_DEFINITION", 1, 54, "a distribution's arguments cannot use the random variable 'a'"],
    ["f(x) = a * x where a ~ uniform(0, upper)", "E_UNKNOWN_NAME", 1, 35, "unknown name 'upper'"],
    ["f(x) = x + y where y ~ normal(0, -1)", "E_PARAM", 1, 20, "'y' cannot be drawn: its standard deviation -1 is negative"],
    ["f(x) = x + y where y ~ constructor(0, 1)", "E_UNKNOWN_NAME", 1, 24, "unknown distribution 'constructor'"],
    ["f(x) = x + y where y ~ normal(0, 1 > 0)", "E_TYPE", 1, 34, "a condition is used where a number is needed"],
    ["f(x) = x + y where y ~ normal", "E_EOF", 1, 30, "unexpected end of input"],
    ["x + y where y ~ normal(0, 1)", "E_SYNTAX", 1, 7, "unexpected name 'where'"],
  ])("%j → %s at %i:%i: %s", (src, code, line, column, summary) => {
    const err = errorOf(() => resolve(src));
    expect([err.code, err.line, err.column, err.summary]).toEqual([code, line, column, summary]);
  });
});
