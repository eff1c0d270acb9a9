/**
 * The property sheets of functions of several inputs (glu(a, b)) and of vectors (softmax(x[])):
 * what `analyzeSeveral()` and `analyzeVector()` return, what `actdiff props --json` prints for
 * them and what their documentation pages render. As in the sheet of one input (types.ts), each
 * property's value sits under its own key and the way it was established under the same key in
 * `method`, with the same four kinds of method. A fact that was only observed on samples says so
 * in its method (kind `numeric`, with the number of samples) and is never stated as a bound.
 */
import type { Extended, Method, PropertySheet, SideSaturation } from "./types.js";

/** How a property of these sheets was established: a Method whose `from` names keys of this sheet. */
export interface MultiMethod extends Omit<Method, "from"> {
  readonly from?: readonly string[];
}

/** One end of a range: how far it is known. */
export interface RangeEnd {
  readonly value: Extended;
  /**
   * - exact: proved to be the infimum (supremum): a proved bound that values approach or reach;
   * - bound: a proved bound, not shown to be approached;
   * - approached: values approach it (a limit along a slice), but no bound is proved;
   * - observed: only the most extreme value among the samples.
   */
  readonly status: "exact" | "bound" | "approached" | "observed";
  /** Whether some input reaches it (meaningful for `exact`). */
  readonly attained: boolean;
}

/** Extremes over random samples: what was seen, never a bound. */
export interface Observed {
  readonly min: number;
  readonly max: number;
  readonly samples: number;
}

// --- several scalar inputs -------------------------------------------------------------------

/** f = c · g₁(x₁) · g₂(x₂) · …: each factor a function of one input, analysed on its own. */
export interface Factor {
  readonly input: string;
  /** The factor as a formula of its input. */
  readonly formula: string;
  /** Its property sheet as a function of one input. */
  readonly sheet: PropertySheet;
}

export interface Separation {
  readonly constant: number;
  readonly factors: readonly Factor[];
}

export type Monotonicity =
  /** Non-decreasing (non-increasing) in the input whatever the other inputs are. */
  | { readonly kind: "increasing" | "decreasing" }
  /** For each value of the other inputs monotone in this one, the direction the sign of `coefficient`. */
  | { readonly kind: "sign of"; readonly coefficient: string; readonly direction: "increasing" | "decreasing" }
  /** Not monotone for any value of the others that leaves f depending on it. */
  | { readonly kind: "no" }
  /** Not established. */
  | { readonly kind: "unknown" };

/** What happens as one input goes to −∞ or +∞ with the others fixed. */
export interface GateSide {
  /** Saturation of f in this input: its partial derivative → 0 (soft) or is 0 beyond c (hard). */
  readonly saturation: SideSaturation;
  /** The limit of this input's factor, when it has one (0: the gate closes; f and its whole gradient vanish). */
  readonly factorLimit: Extended | null;
  /** In words: what f and its gradient do. */
  readonly text: string;
}

export type SeveralKey = "atOrigin" | "separation" | "range" | "linear" | "monotonic" | "saturation" | "lipschitz";

export interface SeveralInputsSheet {
  readonly kind: "several";
  readonly name: string;
  readonly definition: string;
  readonly inputs: readonly string[];
  readonly params: Readonly<Record<string, number>>;

  /** f and its gradient at the origin. */
  readonly atOrigin: { readonly value: number; readonly gradient: Readonly<Record<string, number>> };
  /** f as a product of one-input factors, or null when it is not one (then less is analysed). */
  readonly separation: Separation | null;
  readonly range: { readonly inf: RangeEnd; readonly sup: RangeEnd; readonly observed?: Observed };
  /** Per input: whether f is affine in it (∂²f/∂x² = 0), null when not decided. */
  readonly linear: Readonly<Record<string, boolean | null>>;
  readonly monotonic: Readonly<Record<string, Monotonicity>>;
  /** Per input, as it goes to −∞ (left) and +∞ (right) with the others fixed. */
  readonly saturation: Readonly<Record<string, { readonly left: GateSide; readonly right: GateSide } | null>>;
  /**
   * sup |∂f/∂x| per input over all inputs (∞ when unbounded), and the Lipschitz constant of f in
   * the Euclidean norm: ∞ when some partial is unbounded, else between `lower` and `upper` (null:
   * no upper bound is known; a lower bound may then be an observed gradient norm).
   */
  readonly lipschitz: {
    readonly partials: Readonly<Record<string, Extended>>;
    readonly lower: Extended;
    readonly upper: Extended | null;
    readonly observed?: Observed;
  };

  readonly method: { readonly [K in SeveralKey]: MultiMethod };
  readonly notes: readonly string[];
}

// --- vectors ---------------------------------------------------------------------------------

/** A slice through the function: the vector at one scalar t (softmax at (t, 0)), each output a function of t. */
export interface VectorSlice {
  /** The elements as formulas of t: ["t", "0"]. */
  readonly at: readonly string[];
  readonly outputs: readonly { readonly formula: string; readonly sheet: PropertySheet }[];
}

export type VectorKey = "jacobian" | "range" | "sumToOne" | "shift" | "lipschitz" | "saturation";

export interface VectorSheet {
  readonly kind: "vector";
  readonly name: string;
  readonly definition: string;
  /** The vector input. */
  readonly input: string;
  readonly params: Readonly<Record<string, number>>;
  /** The output's length, `len(x)`, `len(z) / k`, or null for a scalar-valued function. */
  readonly outputLength: string | null;

  /** ∂f_i/∂x_j in index notation, and Σ_j ∂f_i/∂x_j where it was decided. */
  readonly jacobian: { readonly element: string; readonly rowSum: string | null };
  /** Every output element's range, for vectors of two or more elements. */
  readonly range: { readonly inf: RangeEnd; readonly sup: RangeEnd; readonly observed: Observed };
  /** Σ_i f_i = 1, or Σ_i exp(f_i) = 1 (log-probabilities); null when f is scalar-valued. */
  readonly sumToOne: { readonly holds: boolean | null; readonly claim: string } | null;
  /** f(x + c·1) = f(x) (invariant) or f(x) + c (equivariant) for every constant c. */
  readonly shift: "invariant" | "equivariant" | "neither" | null;
  /**
   * The Lipschitz constant in the Euclidean norm, sup ‖J‖₂: a proved bound when a known result
   * applies (its text may depend on N: √N), and the largest ‖J‖₂ observed on samples of each length.
   */
  readonly lipschitz: {
    readonly bound: { readonly value: Extended | null; readonly text: string; readonly attained: boolean } | null;
    readonly observed: Observed & { readonly byLength: readonly { readonly n: number; readonly max: number }[] };
  };
  /** Along the slice (t, 0, …): each output's saturation as t → −∞ and +∞. */
  readonly saturation: readonly { readonly output: number; readonly left: SideSaturation; readonly right: SideSaturation }[];
  readonly slice: VectorSlice | null;

  readonly method: { readonly [K in VectorKey]: MultiMethod };
  readonly notes: readonly string[];
}

export type MultiSheet = SeveralInputsSheet | VectorSheet;
