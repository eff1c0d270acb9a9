import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { add, call, compare, cond, int, logic, mul, neg, not, num, sym } from "../../src/ast/build.js";
import type { CompareOp, Expr } from "../../src/ast/nodes.js";
import { print } from "../../src/ast/print.js";
import * as Q from "../../src/ast/rational.js";
import { parse } from "../../src/index.js";
import { PathFacts, rewriteAlongPaths } from "../../src/stable/path-facts.js";
import { stabilize } from "../../src/stable/stabilize.js";

const x = sym("x");
const facts = (...conditions: readonly [Expr, boolean][]): PathFacts =>
  conditions.reduce((f, [c, holds]) => f.assume(c, holds), PathFacts.NONE);

describe("what a test says about the branch below it", () => {
  test("the else branch of x ≥ 0 has x < 0, so x ≤ 0 and not x ≥ 0", () => {
    const f = facts([compare(">=", x, int(0)), false]);
    expect(f.nonPositive(x)).toBe(true);
    expect(f.nonNegative(x)).toBe(false);
    expect(f.nonNegative(neg(x))).toBe(true);
  });

  test("a bound on the other side of 0 says nothing about the sign", () => {
    expect(facts([compare("<", x, int(1)), true]).nonPositive(x)).toBe(false);
    expect(facts([compare(">", x, int(2)), false]).nonPositive(x)).toBe(false);
    expect(facts([compare(">", x, int(-2)), true]).nonNegative(x)).toBe(false);
  });

  test("coefficients scale and turn the bound round: −2x < −4 is x > 2", () => {
    const f = facts([compare("<", mul(int(-2), x), int(-4)), true]);
    expect(f.nonNegative(x)).toBe(true);
    expect(f.nonNegative(mul(num(Q.rational(1n, 3n)), x))).toBe(true);
    expect(f.nonPositive(mul(int(-5), x))).toBe(true);
  });

  test("a number on the left is read the other way round: 0 < x is x > 0", () => {
    expect(facts([compare("<", int(0), x), true]).nonNegative(x)).toBe(true);
  });

  test("a conjunction that holds and a disjunction that fails give each of their parts", () => {
    const y = sym("y");
    const both = logic("and", [compare("<", x, int(0)), compare(">", y, int(0))]);
    expect(facts([both, true]).nonPositive(x)).toBe(true);
    expect(facts([both, true]).nonNegative(y)).toBe(true);
    expect(facts([both, false]).nonPositive(x)).toBe(false);
    const either = logic("or", [compare(">=", x, int(0)), compare("<=", y, int(0))]);
    expect(facts([either, false]).nonPositive(x)).toBe(true);
    expect(facts([either, true]).nonPositive(x)).toBe(false);
    expect(facts([not(compare(">=", x, int(0))), true]).nonPositive(x)).toBe(true);
  });

  test("equalities and tests between two expressions say nothing", () => {
    expect(facts([compare("==", x, int(0)), true]).nonPositive(x)).toBe(false);
    expect(facts([compare("<", x, sym("y")), true]).nonPositive(x)).toBe(false);
  });

  test("equal facts have equal keys, whatever the order they were learnt in", () => {
    const a = compare("<", x, int(0));
    const b = compare(">", sym("y"), int(1));
    expect(facts([a, true], [b, true]).key).toBe(facts([b, true], [a, true]).key);
    expect(facts([a, true]).key).not.toBe(facts([a, false]).key);
  });

  const ops: CompareOp[] = ["<", "<=", ">", ">="];
  test("property: a sign the facts claim holds at every point that passes the test", () => {
    fc.assert(fc.property(fc.constantFrom(...ops), fc.integer({ min: -3, max: 3 }), fc.integer({ min: -4, max: 4 }).filter((c) => c !== 0), fc.boolean(),
      fc.double({ min: -10, max: 10, noNaN: true }), (op, limit, c, holds, at) => {
        const test = compare(op, mul(int(c), x), int(limit));
        const passes = { "<": c * at < limit, "<=": c * at <= limit, ">": c * at > limit, ">=": c * at >= limit }[op as "<"] === holds;
        fc.pre(passes);
        const f = facts([test, holds]);
        if (f.nonPositive(x)) expect(at).toBeLessThanOrEqual(0);
        if (f.nonNegative(x)) expect(at).toBeGreaterThanOrEqual(0);
      }), { numRuns: 500 });
  });
});

describe("rewriting along paths", () => {
  test("a node met under different facts is rewritten for each", () => {
    // x appears in both branches and outside them; only the one in the else branch is known ≤ 0.
    const s = call("sigmoid", [x]);
    const e = add(cond(compare(">=", x, int(0)), mul(int(2), s), s), s);
    const [out] = rewriteAlongPaths([e], (n, f) => (n === s && f.nonPositive(x) ? neg(n) : n));
    expect(out).toBe(add(cond(compare(">=", x, int(0)), mul(int(2), s), neg(s)), s));
  });

  test("σ is written e^v/(1 + e^v) only where the path says v ≤ 0", () => {
    expect(print(stabilize(parse("x >= 0 ? 1 : sigmoid(x)").body))).toBe("x >= 0 ? 1 : exp(x) / (1 + exp(x))");
    expect(print(stabilize(parse("x >= 1 ? 1 : sigmoid(x)").body))).toBe("x >= 1 ? 1 : sigmoid(x)");
    expect(print(stabilize(parse("sigmoid(x) + (x < 0 ? 0 : 1)").body))).toBe("sigmoid(x) + (x < 0 ? 0 : 1)");
  });
});
