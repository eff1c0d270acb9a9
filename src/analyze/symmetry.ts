/** Symmetry of f: odd, even or point-symmetric about (0, f(0)), proved or refuted where it can be. */
import { mul, neg, num, sub, sym } from "../ast/build.js";
import type { Expr } from "../ast/nodes.js";
import { print } from "../ast/print.js";
import * as Q from "../ast/rational.js";
import { substitute } from "../ast/walk.js";
import { budgetReason } from "../budget.js";
import { simplify } from "../simplify/simplify.js";
import { decideEquality } from "../verify/exp-rational.js";
import { verifyEquality } from "../verify/verify.js";
import type { Basis } from "./analysis.js";
import { fmt } from "./format.js";
import type { Method, Symmetry } from "./types.js";

export function symmetryOf(a: Basis, f0: number): { value: Symmetry; method: Method } {
  const f = a.b.f;
  // Through a fresh name: substitute() rewrites a node that folds back to a bare x again, so
  // x → −x straight away would turn −x into −x instead of x (see the report on src/ast/walk.ts).
  const fresh = `${a.x}\u0000mirror`;
  const renamed = substitute(f, new Map([[a.x, sym(fresh)]]));
  const mirrored = simplify(substitute(renamed, new Map([[fresh, neg(sym(a.x))]])));
  const f0Expr = simplify(substitute(f, new Map([[a.x, num(Q.ZERO)]])));
  const tests: [Symmetry, Expr][] = [["odd", simplify(neg(f))], ["even", f]];
  if (f0 !== 0 && Number.isFinite(f0)) tests.push([{ point: [0, f0] }, simplify(sub(mul(num(Q.fromInteger(2)), f0Expr), f))]);
  const tried: string[] = [];
  let numeric = false;
  let undecided: string | undefined;
  for (const [claim, target] of tests) {
    const name = typeof claim === "string" ? claim : `point-symmetric about (0, ${fmt(f0)})`;
    const decision = decideEquality(mirrored, target);
    if (decision.verdict === "proved-equal") return { value: claim, method: { kind: "symbolic", detail: `${name}: f(−x) = ${print(target)} proved by the exp-rational decision procedure; ${tried.join("; ")}`.replace(/; $/, "") } };
    if (decision.verdict === "proved-different") {
      tried.push(`not ${name} (proved)`);
      continue;
    }
    const check = verifyEquality(mirrored, target);
    if (check.status === "holds") {
      return { value: claim, method: { kind: check.method, detail: `${name}: f(−x) = ${print(target)}, ${check.detail}` } };
    }
    numeric ||= check.method === "numeric";
    if (check.status === "undecided") {
      // Neither shown nor refuted (the budget ran out, or no point could be compared): open.
      const spent = check.evidence.budgetExceeded;
      const why = spent !== undefined ? budgetReason({ ms: spent, origin: "" }) : check.detail;
      if (spent !== undefined) undecided ??= why;
      tried.push(`${name}: not established (${why})`);
      continue;
    }
    tried.push(`not ${name} (${check.method === "numeric" ? `differs at ${Object.entries(check.counterexample?.at ?? {}).map(([k, v]) => `${k} = ${v}`).join(", ")}, at 40 significant digits` : "refuted"})`);
  }
  return { value: null, method: { kind: numeric ? "numeric" : "symbolic", detail: `f(−x) against −f(x), f(x) and 2·f(0) − f(x): ${tried.join("; ")}; centres off the y-axis are not searched`, ...(undecided !== undefined && { undecided }) } };
}
