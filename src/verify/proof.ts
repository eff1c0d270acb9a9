/**
 * The symbolic side of verification: the exp-rational decision procedure, simplification, and
 * both piece by piece on a piecewise claim; a proof, or a disproof with a witness where one is found.
 */
import { sub, ZERO } from "../ast/build.js";
import type { Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";
import { BudgetExceeded } from "../budget.js";
import { simplify } from "../simplify/simplify.js";
import { contains, describeDomain } from "./domain.js";
import { decideEquality, type Decision } from "./exp-rational.js";
import { exactBreakpoints, isPiecewise, piecesOf, specialise } from "./pieces.js";
import { conventionsAt, describeAt, sample } from "./sampling.js";
import { REQUIRED_DIGITS, type Comparison, type Counterexample, type Evidence, type VerifyResult } from "./verdict.js";

/** The decision procedure, guarded: a failure inside it is reported as "outside", with why. */
export function decide(l: Expr, r: Expr): Decision {
  try {
    return decideEquality(l, r);
  } catch (err) {
    if (err instanceof BudgetExceeded) throw err;
    return { verdict: "outside", reason: `the decision procedure failed (${err instanceof Error ? err.message : String(err)})` };
  }
}

export function proved(ctx: Comparison, procedure: Evidence["procedure"], detail: string, extra: Partial<Evidence>): VerifyResult {
  const conventions = conventionsAt(ctx, exactBreakpoints([ctx.l, ctx.r], ctx.variable ?? "x") ?? []);
  return {
    verdict: "proved", status: "holds", method: "symbolic", ...ctx.shown, detail,
    evidence: { procedure, ...extra, ...(ctx.domain.size ? { domain: describeDomain(ctx.domain) } : {}) },
    ...(conventions.length ? { conventions } : {}),
  };
}

/** The decision procedure proved the sides different: find a point that shows it. */
export function disproved(ctx: Comparison, decision: Extract<Decision, { verdict: "proved-different" }>): VerifyResult {
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

function witnessInDomain(ctx: Comparison, decision: Extract<Decision, { verdict: "proved-different" }>): Counterexample | undefined {
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
export function piecewiseProof(ctx: Comparison): VerifyResult | undefined {
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
