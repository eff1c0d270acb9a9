/** Whether f is a polynomial: Leshno's condition for universal approximation. */
import { ZERO } from "../ast/build.js";
import type { Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";
import { postorder } from "../ast/walk.js";
import type { Analysis } from "./analysis.js";
import type { Range, SmoothnessClass } from "./types.js";

/** Whether f is a polynomial, and how that was decided. */
export function decidePolynomial(a: Analysis, range: Range, cls: SmoothnessClass): { value: boolean; how: string } {
  if (cls !== "Cinf") return { value: false, how: "not C∞ at a breakpoint, which no polynomial is" };
  const branch = a.b.regions[0]!.branch;
  if (a.b.regions.every((r) => r.branch === branch) && isPolynomial(branch, a.x)) return { value: true, how: "f is structurally a polynomial" };
  if (range.inf < range.sup && (Number.isFinite(a.tails.left.f?.value ?? NaN) || Number.isFinite(a.tails.right.f?.value ?? NaN))) {
    return { value: false, how: "non-constant with a finite limit at ±∞, which no polynomial has" };
  }
  const linearTail = [a.tails.left, a.tails.right].find((t) => t.asymptote.kind === "linear");
  if (linearTail !== undefined && a.b.regions.some((r) => r.derivative(2) !== ZERO)) {
    return { value: false, how: "a linear asymptote without being affine (f″ is not identically 0), which no polynomial has" };
  }
  return { value: !a.b.regions.some((r) => !isPolynomial(r.branch, a.x)), how: "by the structure of the formula (a polynomial in disguise would be missed)" };
}

function isPolynomial(e: Expr, variable: string): boolean {
  return postorder(e).every((n) => {
    switch (n.kind) {
      case "num": case "const": case "add": case "mul": return true;
      case "sym": return true;
      case "pow": return n.exponent.kind === "num" && Q.isInteger(n.exponent.value) && !Q.isNegative(n.exponent.value);
      default: return !postorder(n).some((m) => m.kind === "sym" && m.name === variable);
    }
  });
}
