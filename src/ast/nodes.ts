import type { FnName } from "../functions/names.js";
import type { Rational } from "./rational.js";

/**
 * The expression tree: a discriminated union of immutable, hash-consed nodes.
 * Two structurally equal expressions are the same object, so equality is `===`,
 * memo tables are keyed by `id`, and a derivative of any order stays a DAG.
 */
export type Expr = Num | Sym | Const | Call | Add | Mul | Pow | Piecewise | Compare | Logic | Not | Derivative;
export type Kind = Expr["kind"];

interface Node {
  /** Unique while the node is alive; children are referenced by id inside `key`. */
  readonly id: number;
  /** Structural key: equal keys ⇔ equal trees. */
  readonly key: string;
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

export type CompareOp = "<" | "<=" | ">" | ">=" | "==" | "!=";
export type ConstName = "pi" | "e";

export function assertNever(value: never, context = "expression"): never {
  throw new Error(`internal error: unhandled ${context} ${JSON.stringify((value as { kind?: unknown })?.kind ?? value)}`);
}

/** Boolean-valued kinds: they may only appear as conditions. */
export const isCondition = (e: Expr): e is Compare | Logic | Not =>
  e.kind === "compare" || e.kind === "logic" || e.kind === "not";

// Interning: a weak table so that a long-running process does not keep every tree it ever built.
let nextId = 1;
const table = new Map<string, WeakRef<Expr>>();
const registry = new FinalizationRegistry<string>((key) => {
  const ref = table.get(key);
  if (ref !== undefined && ref.deref() === undefined) table.delete(key);
});

type Fields<T extends Expr> = Omit<T, "id" | "key">;

/** Returns the one live node with this structure, creating it if needed. */
export function intern<T extends Expr>(key: string, fields: Fields<T>): T {
  const existing = table.get(key)?.deref();
  if (existing !== undefined) return existing as T;
  const node = Object.freeze({ ...fields, id: nextId++, key }) as unknown as T;
  table.set(key, new WeakRef(node));
  registry.register(node, key);
  return node;
}

export const ids = (es: readonly Expr[]): string => es.map((e) => e.id).join(",");
