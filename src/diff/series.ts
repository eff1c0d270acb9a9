import type { Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";
import { fnSpec } from "../functions/table.js";
import type { FnName } from "../functions/names.js";

/**
 * Taylor coefficients of an expression in one variable around a point, in float64: the Taylor
 * mode of the differentiation `diff` does. Each builtin enters through its entry's outer
 * derivative, the one rule `diff` applies by the chain rule: w = f(u) has w′ = f′(u)·u′, so with
 * g the series of f′(u) (an expression in u, which may hold w itself: tanh′ = 1 − tanh²),
 *   w₀ = f(u₀),  w_k = (1/k)·Σ_(j=1…k) j·u_j·g_(k−j),
 * and g_(k−j) needs w only up to order k − 1. Products are Cauchy products, powers u^p follow
 * from u·w′ = p·u′·w. Coefficient k of every node costs O(k), so a hundred orders of x − tanh x
 * take microseconds, where a hundred symbolic derivatives (`diff` to order k, then evaluated at
 * the point) would take seconds: the k-th derivative of tanh is a polynomial of degree k + 1.
 *
 * Nodes that are not analytic (abs, min, piecewise values …) or not in the variable alone make
 * the series undefined: `coefficients` returns undefined.
 */
/** Functions whose series the outer derivative gives; the others have kinks or steps. */
const NOT_ANALYTIC: ReadonlySet<FnName> = new Set(["abs", "sign", "min", "max", "clip", "floor", "delta"]);

/** A series whose coefficients are computed on demand, in order. */
interface Lazy {
  readonly get: (k: number) => number;
}

class Unsupported extends Error {}

export class TaylorSeries {
  private readonly nodes = new Map<Expr, Lazy>();
  private readonly building = new Set<Expr>();

  constructor(private readonly variable: string, private readonly at = 0) {}

  /** c₀ … c_(order) of e around the point, or undefined where e has no series here. */
  coefficients(e: Expr, order: number): number[] | undefined {
    try {
      const s = this.of(e);
      const out: number[] = [];
      for (let k = 0; k <= order; k++) out.push(s.get(k));
      return out.every(Number.isFinite) ? out : undefined;
    } catch (error) {
      if (error instanceof Unsupported) return undefined;
      throw error;
    }
  }

  private of(e: Expr): Lazy {
    const known = this.nodes.get(e);
    if (known !== undefined) return known;
    // A node met again while its own series is being set up (not through w₀ of a call) has none.
    if (this.building.has(e)) throw new Unsupported();
    this.building.add(e);
    try {
      const s = this.build(e);
      this.nodes.set(e, s);
      return s;
    } finally {
      this.building.delete(e);
    }
  }

  private build(e: Expr): Lazy {
    switch (e.kind) {
      case "num": return constant(Q.toNumber(e.value));
      case "const": return constant(e.name === "pi" ? Math.PI : Math.E);
      case "sym":
        if (e.name !== this.variable) throw new Unsupported();
        return lazy((k) => (k === 0 ? this.at : k === 1 ? 1 : 0));
      case "add": {
        const terms = e.terms.map((t) => this.of(t));
        return lazy((k) => terms.reduce((acc, t) => acc + t.get(k), 0));
      }
      case "mul": return e.factors.map((f) => this.of(f)).reduce(product);
      case "pow": return this.power(e.base, e.exponent);
      case "call": return this.call(e.fn, e.args, e);
      default: throw new Unsupported();
    }
  }

  private power(base: Expr, exponent: Expr): Lazy {
    if (exponent.kind !== "num") throw new Unsupported();
    const p = exponent.value;
    const b = this.of(base);
    const b0 = b.get(0);
    if (b0 === 0) {
      // u^n with u₀ = 0: only a non-negative integer power has a series.
      if (!Q.isInteger(p) || Q.isNegative(p)) throw new Unsupported();
      let acc: Lazy = constant(1);
      for (let i = 0n; i < p.n; i++) acc = product(acc, b);
      return acc;
    }
    const pn = Q.toNumber(p);
    // u·w′ = p·u′·w: b₀·k·w_k = Σ_(j=1…k) (p·j − (k − j))·b_j·w_(k−j).
    const w: number[] = [b0 ** pn];
    return lazy((k) => {
      while (w.length <= k) {
        const n = w.length;
        let s = 0;
        for (let j = 1; j <= n; j++) s += (pn * j - (n - j)) * b.get(j) * w[n - j]!;
        w.push(s / (n * b0));
      }
      return w[k]!;
    });
  }

  private call(fn: FnName, args: readonly Expr[], node: Expr): Lazy {
    const spec = fnSpec(fn);
    if (spec.arity !== 1 || NOT_ANALYTIC.has(fn)) throw new Unsupported();
    const u = this.of(args[0]!);
    const w: number[] = [spec.evaluate(u.get(0))];
    let g: Lazy | undefined;
    const self = lazy((k) => {
      while (w.length <= k) {
        const n = w.length;
        // g = f′(u) may refer to this very node: it reads w up to n − 1, already there.
        g ??= this.of(spec.derivative(args, 0));
        let s = 0;
        for (let j = 1; j <= n; j++) s += j * u.get(j) * g.get(n - j);
        w.push(s / n);
      }
      return w[k]!;
    });
    // Registered before f′(u) is built, so that f′(u) finds it (tanh′ = 1 − tanh²).
    this.nodes.set(node, self);
    return self;
  }
}

const lazy = (compute: (k: number) => number): Lazy => {
  const memo: number[] = [];
  return { get: (k) => (memo[k] ??= compute(k)) };
};

const constant = (c: number): Lazy => lazy((k) => (k === 0 ? c : 0));

const product = (a: Lazy, b: Lazy): Lazy =>
  lazy((k) => {
    let s = 0;
    for (let j = 0; j <= k; j++) s += a.get(j) * b.get(k - j);
    return s;
  });
