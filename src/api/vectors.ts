import { elem, idx, len, mul, reduce, renameIndex, sym, ZERO } from "../ast/build.js";
import { OUTPUT_INDEX, type Definition } from "../ast/definition.js";
import type { Expr } from "../ast/nodes.js";
import { freeIndices, freeSymbols } from "../ast/walk.js";
import { diff, elementVariable } from "../diff/diff.js";
import { fail } from "../errors.js";
import { expand } from "../simplify/expand.js";
import { simplify } from "../simplify/simplify.js";

/**
 * Derivatives of functions of vectors, from the definition: the Jacobian element ∂f_i/∂x_j in
 * index notation, and the vector–Jacobian product Σ_i g_i ∂f_i/∂x_j that training needs — summed
 * out symbolically (deltas collapse, what does not depend on i leaves the sum), so that it is
 * O(N) wherever the Jacobian has that structure: softmax's s ⊙ (g − ⟨g, s⟩), log_softmax's
 * g − softmax(x)·Σg. No function is special-cased here: softmax's own derivative rule is a
 * record in src/functions/vector-functions.ts, and everything else is the chain rule.
 */

/** The column index of a Jacobian: ∂f_i/∂x_j. */
export const COLUMN_INDEX = "j";

/** ∂f_i/∂x_j (∂f/∂x_j for a scalar-valued f), simplified. */
export function jacobianElement(expr: Expr, vector: string): Expr {
  return simplify(diff(expr, elementVariable(vector, COLUMN_INDEX)));
}

/** A name for the incoming gradient that the definition does not use: g, or g_out, g2, … */
export function cotangentName(d: Definition): string {
  const taken = new Set([...d.inputs, ...d.params.map((p) => p.name)]);
  for (const name of ["g", "g_out", "grad_out"]) if (!taken.has(name)) return name;
  let k = 2;
  while (taken.has(`g${k}`)) k++;
  return `g${k}`;
}

/**
 * The vector–Jacobian product with respect to the vector input `vector`, as a definition of the
 * inputs and the incoming gradient g (a vector like f's output, or a number for a scalar-valued
 * f), whose output is the gradient of x: element i is Σ_o g_o ∂f_o/∂x_i.
 */
export function vjpDefinition(d: Definition, expr: Expr, vector: string): Definition {
  if (!d.vectors?.includes(vector)) fail("E_USAGE", `${d.name} has no vector input '${vector}'`, { hint: `its vector inputs: ${d.vectors?.join(", ") || "none"}` });
  const g = cotangentName(d);
  const column = jacobianElement(expr, vector);
  const o = `${OUTPUT_INDEX}'`;
  // Σ_o g_o J_oj: the output index renamed, so that the sum binds it; products multiplied out
  // first, so that each term can be summed out on its own.
  const summed = d.output === undefined
    ? mul(sym(g), column)
    : reduce("sum", o, ZERO, d.output.length, expand(mul(elem(g, idx(o)), renameIndex(column, OUTPUT_INDEX, o))));
  const body = renameIndex(simplify(summed), COLUMN_INDEX, OUTPUT_INDEX);
  const leftover = [...freeIndices(body)].filter((n) => n !== OUTPUT_INDEX);
  if (leftover.length > 0) throw new Error(`internal error: the VJP of ${d.name} has free indices ${leftover.join(", ")}`);
  return {
    name: `vjp_${d.name}`,
    inputs: [...d.inputs, g],
    params: d.params,
    vectors: d.output === undefined ? d.vectors! : [...d.vectors!, g],
    output: { length: len(vector) },
    body,
    source: "",
  };
}

/** Whether an expression reads the vector (its elements or length). */
export const readsVector = (e: Expr, vector: string): boolean => freeSymbols(e).has(vector);
