/**
 * The numeric side of verification: both sides compared to REQUIRED_DIGITS at sample points
 * (and at the float screen's candidates), giving a counterexample, agreement, or too few points.
 */
import { cond, num, ONE, ZERO } from "../ast/build.js";
import type { Expr } from "../ast/nodes.js";
import { print } from "../ast/print.js";
import * as Q from "../ast/rational.js";
import { postorder, substitute } from "../ast/walk.js";
import { BudgetExceeded, budgetReason } from "../budget.js";
import type { Big } from "../numeric/big.js";
import { evaluateFloat, reliableValue, type ReliableValue } from "../numeric/evaluate.js";
import { simplify } from "../simplify/simplify.js";
import { contains, describeDomain, parameterAssignments, pointsNearEnds } from "./domain.js";
import { exactBreakpoints, specialise, type Piece } from "./pieces.js";
import { samplePoints } from "./points.js";
import { screen } from "./screen.js";
import { REQUIRED_DIGITS, safely, type Comparison, type Counterexample, type VerifyResult } from "./verdict.js";

/** Fewer comparable points than this (with a variable) and sampling proves nothing. */
const MIN_POINTS = 12;

interface Sampled {
  /** Set when the budget ran out before every point was compared. */
  readonly cut?: BudgetExceeded;
  readonly checked: number;
  readonly undefinedPoints: number;
  readonly unsettled: number;
  readonly breakpoints: readonly number[];
  readonly parameters: Readonly<Record<string, readonly number[]>>;
  readonly counterexample?: Counterexample;
}

/** Extreme inputs, where cancellation and overflow show (tinygrad tests ±300). */
const FAR = [-300, 300].map(Q.fromInteger);

/** Both sides at the sample points (of one piece, when given): how many agreed, how many could not be compared, or a counterexample. */
export function sample(ctx: Comparison, within?: Piece): Sampled {
  const { l, r, variable, params, domain } = ctx;
  const range = variable === undefined ? undefined : domain.get(variable);
  const inPiece = (p: Q.Rational): boolean =>
    (within?.lo === undefined || Q.compare(p, within.lo) > 0) && (within?.hi === undefined || Q.compare(p, within.hi) < 0);
  let checked = 0;
  let undefinedPoints = 0;
  let unsettled = 0;
  const allBreakpoints = new Set<number>();
  const tried = new Map<string, Set<number>>();
  let cut: BudgetExceeded | undefined;
  sampling: for (const paramValues of parameterAssignments(params, domain)) {
    for (const [k, v] of paramValues) (tried.get(k) ?? tried.set(k, new Set()).get(k)!).add(Q.toNumber(v));
    let points: Q.Rational[] = [Q.ZERO];
    if (variable !== undefined) {
      const found = samplePoints([l, r], variable, paramValues);
      found.breakpoints.forEach((b) => allBreakpoints.add(Q.toNumber(b)));
      points = [...found.points, ...FAR, ...(range ? pointsNearEnds(range) : [])]
        .filter((p) => (range === undefined || contains(range, p)) && inPiece(p) && !found.breakpoints.some((b) => Q.equals(b, p)));
      if (within !== undefined) points.push(within.inside);
      points = unique(points);
    }
    for (const p of orderedForReport(points)) {
      const env = new Map(paramValues);
      if (variable !== undefined) env.set(variable, p);
      let lv: ReliableValue | undefined;
      let rv: ReliableValue | undefined;
      try {
        lv = reliableValue(l, env, REQUIRED_DIGITS);
        rv = reliableValue(r, env, REQUIRED_DIGITS);
      } catch (err) {
        if (!(err instanceof BudgetExceeded)) throw err;
        cut = err;
        break sampling;
      }
      // A side that is NaN or infinite there is no evidence either way: a witness must be a
      // point where both sides have a value (log(0) = −∞ against 0 shows a pole, not a slip).
      if ((lv !== undefined && !lv.value.isFinite()) || (rv !== undefined && !rv.value.isFinite())) {
        undefinedPoints++;
        continue;
      }
      // Two zeros agree to no significant digit unless both are exact: σ(x)·0 is, sin²x + cos²x − 1
      // rounds to 0 at every precision without telling whether it is.
      // A zero that settled at precision p only says the value is below 10^−p when its terms
      // cancel: 1 + tanh(−2315) is 0 at 1920 digits, where 2σ(−4630) ≈ 4e−2011 is computed exactly.
      const belowSight = (zero: ReliableValue, side: Expr, other: ReliableValue): boolean =>
        zero.value.isZero() && !other.value.isZero() && other.value.abs().lt(`1e-${zero.precision}`) && !exactlyZero(side, env);
      if (lv === undefined || rv === undefined || (lv.value.isZero() && rv.value.isZero() && !(exactlyZero(l, env) && exactlyZero(r, env))) ||
        belowSight(lv, l, rv) || belowSight(rv, r, lv)) {
        unsettled++;
        continue;
      }
      if (!sameValue(lv.value, rv.value)) {
        return {
          checked, undefinedPoints, unsettled, breakpoints: [...allBreakpoints], parameters: listed(tried),
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
  const base = { checked, undefinedPoints, unsettled, breakpoints: [...allBreakpoints].sort((a, b) => a - b), parameters: listed(tried) };
  if (cut !== undefined) return { ...base, cut };
  const counterexample = safelyWithin(() => screenForCounterexample(ctx, inPiece));
  return counterexample === undefined ? base : { ...base, counterexample };
}

/** The float screen's search, which only ever adds a counterexample: past the budget it finds none. */
function safelyWithin<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch (err) {
    if (err instanceof BudgetExceeded) return undefined;
    throw err;
  }
}

/** Candidates from the float screen (src/verify/screen.ts) confirmed to 40 digits; at most this many are tried. */
const MAX_CONFIRMATIONS = 16;

/**
 * The special values of every symbol (0, ±1, ±2, 3, ±1/2, ±3/2 …, pairwise), screened in float64;
 * a candidate is a counterexample only where both sides, to 40 digits, are finite and differ.
 */
function screenForCounterexample(ctx: Comparison, inPiece: (p: Q.Rational) => boolean): Counterexample | undefined {
  const simplest = [...screen(ctx, inPiece)]
    .map((at) => ({ at, cost: [...at.values()].reduce((c, v) => c + pointCost(v), 0) }))
    .sort((a, b) => a.cost - b.cost)
    .slice(0, MAX_CONFIRMATIONS);
  for (const { at } of simplest) {
    const lv = safely(() => reliableValue(ctx.l, at, REQUIRED_DIGITS));
    const rv = safely(() => reliableValue(ctx.r, at, REQUIRED_DIGITS));
    if (lv === undefined || rv === undefined || !lv.value.isFinite() || !rv.value.isFinite()) continue;
    if (lv.value.isZero() && rv.value.isZero()) continue;
    if (sameValue(lv.value, rv.value)) continue;
    return {
      at: Object.fromEntries([...at].map(([k, v]) => [k, Q.toNumber(v)])),
      lhs: show(lv.value), rhs: show(rv.value),
      ...pieceAt([ctx.l, ctx.r], at),
    };
  }
  return undefined;
}

/** The side at the point, its piece chosen and every symbol replaced by its value, simplifies to 0. */
function exactlyZero(e: Expr, env: ReadonlyMap<string, Q.Rational>): boolean {
  const floats = new Map([...env].map(([k, v]) => [k, Q.toNumber(v)]));
  const values = new Map([...env].map(([k, v]) => [k, num(v)]));
  return safely(() => simplify(substitute(specialise(e, floats), values))) === ZERO;
}

const listed = (m: Map<string, Set<number>>): Record<string, number[]> => Object.fromEntries([...m].map(([k, v]) => [k, [...v]]));

const unique = (ps: Q.Rational[]): Q.Rational[] => [...new Map(ps.map((p) => [`${p.n}/${p.d}`, p])).values()];

/** The verdict by sampling, for a claim no procedure decided (`outsideBecause` says why): refuted, verified or undecided. */
export function sampled(ctx: Comparison, outsideBecause: string): VerifyResult {
  const s = sample(ctx);
  const evidenceBase = {
    procedure: "sampling" as const, points: s.checked, digits: REQUIRED_DIGITS,
    ...(Object.keys(s.parameters).length ? { parameters: s.parameters } : {}),
    ...(s.breakpoints.length ? { breakpoints: s.breakpoints } : {}),
    ...(ctx.domain.size ? { domain: describeDomain(ctx.domain) } : {}),
    ...(s.undefinedPoints ? { undefinedPoints: s.undefinedPoints } : {}),
    ...(s.unsettled ? { unsettledPoints: s.unsettled } : {}),
  };
  if (s.counterexample) {
    const c = s.counterexample;
    return {
      verdict: "refuted", status: "refuted", method: "numeric", ...ctx.shown,
      detail: `the two sides differ at ${describeAt(c.at)}`,
      evidence: { ...evidenceBase, counterexample: c }, counterexample: c,
    };
  }
  if (s.cut !== undefined) {
    const why = `no symbolic proof (${outsideBecause}), and the ${budgetReason(s.cut.budget)} after ${s.checked} sample point${s.checked === 1 ? "" : "s"} agreed: not all were compared`;
    return {
      verdict: "undecided", status: "undecided", method: "numeric", ...ctx.shown, detail: why,
      evidence: { ...evidenceBase, reason: why, budgetExceeded: s.cut.budget.ms },
    };
  }
  const enough = ctx.variable === undefined ? s.checked >= 1 : s.checked >= MIN_POINTS;
  if (!enough) {
    const lost = [
      s.undefinedPoints ? `at ${s.undefinedPoints} a side is undefined` : "",
      s.unsettled ? `at ${s.unsettled} the sides are 0 or cancel to 0, which no precision certifies to ${REQUIRED_DIGITS} significant digits` : "",
    ].filter((x) => x !== "").join("; ");
    const why = `no symbolic proof (${outsideBecause}), and only ${s.checked} sample point${s.checked === 1 ? "" : "s"} could be compared` + (lost ? `: ${lost}` : "");
    return {
      verdict: "undecided", status: "undecided", method: "numeric", ...ctx.shown, detail: why,
      evidence: { ...evidenceBase, reason: why },
    };
  }
  const bps = s.breakpoints;
  const conventions = conventionsAt(ctx, exactBreakpoints([ctx.l, ctx.r], ctx.variable ?? "x") ?? []);
  const detail = `both sides agree to ${REQUIRED_DIGITS} significant digits at ${s.checked} points` +
    (ctx.params.length ? ` (parameters ${ctx.params.map((p) => `${p} ∈ {${(s.parameters[p] ?? []).join(", ")}}`).join(", ")})` : "") +
    (bps.length ? `, on both sides of the breakpoint${bps.length > 1 ? "s" : ""} ${bps.join(", ")}` : "") +
    (ctx.domain.size ? `, for ${describeDomain(ctx.domain)}` : "") +
    (s.undefinedPoints ? `; compared where both are defined (a side is undefined at ${s.undefinedPoints} points)` : "") +
    `; not proved (${outsideBecause})`;
  return {
    verdict: "verified", status: "holds", method: "numeric", ...ctx.shown, detail, points: s.checked, digits: REQUIRED_DIGITS,
    evidence: evidenceBase,
    ...(bps.length ? { breakpoints: bps } : {}),
    ...(conventions.length ? { conventions } : {}),
  };
}

/** What each side gives at the breakpoints where they disagree: a convention, not compared. */
export function conventionsAt(ctx: Comparison, bps: readonly Q.Rational[]): string[] {
  const { variable } = ctx;
  if (variable === undefined || bps.length === 0) return [];
  const params = parameterAssignments(ctx.params, ctx.domain)[0] ?? new Map();
  const out: string[] = [];
  for (const b of bps) {
    const env = new Map([...params, [variable, b]]);
    const lv = safely(() => reliableValue(ctx.l, env, REQUIRED_DIGITS)?.value);
    const rv = safely(() => reliableValue(ctx.r, env, REQUIRED_DIGITS)?.value);
    if (lv === undefined || rv === undefined || sameValue(lv, rv)) continue;
    out.push(`at ${variable} = ${Q.toString(b)} the left side is ${show(lv)} and the right side ${show(rv)}: the value at a breakpoint is a convention, not compared`);
  }
  return out;
}

/** Simple points first, so that a counterexample is one a reader can check by hand. */
function orderedForReport(points: Q.Rational[]): Q.Rational[] {
  return [...points].sort((a, b) => pointCost(a) - pointCost(b));
}

const pointCost = (p: Q.Rational): number => Math.abs(Q.toNumber(p) - 1) + (Q.isInteger(p) ? 0 : 0.5) + p.d.toString().length;

export function sameValue(a: Big, b: Big): boolean {
  if (a.isNaN() || b.isNaN()) return false;
  if (!a.isFinite() || !b.isFinite()) return a.eq(b);
  const scale = a.abs().gt(b.abs()) ? a.abs() : b.abs();
  if (scale.isZero()) return true;
  return a.sub(b).abs().lte(scale.mul(new (a.constructor as new (v: number) => Big)(10).pow(-REQUIRED_DIGITS)));
}

const show = (v: Big): string => (v.isFinite() ? v.toSignificantDigits(20).toString() : v.toString());

export const describeAt = (at: Readonly<Record<string, number>>): string =>
  Object.keys(at).length === 0 ? "their only point (they are constants)" : Object.entries(at).map(([k, v]) => `${k} = ${v}`).join(", ");

/** The condition of the piece that applies at the point, for the first piecewise side. */
function pieceAt(sides: Expr[], env: ReadonlyMap<string, Q.Rational>): { piece?: string } {
  const floatEnv = new Map([...env].map(([k, v]) => [k, Q.toNumber(v)]));
  for (const side of sides) {
    const pw = postorder(side).reverse().find((n) => n.kind === "piecewise");
    if (pw?.kind !== "piecewise") continue;
    const holds = (c: Expr): boolean => evaluateFloat(cond(c, ONE, ZERO), floatEnv) !== 0;
    const taken = pw.branches.find((b) => holds(b.when));
    return { piece: taken ? print(taken.when) : `otherwise (not ${pw.branches.map((b) => print(b.when)).join(", not ")})` };
  }
  return {};
}
