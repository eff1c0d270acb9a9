/**
 * Verifying a claim: its sides decided equal or not (equality.ts; the verdict's shape is in
 * verdict.ts), then what accompanies the verdict — the breakpoints of the function it is about,
 * and for a refuted claim the likely slip.
 */
import type { Scope } from "../ast/definition.js";
import * as Q from "../ast/rational.js";
import { dagSize, freeSymbols, usesVectors } from "../ast/walk.js";
import { budgetFor, withBudget } from "../budget.js";
import { catalogDefinition } from "../catalog/catalog.js";
import { expandDerivatives } from "../diff/diff.js";
import { simplify } from "../simplify/simplify.js";
import { readClaim, type Claim } from "./claims.js";
import { diagnose } from "./diagnose.js";
import { parameterValues, type Domain } from "./domain.js";
import { mainVariable, verifyEquality } from "./equality.js";
import { kinks } from "./kinks.js";
import { isPiecewise } from "./pieces.js";
import { safely, type VerifyResult } from "./verdict.js";

export type { Kink } from "./kinks.js";
export type { Slip } from "./diagnose.js";
export { verifyEquality } from "./equality.js";
export { REQUIRED_DIGITS, type Counterexample, type EqualityOptions, type Evidence, type Verdict, type VerifyResult } from "./verdict.js";

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
