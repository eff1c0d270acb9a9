import { compare, piecewise } from "../ast/build.js";
import type { Branch, CompareOp, Expr } from "../ast/nodes.js";
import { transform } from "../ast/walk.js";

/**
 * What a branch of a piecewise value knows: its own condition holds and those of the branches
 * before it do not. Inside it, a test of the same condition is decided, so `x > 0 ? 1/(2√(x > 0
 * ? x : 0)) : 0` is `x > 0 ? 1/(2√x) : 0`. The derivative of √relu(x) comes out that way (see
 * `chain` in src/diff/diff.ts), with no 0/0 left in it for x < 0.
 */
type Facts = ReadonlyMap<Expr, boolean>;

const NEGATED: Record<CompareOp, CompareOp> = { "<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "==" };

function withFact(facts: Map<Expr, boolean>, c: Expr, holds: boolean): void {
  facts.set(c, holds);
  switch (c.kind) {
    case "compare": facts.set(compare(NEGATED[c.op], c.left, c.right), !holds); break;
    case "not": withFact(facts, c.arg, !holds); break;
    // `a and b` holding says each holds; `a or b` failing says each fails.
    case "logic": if ((c.op === "and") === holds) for (const a of c.args) withFact(facts, a, holds); break;
    default: break;
  }
}

function decideUnder(c: Expr, facts: Facts): boolean | undefined {
  const known = facts.get(c);
  if (known !== undefined) return known;
  if (c.kind === "not") {
    const v = decideUnder(c.arg, facts);
    return v === undefined ? undefined : !v;
  }
  if (c.kind === "logic") {
    const vs = c.args.map((a) => decideUnder(a, facts));
    if (c.op === "and") return vs.includes(false) ? false : vs.every((v) => v === true) ? true : undefined;
    return vs.includes(true) ? true : vs.every((v) => v === false) ? false : undefined;
  }
  return undefined;
}

/** e with every test that the facts decide replaced by the branch it takes. */
function resolveUnder(e: Expr, facts: Facts): Expr {
  if (facts.size === 0) return e;
  return transform(e, (node) => {
    if (node.kind !== "piecewise") return node;
    const kept: Branch[] = [];
    let otherwise = node.otherwise;
    for (const b of node.branches) {
      const v = decideUnder(b.when, facts);
      if (v === false) continue;
      if (v === true) {
        otherwise = b.then;
        break;
      }
      kept.push(b);
    }
    return kept.length === node.branches.length && otherwise === node.otherwise ? node : piecewise(kept, otherwise);
  });
}

/** The simplifier's rule: each branch (and the otherwise) resolved under what is known there. */
export function branchFacts(e: Expr): Expr | undefined {
  if (e.kind !== "piecewise") return undefined;
  const failed = new Map<Expr, boolean>();
  const branches = e.branches.map((b) => {
    const here = new Map(failed);
    withFact(here, b.when, true);
    const then = resolveUnder(b.then, here);
    withFact(failed, b.when, false);
    return { when: b.when, then };
  });
  const otherwise = resolveUnder(e.otherwise, failed);
  const same = otherwise === e.otherwise && branches.every((b, i) => b.then === e.branches[i]!.then);
  return same ? undefined : piecewise(branches, otherwise);
}
