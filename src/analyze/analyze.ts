import { ZERO } from "../ast/build.js";
import * as Q from "../ast/rational.js";
import { dagSize } from "../ast/walk.js";
import type { Activation } from "../api/activation.js";
import { budgetFor, BudgetExceeded, budgetReason, withBudget } from "../budget.js";
import { fail } from "../errors.js";
import { SNAP, within, type Analysis, type Basis } from "./analysis.js";
import { breakpoint, SMOOTHNESS_ORDERS, weakest } from "./breakpoints.js";
import { checklist } from "./checklist.js";
import { deadZonesOf, saturationOf } from "./dead-zones.js";
import { extremaOf, maxAbsGradOf, monotonicityOf, rangeOf } from "./extrema.js";
import { certificateDescription, certificateKind } from "./interval.js";
import { NUMERIC_LIMIT } from "./limits.js";
import { MOMENT_STEP, momentsOf } from "./moments.js";
import { countOps } from "./ops.js";
import { decidePolynomial } from "./polynomial.js";
import { bind, valueAt, type Bound } from "./regions.js";
import { SCAN, scanDescription } from "./scan.js";
import { derivativeSigns } from "./sign-certificates.js";
import { symmetryOf } from "./symmetry.js";
import { limitKind, tailWithin } from "./tails.js";
import type {
  AnalyzeOptions, Method, PropertyKey, PropertySheet, SmoothnessClass, SweepOptions, SweepResult, Symmetry,
} from "./types.js";

/**
 * The property sheet of an activation, for the given parameter values (defaults otherwise).
 * Symbolic where that is cheap — limits at ±∞ from dominant terms, dead zones and hard
 * saturation from branches whose derivative is identically 0, symmetry proved by the
 * exp-rational decision procedure — and otherwise numeric, with the resolution stated in
 * `method`.
 */
export function analyze(activation: Activation, options: AnalyzeOptions = {}): PropertySheet {
  const budget = budgetFor(dagSize(activation.expr), PROPS_BUDGET.base, PROPS_BUDGET.perNode, options.budgetMs);
  return withBudget(budget, () => {
    try {
      return sheetOf(startAnalysis(activation, bind(activation, options.params)));
    } catch (err) {
      // Each search that can run long states what it could not establish (within, in analysis.ts); a
      // budget that ran out elsewhere leaves no sheet to state, and says so.
      if (!(err instanceof BudgetExceeded)) throw err;
      return fail("E_BUDGET", `the property sheet of ${activation.name} was not finished: ${budgetReason(err.budget)}`, {
        hint: `give it more time with --budget (in ms; it had ${Math.round(err.budget.ms)})`,
      });
    }
  });
}

/**
 * The default budget of a sheet: 30 s of CPU time and 200 ms more for each node of the
 * definition. A catalog function takes well under a second, except gelu_tanh (14 s: its limits at
 * ±∞ go through the exp-rational form, whose coefficients grow); past the budget, the searches
 * still open (limits, interval certificates, symmetry, equality of branches) are stated as not
 * established.
 */
export const PROPS_BUDGET = { base: 30_000, perNode: 200 } as const;

/** Sheets for a range of values of one parameter, and which properties change across it. */
export function sweep(activation: Activation, options: SweepOptions): SweepResult {
  if (!activation.params.some((p) => p.name === options.param)) {
    fail("E_PARAM", `${activation.name} has no parameter '${options.param}'`, { hint: `its parameters: ${activation.params.map((p) => p.name).join(", ") || "none"}` });
  }
  const values = sweepValues(options.from, options.to, options.steps ?? 7);
  const sheets = values.map((v) => analyze(activation, { params: { ...options.params, [options.param]: v }, ...(options.budgetMs !== undefined && { budgetMs: options.budgetMs }) }));
  const keys = Object.keys(sheets[0]?.method ?? {}) as PropertyKey[];
  const changing = keys.filter((k) => new Set(sheets.map((s) => JSON.stringify(jsonValue(s[k])))).size > 1);
  return { param: options.param, values, sheets, changing };
}

/** Geometric spacing when the range spans a factor 10 or more on the positive side, else even. */
export function sweepValues(from: number, to: number, steps: number): number[] {
  if (!Number.isFinite(from) || !Number.isFinite(to) || !(to > from)) fail("E_USAGE", `a sweep needs from < to, not ${from}..${to}`);
  if (!Number.isInteger(steps) || steps < 2 || steps > 101) fail("E_USAGE", `a sweep needs 2 to 101 steps, not ${steps}`);
  const geometric = from > 0 && to / from >= 10;
  return Array.from({ length: steps }, (_, i) => {
    const t = i / (steps - 1);
    const v = geometric ? from * (to / from) ** t : from + (to - from) * t;
    return Number(v.toPrecision(12));
  });
}

/** The sheet as JSON-ready data: ±Infinity become the strings "Infinity" / "-Infinity". */
export function sheetToJson(sheet: PropertySheet): unknown {
  return jsonValue(sheet);
}

function jsonValue(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v)));
}

// ---------------------------------------------------------------------------------------------

/**
 * What the other parts build on, in the order their notes appear: the tails at ±∞, the
 * breakpoints, and where f′ changes sign.
 */
function startAnalysis(activation: Activation, b: Bound): Analysis {
  const basis: Basis = { activation, b, x: b.variable, notes: [], constantRegion: b.regions.map((r) => r.derivative(1) === ZERO) };
  const tails = { left: tailWithin(basis, b.regions[0]!, -1, 0), right: tailWithin(basis, b.regions.at(-1)!, 1, b.regions.length - 1) };
  const bps = b.exactBreakpoints.map((q, i) => breakpoint(basis, q, b.regions[i]!, b.regions[i + 1]!));
  const fSigns = derivativeSigns(b.regions, 1, basis.constantRegion, basis.notes, "monotonicity, extrema and range are numeric observations");
  return { ...basis, tails, bps, fZeros: fSigns.zeros, fCertificate: fSigns.certificate };
}

/** Every property with how it was established (`method`), from the parts in this folder. */
function sheetOf(a: Analysis): PropertySheet {
  const b = a.b;
  const f0 = valueAt(b.f, a.x, Q.ZERO, SNAP);
  const df0 = valueAt(b.df, a.x, Q.ZERO, SNAP);
  const pointMethod = (v: { exact: boolean }, what: string): Method => v.exact
    ? { kind: "symbolic", detail: `${what} by exact substitution` }
    : { kind: "numeric", detail: `${what} evaluated at 60 significant digits` };

  const extrema = extremaOf(a);
  const range = rangeOf(a, extrema);
  const monotone = monotonicityOf(a);
  const symmetry = within(a, "symmetry", () => symmetryOf(a, f0.value), (reason): { value: Symmetry; method: Method } => ({
    value: null, method: { kind: "numeric", detail: `f(−x) against −f(x), f(x) and 2·f(0) − f(x): not established (${reason})`, undecided: reason },
  }));
  const { zones: deadZones, closed: deadZoneClosed } = deadZonesOf(a);
  const saturation = { left: saturationOf(a.tails.left, deadZones), right: saturationOf(a.tails.right, deadZones) };
  const smoothnessClass = a.bps.reduce<SmoothnessClass>((c, bp) => weakest(c, bp.class), "Cinf");
  const continuous = smoothnessClass !== "discontinuous";
  const { value: maxAbsGrad, method: maxAbsGradMethod } = maxAbsGradOf(a);
  const opCount = opCountOf(a.activation);
  const moments = momentsOf(b);
  const zeroCentred = f0.value === 0 && range.inf < 0 && range.sup > 0;
  const polynomial = decidePolynomial(a, range, smoothnessClass);
  const conditions = {
    nonConstant: range.inf < range.sup,
    bounded: range.boundedAbove && range.boundedBelow,
    monotoneIncreasing: monotone.direction === "increasing",
    continuous,
    nonPolynomial: !polynomial.value,
  };
  const universalApproximation = {
    cybenko: conditions.nonConstant && conditions.bounded && conditions.monotoneIncreasing && conditions.continuous,
    leshno: conditions.continuous && conditions.nonPolynomial,
    conditions,
  };

  const scanned = a.constantRegion.some((c) => !c);
  const fScanMethod: Method = a.fCertificate.complete
    ? { kind: certificateKind(a.fCertificate), detail: `sign of f′ on every region by ${certificateDescription(a.fCertificate)}; zeros of f′ by bisection to adjacent doubles` }
    : { kind: "numeric", detail: `sign changes of f′ on each branch: ${scanDescription()}`, resolution: SCAN.step, window: [-SCAN.far, SCAN.far] };
  const tailHow = [a.tails.left.f?.how, a.tails.right.f?.how].filter((h) => h !== undefined).join(" / ");
  const method: { [K in PropertyKey]: Method } = {
    f0: pointMethod(f0, "f(0)"),
    df0: pointMethod(df0, "f′(0) (the definition's convention at a kink)"),
    range: scanned
      ? { ...fScanMethod, detail: `inf and sup among the limits at ±∞ (${tailHow || "none found"}), the values and one-sided limits at breakpoints, and the local extrema; ${fScanMethod.detail}` }
      : { kind: "symbolic", detail: `f is constant on every branch: values of the branches and limits (${tailHow})` },
    monotonic: fScanMethod,
    extrema: fScanMethod,
    symmetry: symmetry.method,
    zeroCentred: { kind: "derived", detail: "f(0) = 0 and inf < 0 < sup", from: ["f0", "range"] },
    saturation: {
      kind: limitKind([a.tails.left.df?.how, a.tails.right.df?.how]),
      detail: "hard: the outermost branch has derivative identically 0 (c is where that constant piece begins); soft: lim f′ = 0 at that side (" +
        [a.tails.left.df?.how, a.tails.right.df?.how].filter((h) => h).join(" / ") + ")" +
        (limitKind([a.tails.left.df?.how, a.tails.right.df?.how]) === "numeric" ? `; ${NUMERIC_LIMIT}` : ""),
    },
    maxAbsGrad: maxAbsGradMethod,
    deadZone: { kind: "symbolic", detail: "branches whose derivative simplifies to 0, merged across breakpoints where f is continuous and f′ = 0; an end belongs to the zone when f′ there (the definition's convention at the kink, by exact substitution or 60 digits) is 0" },
    smoothness: a.bps.length === 0
      ? { kind: "symbolic", detail: "no breakpoints: f is one composition of analytic functions" }
      : { kind: "symbolic", detail: `one-sided limits of f, f′, …, f⁽${SMOOTHNESS_ORDERS}⁾ at each breakpoint from the adjacent branches, exact by substitution or at 60 digits; C∞ only when the branches are proved equal` },
    lipschitz: { kind: "derived", detail: continuous ? "sup |f′| of a continuous f" : "f jumps, so no Lipschitz constant", from: ["maxAbsGrad", "smoothness"] },
    asymptotes: (() => {
      const hows = [a.tails.left, a.tails.right].flatMap((t) => [t.f?.how, t.df?.how, t.intercept?.how]);
      const sides = [a.tails.left, a.tails.right].map((t) => `${t.side < 0 ? "−∞" : "+∞"}: ${t.f?.how ?? "not found"}${t.intercept ? `, intercept ${t.intercept.how}` : ""}`);
      return { kind: limitKind(hows), detail: `limits of f, f′ and of the intercept (f − m·x for a slope m found exactly, else the tangent's f − x·f′) on the outermost branches (${sides.join(", ")})${hows.includes("numeric") ? `; ${NUMERIC_LIMIT}` : ""}` };
    })(),
    opCount: { kind: "symbolic", detail: "operations on the DAG of f and of its textbook derivative, shared subexpressions once (see OpBreakdown)" },
    universalApproximation: { kind: "derived", detail: `Cybenko: non-constant, bounded, monotone increasing, continuous; Leshno: continuous and not a polynomial (${polynomial.how})`, from: ["range", "monotonic", "smoothness"] },
    meanUnderNormal: { kind: "numeric", detail: "Simpson's rule for E f(Z), E f(Z)², Z ~ N(0, 1), on [-12, 12] split at the breakpoints, spacing ≤ 1/256; rounded to 1e-12 of max(1, rms), Simpson's error bound here", resolution: MOMENT_STEP, window: [-12, 12] },
  };

  return {
    name: a.activation.name,
    definition: a.activation.toString(),
    params: b.params,
    f0: f0.value,
    df0: df0.value,
    range,
    monotonic: monotone.monotonic,
    monotonicDirection: monotone.direction,
    extrema,
    symmetry: symmetry.value,
    zeroCentred,
    saturation,
    maxAbsGrad,
    deadZone: deadZones[0] ?? null,
    deadZones,
    deadZoneClosed,
    smoothness: { class: smoothnessClass, breakpoints: a.bps },
    lipschitz: continuous ? maxAbsGrad.value : Infinity,
    asymptotes: { left: a.tails.left.asymptote, right: a.tails.right.asymptote },
    opCount,
    universalApproximation,
    meanUnderNormal: moments,
    checklist: checklist(a, { range, maxAbsGrad, deadZones, moments, saturation, smoothnessClass, opCount }),
    method,
    notes: a.notes,
  };
}

function opCountOf(activation: Activation): PropertySheet["opCount"] {
  const f = activation.expr;
  const df = activation.derivative().expr;
  const detail = { f: countOps([f]), df: countOps([df]), both: countOps([f, df]) };
  return { f: detail.f.total, df: detail.df.total, both: detail.both.total, detail };
}
