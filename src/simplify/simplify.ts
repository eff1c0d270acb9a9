import type { Expr } from "../ast/nodes.js";
import { mapChildren } from "../ast/walk.js";
import { expandDerivatives } from "../diff/diff.js";
import { RULES } from "./rules.js";

const memo = new WeakMap<Expr, Expr>();
const MAX_REWRITES_PER_NODE = 32;

/**
 * Brings an expression to textbook form: unevaluated derivatives are evaluated, then the rules
 * are applied bottom-up until none applies. The canonical ordering of the smart constructors
 * does the rest (folding constants, collecting like terms).
 */
export function simplify(e: Expr): Expr {
  return simplifyNode(expandDerivatives(e));
}

function simplifyNode(e: Expr): Expr {
  const done = memo.get(e);
  if (done !== undefined) return done;
  let current = mapChildren(e, simplifyNode);
  for (let i = 0; i < MAX_REWRITES_PER_NODE; i++) {
    const next = applyFirstRule(current);
    if (next === undefined) break;
    current = mapChildren(next, simplifyNode);
  }
  memo.set(e, current);
  memo.set(current, current);
  return current;
}

function applyFirstRule(e: Expr): Expr | undefined {
  for (const rule of RULES) {
    const out = rule(e);
    if (out !== undefined) return out;
  }
  return undefined;
}
