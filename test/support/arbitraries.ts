/**
 * Random expression trees for property tests, built only through the smart constructors, so
 * every generated tree is already canonical (as every tree actdiff ever sees is).
 */
import fc from "fast-check";
import {
  add, call, compare, constant, div, int, logic, mul, neg, not, num, piecewise, pow, sub, sym,
} from "../../src/ast/build.js";
import type { CompareOp, Expr } from "../../src/ast/nodes.js";
import * as Q from "../../src/ast/rational.js";
import { FN_NAMES, type FnName } from "../../src/functions/names.js";
import { fnSpec } from "../../src/functions/table.js";
import { postorder } from "../../src/ast/walk.js";

export const x = sym("x");
export const beta = sym("beta");

export const COMPARE_OPS: readonly CompareOp[] = ["<", "<=", ">", ">=", "==", "!="];

/** Exact numbers: integers (negative too), fractions such as 1/3 and decimals such as 0.01. */
export const numberArb: fc.Arbitrary<Expr> = fc.oneof(
  fc.integer({ min: -12, max: 12 }).map(int),
  fc.tuple(fc.integer({ min: -50, max: 50 }), fc.integer({ min: 1, max: 12 })).map(([n, d]) => num(Q.rational(BigInt(n), BigInt(d)))),
  fc.tuple(fc.integer({ min: -999, max: 999 }), fc.integer({ min: 1, max: 4 })).map(([n, k]) => num(Q.rational(BigInt(n), 10n ** BigInt(k)))),
  fc.constantFrom(num(Q.rational(1n, 3n)), num(Q.fromDecimalString("0.01")), num(Q.rational(-2n, 7n))),
);

const leafArb: fc.Arbitrary<Expr> = fc.oneof(
  { arbitrary: fc.constantFrom<Expr>(x, beta, constant("pi"), constant("e")), weight: 3 },
  { arbitrary: numberArb, weight: 2 },
);

/**
 * The builtins of values: delta compares indices (its arguments are i, j, not numbers), and floor
 * is the index arithmetic of groups (⌊j/k⌋), which the LaTeX reader does not read back.
 */
export const VALUE_BUILTINS: readonly FnName[] = FN_NAMES.filter((fn) => fn !== "delta" && fn !== "floor");

/**
 * Any value expression: numbers, x and beta, pi and e, a call of every builtin with its arity,
 * sums, products, powers, quotients, negations and piecewise values with compare/and/or/not
 * conditions. Values need not be defined everywhere (log of a negative is fine here). `builtins`
 * narrows the calls to those named.
 */
export function expressionArbitraries(maxDepth = 4, builtins: readonly FnName[] = VALUE_BUILTINS): { value: fc.Arbitrary<Expr>; condition: fc.Arbitrary<Expr> } {
  return fc.letrec<{ value: Expr; condition: Expr }>((tie) => ({
    value: fc.oneof(
      { maxDepth, depthIdentifier: "expr" },
      { arbitrary: leafArb, weight: 4 },
      fc.constantFrom(...builtins).chain((fn) =>
        fc.array(tie("value"), { minLength: fnSpec(fn).arity, maxLength: fnSpec(fn).arity }).map((args) => call(fn, args))),
      fc.array(tie("value"), { minLength: 2, maxLength: 3 }).map((ts) => add(...ts)),
      fc.tuple(tie("value"), tie("value")).map(([a, b]) => sub(a, b)),
      fc.array(tie("value"), { minLength: 2, maxLength: 3 }).map((fs) => mul(...fs)),
      fc.tuple(tie("value"), tie("value")).map(([a, b]) => pow(a, b)),
      fc.tuple(tie("value"), fc.integer({ min: -3, max: 4 })).map(([a, k]) => pow(a, int(k))),
      fc.tuple(tie("value"), tie("value")).map(([a, b]) => div(a, b)),
      tie("value").map(neg),
      fc.tuple(fc.array(fc.tuple(tie("condition"), tie("value")), { minLength: 1, maxLength: 2 }), tie("value"))
        .map(([bs, otherwise]) => piecewise(bs.map(([when, then]) => ({ when, then })), otherwise)),
    ),
    condition: fc.oneof(
      { maxDepth, depthIdentifier: "expr" },
      fc.tuple(fc.constantFrom(...COMPARE_OPS), tie("value"), tie("value")).map(([op, a, b]) => compare(op, a, b)),
      fc.tuple(fc.constantFrom<"and" | "or">("and", "or"), fc.array(tie("condition"), { minLength: 2, maxLength: 3 })).map(([op, cs]) => logic(op, cs)),
      tie("condition").map(not),
    ),
  }));
}

/** Builtins that are smooth (C^∞) everywhere on the real line. */
const SMOOTH_UNARY: readonly FnName[] = ["exp", "sin", "cos", "atan", "sinh", "tanh", "erf", "sigmoid", "softplus"];

/**
 * Smooth expressions in x (and the parameter beta), defined on the whole real line: only
 * builtins without kinks, and log/sqrt/log1p/division only of things bounded away from zero
 * (`log(1 + u^2)`, `sqrt(1 + u^2)`, `1/(1 + u^2)`, `log(sigmoid(u))`). Nesting is shallow so
 * that values stay within a few hundred orders of magnitude.
 */
export function smoothArbitrary(maxDepth = 3): fc.Arbitrary<Expr> {
  const leaf = fc.oneof(
    { arbitrary: fc.constantFrom<Expr>(x, x, beta, constant("pi")), weight: 3 },
    { arbitrary: fc.tuple(fc.integer({ min: -9, max: 9 }), fc.integer({ min: 1, max: 4 })).map(([n, d]) => num(Q.rational(BigInt(n), BigInt(d)))), weight: 1 },
  );
  const onePlusSquare = (u: Expr): Expr => add(int(1), pow(u, int(2)));
  return fc.letrec<{ value: Expr }>((tie) => ({
    value: fc.oneof(
      { maxDepth, depthIdentifier: "smooth" },
      { arbitrary: leaf, weight: 3 },
      fc.tuple(fc.constantFrom(...SMOOTH_UNARY), tie("value")).map(([fn, u]) => call(fn, [u])),
      tie("value").map((u) => call("log", [onePlusSquare(u)])),
      tie("value").map((u) => call("sqrt", [onePlusSquare(u)])),
      tie("value").map((u) => call("log1p", [pow(u, int(2))])),
      tie("value").map((u) => call("expm1", [call("tanh", [u])])),
      tie("value").map((u) => call("log", [call("sigmoid", [u])])),
      tie("value").map((u) => div(int(1), onePlusSquare(u))),
      fc.array(tie("value"), { minLength: 2, maxLength: 3 }).map((ts) => add(...ts)),
      fc.tuple(tie("value"), tie("value")).map(([a, b]) => sub(a, b)),
      fc.array(tie("value"), { minLength: 2, maxLength: 3 }).map((fs) => mul(...fs)),
      fc.tuple(tie("value"), fc.integer({ min: 2, max: 4 })).map(([a, k]) => pow(a, int(k))),
      tie("value").map((u) => pow(int(2), call("tanh", [u]))),
      tie("value").map(neg),
    ),
  })).value;
}

/**
 * Whether a tree raises 0 to a negative or symbolic power: `1/0`, `0^-x`. The smart constructors
 * leave such a power unfolded (it has no value), so it has no canonical spelling either.
 */
export function dividesByZero(e: Expr): boolean {
  return postorder(e).some((n) => n.kind === "pow" && n.base.kind === "num" && Q.isZero(n.base.value));
}
