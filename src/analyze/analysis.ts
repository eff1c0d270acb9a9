/**
 * What the parts of a property sheet share (src/analyze/analyze.ts assembles it): the definition
 * bound to its parameter values, and the notes the sheet collects as its parts run.
 */
import type { Activation } from "../api/activation.js";
import { BudgetExceeded, budgetReason } from "../budget.js";
import type { Certificate } from "./interval.js";
import type { Limit } from "./limits.js";
import type { Bound, Region } from "./regions.js";
import type { Asymptote, Breakpoint } from "./types.js";
import type { Zeros } from "./sign-certificates.js";

/** The definition bound to its parameter values, and the notes the sheet collects. */
export interface Basis {
  readonly activation: Activation;
  readonly b: Bound;
  /** The variable. */
  readonly x: string;
  readonly notes: string[];
  /** Per region: its derivative is identically 0. */
  readonly constantRegion: readonly boolean[];
}

/** The basis with what the parts found first and the others build on. */
export interface Analysis extends Basis {
  readonly tails: { readonly left: Tail; readonly right: Tail };
  readonly bps: readonly Breakpoint[];
  /** Where f′ changes sign, region by region. */
  readonly fZeros: readonly Zeros[];
  readonly fCertificate: Certificate;
}

export interface Tail {
  readonly side: 1 | -1;
  readonly region: Region;
  readonly constant: boolean;
  readonly f?: Limit;
  readonly df?: Limit;
  /** Why f′ has no limit at this side, when that is proved (f′ = 1 + sin 2x oscillates). */
  readonly dfNoLimit?: string;
  /** The intercept of a linear asymptote, as found. */
  readonly intercept?: Limit;
  readonly asymptote: Asymptote;
}

export const SNAP = { snapToZero: true } as const;

/** f within the budget; past it, the fallback for the reason, and a note that `what` is not established. */
export function within<T>(a: Basis, what: string, f: () => T, fallback: (reason: string) => T): T {
  try {
    return f();
  } catch (err) {
    if (!(err instanceof BudgetExceeded)) throw err;
    const reason = budgetReason(err.budget);
    a.notes.push(`${what}: not established (${reason})`);
    return fallback(reason);
  }
}
