import { add, call, div, elem, idx, len, mul, pow, reduce, replaceIndex, TWO, vcall, ZERO } from "../ast/build.js";
import type { Definition, Scope } from "../ast/definition.js";
import type { Expr, ReduceOp } from "../ast/nodes.js";
import { postorder, transform } from "../ast/walk.js";
import { syntaxNodes, type Syntax } from "./syntax.js";

/**
 * Vectors during name resolution. A vector-valued expression is never a node of its own: it is
 * resolved to a function from an index to its element there (`exp(x)` at i is exp(x_i)), so
 * elementwise operations compose element functions and a reduction binds an index over them
 * (`sum(exp(x))` is Σ_k exp(x_k)). This is how numpy's broadcasting and a paper's index
 * notation meet in one AST.
 */
export interface VectorValue {
  readonly kind: "vector";
  readonly at: (index: Expr) => Expr;
  readonly length: Expr;
}
export type Resolved = Expr | VectorValue;

export const isVector = (r: Resolved): r is VectorValue => r.kind === "vector";

/**
 * A vector input. The vectors of one definition have one length, that of the first (dot(x[], y[])
 * = sum(x * y) combines them); calls check it.
 */
export const vectorInput = (name: string, length: Expr = len(name)): VectorValue => ({ kind: "vector", at: (i) => elem(name, i), length });

let counter = 0;
/** A name for an index about to be bound; the binder renames it canonically (§n). */
const fresh = (): string => `·${++counter}`;

/** Over its whole length: Σ, max or min of the elements. */
export function reduceWhole(op: ReduceOp, v: VectorValue): Expr {
  const k = fresh();
  return reduce(op, k, ZERO, v.length, v.at(idx(k)));
}

/** A scalar operation applied elementwise: vectors at the same index, scalars broadcast. */
export function lift(operands: readonly Resolved[], op: (xs: Expr[]) => Expr, mismatch: (a: Expr, b: Expr) => never): Resolved {
  const vectors = operands.filter(isVector);
  if (vectors.length === 0) return op(operands as Expr[]);
  const length = vectors[0]!.length;
  for (const v of vectors) if (v.length !== length) mismatch(length, v.length);
  return { kind: "vector", length, at: (i) => op(operands.map((o) => (isVector(o) ? o.at(i) : o))) };
}

/**
 * The builtin functions of whole vectors, by the name users call them: how a call resolves.
 * `max` and `min` of one vector reduce it; of two numbers they are the scalar builtins.
 */
interface VectorBuiltin {
  readonly summary: string;
  /** Arguments after the vector (groupmax's group size). */
  readonly extra: number;
  readonly resolve: (v: VectorValue, extra: readonly Expr[]) => Resolved;
}

export const VECTOR_BUILTINS: Readonly<Record<string, VectorBuiltin>> = {
  sum: { summary: "Σ_k v_k", extra: 0, resolve: (v) => reduceWhole("sum", v) },
  max: { summary: "the largest element (its gradient goes to the first maximal one, as torch.max(dim))", extra: 0, resolve: (v) => reduceWhole("max", v) },
  min: { summary: "the smallest element", extra: 0, resolve: (v) => reduceWhole("min", v) },
  argmax: { summary: "the index of the first largest element (0-based)", extra: 0, resolve: (v) => reduceWhole("argmax", v) },
  argmin: { summary: "the index of the first smallest element (0-based)", extra: 0, resolve: (v) => reduceWhole("argmin", v) },
  mean: { summary: "Σ_k v_k / N", extra: 0, resolve: (v) => div(reduceWhole("sum", v), v.length) },
  norm: { summary: "the Euclidean norm √(Σ_k v_k²)", extra: 0, resolve: (v) => call("sqrt", [reduceWhole("sum", { ...v, at: (i) => pow(v.at(i), TWO) })]) },
  len: { summary: "N, the number of elements", extra: 0, resolve: (v) => v.length },
  logsumexp: { summary: "log Σ_k exp(v_k), computed max-shifted", extra: 0, resolve: (v) => vectorFunction("logsumexp", v, undefined) },
  softmax: {
    summary: "exp(v_i) / Σ_k exp(v_k), computed max-shifted", extra: 0,
    resolve: (v) => ({ kind: "vector", length: v.length, at: (i) => vectorFunction("softmax", v, i) }),
  },
  groupmax: { summary: "the maximum of each group of k consecutive elements (maxout)", extra: 1, resolve: (v, [k]) => groups("max", v, k!) },
  groupmin: { summary: "the minimum of each group of k consecutive elements", extra: 1, resolve: (v, [k]) => groups("min", v, k!) },
};

function vectorFunction(fn: "softmax" | "logsumexp", v: VectorValue, at: Expr | undefined): Expr {
  const k = fresh();
  return vcall(fn, k, v.length, v.at(idx(k)), at);
}

/** Element g of the result is op over t < k of v_(k·g + t); the result has N / k elements. */
function groups(op: "max" | "min", v: VectorValue, k: Expr): VectorValue {
  return {
    kind: "vector", length: div(v.length, k),
    at: (g) => {
      const t = fresh();
      return reduce(op, t, ZERO, k, v.at(add(mul(k, g), idx(t))));
    },
  };
}

/**
 * Index notation: sum(e, k) is Σ_k e over the length of the vectors e reads at k (sum(x_k * y_k, k));
 * sum(e, k, from, to) over from … to − 1. Undefined when e reads no vector at k.
 */
export function indexReduction(op: ReduceOp, body: Expr, k: string, range: readonly [Expr, Expr] | undefined): Expr | undefined {
  if (range !== undefined) return reduce(op, k, range[0], range[1], body);
  const at = idx(k);
  const read = postorder(body).find((n) => n.kind === "elem" && n.index === at);
  return read?.kind === "elem" ? reduce(op, k, ZERO, len(read.vector), body) : undefined;
}

/**
 * A call of a definition with vector inputs: its body with each vector input's elements and
 * length replaced by the argument's; a vector-valued definition gives a vector, element i of
 * which is the body at the output index i.
 */
export function instantiateVectors(d: Definition, body: Expr, args: ReadonlyMap<string, VectorValue>, outputIndex: string, outputLength: Expr | undefined): Resolved {
  const replaced = transform(body, (n) => {
    if (n.kind === "elem" && args.has(n.vector)) return args.get(n.vector)!.at(n.index);
    if (n.kind === "len" && args.has(n.vector)) return args.get(n.vector)!.length;
    return n;
  });
  if (d.output === undefined) return replaced;
  const length = outputLength!;
  return { kind: "vector", length, at: (i) => replaceIndex(replaced, outputIndex, i) };
}

/**
 * The names a claim uses as vectors: arguments of vector inputs of definitions and of the vector
 * builtins, names indexed with brackets, and the v of each v_k read in an index-notation sum over
 * k (`sum(exp(a_k), k)`). `x_j` then reads as an element of x. Without `builtins`, an argument of
 * sum, max, softmax … is not taken for a vector by that alone (LaTeX's \max(x) is of numbers).
 */
export function vectorNamesIn(roots: readonly Syntax[], scope: Scope, options: { readonly builtins?: boolean } = {}): Set<string> {
  const names = new Set<string>();
  const builtins = options.builtins ?? true;
  for (const root of roots) for (const s of syntaxNodes(root)) {
    // x_i with a one-letter index beside a whole-vector builtin (sum(exp(x)) next to exp(x_i)): x is a vector.
    if (s.type === "name" && builtins) {
      const m = /^(.+)_([a-z])$/.exec(s.name);
      if (m !== null && scope.lookup(m[1]!) === undefined) names.add(m[1]!);
    }
    if (s.type === "call") {
      const d = scope.lookup(s.name);
      s.args.forEach((a, i) => {
        const vectorInput = d !== undefined ? d.vectors?.includes(d.inputs[i] ?? "")
          : builtins && i === 0 && Object.hasOwn(VECTOR_BUILTINS, s.name) && !((s.name === "max" || s.name === "min") && s.args.length === 2);
        if (vectorInput === true && a.type === "name") names.add(a.name);
      });
      const k = indexNotationIndex(s, scope);
      if (k !== undefined) for (const n of namesIn(s.args[0]!)) if (n.endsWith(`_${k}`) && n.length > k.length + 1) names.add(n.slice(0, -k.length - 1));
    }
    if (s.type === "index" && s.target.type === "name") names.add(s.target.name);
    // softmax(x)_i: only a vector has elements, so a builtin indexed this way takes a vector.
    if (s.type === "index" && s.target.type === "call" && Object.hasOwn(VECTOR_BUILTINS, s.target.name) && s.target.args[0]?.type === "name") names.add(s.target.args[0].name);
  }
  return names;
}

/**
 * The names a claim uses as indices, given its vectors: the subscripts of their elements (x_j,
 * x[j]), the arguments of delta (delta(i, j), δ_ij), the index of diff(e, x_j) and of an
 * index-notation sum. A condition `i == j` on them then compares indices, not numbers.
 */
export function indexNamesIn(roots: readonly Syntax[], scope: Scope, vectors: ReadonlySet<string>): Set<string> {
  const names = new Set<string>();
  const terms: string[][] = [];
  const element = (name: string): void => {
    const m = ELEMENT_NAME.exec(name);
    if (m !== null && vectors.has(m[1]!)) names.add(m[2]!);
    const kronecker = KRONECKER.exec(name);
    if (kronecker !== null) names.add(kronecker[1]!).add(kronecker[2]!);
  };
  for (const root of roots) for (const s of syntaxNodes(root)) {
    if (s.type === "name") element(s.name);
    // The terms of an index (z[k * i + t]) and of delta's arguments (delta(j, k * i + …)) name
    // indices; a term that is a product of several names (k·i) is settled after the walk.
    if (s.type === "index") terms.push(...indexTerms(s.index));
    if (s.type === "call" && s.name === "delta" && s.args.length === 2 && scope.lookup("delta") === undefined) {
      for (const a of s.args) terms.push(...indexTerms(a));
    }
    if (s.type === "call") {
      const k = indexNotationIndex(s, scope);
      if (k !== undefined) names.add(k);
    }
  }
  // A term with one name (t, 2·i) is an index. In a product of names (k·i), those that are indices
  // by another use (maxout(z)_i, a lone term) are the indices and the others numbers (maxout's
  // group size k); when none is, every one is taken for an index, as before.
  const products = terms.map((t) => t.filter((n) => !vectors.has(n)));
  for (const t of products) if (t.length === 1) names.add(t[0]!);
  for (const t of products) if (t.length > 1 && !t.some((n) => names.has(n))) t.forEach((n) => names.add(n));
  return names;
}

/**
 * The names of each term of an index expression: [[t], [k, i]] for t + k·i.
 */
function indexTerms(s: Syntax): string[][] {
  if (s.type === "negate") return indexTerms(s.arg);
  if (s.type === "binary" && (s.op === "+" || s.op === "-")) return [...indexTerms(s.left), ...indexTerms(s.right)];
  const factors = (t: Syntax): string[] | undefined => {
    if (t.type === "name") return [t.name];
    if (t.type === "number") return [];
    if (t.type === "binary" && t.op === "*") {
      const [a, b] = [factors(t.left), factors(t.right)];
      return a === undefined || b === undefined ? undefined : [...a, ...b];
    }
    return undefined;
  };
  const product = factors(s);
  if (product !== undefined) return product.length > 0 ? [product] : [];
  // A call's own indices are read where they are used (the t of argmax(z[k * i + t], t, 0, k) in
  // its z[…]); any other term (⌊j/k⌋) is settled like a product of its names.
  if (s.type === "call") return [];
  const names = namesIn(s);
  return names.length > 0 ? [names] : [];
}

/** `δ_ij` or `delta_ij`: the Kronecker delta of two one-letter indices, as papers write it. */
export const KRONECKER = /^(?:δ|delta)_([A-Za-z])([A-Za-z])$/;
/** `x_j`: element j of the vector x (the last underscore splits). */
export const ELEMENT_NAME = /^(.+)_([A-Za-z][A-Za-z0-9]*)$/;

/** The k of sum(e, k), max(e, k), min(e, k) (and their 4-argument forms): index notation. */
function indexNotationIndex(s: Extract<Syntax, { type: "call" }>, scope: Scope): string | undefined {
  if (scope.lookup(s.name) !== undefined || !(s.name === "sum" || s.name === "max" || s.name === "min")) return undefined;
  const k = s.args[1];
  if (k?.type !== "name" || (s.args.length !== 2 && s.args.length !== 4)) return undefined;
  // max(x, k) of two numbers is not index notation: the first argument must read something at k.
  const reads = (t: Syntax): boolean =>
    (t.type === "name" && t.name.endsWith(`_${k.name}`)) || (t.type === "index" && t.index.type === "name" && t.index.name === k.name);
  for (const t of syntaxNodes(s.args[0]!)) if (reads(t)) return k.name;
  return undefined;
}

const namesIn = (s: Syntax): string[] => [...syntaxNodes(s)].flatMap((n) => (n.type === "name" ? [n.name] : []));



