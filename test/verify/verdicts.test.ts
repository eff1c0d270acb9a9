import { describe, expect, test } from "vitest";
import { parse, scopeOf, verify } from "../../src/index.js";
import { catalogScope } from "../../src/catalog/catalog.js";
import { ActdiffError } from "../../src/errors.js";

/**
 * Golden cases for each verdict: the claim, the verdict, and what decided it. A proof names its
 * procedure; a verification states its points and digits; a refutation carries a point with both
 * sides' values (and the piece); an undecided claim says why.
 */
describe("proved: decided symbolically", () => {
  test.each([
    // the exp-rational decision procedure
    ["diff(softplus(x), x) = sigmoid(x)", "exp-rational"],
    ["diff(sigmoid(x), x) = sigmoid(x) * (1 - sigmoid(x))", "exp-rational"],
    ["tanh'(x) = 1 - tanh(x)^2", "exp-rational"],
    ["sigmoid(-x) = 1 - sigmoid(x)", "exp-rational"],
    ["tanh(x) = 2*sigmoid(2x) - 1", "exp-rational"],
    ["tanh'(x) = 1 - y^2 where y = tanh(x)", "exp-rational"],
    ["sigmoid'(x) = y * (1 - y) where y = sigmoid(x)", "exp-rational"],
    ["d/dbeta swish(x) = x^2 * sigmoid(beta*x) * (1 - sigmoid(beta*x))", "exp-rational"],
    ["swish'(x) = sigmoid(beta*x) * (1 + beta*x*(1 - sigmoid(beta*x))) for beta > 0", "exp-rational"],
    ["tanh''(x) = -2 * tanh(x) * (1 - tanh(x)^2)", "exp-rational"],
    ["x / x = 1", "exp-rational"], // equal wherever both sides are defined
    // sqrt(pi), outside the class, read as a free constant: the identity holds whatever its value
    ["diff(erf(x), x) = 2/sqrt(pi) * exp(-x^2)", "exp-rational"],
    // simplification of lhs − rhs to 0, where the procedure does not reach (log of a sum, atan, erf)
    ["softplus(x) = log(1 + exp(x))", "simplification"],
    ["d/dx xwish(x; beta) = (atan(beta*x) + pi/2)/pi + beta*x/(pi*(1 + (beta*x)^2))", "simplification"],
    // piece by piece, each piece by the procedure
    ["relu6(x) = min(max(0, x), 6)", "piecewise"],
    ["diff(relu(x), x) = x >= 0 ? 1 : 0", "piecewise"],
    ["d/dx relu6(x) = x > 0 and x < 6 ? 1 : 0", "piecewise"],
  ])("%s  [%s]", (claim, procedure) => {
    const r = verify(claim);
    expect(r).toMatchObject({ verdict: "proved", status: "holds", method: "symbolic", evidence: { procedure } });
    expect(r.counterexample).toBeUndefined();
  });

  test("piece by piece: the pieces, and what each side does at the breakpoint, where it is a convention", () => {
    const r = verify("diff(relu(x), x) = x >= 0 ? 1 : 0");
    expect(r.evidence).toMatchObject({ pieces: [{ piece: "x < 0", by: "exp-rational" }, { piece: "x > 0", by: "exp-rational" }], breakpoints: [0] });
    expect(r.detail).toBe("proved piece by piece (x < 0: exp-rational; x > 0: exp-rational); at the breakpoint 0 the value is a convention, not compared");
    expect(r.conventions).toEqual(["at x = 0 the left side is 0 and the right side 1: the value at a breakpoint is a convention, not compared"]);
  });
});

describe("verified: 40 digits at every sample point, no proof", () => {
  test("trigonometry is outside the class: sampled, and the verdict says how much", () => {
    const r = verify("sin(x)^2 + cos(x)^2 = 1");
    expect(r).toMatchObject({ verdict: "verified", status: "holds", method: "numeric", digits: 40, evidence: { procedure: "sampling", digits: 40 } });
    expect(r.points).toBeGreaterThanOrEqual(30);
    expect(r.detail).toMatch(/^both sides agree to 40 significant digits at \d+ points; not proved \(cos\(x\): cos is trigonometric/);
  });

  test("a range for the variable: sampled only inside it, next to its end included", () => {
    const r = verify("atan(x) + atan(1/x) = pi/2 for x > 0");
    expect(r).toMatchObject({ verdict: "verified", evidence: { domain: "x > 0" } });
    expect(r.detail).toContain(", for x > 0;");
    // without the range it is false, and the counterexample is on the other side of 0
    expect(verify("atan(x) + atan(1/x) = pi/2")).toMatchObject({ verdict: "refuted", counterexample: { at: { x: -1 } } });
  });

  test("a range for a parameter: tried inside it; with no range, a negative value too", () => {
    const within = verify("sqrt(a^2) * x = a * x for a > 0");
    expect(within).toMatchObject({ verdict: "verified" });
    expect(within.evidence.parameters).toEqual({ a: [1, 0.5, 1.75, 0.001, 20] }); // ordinary values, and 10⁻³ from the open end
    const everywhere = verify("sqrt(a^2) * x = a * x");
    expect(everywhere).toMatchObject({ verdict: "refuted", counterexample: { at: { a: -1.5 } } });
  });

  test("compared where both sides are defined, and it says so", () => {
    const r = verify("log(x) = log(abs(x))");
    expect(r.verdict).toBe("verified");
    expect(r.evidence.undefinedPoints).toBeGreaterThan(0);
    expect(r.detail).toContain("compared where both are defined");
  });
});

describe("refuted: a counterexample with both sides' values", () => {
  test("issue 2's example", () => {
    const r = verify("diff(sigmoid(x), x) = sigmoid(x) * (1 + sigmoid(x))");
    expect(r).toMatchObject({
      verdict: "refuted", status: "refuted", method: "numeric",
      counterexample: { at: { x: 1 }, lhs: "0.19661193324148185254", rhs: "1.265505224018527906" },
      evidence: { procedure: "exp-rational" },
    });
    expect(r.detail).toBe("the two sides differ at x = 1 (and the exp-rational decision procedure proves them different)");
  });

  test("a piecewise claim: the piece where it fails", () => {
    const r = verify("diff(relu(x), x) = 1");
    expect(r).toMatchObject({ verdict: "refuted", counterexample: { at: { x: -1 }, lhs: "0", rhs: "1", piece: "otherwise (not x > 0)" }, evidence: { procedure: "piecewise" } });
    expect(r.detail).toBe("the two sides differ on the piece x < 0, e.g. at x = -1 (there the exp-rational decision procedure proves them different)");
  });

  test("only on one piece of many", () => {
    const r = verify("d/dx relu6(x) = x > 0 ? 1 : 0");
    expect(r).toMatchObject({ verdict: "refuted", counterexample: { at: { x: 7 }, lhs: "0", rhs: "1" } });
    expect(r.detail).toContain("on the piece x > 6");
  });

  test("constants", () => {
    expect(verify("pi = 3.14159")).toMatchObject({ verdict: "refuted", counterexample: { at: {}, lhs: "3.1415926535897932385", rhs: "3.14159" } });
  });
});

describe("undecided: neither, and why", () => {
  test("a side that cancels to 0 cannot be certified to 40 significant digits", () => {
    const r = verify("sin(x)^2 + cos(x)^2 - 1 = 0");
    expect(r).toMatchObject({ verdict: "undecided", status: "undecided" });
    expect(r.detail).toMatch(/^no symbolic proof \(cos\(x\): cos is trigonometric.*\), and only \d sample points? could be compared: at \d+ the sides are 0 or cancel to 0/);
    expect(r.evidence.reason).toBe(r.detail);
  });

  test("a side defined almost nowhere", () => {
    const r = verify("sqrt(-1 - x^2) = sqrt(-2 - x^2)");
    expect(r).toMatchObject({ verdict: "undecided" });
    expect(r.detail).toMatch(/at \d+ a side is undefined/);
  });
});

describe("claims about a user's definitions", () => {
  test("verify(claim, {scope}) resolves the user's names", () => {
    const scope = scopeOf([parse("logish(x) = x * log(1 + sigmoid(x))")], catalogScope);
    expect(verify("logish'(x) = log(1 + sigmoid(x)) + x * sigmoid(x) * (1 - sigmoid(x)) / (1 + sigmoid(x))", { scope }).status).toBe("holds");
    expect(() => verify("logish'(x) = 1")).toThrow(ActdiffError);
  });
});
