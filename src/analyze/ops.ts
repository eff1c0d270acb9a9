import { assertNever, type Expr } from "../ast/nodes.js";
import { children, postorder } from "../ast/walk.js";
import type { FnName } from "../functions/names.js";
import type { OpBreakdown } from "./types.js";

/** Calls that cost about as much as an arithmetic operation. */
const CHEAP_CALLS: ReadonlySet<FnName> = new Set(["abs", "sign", "min", "max", "clip"]);

/**
 * Operations to evaluate the roots once, each shared node once (see OpBreakdown for what counts
 * as one operation). A reciprocal that only ever appears as a factor is a division and is counted
 * by the product it sits in: a / b is one operation, not two.
 */
export function countOps(roots: readonly Expr[]): OpBreakdown {
  const nodes = [...new Map(roots.flatMap(postorder).map((n) => [n.id, n])).values()];
  const usedOutsideProducts = new Set<number>();
  for (const n of nodes) {
    if (n.kind === "mul") continue;
    for (const c of children(n)) usedOutsideProducts.add(c.id);
  }
  for (const r of roots) usedOutsideProducts.add(r.id);
  let arithmetic = 0;
  let transcendental = 0;
  let branching = 0;
  for (const n of nodes) {
    switch (n.kind) {
      case "num": case "sym": case "const": case "derivative": break;
      case "add": arithmetic += n.terms.length - 1; break;
      case "mul": arithmetic += n.factors.length - 1; break;
      case "pow": {
        const reciprocal = n.exponent.kind === "num" && n.exponent.value.n === -1n && n.exponent.value.d === 1n;
        if (!reciprocal || usedOutsideProducts.has(n.id)) arithmetic += 1;
        break;
      }
      case "call": if (CHEAP_CALLS.has(n.fn)) arithmetic += 1; else transcendental += 1; break;
      case "compare": branching += 1; break;
      case "logic": branching += n.args.length - 1; break;
      case "not": branching += 1; break;
      case "piecewise": branching += n.branches.length; break;
      case "idx": case "len": case "elem": break;
      case "reduce": case "vcall": arithmetic += 1; break;
      default: assertNever(n);
    }
  }
  return { total: arithmetic + transcendental + branching, arithmetic, transcendental, branching };
}
