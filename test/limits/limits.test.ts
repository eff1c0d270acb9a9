import { describe, expect, it } from "vitest";
import { ActdiffError, analyze, define, LIMITS, print, simplify } from "../../src/index.js";
import { asTooLarge } from "../../src/limits.js";

// Every input of issue 17 §1 that overflowed the stack, ran for minutes or threw something other
// than an ActdiffError: within the documented limits (README, "Limits") each stage handles it, in
// time about linear in its size; beyond them it is an E_TOO_LARGE at the place it is exceeded.

const sum = (n: number, term: (i: number) => string): string => Array.from({ length: n }, (_, i) => term(i)).join(" + ");
const nested = (fn: string, n: number): string => `${fn}(`.repeat(n) + "x" + ")".repeat(n);

/** The error thrown by f, which must be an ActdiffError. */
function errorOf(f: () => unknown): ActdiffError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(ActdiffError);
    return err as ActdiffError;
  }
  throw new Error("expected an error");
}

/** Every stage that takes one definition, run to the end. */
function everyStage(source: string, { derivative = true } = {}): void {
  const f = define(source);
  print(f.expr);
  simplify(f.written);
  f.toLatex();
  const g = f.compile();
  expect(Number.isNaN(g(0.5))).toBe(false);
  if (derivative) {
    const d = f.derivative();
    print(d.expr);
    d.compile()(0.5);
  }
}

describe("flat sums and products", () => {
  it("a sum of 5,001 terms (4,000 overflowed the stack) goes through every stage", () => {
    everyStage(sum(5001, () => "x"));
    everyStage(sum(5001, (i) => `${(i % 9) + 1} * sin(x + ${i})`));
  }, 120_000);

  it("a sum of 100,000 terms is one n-ary sum, read in time linear in its length", () => {
    const f = define(sum(100_000, (i) => `${(i % 7) + 1}*x^${i % 5}`));
    expect(f.expr.kind).toBe("add");
    const d = f.derivative();
    expect(d.compile()(1)).toBeCloseTo(d.evaluate(1), 6);
  }, 240_000);

  it("powers in a flat sum are no tower: 3,000 terms − x^2 + x^3 − … parse; x^-x^-x … 3,000 high is still E_TOO_LARGE", () => {
    const f = define(Array.from({ length: 3000 }, (_, i) => `${i % 2 ? "+" : "-"} x^${(i % 50) + 2}`).join(" ") + " + x^2");
    expect(f.expr.kind).toBe("add");
    expect(errorOf(() => define(Array.from({ length: 3000 }, () => "x").join("^-"))).code).toBe("E_TOO_LARGE");
    expect(errorOf(() => define(Array.from({ length: 3000 }, () => "x").join(" ^ + "))).code).toBe("E_TOO_LARGE");
  });

  it("a product of 2,000 factors goes through every stage", () => {
    everyStage(Array.from({ length: 2000 }, (_, i) => `(x + ${i + 1})`).join(" * "), { derivative: false });
  }, 120_000);
});

describe("nesting", () => {
  it(`${LIMITS.depth} nested calls of exp, tanh and sigmoid parse, print, typeset and compile`, () => {
    for (const fn of ["exp", "tanh", "sigmoid"]) everyStage(nested(fn, LIMITS.depth), { derivative: false });
  }, 240_000);

  it("the derivative of tanh and sigmoid nested 300 deep compiles, with the value of its formula", () => {
    for (const fn of ["tanh", "sigmoid"]) {
      const d = define(nested(fn, 300)).derivative();
      expect(d.compile()(0.5)).toBeCloseTo(d.evaluate(0.5), 12);
    }
  }, 240_000);

  it("the derivative of sigmoid nested 13 deep compiles in a moment (it took 23.6 s, 3.4× more each level)", () => {
    const d = define(nested("sigmoid", 13)).derivative();
    const start = performance.now();
    d.compile();
    d.compile({ stable: true });
    expect(performance.now() - start).toBeLessThan(10_000);
  }, 60_000);

  it("5,000 unary minuses, exp( 2,000 deep and tanh( 10,000 deep are E_TOO_LARGE where the limit is passed", () => {
    const minus = errorOf(() => define("-".repeat(5000) + "x"));
    expect(minus.code).toBe("E_TOO_LARGE");
    expect(minus.column).toBe(LIMITS.depth + 1);
    expect(define("-".repeat(LIMITS.depth) + "x").expr).toEqual(define("x").expr);
    const exp = errorOf(() => define(nested("exp", 2000)));
    expect(exp.code).toBe("E_TOO_LARGE");
    expect(exp.column).toBe(4 * LIMITS.depth + 4);
    expect(errorOf(() => define(nested("tanh", 10_000))).code).toBe("E_TOO_LARGE");
    expect(errorOf(() => define(Array.from({ length: 3000 }, () => "x").join("^"))).code).toBe("E_TOO_LARGE");
    expect(errorOf(() => define("(x < 1 ? ".repeat(1500) + "x" + " : 0)".repeat(1500))).code).toBe("E_TOO_LARGE");
    expect(errorOf(() => define("x < 1 ? ".repeat(1500) + "x" + " : 0".repeat(1500))).code).toBe("E_TOO_LARGE");
  }, 60_000);

  it("10,000 parentheses are beyond the limit too, with the caret at the first one past it", () => {
    const e = errorOf(() => define("(".repeat(10_000) + "x" + ")".repeat(10_000)));
    expect(e.code).toBe("E_TOO_LARGE");
    expect(e.column).toBe(LIMITS.depth + 1);
    // The line shown is a window around the caret, not 20,001 characters.
    expect(e.message.split("\n")[1]!.length).toBeLessThan(140);
  });

  it("a stack overflow that gets past the limits is converted to E_TOO_LARGE at the boundary", () => {
    const deep = (n: number): number => (n === 0 ? 0 : 1 + deep(n - 1));
    let overflow: unknown;
    try {
      deep(1e7);
    } catch (err) {
      overflow = err;
    }
    const converted = asTooLarge(overflow);
    expect(converted).toBeInstanceOf(ActdiffError);
    expect((converted as ActdiffError).code).toBe("E_TOO_LARGE");
    const other = new RangeError("Invalid array length");
    expect(asTooLarge(other)).toBe(other);
  });
});

describe("numbers and orders", () => {
  it("number literals have a limit, with a positioned error (BigInt overflowed, 1e9999999 printed 10 MB)", () => {
    const huge = errorOf(() => define("1e99999999999*x"));
    expect([huge.code, huge.column, huge.span?.length]).toEqual(["E_TOO_LARGE", 1, 13]);
    const big = errorOf(() => define("x + 1e9999999"));
    expect([big.code, big.column]).toEqual(["E_TOO_LARGE", 5]);
    expect(errorOf(() => define(`${"9".repeat(LIMITS.literalDigits + 1)} * x`)).code).toBe("E_TOO_LARGE");
    expect(print(define("1e300 * x").expr)).toContain("x");
    expect(errorOf(() => define("x * 1e-99999")).code).toBe("E_TOO_LARGE");
  });

  it("derivative orders have a limit, and a result a size budget (x^x grows sevenfold every two orders)", () => {
    expect(errorOf(() => define("swish").derivative("x", 100)).code).toBe("E_TOO_LARGE");
    const start = performance.now();
    const xx = errorOf(() => define("x^x").derivative("x", 20));
    expect(xx.code).toBe("E_TOO_LARGE");
    expect(xx.summary).toMatch(/order 1[0-9] of f is [0-9,]+ nodes long/);
    expect(performance.now() - start).toBeLessThan(60_000);
    expect(define("swish").derivative("x", 12).compile()(0.5)).toBeTypeOf("number");
  }, 120_000);
});

describe("props", () => {
  it("clip(x < 3.072 ? 1 : x, -1, 2) has its moments (regions.find found no region)", () => {
    const sheet = analyze(define("clip(x < 3.072 ? 1 : x, -1, 2)"));
    expect(Number.isFinite(sheet.meanUnderNormal.mean)).toBe(true);
  }, 120_000);
});
