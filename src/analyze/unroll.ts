import { add, call, compare, cond, int, replaceIndex } from "../ast/build.js";
import { OUTPUT_INDEX } from "../ast/definition.js";
import type { Expr } from "../ast/nodes.js";
import { print } from "../ast/print.js";
import * as Q from "../ast/rational.js";
import { mapChildren, substitute, transform } from "../ast/walk.js";
import { fail } from "../errors.js";
import { vectorFnSpec } from "../functions/vector-functions.js";
import { simplify } from "../simplify/simplify.js";

/**
 * A function of vectors written out at vectors of a fixed length whose elements are scalar
 * expressions: softmax at (x, 0) is exp(x) / (exp(x) + exp(0)), maxout at (x, 1 − x, 1/2, x/2)
 * is max(x, 1 − x) and max(1/2, x/2). The result is an ordinary formula of the scalars, so that
 * everything built for functions of one input — exact breakpoints, limits by dominant terms, the
 * property sheet, plots with kinks marked — applies to a slice through a vector function.
 * Nothing is sampled: sums and maxima over the now finite ranges become sums and max calls.
 */
export interface Unrolled {
  /** One expression per output element (one for a scalar-valued function). */
  readonly outputs: readonly Expr[];
}

/**
 * Writes the element expression `body` (indexed by OUTPUT_INDEX when vector-valued) out at the
 * given vectors, with the parameters bound to exact values. `outputs` is the number of output
 * elements (undefined for a scalar-valued function).
 */
export function unroll(
  body: Expr, vectors: ReadonlyMap<string, readonly Expr[]>, params: ReadonlyMap<string, Expr>, outputs: number | undefined,
): Unrolled {
  const bound = substitute(body, params);
  const at = (o: number | undefined): Expr => simplify(writeOut(o === undefined ? bound : replaceIndex(bound, OUTPUT_INDEX, int(o)), vectors));
  return { outputs: outputs === undefined ? [at(undefined)] : Array.from({ length: outputs }, (_, o) => at(o)) };
}

/** Top-down: a reduction's range and an element's index are whole numbers once the indices outside are. */
function writeOut(root: Expr, vectors: ReadonlyMap<string, readonly Expr[]>): Expr {
  const memo = new Map<number, Expr>();
  const visit = (e: Expr): Expr => {
    const done = memo.get(e.id);
    if (done !== undefined) return done;
    let out: Expr;
    switch (e.kind) {
      // softmax(v)_i = exp(v_i) / Σ_k exp(v_k): the textbook definition, not the max-shifted one,
      // so that the slice reads as a formula and its limits come from dominant terms.
      case "vcall": out = visit(vectorFnSpec(e.fn).definition(e)); break;
      case "len": out = int(elementsOf(vectors, e.vector).length); break;
      case "elem": {
        const values = elementsOf(vectors, e.vector);
        const k = wholeNumber(visit(e.index), `the index of ${e.vector}`);
        if (k < 0 || k >= values.length) fail("E_USAGE", `${print(e)} reads element ${k} of ${e.vector}, which has ${values.length}`);
        out = values[k]!;
        break;
      }
      case "reduce": {
        const from = wholeNumber(visit(e.from), "the start of a reduction");
        const to = wholeNumber(visit(e.to), "the end of a reduction");
        const terms = Array.from({ length: Math.max(0, to - from) }, (_, m) => visit(replaceIndex(e.body, e.index, int(from + m))));
        if (e.op === "sum") out = add(...terms);
        else if (e.op === "max" || e.op === "min") {
          if (terms.length === 0) fail("E_USAGE", `a ${e.op} over an empty range`);
          // max(a, b, c) = max(max(a, b), c): the first maximal term wins a tie, as groupmax's gradient.
          out = terms.reduce((a, b) => call(e.op as "max" | "min", [a, b]));
        } else {
          fail("E_UNSUPPORTED", `${e.op} cannot be written out as a formula of the elements yet`);
        }
        break;
      }
      case "idx": out = fail("E_USAGE", `the index ${e.name} is free: write the function out at an output element`); break;
      default: out = mapChildren(e, visit);
    }
    memo.set(e.id, out);
    return out;
  };
  return visit(root);
}

/**
 * max(a, b) as a ≥ b ? a : b and min(a, b) as a ≤ b ? a : b: at a tie the first element wins,
 * as groupmax's gradient (and torch.max(dim)'s backward) gives it the whole gradient, where the
 * scalar max splits it. What a slice through maxout is differentiated in.
 */
export function firstWins(e: Expr): Expr {
  return transform(e, (n) => {
    if (n.kind !== "call" || (n.fn !== "max" && n.fn !== "min")) return n;
    const [a, b] = n.args as [Expr, Expr];
    return cond(compare(n.fn === "max" ? ">=" : "<=", a, b), a, b);
  });
}

function elementsOf(vectors: ReadonlyMap<string, readonly Expr[]>, name: string): readonly Expr[] {
  const values = vectors.get(name);
  if (values === undefined) fail("E_USAGE", `no elements were given for the vector ${name}`);
  return values;
}

function wholeNumber(e: Expr, what: string): number {
  const folded = simplify(e);
  if (folded.kind !== "num" || !Q.isInteger(folded.value)) fail("E_USAGE", `${what} is ${print(folded)}, not a whole number`, { hint: "give the parameters whole values (a group size k = 2)" });
  return Q.toNumber(folded.value);
}
