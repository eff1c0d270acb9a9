import { describe, expect, test } from "vitest";
import type { Expr } from "../../src/ast/nodes.js";
import { catalogScope } from "../../src/catalog/catalog.js";
import { ActdiffError } from "../../src/errors.js";
import { allParses, parseClaim, parseTopLevel } from "../../src/parse/parse.js";
import { resolveClaim } from "../../src/parse/resolve.js";
import { readClaim } from "../../src/verify/claims.js";
import { describeDomain } from "../../src/verify/domain.js";

/**
 * The claim notations, as a table: each line is a claim as people write it and the same claim in
 * the plain `diff(…) = …` form. Every claim must have exactly one parse (a second one is a
 * grammar bug, as in test/parse/ambiguity.test.ts), and both must resolve to the same trees.
 */
const sides = (src: string): [Expr, Expr] => {
  const c = readClaim(src, catalogScope);
  return [c.left, c.right];
};

describe("derivative notations read as diff(…)", () => {
  test.each([
    ["tanh'(x) = 1 - tanh(x)^2", "diff(tanh(x), x) = 1 - tanh(x)^2"],
    ["tanh′(x) = 1 - tanh(x)^2", "diff(tanh(x), x) = 1 - tanh(x)^2"],
    ["tanh''(x) = -2 * tanh(x) * (1 - tanh(x)^2)", "diff(tanh(x), x, 2) = -2 * tanh(x) * (1 - tanh(x)^2)"],
    ["tanh″(x) = 0", "diff(tanh(x), x, 2) = 0"],
    ["sigmoid'(z) = sigmoid(z) * (1 - sigmoid(z))", "diff(sigmoid(z), z) = sigmoid(z) * (1 - sigmoid(z))"],
    ["d/dx softplus(x) = sigmoid(x)", "diff(softplus(x), x) = sigmoid(x)"],
    ["d/dz softplus(z) = sigmoid(z)", "diff(softplus(z), z) = sigmoid(z)"],
    ["d^2/dx^2 tanh(x) = 0", "diff(tanh(x), x, 2) = 0"],
    ["d/dx(x * sigmoid(x)) = 1", "diff(x * sigmoid(x), x) = 1"], // the expression reading d / dx(…), read as the operator
    ["d^2/dx^2 (x^3) = 6x", "diff(x^3, x, 2) = 6x"],
    ["sigmoid(x) * (1 - sigmoid(x)) = sigmoid'(x)", "sigmoid(x) * (1 - sigmoid(x)) = diff(sigmoid(x), x)"],
    ["elu'(x) = 1", "diff(elu(x), x) = 1"],
    // a parameter the operator names is free, not its default
    ["d/dbeta swish(x) = x", "diff(swish(x; beta = beta), beta) = x"],
    ["d/dbeta swish(x; beta) = x", "diff(swish(x; beta), beta) = x"],
    ["d/dβ swish(x) = x", "diff(swish(x; beta = beta), beta) = x"],
    ["swish'(x) = 1 for beta > 0", "diff(swish(x; beta = beta), x) = 1"],
    ["swish'(x) = 1", "diff(swish(x), x) = 1"], // no range: the default beta = 1
  ])("%s", (notation, plain) => {
    expect(allParses(notation.replace(/ for .*$/, ""), "claim")).toHaveLength(1);
    expect(allParses(notation, "claim")).toHaveLength(1);
    expect(sides(notation)).toEqual(sides(plain));
  });
});

describe("clauses", () => {
  test("where: the names are substituted, the sides as written are kept", () => {
    const c = readClaim("tanh'(x) = 1 - y^2 where y = tanh(x)", catalogScope);
    expect(c.right).toEqual(sides("diff(tanh(x), x) = 1 - tanh(x)^2")[1]);
    expect(c.written.right).toEqual(resolveClaim(parseClaim("x = 1 - y^2"), "x = 1 - y^2", catalogScope).right);
    expect(c.where.map((b) => b.name)).toEqual(["y"]);
  });

  test("several names in one where, and where before for", () => {
    const c = readClaim("diff(swish(x; beta), x) = s + beta * x * s * (1 - s) where s = sigmoid(beta * x), t = 1 for beta > 0", catalogScope);
    expect(c.where.map((b) => b.name)).toEqual(["s", "t"]);
    expect([...c.domain.keys()]).toEqual(["beta"]);
  });

  test.each([
    ["for beta > 0", "beta > 0"],
    ["for beta >= 0", "beta >= 0"],
    ["for 0 < beta < 2", "0 < beta < 2"],
    ["for 0 <= beta < 2, x > -1", "0 <= beta < 2, x > -1"],
    ["for 2 > beta", "beta < 2"],
    ["for beta > 0, beta < 3, beta > 1", "1 < beta < 3"],
  ])("ranges: %s", (clause, domain) => {
    expect(describeDomain(readClaim(`swish(x; beta) = x * sigmoid(beta * x) ${clause}`, catalogScope).domain)).toBe(domain);
  });

  test("a range must bound one name by numbers, and not be empty", () => {
    expect(() => readClaim("swish(x; beta) = 1 for beta > gamma", catalogScope)).toThrow(/cannot read the condition 'beta > gamma' as a range/);
    expect(() => readClaim("swish(x; beta) = 1 for beta > 2, beta < 1", catalogScope)).toThrow(/the range of 'beta' is empty/);
    expect(() => readClaim("swish(x; beta) = 1 where beta = 2 for beta > 0", catalogScope)).toThrow(/both named by where and ranged by for/);
  });
});

describe("exactly one parse, and main is unchanged", () => {
  test.each([
    "f'(x) = 1", "f''(x) = 1", "f'(x; beta) = 1", "f'(x, y) = 1", "d/dx f(x) = 1", "d/dx f(x; beta = 2) = 1", "d^2/dx^2 f(x) = 1",
    "d^3/dx^3 f(x) = f'(x)", "d/dx f(x) = d/dx g(x)", "d / dx f(x) = 1", "d/dx(x) = 1", "d/dx (x) = 1", "d^2/dx^2 (x) = 1",
    "x = 1 where y = 2", "x = 1 where y = 2, z = x + 1", "x = 1 for a > 0", "x = 1 for 0 < a < 1", "x = 1 for a > 0, b <= 2",
    "x = 1 where y = 2 for a > 0", "x = 1 for a > 0 where y = 2", "x = 1 where y = x > 0 ? 1 : 0", "d/dbeta swish(x; beta) = x for beta > 0",
    "where = for", "for(x) = where(x)", // the clause words are still names elsewhere
  ])("%j", (src) => {
    expect(allParses(src, "claim")).toHaveLength(1);
  });

  test("the notations belong to claims only: main rejects them", () => {
    for (const src of ["f'(x)", "d/dx f(x)", "tanh'(x) + 1"]) {
      expect(() => parseTopLevel(src)).toThrow(ActdiffError);
    }
    expect(allParses("d/dx")).toHaveLength(1); // d divided by dx, as before
  });

  test("a claim that is not one", () => {
    expect(() => parseClaim("d/dx f(x)")).toThrow(/unexpected end of input/);
    expect(() => parseClaim("x = y where")).toThrow(/unexpected end of input/);
    expect(() => parseClaim("x = 1 for y")).toThrow(/unexpected end of input/);
  });

  test("a prime needs a variable to differentiate by", () => {
    expect(() => readClaim("tanh'(2 * x) = 1", catalogScope)).toThrow(/the second argument of diff must be a variable name/);
  });
});

describe("LaTeX claims", () => {
  test("a claim with a backslash is read as LaTeX", () => {
    expect(sides(String.raw`\frac{d}{dx} \tanh(x) = 1 - \tanh^2(x)`)).toEqual(sides("diff(tanh(x), x) = 1 - tanh(x)^2"));
    expect(readClaim(String.raw`\sigma'(z) = \sigma(z)(1 - \sigma(z))`, catalogScope).variable).toBe("z");
  });

  test("a chain is for `actdiff check`; an unknown function cannot be checked", () => {
    expect(() => readClaim(String.raw`a = b = c \cdot 1`, catalogScope)).toThrow(/a claim has two sides; this has 3/);
    expect(() => readClaim(String.raw`g'(x) = 1`, catalogScope)).toThrow(/unknown function 'g'/);
  });
});

describe("a definition is not a claim", () => {
  const code = (f: () => unknown): string | undefined => {
    try {
      f();
    } catch (err) {
      return err instanceof ActdiffError ? `${err.code}: ${err.summary}` : String(err);
    }
    return undefined;
  };

  test("a new name applied to its variables, `= …`: refused as a definition, never verified or refuted", () => {
    for (const claim of ["k(x) = tanh(2*x)", "act(x, y) = x * sigmoid(y)", String.raw`h(x) = \frac{x}{1+|x|}`, String.raw`\mathrm{k}(x) = \tanh(2x)`]) {
      expect(code(() => readClaim(claim, catalogScope)), claim).toMatch(/^E_USAGE: this defines (k|act|h): a definition is not a claim, so there is nothing to verify$/);
    }
  });

  test("a known function restated is a claim; an unknown function elsewhere is unknown", () => {
    expect(code(() => readClaim("sigmoid(x) = 1 / (1 + exp(-x))", catalogScope))).toBeUndefined();
    expect(code(() => readClaim(String.raw`\sigma(x) = \frac{1}{1+e^{-x}}`, catalogScope))).toBeUndefined();
    expect(code(() => readClaim("k(2*x) = 1", catalogScope))).toMatch(/^E_UNKNOWN_NAME/);
    expect(code(() => readClaim("diff(k(x), x) = 1", catalogScope))).toMatch(/^E_UNKNOWN_NAME/);
  });
});
