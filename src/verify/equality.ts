/**
 * Deciding lhs = rhs: a claim in index notation case by case; else the decision procedure,
 * simplification, the proof piece by piece (src/verify/proof.ts), and sampling (sampling.ts).
 */
import { sub, ZERO } from "../ast/build.js";
import type { Expr } from "../ast/nodes.js";
import { print } from "../ast/print.js";
import * as Q from "../ast/rational.js";
import { freeIndices, freeSymbols, postorder, usesVectors } from "../ast/walk.js";
import { BudgetExceeded, budgetReason } from "../budget.js";
import { expandDerivatives, isElementVariable } from "../diff/diff.js";
import { agree } from "../numeric/evaluate.js";
import { expand } from "../simplify/expand.js";
import { simplify } from "../simplify/simplify.js";
import { decide, disproved, piecewiseProof, proved } from "./proof.js";
import { describeAt, sampled } from "./sampling.js";
import { REQUIRED_DIGITS, safely, type Comparison, type Counterexample, type EqualityOptions, type Evidence, type VerifyResult } from "./verdict.js";
import {
  describePoint, freeIndicesOf, holdsAt, holdsInCase, indexCases, samplePoints as vectorPoints, splitCase, valuesAt, vectorNamesOf,
  type IndexCase, type VectorPoint,
} from "./vectors.js";

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
  const ctx: Comparison = {
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
function vectorEquality(ctx: Comparison, options: EqualityOptions): VerifyResult {
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

export function mainVariable(left: Expr, right: Expr, names: readonly string[] = [...new Set([...freeSymbols(left), ...freeSymbols(right)])].sort()): string | undefined {
  const d = [...postorder(left), ...postorder(right)].find((n) => n.kind === "derivative");
  if (d?.kind === "derivative") return d.wrt;
  return names.includes("x") ? "x" : names[0];
}
