import type { FnName } from "../functions/names.js";
import type { Rational } from "./rational.js";

/**
 * The expression tree: a discriminated union of immutable, hash-consed nodes.
 * Two structurally equal expressions are the same object, so equality is `===`,
 * memo tables are keyed by `id`, and a derivative of any order stays a DAG.
 */
export type Expr = Num | Sym | Const | Call | Add | Mul | Pow | Piecewise | Compare | Logic | Not | Derivative
  | Idx | Elem | Len | Reduce | VCall;
export type Kind = Expr["kind"];

interface Node {
  /** Unique while the node is alive; a parent's structural hash is made of its children's ids. */
  readonly id: number;
}

export interface Num extends Node { readonly kind: "num"; readonly value: Rational }
/** The input variable or a parameter; a definition says which names are which. */
export interface Sym extends Node { readonly kind: "sym"; readonly name: string }
export interface Const extends Node { readonly kind: "const"; readonly name: ConstName }
export interface Call extends Node { readonly kind: "call"; readonly fn: FnName; readonly args: readonly Expr[] }
/** n-ary sum in canonical order; like terms are already collected. */
export interface Add extends Node { readonly kind: "add"; readonly terms: readonly Expr[] }
/** n-ary product in canonical order; a numeric coefficient, if any, comes first. */
export interface Mul extends Node { readonly kind: "mul"; readonly factors: readonly Expr[] }
export interface Pow extends Node { readonly kind: "pow"; readonly base: Expr; readonly exponent: Expr }
/** `cond₁ ? v₁ : cond₂ ? v₂ : … : otherwise`; the first true condition wins. */
export interface Piecewise extends Node {
  readonly kind: "piecewise";
  readonly branches: readonly Branch[];
  readonly otherwise: Expr;
}
export interface Branch { readonly when: Expr; readonly then: Expr }
export interface Compare extends Node { readonly kind: "compare"; readonly op: CompareOp; readonly left: Expr; readonly right: Expr }
export interface Logic extends Node { readonly kind: "logic"; readonly op: "and" | "or"; readonly args: readonly Expr[] }
export interface Not extends Node { readonly kind: "not"; readonly arg: Expr }
/** An unevaluated derivative, as written in a claim: `diff(f(x), x, 2)`. */
export interface Derivative extends Node { readonly kind: "derivative"; readonly expr: Expr; readonly wrt: string; readonly order: number }

// Vectors. A vector-valued expression is never a node: it is written by its element at an index
// (softmax(x)_i is exp(x_i) / Σ_k exp(x_k)), so every stage keeps working on scalars, and a
// reduction binds the index it runs over. Bound indices are named canonically by the constructors
// (see `reduce` in build.ts), so that Σ_k exp(x_k) and Σ_t exp(x_t) are one node.

/** An index: the output index i of a vector function, the j of ∂/∂x_j, or one bound by a reduction. */
export interface Idx extends Node { readonly kind: "idx"; readonly name: string }
/** x_i: an element of a vector input. */
export interface Elem extends Node { readonly kind: "elem"; readonly vector: string; readonly index: Expr }
/** N, the length of a vector input. */
export interface Len extends Node { readonly kind: "len"; readonly vector: string }
/**
 * op over index = from … to − 1 of body: Σ, max, min, or the first index where the max (min)
 * is reached. The bound index occurs in body only.
 */
export interface Reduce extends Node {
  readonly kind: "reduce";
  readonly op: ReduceOp;
  readonly index: string;
  readonly from: Expr;
  readonly to: Expr;
  readonly body: Expr;
}
export type ReduceOp = "sum" | "max" | "min" | "argmax" | "argmin";
/**
 * A named function of a whole vector, the vector being body over index = 0 … length − 1:
 * softmax(v)_at, logsumexp(v). They are written out in reductions wherever they are computed
 * (src/functions/vector-functions.ts); as nodes they print as textbook does and carry their own
 * derivative rules, as sigmoid does among scalar functions.
 */
export interface VCall extends Node {
  readonly kind: "vcall";
  readonly fn: VectorFnName;
  readonly index: string;
  readonly length: Expr;
  readonly body: Expr;
  /** The output element, for a vector-valued function (softmax); undefined for a scalar one (logsumexp). */
  readonly at: Expr | undefined;
}
export type VectorFnName = "softmax" | "logsumexp";

export type CompareOp = "<" | "<=" | ">" | ">=" | "==" | "!=";
export type ConstName = "pi" | "e";

export function assertNever(value: never, context = "expression"): never {
  throw new Error(`internal error: unhandled ${context} ${JSON.stringify((value as { kind?: unknown })?.kind ?? value)}`);
}

/** Boolean-valued kinds: they may only appear as conditions. */
export const isCondition = (e: Expr): e is Compare | Logic | Not =>
  e.kind === "compare" || e.kind === "logic" || e.kind === "not";

// Interning. Nodes live in a weak table, so that a long-running process does not keep every tree
// it ever built; entries are keyed by a 32-bit structural hash and checked field by field on a hit
// (a string key — the kind, the scalar fields and the children's ids, joined — cost 170–550 ns a
// lookup, a number 30–70 ns).
//
// A new node first goes into a strong table of the current job, and moves into the weak table
// (gets its WeakRef) in a microtask, when the job is done. The engine keeps every WeakRef's
// target alive until the job ends anyway, so the nodes live no longer than they did; but a
// WeakRef made inside a long synchronous job cost 0.6 µs (the engine's set of targets it keeps
// for the job grows with it), up to half the time of building the node, and one made after it 0.1 µs.
let nextId = 1;
type Bucket<T> = T | T[];
const young = new Map<number, Bucket<Expr>>();
const settled = new Map<number, Bucket<WeakRef<Expr>>>();
const MIN_SWEEP_SIZE = 1 << 14;
let sweepAt = MIN_SWEEP_SIZE;

const each = <T>(bucket: Bucket<T> | undefined): readonly T[] =>
  bucket === undefined ? [] : Array.isArray(bucket) ? bucket : [bucket];

function settle(): void {
  for (const [hash, bucket] of young) {
    const refs = [...each(settled.get(hash)).filter((ref) => ref.deref() !== undefined), ...each(bucket).map((e) => new WeakRef(e))];
    settled.set(hash, refs.length === 1 ? refs[0]! : refs);
  }
  young.clear();
  if (settled.size >= sweepAt) sweepDeadEntries();
}

/** Drops the entries of nodes that were collected: when the table has doubled since the last sweep, so amortised O(1) a node. */
function sweepDeadEntries(): void {
  for (const [hash, bucket] of settled) {
    const live = each(bucket).filter((ref) => ref.deref() !== undefined);
    if (live.length === 0) settled.delete(hash);
    else settled.set(hash, live.length === 1 ? live[0]! : live);
  }
  sweepAt = Math.max(MIN_SWEEP_SIZE, 2 * settled.size);
}

/**
 * Returns the one live node with this structure, creating it if needed.
 * @param hash the structure's hash (see `shapeHash`): equal structures, equal hashes
 * @param same whether a node with this hash has this structure (children compared by identity)
 * @param create the node as an object literal with the id it is given: built only for a new node
 *   (most calls of a smart constructor find theirs), and one shape per kind — a spread of the
 *   fields into a new object, as this once did, cost 1.2 µs a node.
 */
export function intern<T extends Expr>(hash: number, same: (candidate: Expr) => boolean, create: (id: number) => T): T {
  const recent = young.get(hash);
  if (recent !== undefined) {
    if (!Array.isArray(recent)) {
      if (same(recent)) return recent as T;
    } else {
      for (const e of recent) if (same(e)) return e as T;
    }
  }
  const old = settled.get(hash);
  if (old !== undefined) {
    if (!Array.isArray(old)) {
      const e = old.deref();
      if (e !== undefined && same(e)) return e as T;
    } else {
      for (const ref of old) {
        const e = ref.deref();
        if (e !== undefined && same(e)) return e as T;
      }
    }
  }
  const node = Object.freeze(create(nextId++)) as T;
  if (young.size === 0) queueMicrotask(settle);
  if (recent === undefined) young.set(hash, node);
  else if (Array.isArray(recent)) recent.push(node);
  else young.set(hash, [recent, node]);
  return node;
}

/** How many interned nodes are alive: for the tests of the weak table. */
export function internedNodes(): number {
  let live = 0;
  for (const bucket of young.values()) live += each(bucket).length;
  for (const bucket of settled.values()) live += each(bucket).filter((ref) => ref.deref() !== undefined).length;
  return live;
}

/** Structural hashes: a seed per kind, mixed with scalar fields and the children's ids. */
export const shapeHash = {
  seed: (kind: Kind): number => KIND_SEEDS[kind],
  mix(h: number, value: number): number {
    h = Math.imul(h ^ value, 0x9e3779b1);
    return h ^ (h >>> 15);
  },
  /** A number that may not fit in 32 bits (a rational's part), by its high and low words. */
  mixNumber(h: number, x: number): number {
    return shapeHash.mix(shapeHash.mix(h, x | 0), (x / 4294967296) | 0);
  },
  mixString(h: number, s: string): number {
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    return shapeHash.mix(h, s.length);
  },
  mixIds(h: number, es: readonly Expr[]): number {
    for (const e of es) h = shapeHash.mix(h, e.id);
    return shapeHash.mix(h, es.length);
  },
};

const KIND_SEEDS: Record<Kind, number> = {
  num: 0x1b873593, sym: 0x2545f491, const: 0x3c6ef372, call: 0x4f1bbcdc, add: 0x5be0cd19, mul: 0x6a09e667,
  pow: 0x7137449, piecewise: 0x8f1bbcd, compare: 0x9b05688c, logic: 0xa54ff53a, not: 0xbb67ae85, derivative: 0xc1059ed8,
  idx: 0xd6a8c3e1, elem: 0xe1f0b2c7, len: 0xf2a1d0b3, reduce: 0x1d3c5e7f, vcall: 0x2e4f6a8b,
};

/** Two child lists with the same nodes in the same order. */
export function sameNodes(a: readonly Expr[], b: readonly Expr[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
