import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as Q from "../../src/ast/rational.js";
import { exactForm, RealRoots, rationalSigns, signAt, valueOf, type IntPoly } from "../../src/analyze/real-roots.js";
import { define } from "../../src/index.js";

// Real roots decided exactly (Sturm sequences, bigints): what the property sheet states as
// proved about a polynomial's sign rests on these laws.

/** c·Π (x − rᵢ)^mᵢ with integer roots, lowest degree first. */
function fromRoots(roots: readonly (readonly [root: bigint, multiplicity: number])[], c = 1n): IntPoly {
  let p: bigint[] = [c];
  for (const [r, m] of roots) {
    for (let k = 0; k < m; k++) {
      const next: bigint[] = Array.from({ length: p.length + 1 }, () => 0n);
      p.forEach((a, i) => {
        next[i + 1]! += a;
        next[i]! -= r * a;
      });
      p = next;
    }
  }
  return p;
}

/** (d·x − n) for the root n/d. */
const linear = (root: Q.Rational): IntPoly => [-root.n, root.d];
const times = (a: IntPoly, b: IntPoly): IntPoly => {
  const out: bigint[] = Array.from({ length: a.length + b.length - 1 }, () => 0n);
  a.forEach((u, i) => b.forEach((v, j) => (out[i + j]! += u * v)));
  return out;
};

const q = (n: number, d = 1): Q.Rational => Q.rational(BigInt(n), BigInt(d));

describe("counting roots with a Sturm sequence", () => {
  const rootList = fc.uniqueArray(fc.integer({ min: -8, max: 8 }), { minLength: 0, maxLength: 6 }).chain((roots) =>
    fc.tuple(fc.constant(roots), fc.array(fc.integer({ min: 1, max: 3 }), { minLength: roots.length, maxLength: roots.length })));
  // Ends on a grid of thirds, so that they often are roots themselves.
  const end = fc.integer({ min: -30, max: 30 }).map((k) => q(k, 3));

  it("the count on (a, b) is the number of distinct roots strictly inside, whatever the multiplicities and wherever the ends", () => {
    fc.assert(fc.property(rootList, end, end, fc.constantFrom(1n, -1n, 3n, -5n), ([roots, multiplicities], a, b, c) => {
      fc.pre(Q.compare(a, b) < 0);
      const p = fromRoots(roots.map((r, i) => [BigInt(r), multiplicities[i]!] as const), c);
      const inside = roots.filter((r) => Q.compare(a, q(r)) < 0 && Q.compare(q(r), b) < 0).length;
      const real = new RealRoots(p);
      expect(real.count(a, b)).toBe(inside);
      expect(real.count(-Infinity, Infinity)).toBe(roots.length);
    }), { numRuns: 300 });
  });

  it("isolating intervals hold one root each, in order, with ends that are not roots; each root's nearest double is the root", () => {
    fc.assert(fc.property(rootList, ([roots, multiplicities]) => {
      const p = fromRoots(roots.map((r, i) => [BigInt(r), multiplicities[i]!] as const));
      const real = new RealRoots(p);
      const isolated = real.isolate();
      expect(isolated.map((r) => real.nearestDouble(r))).toEqual([...roots].sort((x, y) => x - y));
      for (const r of isolated) {
        expect(signAt(p, r.lo)).not.toBe(0);
        expect(signAt(p, r.hi)).not.toBe(0);
        expect(real.count(r.lo, r.hi)).toBe(1);
      }
    }), { numRuns: 200 });
  });

  it("x³ − x: three roots, and the sign − + − + between them", () => {
    const p = fromRoots([[-1n, 1], [0n, 1], [1n, 1]]);
    expect(p).toEqual([0n, -1n, 0n, 1n]);
    const signs = rationalSigns(p, [1n], -Infinity, Infinity)!;
    expect(signs.gaps).toEqual([-1, 1, -1, 1]);
    expect(signs.changes).toEqual([{ x: -1, from: -1, to: 1 }, { x: 0, from: 1, to: -1 }, { x: 1, from: -1, to: 1 }]);
  });

  it("(x − 1)²(x + 1): the double root is a root (two distinct) but not a sign change", () => {
    const p = fromRoots([[1n, 2], [-1n, 1]]);
    expect(new RealRoots(p).count(-Infinity, Infinity)).toBe(2);
    expect(new RealRoots(p).squarefree).toEqual([-1n, 0n, 1n]); // x² − 1
    const signs = rationalSigns(p, [1n], -Infinity, Infinity)!;
    expect(signs.gaps).toEqual([-1, 1, 1]);
    expect(signs.changes).toEqual([{ x: -1, from: -1, to: 1 }]);
  });

  it("roots 10⁻⁶ apart, and 2⁻⁵⁰ apart, are told apart and placed", () => {
    const close = times(linear(q(1)), linear(q(1_000_001, 1_000_000)));
    const real = new RealRoots(close);
    expect(real.count(q(0), q(2))).toBe(2);
    expect(real.isolate().map((r) => real.nearestDouble(r))).toEqual([1, 1.000001]);
    const closer = times(linear(q(1)), linear(Q.add(q(1), Q.rational(1n, 2n ** 50n))));
    expect(new RealRoots(closer).isolate().map((r) => new RealRoots(closer).nearestDouble(r))).toEqual([1, 1 + 2 ** -50]);
    // Between them the product is negative: the sign there is exact, not an enclosure that straddles 0.
    expect(rationalSigns(closer, [1n], 0, 2)!.gaps).toEqual([1, -1, 1]);
  });

  it("an irrational root is placed at a double next to it: x² − 2", () => {
    const real = new RealRoots([-2n, 0n, 1n]);
    const [minus, plus] = real.isolate().map((r) => real.nearestDouble(r));
    expect(Math.abs(plus! - Math.SQRT2)).toBeLessThanOrEqual(2 ** -52 * 2);
    expect(minus).toBe(-plus!);
  });

  it("on a region, only the roots inside count, and a root at a region's end is outside it", () => {
    const p = fromRoots([[-1n, 1], [0n, 1], [1n, 1]]);
    expect(rationalSigns(p, [1n], 0, Infinity)).toEqual({ gaps: [-1, 1], changes: [{ x: 1, from: -1, to: 1 }] });
    expect(rationalSigns(p, [1n], -1, 0)).toEqual({ gaps: [1], changes: [] });
    expect(rationalSigns(p, [1n], 2, 3)).toEqual({ gaps: [1], changes: [] });
  });

  it("a quotient: the sign of num/den where den has no root; undefined across a pole", () => {
    // (1 − x²)/(1 + x²)²
    const den = times([1n, 0n, 1n], [1n, 0n, 1n]);
    expect(rationalSigns([1n, 0n, -1n], den, -Infinity, Infinity)).toEqual({
      gaps: [-1, 1, -1], changes: [{ x: -1, from: -1, to: 1 }, { x: 1, from: 1, to: -1 }],
    });
    expect(rationalSigns([1n], [0n, 1n], -Infinity, Infinity)).toBeUndefined(); // 1/x
    expect(rationalSigns([1n], [0n, 1n], 0, Infinity)).toEqual({ gaps: [1], changes: [] });
  });

  it("the zero polynomial has no finite set of roots", () => {
    expect(() => new RealRoots([])).toThrow(RangeError);
  });

  it("degree 60 with clustered coefficients: (x+1)…(x+60) isolated in well under a second", () => {
    const p = fromRoots(Array.from({ length: 60 }, (_, i) => [BigInt(-(i + 1)), 1] as const));
    const started = performance.now();
    const real = new RealRoots(p);
    expect(real.isolate().map((r) => real.nearestDouble(r))).toEqual(Array.from({ length: 60 }, (_, i) => i - 60));
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe("exact forms of expressions", () => {
  it("a polynomial expression is read exactly, with its rational coefficients, and evaluated exactly", () => {
    const form = exactForm(define("(x + 1/3)*(x - 2)^2 / 7").expr, "x")!;
    expect(form.polynomial).toBe(true);
    // (x + 1/3)(x − 2)²/7 at x = 1/2: (5/6)(9/4)/7 = 15/56
    expect(valueOf(form, q(1, 2))).toEqual(q(15, 56));
  });

  it("a quotient of polynomials is a form but not a polynomial; anything else is no form", () => {
    const quotient = exactForm(define("x / (1 + x^2)").expr, "x")!;
    expect(quotient.polynomial).toBe(false);
    expect(valueOf(quotient, q(2))).toEqual(q(2, 5));
    expect(exactForm(define("exp(x) + x").expr, "x")).toBeUndefined();
    expect(exactForm(define("x * y").expr, "x")).toBeUndefined();
    expect(exactForm(define("pi * x").expr, "x")).toBeUndefined();
    expect(exactForm(define("x^(1/2)").expr, "x")).toBeUndefined();
  });
});

describe("exact forms stay cheap", () => {
  it("a flat sum of 8000 powers (degree 8000) is no form, decided without expanding it (it took 29 s)", () => {
    const sum = define(Array.from({ length: 8000 }, (_, i) => `x^${i + 1}/${i + 2}`).join(" + ")).expr;
    const started = performance.now();
    expect(exactForm(sum, "x")).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("a flat sum of 20000 low-degree terms is a form, found in time linear in the terms", () => {
    // (the "/ 3" ends each tower of powers for the reader's depth limit, which a "+" does not)
    const sum = define(Array.from({ length: 20000 }, (_, i) => `(x + ${i})^2 / 3`).join(" + ")).expr;
    const started = performance.now();
    const form = exactForm(sum, "x")!;
    expect(form.num.length).toBe(3);
    // About 3 s on a busy machine; term by term with a copy of the growing sum each time, a minute.
    expect(performance.now() - started).toBeLessThan(15_000);
  }, 60_000);
});
