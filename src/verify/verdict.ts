/**
 * What a verification returns: the verdict, its evidence, and the counterexample of a refuted
 * claim; and what the procedures that reach it share (src/verify/verify.ts is the entry).
 */
import type { Expr } from "../ast/nodes.js";
import type { Slip } from "./diagnose.js";
import type { Domain } from "./domain.js";
import type { Kink } from "./kinks.js";

/** Digits to which both sides must agree at every sample point for a numeric verdict. */
export const REQUIRED_DIGITS = 40;

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

/** The two sides as compared: simplified, the variable and the other names (parameters), their `for` ranges, and the sides as printed. */
export interface Comparison {
  readonly l: Expr;
  readonly r: Expr;
  readonly variable: string | undefined;
  readonly params: readonly string[];
  readonly domain: Domain;
  readonly shown: { readonly lhs: string; readonly rhs: string };
}

/** For what accompanies a verdict (a diagnosis, a kink report): if it fails, the verdict stands without it. */
export function safely<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}
