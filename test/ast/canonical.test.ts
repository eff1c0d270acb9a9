import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  add, call, compare, constant, derivative, div, elem, idx, int, len, logic, mul, neg, not, num, piecewise, pow, reduce, sub, sym, vcall,
} from "../../src/ast/build.js";
import { emptyScope } from "../../src/ast/definition.js";
import type { Expr } from "../../src/ast/nodes.js";
import { print } from "../../src/ast/print.js";
import * as Q from "../../src/ast/rational.js";
import { dagSize, treeSize } from "../../src/ast/walk.js";
import { parseTopLevel } from "../../src/parse/parse.js";
import { resolveTopLevel } from "../../src/parse/resolve.js";
import { expressionArbitraries } from "../support/arbitraries.js";

/** A fresh tree with the same structure, every node built again by its smart constructor. */
function rebuild(e: Expr): Expr {
  switch (e.kind) {
    case "num": return num(Q.rational(e.value.n, e.value.d));
    case "sym": return sym(`${e.name}`);
    case "const": return constant(e.name);
    case "call": return call(e.fn, e.args.map(rebuild));
    case "add": return add(...e.terms.map(rebuild));
    case "mul": return mul(...e.factors.map(rebuild));
    case "pow": return pow(rebuild(e.base), rebuild(e.exponent));
    case "piecewise": return piecewise(e.branches.map((b) => ({ when: rebuild(b.when), then: rebuild(b.then) })), rebuild(e.otherwise));
    case "compare": return compare(e.op, rebuild(e.left), rebuild(e.right));
    case "logic": return logic(e.op, e.args.map(rebuild));
    case "not": return not(rebuild(e.arg));
    case "derivative": return derivative(rebuild(e.expr), e.wrt, e.order);
    case "idx": return idx(`${e.name}`);
    case "elem": return elem(`${e.vector}`, rebuild(e.index));
    case "len": return len(`${e.vector}`);
    case "reduce": return reduce(e.op, e.index, rebuild(e.from), rebuild(e.to), rebuild(e.body));
    case "vcall": return vcall(e.fn, e.index, rebuild(e.length), rebuild(e.body), e.at === undefined ? undefined : rebuild(e.at));
  }
}

/** Structural equality by recursion over the fields, ignoring ids and keys: the independent oracle for `===`. */
function structurallyEqual(a: Expr, b: Expr): boolean {
  const list = (xs: readonly Expr[], ys: readonly Expr[]): boolean => xs.length === ys.length && xs.every((x, i) => structurallyEqual(x, ys[i]!));
  switch (a.kind) {
    case "num": return b.kind === "num" && Q.equals(a.value, b.value);
    case "sym": case "const": return b.kind === a.kind && b.name === a.name;
    case "call": return b.kind === "call" && a.fn === b.fn && list(a.args, b.args);
    case "add": return b.kind === "add" && list(a.terms, b.terms);
    case "mul": return b.kind === "mul" && list(a.factors, b.factors);
    case "pow": return b.kind === "pow" && structurallyEqual(a.base, b.base) && structurallyEqual(a.exponent, b.exponent);
    case "piecewise": return b.kind === "piecewise" && a.branches.length === b.branches.length
      && a.branches.every((br, i) => structurallyEqual(br.when, b.branches[i]!.when) && structurallyEqual(br.then, b.branches[i]!.then))
      && structurallyEqual(a.otherwise, b.otherwise);
    case "compare": return b.kind === "compare" && a.op === b.op && structurallyEqual(a.left, b.left) && structurallyEqual(a.right, b.right);
    case "logic": return b.kind === "logic" && a.op === b.op && list(a.args, b.args);
    case "not": return b.kind === "not" && structurallyEqual(a.arg, b.arg);
    case "derivative": return b.kind === "derivative" && a.wrt === b.wrt && a.order === b.order && structurallyEqual(a.expr, b.expr);
    case "idx": return b.kind === "idx" && a.name === b.name;
    case "len": return b.kind === "len" && a.vector === b.vector;
    case "elem": return b.kind === "elem" && a.vector === b.vector && structurallyEqual(a.index, b.index);
    case "reduce": return b.kind === "reduce" && a.op === b.op && a.index === b.index && structurallyEqual(a.from, b.from) && structurallyEqual(a.to, b.to) && structurallyEqual(a.body, b.body);
    case "vcall": return b.kind === "vcall" && a.fn === b.fn && a.index === b.index && structurallyEqual(a.length, b.length) && structurallyEqual(a.body, b.body)
      && (a.at === undefined ? b.at === undefined : b.at !== undefined && structurallyEqual(a.at, b.at));
  }
}

const parse = (src: string): Expr => resolveTopLevel(parseTopLevel(src), src, emptyScope).body;
const x = sym("x");
const y = sym("y");

describe("hash-consing: structurally equal trees are the same object", () => {
  test("building the same structure twice gives the same node", () => {
    const a = mul(x, call("sigmoid", [mul(sym("beta"), x)]));
    const b = mul(x, call("sigmoid", [mul(sym("beta"), x)]));
    expect(a).toBe(b);
    expect(a.id).toBe(b.id);
  });

  test("rebuilding a tree from scratch through the smart constructors gives the same node (random trees)", () => {
    const { value } = expressionArbitraries(4);
    fc.assert(fc.property(value, (e) => {
      expect(rebuild(e), print(e)).toBe(e);
    }), { numRuns: 300 });
  });

  test("two trees are the same object exactly when they are structurally equal (random pairs)", () => {
    const { value } = expressionArbitraries(2);
    fc.assert(fc.property(value, value, (a, b) => {
      expect(a === b).toBe(structurallyEqual(a, b));
    }), { numRuns: 500 });
    const { value: deep } = expressionArbitraries(4);
    fc.assert(fc.property(deep, (a) => {
      expect(structurallyEqual(a, rebuild(a))).toBe(true);
    }), { numRuns: 100 });
  });

  test("nodes are frozen", () => {
    const e = add(x, int(1));
    expect(Object.isFrozen(e)).toBe(true);
    expect(e.kind === "add" && Object.isFrozen(e.terms)).toBe(true);
  });

  test("a shared subexpression is one node: the DAG is smaller than the tree", () => {
    const s = call("sigmoid", [x]);
    const e = mul(s, sub(int(1), s));
    expect(treeSize(e)).toBe(9);
    expect(dagSize(e)).toBe(7);
  });
});

describe("canonical order: equal things are the same node", () => {
  test.each<[string, string]>([
    ["x + 1", "1 + x"],
    ["x * y", "y * x"],
    ["x + y + z", "z + (y + x)"],
    ["(x + 1) + 2", "x + 3"],
    ["x * x", "x^2"],
    ["x * x^-1", "1"],
    ["x + x", "2 * x"],
    ["x - x", "0"],
    ["2 * x * 3", "6 * x"],
    ["-(a - b)", "b - a"],
    ["(x^2)^3", "x^6"],
    ["(2 * x)^2", "4 * x^2"],
    ["x + 0", "x"],
    ["1 * x", "x"],
    ["x^1", "x"],
    ["x^0", "1"],
    ["e^x", "exp(x)"],
    ["x > 0 and x < 1 ? 1 : 0", "x < 1 and x > 0 ? 1 : 0"],
    ["x > 0 or x > 0 ? 1 : 0", "x > 0 ? 1 : 0"],
    ["x <= 0 ? 0 : x >= 6 ? 0 : 1", "x <= 0 or x >= 6 ? 0 : 1"],
    ["x > 0 ? 1 : 1", "1"],
    ["1 > 0 ? x : y", "x"],
    ["x > 0 ? x : (x < -1 ? 2 : 3)", "{ x if x > 0, 2 if x < -1, 3 otherwise }"],
  ])("%s ≡ %s", (a, b) => {
    expect(parse(a)).toBe(parse(b));
    expect(print(parse(a))).toBe(print(parse(b)));
  });

  test("sums and products are commutative and associative by construction (random operands)", () => {
    const { value } = expressionArbitraries(3);
    fc.assert(fc.property(value, value, value, (a, b, c) => {
      expect(add(a, b)).toBe(add(b, a));
      expect(add(add(a, b), c)).toBe(add(a, add(b, c)));
      expect(mul(a, b)).toBe(mul(b, a));
      expect(logic("and", [compare("<", a, b), compare(">", a, c)])).toBe(logic("and", [compare(">", a, c), compare("<", a, b)]));
    }), { numRuns: 200 });
  });

  test("print of equal things is equal: the order depends on structure only, never on creation order", () => {
    // Build the same sum with its terms created in opposite orders.
    const first = add(call("tanh", [y]), pow(x, int(3)), call("exp", [x]));
    const second = add(call("exp", [x]), pow(x, int(3)), call("tanh", [y]));
    expect(first).toBe(second);
    expect(print(first)).toBe("x^3 + exp(x) + tanh(y)"); // terms by base: the symbol x before calls
  });

  test("numbers first, then constants, symbols, calls, powers: 2 * pi * x * sigmoid(x) * x^… ", () => {
    expect(print(mul(call("sigmoid", [x]), x, constant("pi"), int(2)))).toBe("2 * pi * x * sigmoid(x)");
    expect(print(add(pow(call("tanh", [x]), int(2)), int(-1)))).toBe("tanh(x)^2 - 1");
  });

  test("piecewise values keep the order of their branches (the first true condition wins)", () => {
    const a = piecewise([{ when: compare(">", x, int(0)), then: int(1) }, { when: compare(">", x, int(-1)), then: int(2) }], int(3));
    const b = piecewise([{ when: compare(">", x, int(-1)), then: int(2) }, { when: compare(">", x, int(0)), then: int(1) }], int(3));
    expect(a).not.toBe(b);
  });
});

describe("rational exactness", () => {
  test("0.1 + 0.2 folds to exactly 3/10", () => {
    const e = parse("0.1 + 0.2");
    expect(e).toBe(num(Q.rational(3n, 10n)));
    expect(e.kind === "num" && [e.value.n, e.value.d]).toEqual([3n, 10n]);
    expect(print(e)).toBe("0.3");
  });

  test("1/3 * 3 is exactly 1, and 1/3 + 1/6 is exactly 1/2", () => {
    expect(parse("1/3 * 3")).toBe(int(1));
    expect(parse("1/3 + 1/6")).toBe(num(Q.rational(1n, 2n)));
  });

  test("decimal literals are their decimal value, not the nearest double", () => {
    expect(Q.fromDecimalString("0.1")).toEqual({ n: 1n, d: 10n });
    expect(Q.fromDecimalString("1e-300")).toEqual({ n: 1n, d: 10n ** 300n });
    expect(Q.fromDecimalString(".25")).toEqual({ n: 1n, d: 4n });
    expect(Q.fromNumber(0.1)).not.toEqual(Q.fromDecimalString("0.1")); // the double 0.1 is a dyadic rational
    expect(Q.fromNumber(0.1)).toEqual({ n: 3602879701896397n, d: 36028797018963968n });
  });

  test("exact powers fold; inexact ones stay symbolic", () => {
    expect(parse("4^(1/2)")).toBe(int(2));
    expect(parse("(8/27)^(2/3)")).toBe(num(Q.rational(4n, 9n)));
    expect(parse("2^(1/2)")).toBe(pow(int(2), num(Q.rational(1n, 2n))));
    expect(parse("2^-2")).toBe(num(Q.rational(1n, 4n)));
    expect(parse("0^2")).toBe(int(0));
  });

  test("rational arithmetic agrees with BigInt cross-multiplication (random fractions)", () => {
    const frac = fc.tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.bigInt({ min: 1n, max: 10n ** 30n }));
    fc.assert(fc.property(frac, frac, ([an, ad], [bn, bd]) => {
      const a = Q.rational(an, ad);
      const b = Q.rational(bn, bd);
      const s = Q.add(a, b);
      const p = Q.mul(a, b);
      expect(s.n * ad * bd).toBe((an * bd + bn * ad) * s.d);
      expect(p.n * ad * bd).toBe(an * bn * p.d);
      expect(s.d > 0n && p.d > 0n).toBe(true);
      // toString parses back to the same value
      for (const r of [a, s, p]) {
        const text = Q.toString(r);
        const back = text.includes("/") ? Q.rational(BigInt(text.split("/")[0]!), BigInt(text.split("/")[1]!)) : Q.fromDecimalString(text.replace(/^-/, ""));
        expect(Q.equals(text.startsWith("-") && !text.includes("/") ? Q.neg(back) : back, r)).toBe(true);
      }
    }), { numRuns: 200 });
  });

  test("numbers print back to the same number", () => {
    fc.assert(fc.property(fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 }), (n, twos, fives) => {
      const e = num(Q.rational(n, 2n ** BigInt(twos) * 5n ** BigInt(fives)));
      expect(parse(print(e))).toBe(e);
    }), { numRuns: 200 });
  });
});

describe("walk", () => {
  test("div and neg are spellings of mul and pow", () => {
    expect(div(x, y)).toBe(mul(x, pow(y, int(-1))));
    expect(neg(x)).toBe(mul(int(-1), x));
  });
});
