import {
  add, addAll, call, compare, derivative, elem, logic, mul, mulAll, not, piecewise, pow, reduce, vcall,
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
      return terms.every((t, i) => t === e.terms[i]) ? e : addAll(terms);
    }
    case "mul": {
      const factors = e.factors.map(f);
      return factors.every((t, i) => t === e.factors[i]) ? e : mulAll(factors);
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

/**
 * Bottom-up rewrite of a DAG, visiting each shared node once. Children are rewritten before their
 * parent, in the order a recursion would take them, but from an explicit stack: a nesting
 * thousands deep must not exhaust the engine's.
 */
export function transform(root: Expr, rewrite: (node: Expr) => Expr): Expr {
  const memo = new Map<number, Expr>();
  const rewritten = (c: Expr): Expr => memo.get(c.id)!;
  for (const e of postorder(root)) memo.set(e.id, rewrite(mapChildren(e, rewritten)));
  return memo.get(root.id)!;
}

const freeCache = new WeakMap<Expr, ReadonlySet<string>>();

/**
 * Names of the symbols an expression depends on, vectors included (x_i depends on x). Derivative
 * nodes bind nothing; indices are not symbols (see `freeIndices`).
 */
export function freeSymbols(root: Expr): ReadonlySet<string> {
  const cached = freeCache.get(root);
  if (cached) return cached;
  for (const e of postorderSkipping(root, (n) => freeCache.has(n))) {
    let result: ReadonlySet<string>;
    if (e.kind === "sym") result = new Set([e.name]);
    else if (e.kind === "elem") result = new Set([e.vector, ...freeCache.get(e.index)!]);
    else {
      const kids = children(e);
      // A node with one child (a call of one argument) has its child's names: one set, shared.
      if (kids.length === 1) result = freeCache.get(kids[0]!)!;
      else {
        const s = new Set<string>();
        for (const c of kids) for (const n of freeCache.get(c)!) s.add(n);
        result = s;
      }
    }
    freeCache.set(e, result);
  }
  return freeCache.get(root)!;
}

export const dependsOn = (e: Expr, name: string): boolean => freeSymbols(e).has(name);

const calledCache = new WeakMap<Expr, ReadonlySet<string>>();
const NOTHING_CALLED: ReadonlySet<string> = new Set();

/**
 * The functions called anywhere in an expression, remembered per node: asking it of each node of
 * a deep nesting costs its size once, not once per node. A node that calls nothing new shares
 * its child's set.
 */
export function calledFunctions(root: Expr): ReadonlySet<string> {
  const cached = calledCache.get(root);
  if (cached !== undefined) return cached;
  for (const e of postorderSkipping(root, (n) => calledCache.has(n))) {
    const parts = children(e).map((c) => calledCache.get(c)!).filter((set) => set.size > 0);
    const own = e.kind === "call" ? e.fn : e.kind === "vcall" ? e.fn : undefined;
    let result: ReadonlySet<string>;
    if (own === undefined && parts.length === 0) result = NOTHING_CALLED;
    else if (parts.length === 1 && (own === undefined || parts[0]!.has(own))) result = parts[0]!;
    else {
      const union = new Set<string>(own === undefined ? [] : [own]);
      for (const set of parts) for (const fn of set) union.add(fn);
      result = union;
    }
    calledCache.set(e, result);
  }
  return calledCache.get(root)!;
}

const indexCache = new WeakMap<Expr, ReadonlySet<string>>();

/** Names of the indices free in e: those a reduction or vector function does not bind. */
export function freeIndices(root: Expr): ReadonlySet<string> {
  const cached = indexCache.get(root);
  if (cached) return cached;
  for (const e of postorderSkipping(root, (n) => indexCache.has(n))) {
    const s = new Set<string>();
    if (e.kind === "idx") s.add(e.name);
    for (const c of children(e)) {
      const bound = (e.kind === "reduce" || e.kind === "vcall") && c === e.body ? e.index : undefined;
      for (const n of indexCache.get(c)!) if (n !== bound) s.add(n);
    }
    indexCache.set(e, s);
  }
  return indexCache.get(root)!;
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
  const replaced = (c: Expr): Expr => memo.get(c.id)!;
  for (const n of postorder(e)) memo.set(n.id, n.kind === "sym" ? bindings.get(n.name) ?? n : mapChildren(n, replaced));
  return memo.get(e.id)!;
}

/** Size of the expression written out as a tree (what a reader sees). */
export function treeSize(e: Expr): number {
  const memo = new Map<number, number>();
  for (const n of postorder(e)) memo.set(n.id, children(n).reduce((acc, c) => acc + memo.get(c.id)!, 1));
  return memo.get(e.id)!;
}

/** Number of distinct nodes (the size of the shared DAG). */
export function dagSize(e: Expr): number {
  return postorder(e).length;
}

/**
 * Every node of the DAG, children before parents, each once, in the order a depth-first recursion
 * would finish them — from an explicit stack. Nodes for which `skip` holds (already known to the
 * caller) are left out with all below them.
 */
export const postorder = (root: Expr): Expr[] => postorderSkipping(root);

function postorderSkipping(root: Expr, skip?: (node: Expr) => boolean): Expr[] {
  const seen = new Set<number>();
  const out: Expr[] = [];
  if (skip?.(root) === true) return out;
  // Each frame: a node and how many of its children have been pushed.
  const nodes: Expr[] = [root];
  const kidsOf: (readonly Expr[])[] = [children(root)];
  const next: number[] = [0];
  seen.add(root.id);
  while (nodes.length > 0) {
    const top = nodes.length - 1;
    const kids = kidsOf[top]!;
    const i = next[top]!;
    if (i < kids.length) {
      next[top] = i + 1;
      const c = kids[i]!;
      if (seen.has(c.id) || skip?.(c) === true) continue;
      seen.add(c.id);
      nodes.push(c);
      kidsOf.push(children(c));
      next.push(0);
    } else {
      out.push(nodes.pop()!);
      kidsOf.pop();
      next.pop();
    }
  }
  return out;
}
