import { cond, ONE, sub, ZERO } from "../ast/build.js";
import type { Scope } from "../ast/definition.js";
import type { Expr } from "../ast/nodes.js";
import { print } from "../ast/print.js";
import * as Q from "../ast/rational.js";
import { freeSymbols, postorder } from "../ast/walk.js";
import { evaluateFloat, reliableValue } from "../numeric/evaluate.js";
import type { Big } from "../numeric/big.js";
import { parseClaim } from "../parse/parse.js";
import { resolveClaim } from "../parse/resolve.js";
import { expand } from "../simplify/expand.js";
import { simplify } from "../simplify/simplify.js";
import { parameterSets, samplePoints } from "./points.js";

/** Digits to which both sides must agree at every sample point for a numeric verdict. */
export const REQUIRED_DIGITS = 40;

export interface Counterexample {
  /** The point, every variable by name. */
  readonly at: Readonly<Record<string, number>>;
  readonly lhs: string;
  readonly rhs: string;
  /** The piece of a piecewise side that applies there, e.g. `x < 0`. */
  readonly piece?: string;
}

export interface VerifyResult {
  readonly status: "holds" | "refuted";
  /** symbolic: simplify(lhs − rhs) is 0; numeric: agreement to REQUIRED_DIGITS at every point. */
  readonly method: "symbolic" | "numeric";
  readonly lhs: string;
  readonly rhs: string;
  readonly detail: string;
  readonly points?: number;
  readonly digits?: number;
  /** Breakpoints excluded from the comparison: at them the value is a convention. */
  readonly breakpoints?: readonly number[];
  readonly counterexample?: Counterexample;
}

export interface VerifyOptions {
  /** Where names in the claim are resolved; the catalog by default. */
  readonly scope?: Scope;
}

/** Checks a claim written as `lhs = rhs`, e.g. `diff(softplus(x), x) = sigmoid(x)`. */
export function verifyClaim(source: string, scope: Scope): VerifyResult {
  const { left, right } = resolveClaim(parseClaim(source), source, scope);
  return verifyEquality(left, right);
}

/** Decides lhs = rhs: symbolically when the difference simplifies to 0, else at high precision. */
export function verifyEquality(left: Expr, right: Expr): VerifyResult {
  const l = simplify(left);
  const r = simplify(right);
  const shown = { lhs: print(l), rhs: print(r) };
  const difference = simplify(sub(l, r));
  if (difference === ZERO || simplify(expand(difference)) === ZERO) {
    return { status: "holds", method: "symbolic", ...shown, detail: "lhs − rhs simplifies to 0" };
  }
  return verifyNumerically(l, r, shown);
}

function mainVariable(left: Expr, right: Expr, names: string[]): string | undefined {
  const derivativeVariable = [...postorder(left), ...postorder(right)].find((n) => n.kind === "derivative");
  if (derivativeVariable?.kind === "derivative") return derivativeVariable.wrt;
  return names.includes("x") ? "x" : names[0];
}

function verifyNumerically(l: Expr, r: Expr, shown: { lhs: string; rhs: string }): VerifyResult {
  const names = [...new Set([...freeSymbols(l), ...freeSymbols(r)])].sort();
  const variable = mainVariable(l, r, names);
  const params = names.filter((n) => n !== variable);
  let checked = 0;
  const allBreakpoints = new Set<number>();
  for (const paramValues of parameterSets(params)) {
    const { points, breakpoints } = variable === undefined ? { points: [Q.ZERO], breakpoints: [] } : samplePoints([l, r], variable, paramValues);
    breakpoints.forEach((b) => allBreakpoints.add(Q.toNumber(b)));
    for (const p of orderedForReport(points)) {
      const env = new Map(paramValues);
      if (variable !== undefined) env.set(variable, p);
      const lv = reliableValue(l, env, REQUIRED_DIGITS);
      const rv = reliableValue(r, env, REQUIRED_DIGITS);
      if (lv === undefined || rv === undefined) continue; // not decidable to 40 digits here
      if (lv.value.isNaN() && rv.value.isNaN()) continue; // undefined on both sides
      if (!sameValue(lv.value, rv.value)) {
        return {
          status: "refuted", method: "numeric", ...shown,
          detail: `the two sides differ at ${describePoint(env)}`,
          counterexample: {
            at: Object.fromEntries([...env].map(([k, v]) => [k, Q.toNumber(v)])),
            lhs: show(lv.value), rhs: show(rv.value),
            ...pieceAt([l, r], env),
          },
        };
      }
      checked++;
    }
  }
  const bps = [...allBreakpoints].sort((a, b) => a - b);
  return {
    status: "holds", method: "numeric", ...shown, points: checked, digits: REQUIRED_DIGITS,
    detail: `both sides agree to ${REQUIRED_DIGITS} significant digits at ${checked} points` +
      (params.length ? ` (parameters ${params.join(", ")} at several values)` : "") +
      (bps.length ? `, on both sides of the breakpoint${bps.length > 1 ? "s" : ""} ${bps.join(", ")}` : ""),
    ...(bps.length ? { breakpoints: bps } : {}),
  };
}

/** Simple points first, so that a counterexample is one a reader can check by hand. */
function orderedForReport(points: Q.Rational[]): Q.Rational[] {
  const cost = (p: Q.Rational): number => Math.abs(Q.toNumber(p) - 1) + (Q.isInteger(p) ? 0 : 0.5) + p.d.toString().length;
  return [...points].sort((a, b) => cost(a) - cost(b));
}

function sameValue(a: Big, b: Big): boolean {
  if (a.isNaN() || b.isNaN()) return false;
  if (!a.isFinite() || !b.isFinite()) return a.eq(b);
  const scale = a.abs().gt(b.abs()) ? a.abs() : b.abs();
  if (scale.isZero()) return true;
  return a.sub(b).abs().lte(scale.mul(new (a.constructor as new (v: number) => Big)(10).pow(-REQUIRED_DIGITS)));
}

const show = (v: Big): string => (v.isFinite() ? v.toSignificantDigits(20).toString() : v.toString());

function describePoint(env: ReadonlyMap<string, Q.Rational>): string {
  return [...env].map(([k, v]) => `${k} = ${Q.toString(v)}`).join(", ");
}

/** The condition of the piece that applies at the point, for the first piecewise side. */
function pieceAt(sides: Expr[], env: ReadonlyMap<string, Q.Rational>): { piece?: string } {
  const floatEnv = new Map([...env].map(([k, v]) => [k, Q.toNumber(v)]));
  for (const side of sides) {
    const pw = postorder(side).reverse().find((n) => n.kind === "piecewise");
    if (pw?.kind !== "piecewise") continue;
    const holds = (c: Expr): boolean => evaluateFloat(indicator(c), floatEnv) !== 0;
    const taken = pw.branches.find((b) => holds(b.when));
    return { piece: taken ? print(taken.when) : `otherwise (not ${pw.branches.map((b) => print(b.when)).join(", not ")})` };
  }
  return {};
}

/** A condition as the number 1 or 0, so the float evaluator can decide it. */
const indicator = (c: Expr): Expr => cond(c, ONE, ZERO);
