import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { define } from "../../src/index.js";
import { oneInputActivations } from "../../src/catalog/catalog.js";
import { errorOf } from "../support/errors.js";

/**
 * compile(), derivative().compile() and compileValueAndGrad() return the generated function
 * itself, its parameters handled inside it (issue 17 §6): no wrapper between a caller's call site
 * and the formula. It computes what the CSP interpreter computes (a wrapper around its closures),
 * bit for bit, with and without a record of parameters.
 */
const names = oneInputActivations().map((e) => e.name).filter((n) => define(n).definition.stochastic === undefined);

describe("the generated function is what compile() returns", () => {
  test("f, f′ and [f, f′] are the generated functions of (x, params)", () => {
    const swish = define("swish");
    for (const fn of [swish.compile(), swish.derivative().compile(), swish.compileValueAndGrad()]) {
      expect(fn.name).toBe("actdiff_compiled");
      expect(String(fn)).toMatch(/^function actdiff_compiled\(x0\) \{\n  let p0 = 1;\n  if \(arguments.length > 1\) \{/);
    }
  });

  test("law: for every catalog activation, compile() equals the CSP interpreter bit for bit, at the defaults and at given parameters", () => {
    fc.assert(fc.property(fc.constantFrom(...names), fc.double({ min: -20, max: 20, noNaN: true }), fc.double({ min: 0.05, max: 3, noNaN: true }), (name, x, p) => {
      const f = define(name);
      const given = Object.fromEntries(f.params.map((q) => [q.name, p]));
      for (const [fast, reference] of [[f.compile(), f.compile({ csp: true })], [f.derivative().compile(), f.derivative().compile({ csp: true })]] as const) {
        expect(Object.is(fast(x), reference(x))).toBe(true);
        expect(Object.is(fast(x, given), reference(x, given))).toBe(true);
      }
      expect(f.compileValueAndGrad()(x, given)).toEqual(f.compileValueAndGrad({ csp: true })(x, given));
    }), { numRuns: 150, seed: 6 });
  });

  test("a record of parameters is checked as before: unknown names, a value that is not a record, a missing default", () => {
    const swish = define("swish").compile();
    expect(errorOf(() => swish(1, { bta: 2 } as never)).code).toBe("E_PARAM");
    expect(errorOf(() => (swish as (x: number, p: unknown) => number)(1, 5)).code).toBe("E_USAGE");
    expect(errorOf(() => define("relu").compile()(1, { a: 1 } as never)).code).toBe("E_PARAM");
    const noDefault = define("f(x; a) = a * x").compile();
    expect(errorOf(() => noDefault(2)).summary).toBe("parameter 'a' of f has no default; give it a value");
    expect(noDefault(2, { a: 3 })).toBe(6);
    // Defaults that are expressions (pi / 2) are their values, and a negative zero keeps its sign.
    expect(define("f(x; c = pi / 2) = c * x").compile()(2)).toBe(Math.PI);
    expect(Object.is(define("f(x; c = -0) = c").compile()(1), 0)).toBe(true);
  });
});
