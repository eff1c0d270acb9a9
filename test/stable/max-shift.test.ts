import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { define, diff, parse, simplify } from "../../src/index.js";
import { add, mul, sym } from "../../src/ast/build.js";
import type { Expr } from "../../src/ast/nodes.js";
import { print } from "../../src/ast/print.js";
import * as Q from "../../src/ast/rational.js";
import { referenceValue } from "../../src/numeric/reference.js";
import { ulpDistance } from "../../src/audit/ulps.js";
import { compileExpr } from "../../src/codegen/compile.js";
import { bigContext, log1pBig, type Big } from "../../src/numeric/big.js";
import { maxShift } from "../../src/stable/max-shift.js";
import { stabilize, stabilizeTogether } from "../../src/stable/stabilize.js";

/**
 * Softmax, log-softmax and log-sum-exp as users write them, with several scalar inputs, through
 * the normal path (simplify, stabilize, lower, JavaScript): f and ∂f/∂(first input) are finite
 * wherever the truth is, on all of [−1e308, 1e308], and within max(4, 4κ) ulps (f) or max(6, 4κ)
 * ulps (∂f/∂x) of an independent high-precision oracle (κ = Σ_i |x_i·∂f/∂x_i / f|, measured from the
 * oracle). Measured, 3000 random points a case and order (these arbitraries): f at most 3 ulps
 * where κ ≤ 1 and 1.4κ elsewhere; ∂f/∂x at most 4 ulps where κ ≤ 1 and 1.6κ elsewhere, and at
 * 60 000 points of [−2, 2]⁴ the softmax′ of 4 inputs 6 ulps (5 points above 5, 36 above 4).
 * ∂f/∂x is a quotient of sums of products of n rounded exponentials: each rounding moves an
 * exponent by an ulp of 1, which a relative κ of inputs near 0 does not count. Second
 * derivatives are only required finite.
 *
 * The oracle computes each case from its sum of exponentials S = Σ_j c_j·e^(u_j) in decimal
 * arithmetic (60 digits) at exact inputs, without rounding cancellations: s = E_k/S and 1 − s = Σ_(j≠k) E_j/S
 * with E_j = c_j·e^(u_j − M), M = max u_j, and log1p where a log is near 0. At moderate points it
 * is checked against the 40-digit reference of the formula as written.
 */
// 60 digits: log1pBig takes log(1 + t) for t ≥ 10^(−60/4), which keeps 45 of them there.
const D = bigContext(60);

type Kind = "softmax" | "log-softmax" | "log-sum-exp";

interface Case {
  readonly source: string;
  readonly kind: Kind;
  /** The terms (c_j, u_j) of S at the inputs and parameters, in order; the first input is in term k only, as u_k = x. */
  readonly terms: (v: readonly Big[]) => readonly (readonly [number, Big])[];
  readonly k: number;
}

const zero = new D(0);
const CASES: readonly Case[] = [
  { source: "softmax0(x; y = 0.5, z = -1) = exp(x) / (exp(x) + exp(y) + exp(z))", kind: "softmax", terms: ([x, y, z]) => [[1, x!], [1, y!], [1, z!]], k: 0 },
  { source: "logsoftmax0(x; y = 0.5, z = -1) = x - log(exp(x) + exp(y) + exp(z))", kind: "log-softmax", terms: ([x, y, z]) => [[1, x!], [1, y!], [1, z!]], k: 0 },
  { source: "lse(x, y) = log(exp(x) + exp(y))", kind: "log-sum-exp", terms: ([x, y]) => [[1, x!], [1, y!]], k: 0 },
  { source: "pair(a, b) = exp(a) / (exp(a) + exp(b))", kind: "softmax", terms: ([a, b]) => [[1, a!], [1, b!]], k: 0 },
  { source: "shifted(x, y, z) = 1 / (1 + exp(y - x) + exp(z - x))", kind: "softmax", terms: ([x, y, z]) => [[1, x!], [1, y!], [1, z!]], k: 0 },
  { source: "softmax4(x, y, z, w) = exp(x) / (exp(x) + exp(y) + exp(z) + exp(w))", kind: "softmax", terms: ([x, y, z, w]) => [[1, x!], [1, y!], [1, z!], [1, w!]], k: 0 },
  { source: "weighted(x, y, z) = 2 * exp(x) / (2 * exp(x) + exp(y) + exp(z))", kind: "softmax", terms: ([x, y, z]) => [[2, x!], [1, y!], [1, z!]], k: 0 },
  { source: "logsoftmax2(x, y) = x - log(exp(x) + exp(y))", kind: "log-softmax", terms: ([x, y]) => [[1, x!], [1, y!]], k: 0 },
  { source: "lse3(x, y, z) = log(exp(x) + exp(y) + exp(z))", kind: "log-sum-exp", terms: ([x, y, z]) => [[1, x!], [1, y!], [1, z!]], k: 0 },
  { source: "lse1(x, y) = log(1 + exp(x) + exp(y))", kind: "log-sum-exp", terms: ([x, y]) => [[1, zero], [1, x!], [1, y!]], k: 1 },
  { source: "lsec(x, y) = log(2 * exp(x) + exp(y) + 3)", kind: "log-sum-exp", terms: ([x, y]) => [[3, zero], [2, x!], [1, y!]], k: 1 },
];

const toBig = (x: number): Big => {
  const q = Q.fromNumber(x);
  return new D(q.n.toString()).div(q.d.toString());
};

/** Below this, c·e^(u − M) is far under every double whatever it is divided by here (and decimal.js's exp of −1e17 is slow). */
const NEGLIGIBLE = -2000;

/** f (order 0) or ∂f/∂(first input) (order 1) of a case, in decimal arithmetic. */
function oracle(c: Case, order: number, v: readonly Big[]): Big {
  const terms = c.terms(v);
  const M = terms.map(([, u]) => u).reduce((a, b) => (a.gt(b) ? a : b));
  const E = terms.map(([w, u]) => (u.sub(M).lt(NEGLIGIBLE) ? zero : u.sub(M).exp().mul(w)));
  const S = E.reduce((a, b) => a.add(b));
  const others = E.filter((_, j) => j !== c.k).reduce((a, b) => a.add(b), zero);
  const s = E[c.k]!.div(S);
  const rest = others.div(S);
  if (c.kind === "softmax") return order === 0 ? s : s.mul(rest);
  if (c.kind === "log-softmax") {
    if (order === 1) return rest;
    const [w, uk] = terms[c.k]!;
    // log s = −log1p(others/E_k) where u_k is the max (E_k = c_k); elsewhere s ≤ 1/2 and log s does not cancel.
    return uk.eq(M) ? log1pBig(D, others.div(w)).neg() : uk.sub(M).add(new D(w).ln()).sub(S.ln());
  }
  if (order === 1) return s;
  const top = E.findIndex((e, j) => terms[j]![1].eq(M) && e.gt(0));
  const rem = E.filter((_, j) => j !== top).reduce((a, b) => a.add(b), zero);
  return M.add(E[top]!.ln()).add(log1pBig(D, rem.div(E[top]!)));
}

interface Compiled {
  readonly c: Case;
  readonly order: number;
  readonly names: readonly string[];
  readonly math: Expr;
  readonly f: (...v: number[]) => number;
}

/** The definition simplified (or its derivative in the first input), compiled through the normal path: inputs, then parameters. */
function compiledSource(source: string, order = 0): Omit<Compiled, "c" | "order"> {
  const def = parse(source);
  const body = simplify(def.body);
  const math = order === 0 ? body : simplify(diff(body, def.inputs[0]!));
  const signature = { inputs: def.inputs, params: def.params.map((p) => p.name) };
  return { names: [...signature.inputs, ...signature.params], math, f: compileExpr(math, signature) };
}

const compiled = (c: Case, order: number): Compiled => ({ c, order, ...compiledSource(c.source, order) });

/** Σ_i |v_i·∂f/∂v_i / f| by central differences of the oracle. */
function conditionNumber(t: Compiled, v: readonly Big[], value: Big): number {
  let kappa = 0;
  for (let i = 0; i < v.length; i++) {
    const h = v[i]!.abs().add(1).mul("1e-15");
    const up = oracle(t.c, t.order, v.map((w, j) => (j === i ? w.add(h) : w)));
    const down = oracle(t.c, t.order, v.map((w, j) => (j === i ? w.sub(h) : w)));
    kappa += up.sub(down).div(h.mul(2)).mul(v[i]!).div(value).abs().toNumber();
  }
  return kappa;
}

/** Undefined where the generated code is right at the point; otherwise what is wrong. */
function problem(t: Compiled, xs: readonly number[]): string | undefined {
  const v = xs.map(toBig);
  const truth = oracle(t.c, t.order, v);
  const expected = truth.toNumber();
  const got = t.f(...xs);
  const where = `${t.c.source}${t.order ? ` ∂/∂${t.names[0]}` : ""} at (${xs.join(", ")}): got ${got}, truth ${truth.toSignificantDigits(17)}`;
  if (!Number.isFinite(got)) return Number.isFinite(expected) ? `not finite, ${where}` : undefined;
  if (!Number.isFinite(expected)) return `finite where the truth overflows, ${where}`;
  if (Math.abs(expected) < 2 ** -1022) return Math.abs(got) < 2 ** -1021 ? undefined : `not subnormal, ${where}`;
  const ulps = ulpDistance(got, expected, "float64");
  const floor = t.order === 0 ? 4 : 6;
  if (ulps <= floor) return undefined;
  const kappa = conditionNumber(t, v, truth);
  return ulps <= 4 * kappa ? undefined : `${ulps} ulps > max(${floor}, 4κ = ${4 * kappa}), ${where}`;
}

const ORDERS = CASES.flatMap((c) => [0, 1].map((order) => [c.source, order] as const));
const caseOf = (source: string): Case => CASES.find((c) => c.source === source)!;

describe("the oracle is the formula as written", () => {
  test.each(CASES.map((c) => c.source))("%s", (source) => {
    const c = caseOf(source);
    for (const order of [0, 1]) {
      const t = compiled(c, order);
      fc.assert(fc.property(fc.array(fc.double({ min: -30, max: 30, noNaN: true }), { minLength: t.names.length, maxLength: t.names.length }), (xs) => {
        const reference = referenceValue(t.math, new Map(t.names.map((n, i) => [n, Q.fromNumber(xs[i]!)] as const)));
        const mine = oracle(c, order, xs.map(toBig));
        expect(reference, `${source}, order ${order} at ${xs}`).toBeDefined();
        expect(reference!.sub(mine).abs().lte(reference!.abs().mul("1e-30")), `${source}, order ${order} at ${xs}`).toBe(true);
      }), { numRuns: 15 });
    }
  });
});

/** Anywhere, and denser where the terms compete, one term dominates or the max is near 0. */
const coordinate = fc.oneof(
  fc.double({ min: -1000, max: 1000, noNaN: true }),
  fc.double({ min: -40, max: 40, noNaN: true }),
  fc.double({ min: -4, max: 4, noNaN: true }),
  fc.double({ min: -1e-10, max: 1e-10, noNaN: true }),
  fc.double({ min: -1e308, max: 1e308, noNaN: true }),
);
const nearby = (n: number): fc.Arbitrary<number[]> =>
  fc.tuple(fc.double({ min: -50, max: 50, noNaN: true }), fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: n, maxLength: n }))
    .map(([base, ds]) => ds.map((d) => base + d));

describe("generated code within max(4 or 6, 4κ) ulps of the oracle at random points", () => {
  test.each(ORDERS)("%s, order %i", (source, order) => {
    const t = compiled(caseOf(source), order);
    const n = t.names.length;
    const points = fc.oneof(fc.array(coordinate, { minLength: n, maxLength: n }), nearby(n));
    fc.assert(fc.property(points, (xs) => {
      expect(problem(t, xs)).toBeUndefined();
    }), { numRuns: 60 });
  });
});

const EXTREMES = [-1e308, -1000, -745, 0, 1e-300, 1, 745, 1000, 1e308];
const FEW = [-1e308, -1000, 0, 745, 1e308];

function grid(values: readonly number[], n: number): number[][] {
  return n === 0 ? [[]] : grid(values, n - 1).flatMap((p) => values.map((v) => [...p, v]));
}

describe("extreme inputs: finite wherever the truth is, and within the bound (f and ∂f/∂x)", () => {
  test.each(ORDERS)("%s, order %i", (source, order) => {
    const t = compiled(caseOf(source), order);
    const points = grid(t.names.length > 3 ? FEW : EXTREMES, t.names.length);
    const wrong = points.map((xs) => problem(t, xs)).filter((p) => p !== undefined);
    expect(wrong.slice(0, 5)).toEqual([]);
  });
});

describe("second derivatives: finite at the extremes (each is a polynomial in the shares e^(u_j)/S, bounded)", () => {
  test.each(CASES.map((c) => c.source))("%s: ∂²/∂x² and ∂²/∂x∂y", (source) => {
    const def = parse(source);
    const names = [...def.inputs, ...def.params.map((p) => p.name)];
    const first = simplify(diff(simplify(def.body), names[0]!));
    for (const other of [names[0]!, names[1]!]) {
      const f = compileExpr(simplify(diff(first, other)), { inputs: def.inputs, params: def.params.map((p) => p.name) });
      const wrong = grid(names.length > 3 ? FEW : EXTREMES, names.length).filter((xs) => !Number.isFinite(f(...xs)));
      expect(wrong.slice(0, 5), `∂²/∂${names[0]}∂${other}`).toEqual([]);
    }
  });
});

describe("the values PyTorch gives", () => {
  const fn = (source: string): ((...v: number[]) => number) => compiledSource(source).f;

  test("log-softmax at (1000, 0) is (−0, −1000): the truth −e^(−1000) rounds to −0", () => {
    const f = fn("logsoftmax2(x, y) = x - log(exp(x) + exp(y))");
    expect([f(1000, 0), f(0, 1000)]).toEqual([-0, -1000]);
    expect(Object.is(f(1000, 0), -0)).toBe(true);
  });

  test("softmax and log-softmax of (x; 0.5, −1) at x = 745 and beyond: 1 and 0 (to a subnormal)", () => {
    const s = fn("softmax0(x; y = 0.5, z = -1) = exp(x) / (exp(x) + exp(y) + exp(z))");
    const l = fn("logsoftmax0(x; y = 0.5, z = -1) = x - log(exp(x) + exp(y) + exp(z))");
    for (const x of [745, 1000, 1e308]) {
      expect(s(x, 0.5, -1)).toBe(1);
      expect(Math.abs(l(x, 0.5, -1))).toBeLessThan(1e-322);
    }
    expect(s(-1e308, 0.5, -1)).toBe(0);
    expect(l(-1e308, 0.5, -1)).toBe(-1e308);
  });

  test("log-sum-exp at the top of the range: the max, log 2 rounded away", () => {
    const f = fn("lse(x, y) = log(exp(x) + exp(y))");
    expect(f(1e308, 1e308)).toBe(1e308);
    expect(f(Number.MAX_VALUE, Number.MAX_VALUE)).toBe(Number.MAX_VALUE);
    expect(f(-1e308, -1e308)).toBe(-1e308);
  });
});

/** Stable forms as a specification (the simplified formula, then what the generated code computes). */
const FORMS: readonly (readonly [string, string])[] = [
  ["log(exp(x) + exp(y))", "max(x, y) + softplus(min(x, y) - max(x, y))"],
  ["x - log(exp(x) + exp(y))", "-softplus(y - x)"],
  // Shifted by m − clip(m, 0, T), as one value: by 0 where nothing can overflow (a − 700 would round a).
  ["exp(a) / (exp(a) + exp(b))", "exp(a - (max(a, b) > 708 ? max(a, b) - 708 : max(a, b) < 0 ? max(a, b) : 0)) / (exp(a - (max(a, b) > 708 ? max(a, b) - 708 : max(a, b) < 0 ? max(a, b) : 0)) + exp(b - (max(a, b) > 708 ? max(a, b) - 708 : max(a, b) < 0 ? max(a, b) : 0)))"],
  // log-softmax′ = 1 − s_x: over one denominator, without the cancellation.
  ["1 - exp(x) / (exp(x) + exp(y))", "exp(y - (max(x, y) > 708 ? max(x, y) - 708 : max(x, y) < 0 ? max(x, y) : 0)) / (exp(x - (max(x, y) > 708 ? max(x, y) - 708 : max(x, y) < 0 ? max(x, y) : 0)) + exp(y - (max(x, y) > 708 ? max(x, y) - 708 : max(x, y) < 0 ? max(x, y) : 0)))"],
  // s_x·s_y of softmax′: the product of the shifted exponentials the sum has.
  ["exp(x + y) / (exp(x) + exp(y))^2", "exp(x - (max(x, y) > 353 ? max(x, y) - 353 : max(x, y) < 0 ? max(x, y) : 0)) * exp(y - (max(x, y) > 353 ? max(x, y) - 353 : max(x, y) < 0 ? max(x, y) : 0)) / (exp(x - (max(x, y) > 353 ? max(x, y) - 353 : max(x, y) < 0 ? max(x, y) : 0)) + exp(y - (max(x, y) > 353 ? max(x, y) - 353 : max(x, y) < 0 ? max(x, y) : 0)))^2"],
  [
    "log(1 + exp(x) + exp(y))",
    "log1p(exp(min(0, x) - max(max(0, x), y)) + exp(min(max(0, x), y) - max(max(0, x), y))) + max(max(0, x), y)",
  ],
];

describe("stable forms", () => {
  test.each(FORMS)("%s → %s", (source, expected) => {
    expect(print(stabilize(simplify(parse(source).body)))).toBe(expected);
  });

  test("vector lanes take the same forms: max and min have vector forms", () => {
    for (const c of CASES) {
      const math = simplify(parse(c.source).body);
      for (const e of [math, simplify(diff(math, parse(c.source).inputs[0]!))]) {
        expect(print(stabilizeTogether([e], "vector")[0]!)).toBe(print(stabilizeTogether([e])[0]!));
      }
    }
  });

  test("a stable form inside a larger expression is not shifted again", () => {
    for (const c of CASES) {
      const math = simplify(parse(c.source).body);
      for (const e of [math, simplify(diff(math, parse(c.source).inputs[0]!))]) {
        const once = stabilize(e);
        for (const around of [add(once, sym("q")), mul(once, sym("q"))]) expect(print(stabilize(around))).toBe(print(around));
      }
    }
  });
});

describe("what max-shift leaves alone", () => {
  test.each([
    // One exponential: softplus's and sigmoid's rules.
    "log(1 + exp(x))", "1 / (1 + exp(-x))", "exp(x) / (1 + exp(x))^2",
    // Not a sum of exponentials with positive coefficients, or nothing that overflows together.
    "log(exp(x) - exp(y))", "log(exp(x) + y)", "exp(x) + exp(y)", "(exp(x) + exp(y)) * x", "log(2 + exp(x))",
  ])("%s", (source) => {
    expect(maxShift(parse(source).body, (e) => e)).toBeUndefined();
  });
});

describe("SIMD kernels (vector lanes) of a softmax with one input", () => {
  test("f and f′ finite and within 4 ulps of the scalar closure at the extremes", () => {
    const source = "softmax0(x; y = 0.5, z = -1) = exp(x) / (exp(x) + exp(y) + exp(z))";
    const xs = [-1e308, -1000, -745, -1, 0, 1, 37, 745, 1000, 1e308];
    for (const act of [define(source), define(source).derivative()]) {
      const out = new Float64Array(xs.length);
      act.kernel({ simd: true })(Float64Array.from(xs), out);
      const scalar = act.compile();
      xs.forEach((x, i) => {
        expect(Number.isFinite(out[i]!), `x = ${x}`).toBe(true);
        expect(ulpDistance(out[i]!, scalar(x), "float64"), `x = ${x}: ${out[i]} vs ${scalar(x)}`).toBeLessThanOrEqual(4);
      });
    }
  });
});
