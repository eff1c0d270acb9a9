import { idx, replaceIndex, sym } from "../ast/build.js";
import type { Expr, Reduce } from "../ast/nodes.js";
import { children, freeIndices, mapChildren, postorder, transform } from "../ast/walk.js";
import { stabilizeTogether } from "../stable/stabilize.js";

/**
 * Work a row function would otherwise do more than once, found from the element expressions alone
 * (no function is recognised by name):
 *
 * - An element term: a costly expression of one element of one vector and of row constants, such
 *   as exp(x_k − m) — softmax's Σ_k exp(x_k − m) and its output exp(x_i − m)/S compute it for the
 *   same element, and its VJP's Σ_k g_k·exp(x_k − m)/S once more. Written once per element into a
 *   scratch row by the first loop that visits every element, it is read back after; the value is
 *   the same double, so the results are the same bits.
 * - An extreme and its position: the max of a row and its arg max (log_softmax's stable form uses
 *   both) are found in one loop, by the same comparisons each would make alone.
 * - A group key: a reduction inside an output loop that depends on the output index only through
 *   one expression of it (maxout's argmax of the group p·⌊i/p⌋ … p·⌊i/p⌋ + p − 1) is recomputed only
 *   when that expression changes, once per group instead of once per element.
 */
export interface ElementTerm {
  /** The term with its index replaced by a placeholder: equal for every copy of it. */
  readonly key: Expr;
  readonly index: string;
  readonly vector: string;
}

const PLACEHOLDER = idx("§element");

/** e as an element term, if it is one: exactly one free index, used only to read one vector. */
export function elementTerm(e: Expr): ElementTerm | undefined {
  switch (e.kind) {
    case "num": case "sym": case "const": case "idx": case "elem": case "len": case "reduce": case "vcall": return undefined;
    default: break;
  }
  const free = freeIndices(e);
  if (free.size !== 1) return undefined;
  const index = [...free][0]!;
  // Without a function call of the element it is cheaper to recompute than to store.
  if (!postorder(e).some((n) => n.kind === "call" && freeIndices(n).has(index))) return undefined;
  const vectors = new Set<string>();
  // Each read of the element becomes a symbol: what remains must not mention the index.
  const rest = transform(e, (n) => {
    if (n.kind === "elem" && n.index.kind === "idx" && n.index.name === index) {
      vectors.add(n.vector);
      return PLACEHOLDER;
    }
    return n;
  });
  if (vectors.size !== 1 || freeIndices(rest).has(index)) return undefined;
  return { key: replaceIndex(e, index, PLACEHOLDER), index, vector: [...vectors][0]! };
}

/**
 * For each loop body (each output's loop and each reduction's loop; by id), the element terms it
 * may take from a scratch row: those whose replacement by a stored value leaves the body's stable
 * form as it was (replaced, tanh(x_i) would hide 1 − tanh(x_i)² from its rule), in more than one
 * body (a term used twice in one body is shared by the lowering already).
 */
export function sharedElementTerms(outputs: readonly Expr[]): ReadonlyMap<number, ReadonlySet<number>> {
  const loops: Expr[] = [...outputs];
  const seen = new Set<number>();
  for (const e of outputs) for (const n of postorder(e)) if (n.kind === "reduce" && !seen.has(n.id)) { seen.add(n.id); loops.push(n.body); }
  const termsOf = new Map<number, readonly number[]>();
  const bodies = new Map<number, number>();
  for (const body of loops) {
    if (termsOf.has(body.id)) continue;
    const keys = [...termsInBody(body)].filter((k) => storable(body, k));
    termsOf.set(body.id, keys);
    for (const k of keys) bodies.set(k, (bodies.get(k) ?? 0) + 1);
  }
  const result = new Map<number, ReadonlySet<number>>();
  for (const [body, keys] of termsOf) {
    const shared = keys.filter((k) => bodies.get(k)! > 1);
    if (shared.length > 0) result.set(body, new Set(shared));
  }
  return result;
}

/** The keys of the element terms in a loop body (not in the bodies of reductions inside it). */
function termsInBody(body: Expr): ReadonlySet<number> {
  const keys = new Set<number>();
  const visited = new Set<number>();
  const stack = [body];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (visited.has(n.id)) continue;
    visited.add(n.id);
    const term = elementTerm(n);
    if (term !== undefined) keys.add(term.key.id);
    if (n.kind === "reduce") stack.push(n.from, n.to);
    else stack.push(...children(n));
  }
  return keys;
}

/**
 * Whether the body's stable form, with the terms of this key replaced by symbols, is the body
 * with them replaced, stabilized: then a stored value (the term's stable form, computed alone)
 * changes nothing.
 */
function storable(body: Expr, key: number): boolean {
  // Each term of the key (a node, met once: replaceTopDown memoizes) and the symbol standing for it.
  const symbolFor = new Map<Expr, Expr>();
  const matching = (n: Expr): Expr | undefined => {
    if (elementTerm(n)?.key.id !== key) return undefined;
    const s = sym(`§stored${symbolFor.size}`);
    symbolFor.set(n, s);
    return s;
  };
  const replaced = replaceTopDown(body, matching);
  const stableFormOf = new Map([...symbolFor].map(([term, s]) => [stabilizeTogether([term])[0]!.id, s] as const));
  const [stableBody] = stabilizeTogether([body]);
  const expected = replaceTopDown(stableBody!, (n) => stableFormOf.get(n.id));
  return stabilizeTogether([replaced])[0] === expected;
}

/** e with the nodes for which `by` gives a replacement replaced, outermost first. */
function replaceTopDown(e: Expr, by: (n: Expr) => Expr | undefined): Expr {
  const memo = new Map<number, Expr>();
  const visit = (n: Expr): Expr => {
    const done = memo.get(n.id);
    if (done !== undefined) return done;
    const out = by(n) ?? mapChildren(n, visit);
    memo.set(n.id, out);
    return out;
  };
  return visit(e);
}

/**
 * The one expression through which the reduction r depends on the loop index `own` (all its other
 * indices are known outside it), if there is one and it is not the index itself: r is then a
 * function of that expression's value.
 */
export function groupKey(r: Reduce, own: string, known: ReadonlySet<string>): Expr | undefined {
  const pieces = new Set<Expr>();
  const visit = (e: Expr): void => {
    const free = freeIndices(e);
    if (!free.has(own)) return;
    if ([...free].every((i) => known.has(i))) { pieces.add(e); return; }
    const kids = e.kind === "reduce" ? [e.from, e.to, e.body] : children(e);
    kids.forEach(visit);
  };
  [r.from, r.to, r.body].forEach(visit);
  if (pieces.size !== 1) return undefined;
  let piece = [...pieces][0]!;
  // Only a key that many indices share saves work: one through ⌊·⌋ (a group). Otherwise the
  // guard would cost a comparison per element and save nothing.
  if (!postorder(piece).some((n) => n.kind === "call" && n.fn === "floor" && freeIndices(n).has(own))) return undefined;
  // p·⌊i/p⌋ is a one-to-one function of ⌊i/p⌋ (p is known outside): the innermost such piece is
  // the key, so that the other reads of ⌊i/p⌋ (gradOut's element of the group) share it.
  while (piece.kind === "add" || piece.kind === "mul") {
    const inner = children(piece).filter((c) => freeIndices(c).has(own));
    if (inner.length !== 1 || inner[0]!.kind === "idx") break;
    piece = inner[0]!;
  }
  return piece;
}

/** For each max (min) reduction whose arg max (arg min) over the same range and body also occurs, that one. */
export function positionsOfExtremes(outputs: readonly Expr[]): ReadonlyMap<number, Reduce> {
  const reductions = new Map<number, Reduce>();
  for (const e of outputs) for (const n of postorder(e)) if (n.kind === "reduce") reductions.set(n.id, n);
  const where = (r: Reduce, op: string): string => `${op}:${r.index}:${r.from.id}:${r.to.id}:${r.body.id}`;
  const positions = new Map([...reductions.values()].filter((r) => r.op === "argmax" || r.op === "argmin").map((r) => [where(r, r.op), r] as const));
  const result = new Map<number, Reduce>();
  for (const r of reductions.values()) {
    const position = r.op === "max" ? positions.get(where(r, "argmax")) : r.op === "min" ? positions.get(where(r, "argmin")) : undefined;
    if (position !== undefined) result.set(r.id, position);
  }
  return result;
}
