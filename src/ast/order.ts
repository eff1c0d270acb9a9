import { assertNever, type Expr } from "./nodes.js";
import * as Q from "./rational.js";

/**
 * The canonical order of terms and factors. It depends only on structure (never on ids or on
 * the order nodes were created in), so equal things always print equally. Numbers come first,
 * then constants, symbols, calls, powers, products, sums: `1 - tanh(x)^2`, `2 * x * sigmoid(x)`.
 */
const rank: Record<Expr["kind"], number> = {
  num: 0, const: 1, sym: 2, idx: 3, elem: 4, len: 5, call: 6, vcall: 7, reduce: 8, pow: 9, mul: 10, add: 11, piecewise: 12,
  derivative: 13, compare: 14, logic: 15, not: 16,
};

const cmpStr = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function compareLists(a: readonly Expr[], b: readonly Expr[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareExpr(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

// Comparing two deep nodes walks down both as far as they agree: tanh(tanh(…(x))) against
// tanh(tanh(…(y))) takes their depth, and sorting the factors of the derivative of a nesting n
// deep did that O(n log n) times at each of n levels. Below a few levels of one comparison, the
// pairs already compared are remembered, so each pair of nodes is compared once; shallow
// comparisons, nearly all of them, pay nothing for it.
const MEMO_BELOW = 8;
let level = 0;
const compared = new WeakMap<Expr, Map<number, number>>();

export function compareExpr(a: Expr, b: Expr): number {
  if (a === b) return 0;
  if (a.kind !== b.kind) return rank[a.kind] - rank[b.kind];
  if (level < MEMO_BELOW) {
    level++;
    const c = compareSameKind(a, b);
    level--;
    return c;
  }
  let row = compared.get(a);
  const known = row?.get(b.id);
  if (known !== undefined) return known;
  level++;
  const c = compareSameKind(a, b);
  level--;
  if (row === undefined) compared.set(a, (row = new Map()));
  row.set(b.id, c);
  return c;
}

function compareSameKind(a: Expr, b: Expr): number {
  switch (a.kind) {
    case "num": return Q.compare(a.value, (b as typeof a).value);
    case "const":
    case "sym": return cmpStr(a.name, (b as typeof a).name);
    case "call": {
      const o = b as typeof a;
      return cmpStr(a.fn, o.fn) || compareLists(a.args, o.args);
    }
    case "pow": {
      const o = b as typeof a;
      return compareExpr(a.base, o.base) || compareExpr(a.exponent, o.exponent);
    }
    case "mul": return compareLists(a.factors, (b as typeof a).factors);
    case "add": return compareLists(a.terms, (b as typeof a).terms);
    case "piecewise": {
      const o = b as typeof a;
      const n = Math.min(a.branches.length, o.branches.length);
      for (let i = 0; i < n; i++) {
        const c = compareExpr(a.branches[i]!.when, o.branches[i]!.when) || compareExpr(a.branches[i]!.then, o.branches[i]!.then);
        if (c !== 0) return c;
      }
      return a.branches.length - o.branches.length || compareExpr(a.otherwise, o.otherwise);
    }
    case "compare": {
      const o = b as typeof a;
      return cmpStr(a.op, o.op) || compareExpr(a.left, o.left) || compareExpr(a.right, o.right);
    }
    case "logic": {
      const o = b as typeof a;
      return cmpStr(a.op, o.op) || compareLists(a.args, o.args);
    }
    case "not": return compareExpr(a.arg, (b as typeof a).arg);
    case "derivative": {
      const o = b as typeof a;
      return cmpStr(a.wrt, o.wrt) || a.order - o.order || compareExpr(a.expr, o.expr);
    }
    case "idx": return cmpStr(a.name, (b as typeof a).name);
    case "len": return cmpStr(a.vector, (b as typeof a).vector);
    case "elem": {
      const o = b as typeof a;
      return cmpStr(a.vector, o.vector) || compareExpr(a.index, o.index);
    }
    case "reduce": {
      const o = b as typeof a;
      return cmpStr(a.op, o.op) || compareExpr(a.body, o.body) || compareExpr(a.from, o.from) || compareExpr(a.to, o.to) || cmpStr(a.index, o.index);
    }
    case "vcall": {
      const o = b as typeof a;
      return cmpStr(a.fn, o.fn) || compareExpr(a.body, o.body) || compareExpr(a.length, o.length) || cmpStr(a.index, o.index) ||
        (a.at === undefined ? (o.at === undefined ? 0 : -1) : o.at === undefined ? 1 : compareExpr(a.at, o.at));
    }
    default: return assertNever(a);
  }
}

/** Factors are ordered by base, then exponent, so x, x^2 and x^-1 sit together. */
export function compareFactors(a: Expr, b: Expr): number {
  const [ba, ea] = a.kind === "pow" ? [a.base, a.exponent] : [a, undefined];
  const [bb, eb] = b.kind === "pow" ? [b.base, b.exponent] : [b, undefined];
  const c = compareExpr(ba, bb);
  if (c !== 0) return c;
  if (ea === undefined) return eb === undefined ? 0 : -1;
  return eb === undefined ? 1 : compareExpr(ea, eb);
}

/**
 * Terms are ordered by what is left after their numeric coefficient (`-x` sorts as `x`), simpler
 * products first: `sigmoid(x) + x * sigmoid(x) * (1 - sigmoid(x))`.
 */
export function compareTerms(a: Expr, b: Expr): number {
  const fa = factorsWithoutCoefficient(a);
  const fb = factorsWithoutCoefficient(b);
  if (fa.length !== fb.length) return fa.length - fb.length;
  for (let i = 0; i < fa.length; i++) {
    const c = compareFactors(fa[i]!, fb[i]!);
    if (c !== 0) return c;
  }
  return 0;
}

function factorsWithoutCoefficient(e: Expr): readonly Expr[] {
  if (e.kind !== "mul") return [e];
  return e.factors[0]!.kind === "num" ? e.factors.slice(1) : e.factors;
}
