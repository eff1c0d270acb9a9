import { mul, MINUS_ONE, num, ONE, pow, splitCoefficient, sub, ZERO } from "../ast/build.js";
import type { Expr, Sym } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";
import { dependsOn, transform, treeSize } from "../ast/walk.js";
import { diff } from "../diff/diff.js";
import { expand } from "./expand.js";
import { simplify } from "./simplify.js";

/**
 * A derivative in terms of the function itself, as a textbook writes σ′ = σ(1 − σ) and
 * tanh′ = 1 − tanh²: for a function of the user's own, softmax0(x) = eˣ/(eˣ + e^y + e^z), the
 * derivative softmax0(x)·(1 − softmax0(x)) rather than (e^(x+y) + e^(x+z))/(eˣ + e^y + e^z)².
 *
 * The function's value stands in the result as `self`, a symbol named by the call (see
 * src/ast/self-value.ts), so the result is for display: it is printed and rendered, never
 * evaluated (the derivative itself is). It is given only when it is a function of f and the parameters alone —
 * no input left over, the way σ′ is — and shorter than the derivative written out. Two routes:
 * - f occurs in the derivative: as a node, or as factors of a product (f = c·g, the product
 *   k·g·h is (k/c)·f·h);
 * - the law of a quotient f = N/D with N′ = aN and (D − N)′ = b(D − N), a and b free of x
 *   (N = eˣ, D − N = e^y + e^z, or N = 1, D − N = e^(y−x) + e^(z−x)): f′ = (a − b)·f·(1 − f),
 *   since f′ = (N′D − ND′)/D² = (a − b)·N(D − N)/D² and 1 − f = (D − N)/D.
 * A function that is one builtin applied to its inputs (sigmoid(x)) already prints so: none.
 * Higher derivatives follow from the first when it is one.
 */
export function inTermsOfItself(f: Forms, derivatives: Derivatives, wrt: string, inputs: readonly string[], self: Sym): Expr | undefined {
  const q = firstInTermsOfItself(f, derivatives.first, wrt, inputs, self);
  if (q === undefined || derivatives.order === 1) return q;
  // f′ = Q(f) gives every higher one by the chain rule: d/dx P(f) = P′(f)·Q(f) (σ″ = σ(1 − σ)(1 − 2σ)).
  let p = q;
  for (let k = 1; k < derivatives.order; k++) {
    p = simplify(mul(diff(p, self.name), q));
    // A polynomial in f multiplied out where that is shorter: σ‴ = σ − 7σ² + 12σ³ − 6σ⁴.
    const expanded = simplify(expand(p));
    if (treeSize(expanded) < treeSize(p)) p = expanded;
  }
  return treeSize(p) < treeSize(derivatives.nth) ? p : undefined;
}

/**
 * The function simplified, and as written where that differs: a quotient may be one only as
 * written (1/(1 + eˣ) simplifies to 1 − σ(x)), and the law of quotients reads either.
 */
export interface Forms { readonly simplified: Expr; readonly written?: Expr }

/** The first derivative and the n-th (n = order ≥ 1), written out and simplified. */
export interface Derivatives { readonly first: Expr; readonly nth: Expr; readonly order: number }

function firstInTermsOfItself({ simplified: f, written }: Forms, derivative: Expr, wrt: string, inputs: readonly string[], self: Sym): Expr | undefined {
  if (f.kind === "call" && f.args.every((a) => a.kind === "sym" && inputs.includes(a.name))) return undefined;
  if (f.kind === "num" || f.kind === "sym" || derivative.kind === "num") return undefined;
  const candidates = [replaceOccurrences(derivative, f, self), quotientLaw(f, wrt, self), written === undefined ? undefined : quotientLaw(written, wrt, self)];
  let best: Expr | undefined;
  for (const c of candidates) {
    if (c === undefined || c === derivative || inputs.some((x) => dependsOn(c, x))) continue;
    if (best === undefined || treeSize(c) < treeSize(best)) best = c;
  }
  return best !== undefined && treeSize(best) < treeSize(derivative) ? best : undefined;
}

/** e with every occurrence of f replaced by self: the node itself, or f's factors within a product. */
function replaceOccurrences(e: Expr, f: Expr, self: Sym): Expr {
  const [c, rest] = splitCoefficient(f);
  const own = rest.kind === "mul" ? rest.factors : [rest];
  return transform(e, (node) => {
    if (node === f) return self;
    if (node.kind !== "mul" || f.kind !== "mul") return node;
    const left = [...node.factors];
    for (const g of own) {
      const at = left.indexOf(g);
      if (at < 0) return node;
      left.splice(at, 1);
    }
    const [k, others] = splitCoefficient(mul(...left));
    return mul(num(Q.div(k, c)), self, others);
  });
}

/** (a − b)·self·(1 − self) for f = N/D with N′ = aN and (D − N)′ = b(D − N), or undefined. */
function quotientLaw(f: Expr, wrt: string, self: Sym): Expr | undefined {
  const factors = f.kind === "mul" ? f.factors : [f];
  const below = factors.filter((g) => g.kind === "pow" && g.exponent === MINUS_ONE && g.base.kind === "add");
  if (below.length !== 1) return undefined;
  const denominator = (below[0] as Extract<Expr, { kind: "pow" }>).base;
  const numerator = mul(...factors.filter((g) => g !== below[0]));
  const rest = simplify(sub(denominator, numerator));
  if (rest === ZERO) return undefined;
  const [a, b] = [rate(numerator, wrt), rate(rest, wrt)];
  if (a === undefined || b === undefined) return undefined;
  const k = simplify(sub(a, b));
  return k === ZERO ? undefined : mul(k, self, sub(ONE, self));
}

/**
 * k with u′ = k·u and k free of wrt (u a sum of terms c·e^(kx + m), each with the same k), or
 * undefined. Term by term: e^(y−x) + e^(z−x) has rate −1, but its derivative over it,
 * (−e^(y−x) − e^(z−x))/(e^(y−x) + e^(z−x)), is not simplified to −1.
 */
function rate(u: Expr, wrt: string): Expr | undefined {
  const terms = u.kind === "add" ? u.terms : [u];
  let common: Expr | undefined;
  for (const t of terms) {
    const k = dependsOn(t, wrt) ? simplify(mul(diff(t, wrt), pow(t, MINUS_ONE))) : ZERO;
    if (dependsOn(k, wrt) || (common !== undefined && k !== common)) return undefined;
    common = k;
  }
  return common;
}
