import {
  add, call, compare, derivative, elem, logic, mul, not, piecewise, pow, reduce, vcall,
} from "./build.js";
import { assertNever, type Branch, type Expr } from "./nodes.js";

/** The direct subexpressions of a node, conditions included. */
export function children(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case "num": case "sym": case "const": return [];
    case "call": return e.args;
    case "add": return e.terms;
    case "mul": return e.factors;
    case "pow": return [e.base, e.exponent];
    case "piecewise": return [...e.branches.flatMap((b) => [b.when, b.then]), e.otherwise];
    case "compare": return [e.left, e.right];
    case "logic": return e.args;
    case "not": return [e.arg];
    case "derivative": return [e.expr];
    case "idx": case "len": return [];
    case "elem": return [e.index];
    case "reduce": return [e.from, e.to, e.body];
    case "vcall": return e.at === undefined ? [e.length, e.body] : [e.length, e.body, e.at];
    default: return assertNever(e);
  }
}

/** A piecewise value with these parts: the node itself when none changed, else rebuilt (canonical again). */
export function piecewiseWith(e: Extract<Expr, { kind: "piecewise" }>, branches: readonly Branch[], otherwise: Expr): Expr {
  const same = otherwise === e.otherwise && branches.every((b, i) => b.when === e.branches[i]!.when && b.then === e.branches[i]!.then);
  return same ? e : piecewise(branches, otherwise);
}

/**
 * Rebuilds a node from transformed children through the smart constructors, so the result is
 * canonical again. Returns the node itself when no child changed.
 */
export function mapChildren(e: Expr, f: (child: Expr) => Expr): Expr {
  switch (e.kind) {
    case "num": case "sym": case "const": return e;
    case "call": {
      const args = e.args.map(f);
      return args.every((a, i) => a === e.args[i]) ? e : call(e.fn, args);
    }
    case "add": {
      const terms = e.terms.map(f);
      return terms.every((t, i) => t === e.terms[i]) ? e : add(...terms);
    }
    case "mul": {
      const factors = e.factors.map(f);
      return factors.every((t, i) => t === e.factors[i]) ? e : mul(...factors);
    }
    case "pow": {
      const base = f(e.base);
      const exponent = f(e.exponent);
      return base === e.base && exponent === e.exponent ? e : pow(base, exponent);
    }
    case "piecewise": return piecewiseWith(e, e.branches.map((b) => ({ when: f(b.when), then: f(b.then) })), f(e.otherwise));
    case "compare": {
      const left = f(e.left);
      const right = f(e.right);
      return left === e.left && right === e.right ? e : compare(e.op, left, right);
    }
    case "logic": {
      const args = e.args.map(f);
      return args.every((a, i) => a === e.args[i]) ? e : logic(e.op, args);
    }
    case "not": {
      const arg = f(e.arg);
      return arg === e.arg ? e : not(arg);
    }
    case "derivative": {
      const inner = f(e.expr);
      return inner === e.expr ? e : derivative(inner, e.wrt, e.order);
    }
    case "idx": case "len": return e;
    case "elem": {
      const index = f(e.index);
      return index === e.index ? e : elem(e.vector, index);
    }
    // A binder's body keeps its bound index free: f sees it as an index like any other.
    case "reduce": {
      const [from, to, body] = [f(e.from), f(e.to), f(e.body)];
      return from === e.from && to === e.to && body === e.body ? e : reduce(e.op, e.index, from, to, body);
    }
    case "vcall": {
      const [length, body, at] = [f(e.length), f(e.body), e.at === undefined ? undefined : f(e.at)];
      return length === e.length && body === e.body && at === e.at ? e : vcall(e.fn, e.index, length, body, at);
    }
    default: return assertNever(e);
  }
}

/** Bottom-up rewrite of a DAG, visiting each shared node once. */
export function transform(root: Expr, rewrite: (node: Expr) => Expr): Expr {
  const memo = new Map<number, Expr>();
  const visit = (e: Expr): Expr => {
    const done = memo.get(e.id);
    if (done !== undefined) return done;
    const result = rewrite(mapChildren(e, visit));
    memo.set(e.id, result);
    return result;
  };
  return visit(root);
}

const freeCache = new WeakMap<Expr, ReadonlySet<string>>();

/**
 * Names of the symbols an expression depends on, vectors included (x_i depends on x). Derivative
 * nodes bind nothing; indices are not symbols (see `freeIndices`).
 */
export function freeSymbols(e: Expr): ReadonlySet<string> {
  const cached = freeCache.get(e);
  if (cached) return cached;
  let result: ReadonlySet<string>;
  if (e.kind === "sym") result = new Set([e.name]);
  else if (e.kind === "elem") result = new Set([e.vector, ...freeSymbols(e.index)]);
  else {
    const s = new Set<string>();
    for (const c of children(e)) for (const n of freeSymbols(c)) s.add(n);
    result = s;
  }
  freeCache.set(e, result);
  return result;
}

export const dependsOn = (e: Expr, name: string): boolean => freeSymbols(e).has(name);

const indexCache = new WeakMap<Expr, ReadonlySet<string>>();

/** Names of the indices free in e: those a reduction or vector function does not bind. */
export function freeIndices(e: Expr): ReadonlySet<string> {
  const cached = indexCache.get(e);
  if (cached) return cached;
  const s = new Set<string>();
  if (e.kind === "idx") s.add(e.name);
  for (const c of children(e)) {
    const bound = (e.kind === "reduce" || e.kind === "vcall") && c === e.body ? e.index : undefined;
    for (const n of freeIndices(c)) if (n !== bound) s.add(n);
  }
  indexCache.set(e, s);
  return s;
}

/** Whether the vectors named occur in e (as elements or lengths). */
export function usesVectors(e: Expr): boolean {
  return postorder(e).some((n) => n.kind === "elem" || n.kind === "len" || n.kind === "reduce" || n.kind === "vcall" || n.kind === "idx");
}

/** Replaces symbols by expressions, all at once. */
export function substitute(e: Expr, bindings: ReadonlyMap<string, Expr>): Expr {
  if (bindings.size === 0) return e;
  // Symbols are replaced where they stand in the original tree: a rebuilt parent that folds back
  // into a bound symbol (x → -x turns -x into x) must not be replaced again.
  const memo = new Map<number, Expr>();
  const visit = (n: Expr): Expr => {
    let out = memo.get(n.id);
    if (out === undefined) {
      out = n.kind === "sym" ? bindings.get(n.name) ?? n : mapChildren(n, visit);
      memo.set(n.id, out);
    }
    return out;
  };
  return visit(e);
}

/** Size of the expression written out as a tree (what a reader sees). */
export function treeSize(e: Expr): number {
  const memo = new Map<number, number>();
  const size = (n: Expr): number => {
    let s = memo.get(n.id);
    if (s === undefined) {
      s = 1 + children(n).reduce((acc, c) => acc + size(c), 0);
      memo.set(n.id, s);
    }
    return s;
  };
  return size(e);
}

/** Number of distinct nodes (the size of the shared DAG). */
export function dagSize(e: Expr): number {
  const seen = new Set<number>();
  const visit = (n: Expr): void => {
    if (seen.has(n.id)) return;
    seen.add(n.id);
    children(n).forEach(visit);
  };
  visit(e);
  return seen.size;
}

/** Every node of the DAG, children before parents. */
export function postorder(root: Expr): Expr[] {
  const seen = new Set<number>();
  const out: Expr[] = [];
  const visit = (n: Expr): void => {
    if (seen.has(n.id)) return;
    seen.add(n.id);
    children(n).forEach(visit);
    out.push(n);
  };
  visit(root);
  return out;
}
