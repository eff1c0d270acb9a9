import { cond, num, ONE, sub, ZERO } from "../ast/build.js";
import type { Scope } from "../ast/definition.js";
import type { Expr } from "../ast/nodes.js";
import { print } from "../ast/print.js";
import * as Q from "../ast/rational.js";
import { dagSize, freeIndices, freeSymbols, postorder, substitute, usesVectors } from "../ast/walk.js";
import { budgetFor, BudgetExceeded, budgetReason, withBudget } from "../budget.js";
import { catalogDefinition } from "../catalog/catalog.js";
import { expandDerivatives, isElementVariable } from "../diff/diff.js";
import type { Big } from "../numeric/big.js";
import { agree, evaluateFloat, reliableValue, type ReliableValue } from "../numeric/evaluate.js";
import { expand } from "../simplify/expand.js";
import { simplify } from "../simplify/simplify.js";
import { readClaim, type Claim } from "./claims.js";
import { diagnose, type Slip } from "./diagnose.js";
import { contains, describeDomain, parameterAssignments, parameterValues, pointsNearEnds, type Domain } from "./domain.js";
import { decideEquality, type Decision } from "./exp-rational.js";
import { kinks, type Kink } from "./kinks.js";
import { exactBreakpoints, isPiecewise, piecesOf, specialise, type Piece } from "./pieces.js";
import { samplePoints } from "./points.js";
import { screen } from "./screen.js";
import {
  describePoint, freeIndicesOf, holdsAt, holdsInCase, indexCases, samplePoints as vectorPoints, splitCase, valuesAt, vectorNamesOf,
  type IndexCase, type VectorPoint,
} from "./vectors.js";

export type { Kink } from "./kinks.js";
export type { Slip } from "./diagnose.js";

/** Digits to which both sides must agree at every sample point for a numeric verdict. */
export const REQUIRED_DIGITS = 40;

/** Fewer comparable points than this (with a variable) and sampling proves nothing. */
const MIN_POINTS = 12;

/**
 * - proved: decided symbolically (the exp-rational decision procedure, simplification to 0, or
 *   either of them on every piece of a piecewise claim);
 * - verified: no proof, but agreement to REQUIRED_DIGITS at every sample point;
 * - refuted: a counterexample, evaluated to REQUIRED_DIGITS;
 * - undecided: neither (the reason says why).
 */
export type Verdict = "proved" | "verified" | "refuted" | "undecided";

export interface Counterexample {
  /** The point, every variable by name. */
  readonly at: Readonly<Record<string, number>>;
  readonly lhs: string;
  readonly rhs: string;
  /** The piece of a piecewise side that applies there, e.g. `x < 0`. */
  readonly piece?: string;
}

export interface Evidence {
  /** What decided: exp-rational (the decision procedure), simplification, piecewise (either, piece by piece), sampling. */
  readonly procedure: "exp-rational" | "simplification" | "piecewise" | "sampling";
  /** The decision procedure's own words, when it had any. */
  readonly decision?: string;
  /** Piece by piece: which procedure settled each piece. */
  readonly pieces?: readonly { readonly piece: string; readonly by: "exp-rational" | "simplification" }[];
  readonly points?: number;
  readonly digits?: number;
  /** The values each parameter was tried at. */
  readonly parameters?: Readonly<Record<string, readonly number[]>>;
  /** Breakpoints excluded from the comparison: at them the value is a convention. */
  readonly breakpoints?: readonly number[];
  /** Where the sides were compared, when a `for` clause restricts it. */
  readonly domain?: string;
  /** Points where a side is undefined (compared only where both are defined). */
  readonly undefinedPoints?: number;
  /** Points where a side cancels to 0 beyond what the working precision settles. */
  readonly unsettledPoints?: number;
  readonly counterexample?: Counterexample;
  /** Why neither a proof nor a counterexample was found. */
  readonly reason?: string;
  /** Set when the budget ran out (its milliseconds of CPU time): the verdict is undecided for that reason. */
  readonly budgetExceeded?: number;
}

export interface VerifyResult {
  readonly verdict: Verdict;
  /** Issue 2's status, kept for its consumers: proved and verified hold. */
  readonly status: "holds" | "refuted" | "undecided";
  /** symbolic: a proof (or a symbolic disproof without a numeric witness); numeric: sampling or a counterexample. */
  readonly method: "symbolic" | "numeric";
  readonly lhs: string;
  readonly rhs: string;
  readonly detail: string;
  readonly evidence: Evidence;
  // The evidence fields issue 2's consumers read at the top level.
  readonly points?: number;
  readonly digits?: number;
  readonly breakpoints?: readonly number[];
  readonly counterexample?: Counterexample;
  /** What the sides do at a breakpoint where they differ: a convention, not compared. */
  readonly conventions?: readonly string[];
  /** For a refuted claim: the likely slip, where it can be told. */
  readonly slip?: Slip;
  readonly hint?: string;
  /** For a claim about a piecewise function: continuity and one-sided derivatives at each breakpoint. */
  readonly kinks?: readonly Kink[];
  /** For a refuted claim in index notation: the cases of its indices in which it is proved all the same (`i = j`). */
  readonly holdsIn?: readonly string[];
}

export interface VerifyOptions {
  /** Where names in the claim are resolved; the catalog by default. */
  readonly scope?: Scope;
  /**
   * The most CPU time (ms) the verdict may take; by default VERIFY_BUDGET.base + VERIFY_BUDGET.perNode
   * for each node of the claim. Past it the verdict is undecided, with that reason.
   */
  readonly budgetMs?: number;
}

/**
 * The default budget of a claim: 20 s of CPU time and 100 ms more for each node of its sides. A
 * claim about a catalog function takes well under a second; one about a random piecewise formula
 * of 120 characters (some 60 nodes a side) gets 32 s.
 */
export const VERIFY_BUDGET = { base: 20_000, perNode: 100 } as const;

export interface EqualityOptions {
  /** `for` ranges of parameters and of the variable. */
  readonly domain?: Domain;
  /** The claim's variable, when its notation says it; otherwise x, or the first name. */
  readonly variable?: string;
  /**
   * For a claim in index notation: the case of the indices it is stated for (`i == j`, `i != j`,
   * as a document's "if i = j:" before a derivation says); every case when absent.
   */
  readonly indexCase?: Expr;
}

/** Checks a claim such as `diff(softplus(x), x) = sigmoid(x)` or `tanh'(x) = 1 - y^2 where y = tanh(x)`. */
export function verifyClaim(source: string, scope: Scope, options: { readonly budgetMs?: number } = {}): VerifyResult {
  const claim = readClaim(source, scope);
  return verifyResolvedClaim(claim, { ...(claim.name !== undefined && { name: claim.name }), ...(options.budgetMs !== undefined && { budgetMs: options.budgetMs }) });
}

export interface ClaimContext {
  /** The name of the function the claim is about, for messages and its parameter defaults. */
  readonly name?: string;
  /** Defaults for parameters the claim calls by other names (a document's `a` for elu's alpha). */
  readonly defaults?: ReadonlyMap<string, Q.Rational>;
  /** The CPU time the claim may take (ms); VERIFY_BUDGET by default. */
  readonly budgetMs?: number;
}

/**
 * Checks a claim that is already read: the verdict, then the breakpoints of the function it is
 * about, and for a refuted claim the likely slip.
 */
export function verifyResolvedClaim(claim: Claim, context: ClaimContext = {}): VerifyResult {
  const budget = budgetFor(dagSize(claim.left) + dagSize(claim.right), VERIFY_BUDGET.base, VERIFY_BUDGET.perNode, context.budgetMs);
  return withBudget(budget, () => checkResolvedClaim(claim, context));
}

function checkResolvedClaim(claim: Claim, context: ClaimContext): VerifyResult {
  const { name } = context;
  const result = verifyEquality(claim.left, claim.right, {
    domain: claim.domain, ...(claim.variable ? { variable: claim.variable } : {}), ...(claim.indexCase ? { indexCase: claim.indexCase } : {}),
  });
  const variable = claim.variable ?? mainVariable(claim.left, claim.right);
  // The side a claim is about: the differentiated function, else the left side.
  const [truth, claimed, written] = claim.right.kind === "derivative" && claim.left.kind !== "derivative"
    ? [claim.right, claim.left, claim.written.left] : [claim.left, claim.right, claim.written.right];
  const subject = simplify(expandDerivatives(truth.kind === "derivative" ? truth.expr : truth));
  const out: { -readonly [K in keyof VerifyResult]: VerifyResult[K] } = { ...result };
  if (variable !== undefined && isPiecewise(subject)) {
    const params = [...freeSymbols(subject)].filter((n) => n !== variable);
    const reports = safely(() => kinks(subject, variable, kinkParameters(params, context, claim.domain)));
    if (reports?.length) out.kinks = reports;
  }
  // The slips diagnose tells apart are those of scalar calculus; a claim in index notation gets its counterexample only.
  if (result.verdict === "refuted" && variable !== undefined && !usesVectors(subject)) {
    const c = result.counterexample;
    const found = safely(() => diagnose({
      truth, claimed, writtenClaimed: written, where: claim.where, variable,
      ...(c ? { at: c.at, ...(c.piece ? { piece: c.piece } : {}) } : {}),
      ...(name ? { name } : {}),
    }));
    if (found) {
      out.slip = found.slip;
      out.hint = found.hint;
    }
  }
  return out;
}

/**
 * The parameter values a breakpoint report is for: the catalog's defaults where the claim's
 * function has them, else a value inside the stated range, else 1/2 (1 is too special a value:
 * leaky_relu with slope 1 has no kink at all).
 */
function kinkParameters(params: readonly string[], { name, defaults: given }: ClaimContext, domain: Domain): Map<string, Q.Rational> {
  const defaults = new Map<string, Q.Rational>(given);
  const known = name === undefined ? undefined : catalogDefinition(name) ?? catalogDefinition(name.toLowerCase());
  for (const p of known?.params ?? []) if (p.defaultValue?.kind === "num" && !defaults.has(p.name)) defaults.set(p.name, p.defaultValue.value);
  return new Map(params.map((p) => {
    const range = domain.get(p);
    return [p, defaults.get(p) ?? (range ? parameterValues(range)[0]! : Q.rational(1n, 2n))];
  }));
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

/** For what accompanies a verdict (a diagnosis, a kink report): if it fails, the verdict stands without it. */
function safely<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

/**
 * Decides lhs = rhs: proved, verified, refuted or undecided, with the evidence. Within the budget
 * in force (see src/budget.ts), if any: past it, undecided with that reason.
 */
export function verifyEquality(left: Expr, right: Expr, options: EqualityOptions = {}): VerifyResult {
  try {
    return decideClaim(left, right, options);
  } catch (err) {
    if (!(err instanceof BudgetExceeded)) throw err;
    const reason = `${budgetReason(err.budget)} before a proof, a counterexample or enough sample points were found`;
    return {
      verdict: "undecided", status: "undecided", method: "numeric", lhs: print(left), rhs: print(right), detail: reason,
      evidence: { procedure: "sampling", reason, budgetExceeded: err.budget.ms },
    };
  }
}

function decideClaim(left: Expr, right: Expr, options: EqualityOptions): VerifyResult {
  const l = simplify(expandDerivatives(left));
  const r = simplify(expandDerivatives(right));
  const names = [...new Set([...freeSymbols(l), ...freeSymbols(r)])].sort();
  const variable = options.variable ?? mainVariable(left, right, names);
  const ctx: Context = {
    l, r, variable, params: names.filter((n) => n !== variable), domain: options.domain ?? new Map(),
    shown: { lhs: print(l), rhs: print(r) },
  };

  if (usesVectors(l) || usesVectors(r)) return vectorEquality(ctx, options);
  const decision = decide(l, r);
  if (decision.verdict === "proved-equal") {
    return proved(ctx, "exp-rational", `proved by the exp-rational decision procedure: ${decision.detail}`, { decision: decision.detail });
  }
  if (decision.verdict === "proved-different") return disproved(ctx, decision);
  const difference = simplify(sub(l, r));
  if (difference === ZERO || simplify(expand(difference)) === ZERO) {
    return proved(ctx, "simplification", "proved: lhs − rhs simplifies to 0", {});
  }
  return piecewiseProof(ctx) ?? sampled(ctx, decision.reason);
}

/**
 * A claim in index notation (src/verify/vectors.ts): proved when it holds, as a claim about
 * numbers, in every case of its indices with the rest of each vector an unknown; else refuted by a
 * concrete vector where the sides differ (saying in which cases it is proved all the same), or
 * verified by agreement on vectors of lengths 1 to 5.
 */
function vectorEquality(ctx: Context, options: EqualityOptions): VerifyResult {
  const sides = [ctx.l, ctx.r];
  const indices = freeIndicesOf(sides);
  const vectors = vectorNamesOf(sides);
  // An index that is also a number (i = j in a cases form), or a number named like an element
  // (S_i where no vector S is known): the claim cannot be read as index notation, so nothing is stated.
  const symbols = ctx.params;
  const mixed = indices.find((i) => symbols.includes(i)) ?? symbols.find((n) => indices.some((i) => n.endsWith(`_${i}`)));
  if (mixed !== undefined) {
    const reason = indices.includes(mixed)
      ? `'${mixed}' is an index on one side and a number on the other`
      : `'${mixed}' reads as an element of a vector, but no vector of that name is known`;
    return {
      verdict: "undecided", status: "undecided", method: "numeric", ...ctx.shown,
      detail: `not decided: ${reason}`, evidence: { procedure: "sampling", reason },
    };
  }
  // Parameters at 2: a group size must be a whole number, and 2 is a fair value of anything else.
  // Every scalar name is one here, the one a scalar claim would vary included: the vectors vary.
  // (Not an element taken as a variable by diff, `z[j]`: the vector it belongs to varies.)
  const scalars = [...ctx.params, ...(ctx.variable === undefined ? [] : [ctx.variable])].filter((p) => !vectors.includes(p) && !isElementVariable(p));
  const params = new Map(scalars.map((p) => [p, Q.fromInteger(2)] as const));
  const stated = options.indexCase;
  const scalar: EqualityOptions = { ...(options.domain ? { domain: options.domain } : {}), ...(options.variable ? { variable: options.variable } : {}) };
  const unknownIndex = stated === undefined ? undefined : [...freeIndices(stated)].find((i) => !indices.includes(i));
  if (stated !== undefined && unknownIndex !== undefined) {
    const reason = `the claim is stated for ${print(stated)}, but its sides have no index ${unknownIndex}`;
    return { verdict: "undecided", status: "undecided", method: "numeric", ...ctx.shown, detail: `not decided: ${reason}`, evidence: { procedure: "sampling", reason } };
  }
  // Where the claim is stated: every case of its indices, or those its condition allows.
  const cases = indexCases(indices).filter((c) => stated === undefined || holdsInCase(stated, c) !== false);
  const inCase = stated === undefined ? "" : ` in the case ${print(stated)}`;
  // The proof first, case by case: it needs no sampling (which costs some 20 ms a vector).
  const byCase = cases.map((c) => {
    const split = splitCase(sides, c);
    return { c, split, by: split === undefined ? undefined : provedInCase(sides, c, scalar, split) };
  });
  if (byCase.every((k) => k.by !== undefined)) {
    const settled = byCase.map(({ c, by }) => (stated !== undefined && cases.length === 1 ? `${c.label} (${by})` : `${c.label}: ${by}`));
    const how = stated !== undefined && cases.length === 1 ? ` in the case ${settled[0]}`
      : `${inCase}: in each ${stated === undefined ? "case of the indices" : "of its cases"} (${settled.join("; ")})`;
    return proved(ctx, "exp-rational", `proved for every length N${how}, with the rest of every sum and max an unknown`, { decision: settled.join("; ") });
  }
  // Not proved: a concrete counterexample, or agreement on every vector tried.
  let points = 0;
  for (const point of vectorPoints(vectors, indices)) {
    if (stated !== undefined && !holdsAt(stated, point.indices)) continue;
    const [a, b] = valuesAt(sides, point, params);
    if (a === undefined || b === undefined) continue;
    points++;
    if (!agree(a.value, b.value, REQUIRED_DIGITS)) {
      const at = { ...describePoint(point), ...Object.fromEntries([...params].map(([p, v]) => [p, Q.toNumber(v)])) };
      const counterexample: Counterexample = { at, lhs: a.value.toSignificantDigits(20).toString(), rhs: b.value.toSignificantDigits(20).toString() };
      const where = indices.length ? ` (${indexCaseOf(point, indices)})` : "";
      const holding = byCase.filter((k) => k.by !== undefined).map((k) => k.c.label);
      const only = holding.length > 0 ? `; it holds only in the case${holding.length > 1 ? "s" : ""} ${holding.join(", ")} (proved there)` : "";
      return {
        verdict: "refuted", status: "refuted", method: "numeric", ...ctx.shown,
        detail: `the two sides differ at ${describeAt(counterexample.at)}${where}${only}`,
        evidence: { procedure: "sampling", counterexample, points, digits: REQUIRED_DIGITS }, counterexample,
        ...(holding.length > 0 ? { holdsIn: holding } : {}),
      };
    }
  }
  if (points === 0) {
    // Agreement on no vector at all is no evidence: say so rather than "verified".
    const reason = "neither side has a value on any vector tried (lengths 1 to 5), so nothing was compared";
    return { verdict: "undecided", status: "undecided", method: "numeric", ...ctx.shown, detail: `not decided: ${reason}`, evidence: { procedure: "sampling", reason, points: 0 } };
  }
  const open = byCase.find((k) => k.by === undefined)!;
  const reason = open.split === undefined ? "a reduction over part of a vector or an argmax cannot be split into its terms"
    : `in the case ${open.c.label} the sides are not identical once the rest of each sum is an unknown (the sums may be related in ways the split does not see)`;
  return {
    verdict: "verified", status: "holds", method: "numeric", ...ctx.shown,
    detail: `both sides agree to ${REQUIRED_DIGITS} significant digits on ${points} vectors of lengths 1 to 5 and ${stated === undefined ? "every case of the indices" : `the indices with ${print(stated)}`}; not proved (${reason})`,
    evidence: { procedure: "sampling", points, digits: REQUIRED_DIGITS, reason }, points, digits: REQUIRED_DIGITS,
  };
}

/** The procedure that proves the claim in one case of its indices, or undefined. */
function provedInCase(sides: readonly Expr[], c: IndexCase, options: EqualityOptions, split = splitCase(sides, c)): Evidence["procedure"] | undefined {
  if (split === undefined) return undefined;
  const verdict = safely(() => verifyEquality(split[0]!, split[1]!, options));
  return verdict?.verdict === "proved" ? verdict.evidence.procedure : undefined;
}

/** `i = j` or `i ≠ j` at a concrete point. */
function indexCaseOf(point: VectorPoint, indices: readonly string[]): string {
  const parts: string[] = [];
  for (let a = 0; a < indices.length; a++) {
    for (let b = a + 1; b < indices.length; b++) {
      const [x, y] = [indices[a]!, indices[b]!];
      parts.push(`${x} ${point.indices.get(x) === point.indices.get(y) ? "=" : "≠"} ${y}`);
    }
  }
  return parts.join(", ") || `${indices[0]} = ${point.indices.get(indices[0]!)}`;
}

interface Context {
  readonly l: Expr;
  readonly r: Expr;
  readonly variable: string | undefined;
  readonly params: readonly string[];
  readonly domain: Domain;
  readonly shown: { readonly lhs: string; readonly rhs: string };
}

/** The decision procedure, guarded: a failure inside it is reported as "outside", with why. */
function decide(l: Expr, r: Expr): Decision {
  try {
    return decideEquality(l, r);
  } catch (err) {
    if (err instanceof BudgetExceeded) throw err;
    return { verdict: "outside", reason: `the decision procedure failed (${err instanceof Error ? err.message : String(err)})` };
  }
}

function mainVariable(left: Expr, right: Expr, names: readonly string[] = [...new Set([...freeSymbols(left), ...freeSymbols(right)])].sort()): string | undefined {
  const d = [...postorder(left), ...postorder(right)].find((n) => n.kind === "derivative");
  if (d?.kind === "derivative") return d.wrt;
  return names.includes("x") ? "x" : names[0];
}

function proved(ctx: Context, procedure: Evidence["procedure"], detail: string, extra: Partial<Evidence>): VerifyResult {
  const conventions = conventionsAt(ctx, exactBreakpoints([ctx.l, ctx.r], ctx.variable ?? "x") ?? []);
  return {
    verdict: "proved", status: "holds", method: "symbolic", ...ctx.shown, detail,
    evidence: { procedure, ...extra, ...(ctx.domain.size ? { domain: describeDomain(ctx.domain) } : {}) },
    ...(conventions.length ? { conventions } : {}),
  };
}

/** The decision procedure proved the sides different: find a point that shows it. */
function disproved(ctx: Context, decision: Extract<Decision, { verdict: "proved-different" }>): VerifyResult {
  const s = sample(ctx);
  const counterexample = s.counterexample ?? witnessInDomain(ctx, decision);
  const base = { ...ctx.shown, evidence: { procedure: "exp-rational" as const, decision: decision.detail } };
  if (counterexample === undefined) {
    return {
      verdict: "refuted", status: "refuted", method: "symbolic", ...base,
      detail: `proved different by the exp-rational decision procedure (${decision.detail}); no sample point shows the difference to ${REQUIRED_DIGITS} digits`,
    };
  }
  return {
    verdict: "refuted", status: "refuted", method: "numeric", ...base,
    evidence: { ...base.evidence, counterexample },
    detail: `the two sides differ at ${describeAt(counterexample.at)} (and the exp-rational decision procedure proves them different)`,
    counterexample,
  };
}

function witnessInDomain(ctx: Context, decision: Extract<Decision, { verdict: "proved-different" }>): Counterexample | undefined {
  const w = decision.witness;
  // A witness is a point where both sides have a finite value.
  if (w === undefined || !Number.isFinite(w.lhs) || !Number.isFinite(w.rhs)) return undefined;
  for (const [k, v] of Object.entries(w.at)) {
    const i = ctx.domain.get(k);
    if (i !== undefined && !contains(i, Q.fromNumber(v))) return undefined;
  }
  return { at: w.at, lhs: String(w.lhs), rhs: String(w.rhs) };
}

/**
 * Piece by piece, for sides whose breakpoints are exact (parameter-free, linear switches): on
 * each open piece both sides are smooth formulas, decided by the procedure or simplification.
 * Undefined when the breakpoints are not exact or some piece needs sampling.
 */
function piecewiseProof(ctx: Context): VerifyResult | undefined {
  const { l, r, variable } = ctx;
  if (variable === undefined || (!isPiecewise(l) && !isPiecewise(r))) return undefined;
  const bps = exactBreakpoints([l, r], variable);
  if (bps === undefined) return undefined;
  const settled: { piece: string; by: "exp-rational" | "simplification" }[] = [];
  for (const piece of piecesOf(bps, variable, ctx.domain.get(variable))) {
    const at = new Map([[variable, Q.toNumber(piece.inside)]]);
    const li = specialise(l, at);
    const ri = specialise(r, at);
    const d = decide(li, ri);
    if (d.verdict === "proved-equal") settled.push({ piece: piece.label, by: "exp-rational" });
    else if (d.verdict === "proved-different") {
      const s = sample(ctx, piece);
      const c = s.counterexample;
      if (c === undefined) return undefined;
      return {
        verdict: "refuted", status: "refuted", method: "numeric", ...ctx.shown, counterexample: c,
        detail: `the two sides differ on the piece ${piece.label}, e.g. at ${describeAt(c.at)} (there the exp-rational decision procedure proves them different)`,
        evidence: { procedure: "piecewise", decision: d.detail, counterexample: c },
      };
    } else if (simplify(sub(li, ri)) === ZERO) settled.push({ piece: piece.label, by: "simplification" });
    else return undefined;
  }
  const at = bps.length ? `; at ${bps.length > 1 ? "the breakpoints" : "the breakpoint"} ${bps.map(Q.toString).join(", ")} the value is a convention, not compared` : "";
  return proved(ctx, "piecewise", `proved piece by piece (${settled.map((p) => `${p.piece}: ${p.by}`).join("; ")})${at}`, {
    pieces: settled, breakpoints: bps.map(Q.toNumber),
  });
}

/** What each side gives at the breakpoints where they disagree: a convention, not compared. */
function conventionsAt(ctx: Context, bps: readonly Q.Rational[]): string[] {
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

// ---------------------------------------------------------------------------------------------
// Sampling

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

function sample(ctx: Context, within?: Piece): Sampled {
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

/** Candidates from the float screen (src/verify/screen.ts) confirmed to 40 digits; at most this many are tried. */
const MAX_CONFIRMATIONS = 16;

/**
 * The special values of every symbol (0, ±1, ±2, 3, ±1/2, ±3/2 …, pairwise), screened in float64;
 * a candidate is a counterexample only where both sides, to 40 digits, are finite and differ.
 */
function screenForCounterexample(ctx: Context, inPiece: (p: Q.Rational) => boolean): Counterexample | undefined {
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

function sampled(ctx: Context, outsideBecause: string): VerifyResult {
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

/** Simple points first, so that a counterexample is one a reader can check by hand. */
function orderedForReport(points: Q.Rational[]): Q.Rational[] {
  return [...points].sort((a, b) => pointCost(a) - pointCost(b));
}

const pointCost = (p: Q.Rational): number => Math.abs(Q.toNumber(p) - 1) + (Q.isInteger(p) ? 0 : 0.5) + p.d.toString().length;

function sameValue(a: Big, b: Big): boolean {
  if (a.isNaN() || b.isNaN()) return false;
  if (!a.isFinite() || !b.isFinite()) return a.eq(b);
  const scale = a.abs().gt(b.abs()) ? a.abs() : b.abs();
  if (scale.isZero()) return true;
  return a.sub(b).abs().lte(scale.mul(new (a.constructor as new (v: number) => Big)(10).pow(-REQUIRED_DIGITS)));
}

const show = (v: Big): string => (v.isFinite() ? v.toSignificantDigits(20).toString() : v.toString());

const describeAt = (at: Readonly<Record<string, number>>): string =>
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
