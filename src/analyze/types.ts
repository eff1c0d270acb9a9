/**
 * The property sheet of an activation: what `analyze()` returns, what `actdiff props --json`
 * prints and what the documentation site renders. Every key the issue lists is here with the
 * shape it names; each property's value sits under its own key and the way it was established
 * under the same key in `method`.
 *
 * Numbers are plain numbers. An infinite bound is the number ±Infinity in the object and the
 * string "Infinity" / "-Infinity" in JSON (`sheetToJson` does the conversion).
 */

/** A real number or ±Infinity. */
export type Extended = number;

/**
 * How a property was established, so that a reader can judge how far to trust it:
 * - `symbolic`: from the expression itself — a limit by dominant terms, a branch whose
 *   derivative simplifies to 0, an identity proved by the exp-rational decision procedure;
 * - `interval`: an interval-arithmetic bound over a whole region (e.g. a tail beyond a scan);
 * - `numeric`: a scan on a grid (`resolution` = its spacing, over `window`) refined by bisection
 *   to adjacent doubles, or a high-precision evaluation at sample points;
 * - `derived`: a consequence of other properties of this sheet (`from`).
 */
export interface Method {
  readonly kind: "symbolic" | "interval" | "numeric" | "derived";
  /** What was done, in words a reader can check. */
  readonly detail: string;
  /** Grid spacing of a numeric scan. */
  readonly resolution?: number;
  /** The interval a numeric scan covered. */
  readonly window?: readonly [Extended, Extended];
  /** For `derived`: the properties it follows from. */
  readonly from?: readonly PropertyKey[];
  /**
   * Set when the property could not be established within the budget (see `AnalyzeOptions.budgetMs`):
   * the reason. The value is then only what was found before (symmetry: none found).
   */
  readonly undecided?: string;
}

export interface Range {
  readonly inf: Extended;
  readonly sup: Extended;
  /** Whether some x has f(x) = inf (false for a limit at ±∞ that is never reached). */
  readonly infAttained: boolean;
  readonly supAttained: boolean;
  readonly boundedBelow: boolean;
  readonly boundedAbove: boolean;
  /** Set when inf (sup) is a numeric limit at ±∞, known only to its resolution (printed with ≈). */
  readonly infApproximate?: true;
  readonly supApproximate?: true;
}

/** A strict local extremum: f′ changes sign there (possibly at a kink, as |x| at 0). */
export interface Extremum {
  readonly x: number;
  readonly value: number;
  readonly kind: "min" | "max";
}

/** "odd": f(−x) = −f(x); "even": f(−x) = f(x); point: f(x0 − t) + f(x0 + t) = 2·y0; null: none found. */
export type Symmetry = "odd" | "even" | { readonly point: readonly [number, number] } | null;

/**
 * Saturation in the sense of Gulcehre et al. 2016: f′(x) → 0 as x → ±∞ is soft; f′(x) = 0
 * for every x beyond some c is hard (then `c` is the threshold).
 */
export type SideSaturation =
  | { readonly kind: "none" }
  | { readonly kind: "soft" }
  | { readonly kind: "hard"; readonly c: number };

export interface Saturation {
  readonly left: SideSaturation;
  readonly right: SideSaturation;
}

export interface MaxAbsGrad {
  /** sup |f′(x)| over all x: the most a layer can amplify a gradient (the least it shrinks one is elsewhere). */
  readonly value: Extended;
  /** Where: a point, ±Infinity for a limit at a tail, or an interval on which |f′| is constant and maximal. */
  readonly at: Extended | readonly [Extended, Extended];
  readonly attained: boolean;
}

/** "C0", "C1", "C2", …, "Cinf"; "discontinuous" when f itself jumps. */
export type SmoothnessClass = `C${number}` | "Cinf" | "discontinuous";

export interface Breakpoint {
  readonly x: number;
  /** f(x) as defined (at a kink, the definition's convention). */
  readonly value: number;
  readonly leftValue: number;
  readonly rightValue: number;
  /** Both one-sided limits of f equal f(x). */
  readonly continuous: boolean;
  /** One-sided limits of f′ at x. */
  readonly leftDerivative: number;
  readonly rightDerivative: number;
  /** The highest k for which f⁽ᵏ⁾ has equal one-sided limits, as a class. */
  readonly class: SmoothnessClass;
}

export interface Smoothness {
  /** The weakest class over all breakpoints; "Cinf" without breakpoints. */
  readonly class: SmoothnessClass;
  readonly breakpoints: readonly Breakpoint[];
}

/** f's behaviour as x → −∞ or +∞. */
export type Asymptote =
  | { readonly kind: "horizontal"; readonly value: number; readonly text: string }
  /** `approximate`: slope or intercept is a numeric limit, known to its resolution only. */
  | { readonly kind: "linear"; readonly slope: number; readonly intercept: number; readonly text: string; readonly approximate?: true }
  /** f → ±∞ without a straight-line asymptote (sub- or super-linear), or a limit that does not exist. */
  | { readonly kind: "none"; readonly limit: Extended | null; readonly text: string };

export interface Asymptotes {
  readonly left: Asymptote;
  readonly right: Asymptote;
}

/**
 * Operations to evaluate an expression once, counted on its DAG (a shared subexpression is
 * computed once, as in the generated code): an n-ary sum or product is n − 1 operations
 * (a coefficient −1 is a negation and counts as one), a power is one (a reciprocal included),
 * a call of a builtin is one, a comparison is one, and/or of n conditions n − 1, a negation of a
 * condition one, each branch of a piecewise one (the select). Numbers and names are free.
 */
export interface OpBreakdown {
  readonly total: number;
  /** +, −, ×, ÷, powers, and the cheap calls abs, sign, min, max, clip. */
  readonly arithmetic: number;
  /** Calls of exp, log, tanh, sigmoid, atan, erf, … (anything but abs, sign, min, max, clip). */
  readonly transcendental: number;
  /** Comparisons, logic and selects. */
  readonly branching: number;
}

export interface OpCount {
  /** Total operations of f. */
  readonly f: number;
  /** Total operations of f′ alone (its textbook form). */
  readonly df: number;
  /** f and f′ computed together with shared subexpressions, as `compileValueAndGrad` does. */
  readonly both: number;
  readonly detail: { readonly f: OpBreakdown; readonly df: OpBreakdown; readonly both: OpBreakdown };
}

export interface UniversalApproximation {
  /** Cybenko 1989 / Hornik 1991 as seed 000 states it: non-constant, bounded, monotone increasing, continuous. */
  readonly cybenko: boolean;
  /** Leshno et al. 1993: continuous (locally bounded, piecewise continuous suffices) and not a polynomial. */
  readonly leshno: boolean;
  readonly conditions: {
    readonly nonConstant: boolean;
    readonly bounded: boolean;
    readonly monotoneIncreasing: boolean;
    readonly continuous: boolean;
    readonly nonPolynomial: boolean;
  };
}

/** One item of the survey's checklist (seed 003, §2), with the reason it holds or not. */
export interface ChecklistItem {
  readonly value: boolean;
  readonly reason: string;
  readonly method: Method;
}

/** The survey's checklist (seed 003 §2.2–2.3, plus seed 000's differentiability). */
export interface Checklist {
  /** Not affine: a network of affine layers would collapse to one. */
  readonly nonLinear: ChecklistItem;
  /** Differentiable except at finitely many breakpoints. */
  readonly differentiableAlmostEverywhere: ChecklistItem;
  /** On at least one side the gradient passes without decay: lim |f′| ≥ 1 as x → +∞ or −∞. */
  readonly mitigatesVanishingGradient: ChecklistItem;
  /** |f′| ≤ 1 everywhere (the Lipschitz constant is at most 1). */
  readonly avoidsExplodingGradient: ChecklistItem;
  /** No dead zone: f′ is nowhere identically 0 on an interval. */
  readonly avoidsDeadNeurons: ChecklistItem;
  /** |E f(Z)| ≤ ¼·√E f(Z)² for Z ~ N(0, 1). */
  readonly nearZeroMean: ChecklistItem;
  /** Takes both signs, so that weight updates are not forced in one direction (survey §2.3, 6). */
  readonly bothSigns: ChecklistItem;
  /** Outputs exactly 0 on an interval of inputs (ReLU-like sparsity). */
  readonly sparse: ChecklistItem;
  /** Soft saturation on at least one side (survey §2.3, 5 and 7: convergence and robustness to noise). */
  readonly softSaturation: ChecklistItem;
  /** f and f′ need no transcendental call (exp, log, tanh, …): op counts in `opCount`. */
  readonly cheap: ChecklistItem;
}

/** The keys of a sheet that are properties (everything except the identification fields). */
export type PropertyKey =
  | "f0" | "df0" | "range" | "monotonic" | "extrema" | "symmetry" | "zeroCentred" | "saturation"
  | "maxAbsGrad" | "deadZone" | "smoothness" | "lipschitz" | "asymptotes" | "opCount"
  | "universalApproximation" | "meanUnderNormal";

export interface PropertySheet {
  /** The activation's name and the definition analysed (textbook form). */
  readonly name: string;
  readonly definition: string;
  /** Every parameter with the value the sheet is stated for. */
  readonly params: Readonly<Record<string, number>>;

  readonly f0: number;
  /** f′(0), with the definition's convention when 0 is a kink. */
  readonly df0: number;
  readonly range: Range;
  /** f′ ≥ 0 everywhere or f′ ≤ 0 everywhere (non-strict: relu is monotonic). */
  readonly monotonic: boolean;
  /** "increasing" / "decreasing" when monotonic (non-strictly), else null. */
  readonly monotonicDirection: "increasing" | "decreasing" | null;
  readonly extrema: readonly Extremum[];
  readonly symmetry: Symmetry;
  /** Takes both signs and f(0) = 0. */
  readonly zeroCentred: boolean;
  readonly saturation: Saturation;
  readonly maxAbsGrad: MaxAbsGrad;
  /** The leftmost interval on which f′ = 0 (all of them in `deadZones`), or null. */
  readonly deadZone: readonly [Extended, Extended] | null;
  readonly deadZones: readonly (readonly [Extended, Extended])[];
  /** For each dead zone, whether its ends belong to it: f′ there (the definition's convention) is 0. */
  readonly deadZoneClosed: readonly (readonly [boolean, boolean])[];
  readonly smoothness: Smoothness;
  /** sup |f′| for a continuous f; Infinity when f jumps. */
  readonly lipschitz: Extended;
  readonly asymptotes: Asymptotes;
  readonly opCount: OpCount;
  readonly universalApproximation: UniversalApproximation;
  /** E f(Z) and √E f(Z)² for Z ~ N(0, 1). */
  readonly meanUnderNormal: { readonly mean: number; readonly rms: number };
  readonly checklist: Checklist;

  /** How each property was established. */
  readonly method: { readonly [K in PropertyKey]: Method };
  /** Anything the analysis could not establish or had to assume, in words. */
  readonly notes: readonly string[];
}

export interface AnalyzeOptions {
  /** Parameter values; the others take their defaults. */
  readonly params?: Readonly<Record<string, number>>;
  /**
   * The most CPU time (ms) the sheet may take; by default PROPS_BUDGET.base + PROPS_BUDGET.perNode
   * for each node of the definition. Past it, what is still open is stated as not established.
   */
  readonly budgetMs?: number;
}

export interface SweepOptions extends AnalyzeOptions {
  /** The parameter to vary. */
  readonly param: string;
  readonly from: number;
  readonly to: number;
  /** Number of values (default 7); geometric spacing when 0 < from and to/from ≥ 10, else even. */
  readonly steps?: number;
}

export interface SweepResult {
  readonly param: string;
  readonly values: readonly number[];
  readonly sheets: readonly PropertySheet[];
  /** The properties whose value differs between some two sheets. */
  readonly changing: readonly PropertyKey[];
}
