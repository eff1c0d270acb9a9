import { mul, neg, num, sub, sym, ZERO } from "../ast/build.js";
import type { Expr } from "../ast/nodes.js";
import { print } from "../ast/print.js";
import * as Q from "../ast/rational.js";
import { dagSize, postorder, substitute } from "../ast/walk.js";
import type { Activation } from "../api/activation.js";
import { budgetFor, BudgetExceeded, budgetReason, withBudget } from "../budget.js";
import { fail } from "../errors.js";
import { simplify } from "../simplify/simplify.js";
import { decideEquality } from "../verify/exp-rational.js";
import { verifyEquality } from "../verify/verify.js";
import { certificateDescription, certificateKind, certifySigns, type Certificate } from "./interval.js";
import { interceptLimit, limitAtInfinity, noLimitReason, NUMERIC_LIMIT, type Limit, type LimitHow } from "./limits.js";
import { countOps } from "./ops.js";
import { bind, sameAt, valueAt, type Bound, type Region } from "./regions.js";
import { SCAN, scanDescription, signChanges, simpson, type SignChange } from "./scan.js";
import type {
  AnalyzeOptions, Asymptote, Breakpoint, Checklist, ChecklistItem, Extended, Extremum, MaxAbsGrad, Method,
  PropertyKey, PropertySheet, Range, SideSaturation, SmoothnessClass, SweepOptions, SweepResult, Symmetry,
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
      return new Analysis(activation, bind(activation, options.params)).sheet();
    } catch (err) {
      // Each search that can run long states what it could not establish (Analysis.within); a
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

interface Tail {
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

/** Limits the certificates may rely on: found symbolically, never a numeric guess. */
const provedLimit = (g: Expr, variable: string, side: 1 | -1): number | undefined => {
  const l = limitAtInfinity(g, variable, side);
  return l !== undefined && l.how !== "numeric" ? l.value : undefined;
};

interface Candidate {
  readonly value: number;
  readonly attained: boolean;
  readonly at: Extended | readonly [Extended, Extended];
  /** A numeric limit, known to its resolution only. */
  readonly approximate?: boolean;
}

const near = (a: number, b: number): boolean => a === b || (Number.isFinite(a) && Number.isFinite(b) && Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a), Math.abs(b)));
const SMOOTHNESS_ORDERS = 4;
const MAX_EXTREMA = 20;
const MOMENT_STEP = 1 / 256;
const SNAP = { snapToZero: true } as const;

class Analysis {
  private readonly x: string;
  private readonly notes: string[] = [];
  private readonly constantRegion: boolean[];
  private readonly tails: { readonly left: Tail; readonly right: Tail };
  private readonly bps: Breakpoint[];
  private readonly fZeros: { changes: SignChange[]; signs: Set<number> }[];
  private readonly fCertificate: Certificate;

  constructor(readonly activation: Activation, readonly b: Bound) {
    this.x = b.variable;
    this.constantRegion = b.regions.map((r) => r.derivative(1) === ZERO);
    this.tails = { left: this.tailWithin(b.regions[0]!, -1, 0), right: this.tailWithin(b.regions.at(-1)!, 1, b.regions.length - 1) };
    this.bps = b.exactBreakpoints.map((q, i) => this.breakpoint(q, b.regions[i]!, b.regions[i + 1]!));
    this.fCertificate = certifySigns(b.regions, 1, this.constantRegion, provedLimit);
    if (this.fCertificate.cut !== undefined) this.notes.push(`the interval certificate of f′'s sign was not finished (${this.fCertificate.cut}): monotonicity, extrema and range are numeric observations`);
    this.fZeros = zerosOf(b.regions, 1, this.constantRegion, this.fCertificate);
  }

  /** f within the budget; past it, the fallback for the reason, and a note that `what` is not established. */
  private within<T>(what: string, f: () => T, fallback: (reason: string) => T): T {
    try {
      return f();
    } catch (err) {
      if (!(err instanceof BudgetExceeded)) throw err;
      const reason = budgetReason(err.budget);
      this.notes.push(`${what}: not established (${reason})`);
      return fallback(reason);
    }
  }

  /** The tail, or past the budget one that knows no limit (range and saturation there unknown). */
  private tailWithin(region: Region, side: 1 | -1, index: number): Tail {
    const where = side < 0 ? "−∞" : "+∞";
    return this.within(`the limits of f and f′ as x → ${where}`, () => this.tail(region, side, index), (reason) => ({
      side, region, constant: this.constantRegion[index]!,
      asymptote: { kind: "none", limit: null, text: `not established as x → ${where} (${reason})` },
    }));
  }

  sheet(): PropertySheet {
    const b = this.b;
    const f0 = valueAt(b.f, this.x, Q.ZERO, SNAP);
    const df0 = valueAt(b.df, this.x, Q.ZERO, SNAP);
    const pointMethod = (v: { exact: boolean }, what: string): Method => v.exact
      ? { kind: "symbolic", detail: `${what} by exact substitution` }
      : { kind: "numeric", detail: `${what} evaluated at 60 significant digits` };

    const extrema = this.extrema();
    const range = this.range(extrema);
    const monotone = this.monotonicity();
    const symmetry = this.within("symmetry", () => this.symmetry(f0.value), (reason): { value: Symmetry; method: Method } => ({
      value: null, method: { kind: "numeric", detail: `f(−x) against −f(x), f(x) and 2·f(0) − f(x): not established (${reason})`, undecided: reason },
    }));
    const { zones: deadZones, closed: deadZoneClosed } = this.deadZones();
    const saturation = { left: this.saturation(this.tails.left, deadZones), right: this.saturation(this.tails.right, deadZones) };
    const smoothnessClass = this.bps.reduce<SmoothnessClass>((c, bp) => weakest(c, bp.class), "Cinf");
    const continuous = smoothnessClass !== "discontinuous";
    const { value: maxAbsGrad, method: maxAbsGradMethod } = this.maxAbsGrad();
    const opCount = this.opCount();
    const moments = this.moments();
    const zeroCentred = f0.value === 0 && range.inf < 0 && range.sup > 0;
    const polynomial = this.polynomial(range, smoothnessClass);
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

    const scanned = this.constantRegion.some((c) => !c);
    const fScanMethod: Method = this.fCertificate.complete
      ? { kind: certificateKind(this.fCertificate), detail: `sign of f′ on every region by ${certificateDescription(this.fCertificate)}; zeros of f′ by bisection to adjacent doubles` }
      : { kind: "numeric", detail: `sign changes of f′ on each branch: ${scanDescription()}`, resolution: SCAN.step, window: [-SCAN.far, SCAN.far] };
    const tailHow = [this.tails.left.f?.how, this.tails.right.f?.how].filter((h) => h !== undefined).join(" / ");
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
        kind: limitKind([this.tails.left.df?.how, this.tails.right.df?.how]),
        detail: "hard: the outermost branch has derivative identically 0 (c is where that constant piece begins); soft: lim f′ = 0 at that side (" +
          [this.tails.left.df?.how, this.tails.right.df?.how].filter((h) => h).join(" / ") + ")" +
          (limitKind([this.tails.left.df?.how, this.tails.right.df?.how]) === "numeric" ? `; ${NUMERIC_LIMIT}` : ""),
      },
      maxAbsGrad: maxAbsGradMethod,
      deadZone: { kind: "symbolic", detail: "branches whose derivative simplifies to 0, merged across breakpoints where f is continuous and f′ = 0; an end belongs to the zone when f′ there (the definition's convention at the kink, by exact substitution or 60 digits) is 0" },
      smoothness: this.bps.length === 0
        ? { kind: "symbolic", detail: "no breakpoints: f is one composition of analytic functions" }
        : { kind: "symbolic", detail: `one-sided limits of f, f′, …, f⁽${SMOOTHNESS_ORDERS}⁾ at each breakpoint from the adjacent branches, exact by substitution or at 60 digits; C∞ only when the branches are proved equal` },
      lipschitz: { kind: "derived", detail: continuous ? "sup |f′| of a continuous f" : "f jumps, so no Lipschitz constant", from: ["maxAbsGrad", "smoothness"] },
      asymptotes: (() => {
        const hows = [this.tails.left, this.tails.right].flatMap((t) => [t.f?.how, t.df?.how, t.intercept?.how]);
        const sides = [this.tails.left, this.tails.right].map((t) => `${t.side < 0 ? "−∞" : "+∞"}: ${t.f?.how ?? "not found"}${t.intercept ? `, intercept ${t.intercept.how}` : ""}`);
        return { kind: limitKind(hows), detail: `limits of f, f′ and of the intercept (f − m·x for a slope m found exactly, else the tangent's f − x·f′) on the outermost branches (${sides.join(", ")})${hows.includes("numeric") ? `; ${NUMERIC_LIMIT}` : ""}` };
      })(),
      opCount: { kind: "symbolic", detail: "operations on the DAG of f and of its textbook derivative, shared subexpressions once (see OpBreakdown)" },
      universalApproximation: { kind: "derived", detail: `Cybenko: non-constant, bounded, monotone increasing, continuous; Leshno: continuous and not a polynomial (${polynomial.how})`, from: ["range", "monotonic", "smoothness"] },
      meanUnderNormal: { kind: "numeric", detail: "Simpson's rule for E f(Z), E f(Z)², Z ~ N(0, 1), on [-12, 12] split at the breakpoints, spacing ≤ 1/256; rounded to 1e-12 of max(1, rms), Simpson's error bound here", resolution: MOMENT_STEP, window: [-12, 12] },
    };

    return {
      name: this.activation.name,
      definition: this.activation.toString(),
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
      smoothness: { class: smoothnessClass, breakpoints: this.bps },
      lipschitz: continuous ? maxAbsGrad.value : Infinity,
      asymptotes: { left: this.tails.left.asymptote, right: this.tails.right.asymptote },
      opCount,
      universalApproximation,
      meanUnderNormal: moments,
      checklist: this.checklist({ range, maxAbsGrad, deadZones, moments, saturation, smoothnessClass, opCount }),
      method,
      notes: this.notes,
    };
  }

  // --- tails and asymptotes ------------------------------------------------------------------

  private tail(region: Region, side: 1 | -1, index: number): Tail {
    const constant = this.constantRegion[index]!;
    const f = snapNumeric(limitAtInfinity(region.branch, this.x, side));
    const df = snapNumeric(limitAtInfinity(region.derivative(1), this.x, side));
    const dfNoLimit = df === undefined ? noLimitReason(region.derivative(1), this.x, side) : undefined;
    const where = side < 0 ? "−∞" : "+∞";
    let asymptote: Asymptote;
    let intercept: Limit | undefined;
    if (f === undefined) {
      const none = noLimitReason(region.branch, this.x, side);
      asymptote = { kind: "none", limit: null, text: none !== undefined ? `no limit as x → ${where} (proved: ${none})` : `no limit found as x → ${where}` };
      if (none === undefined) this.notes.push(`the limit of f as x → ${where} was not found; range and saturation there are unknown`);
    } else if (Number.isFinite(f.value)) {
      asymptote = { kind: "horizontal", value: f.value, text: `f → ${limitText(f)}` };
    } else if (df === undefined || df.value === 0 || !Number.isFinite(df.value)) {
      const growth = df === undefined ? "" : df.value === 0 ? ", slower than linearly" : ", faster than linearly";
      asymptote = { kind: "none", limit: f.value, text: `f → ${f.value > 0 ? "+∞" : "-∞"}${growth}` };
    } else {
      const b = (intercept = this.intercept(region, side, df));
      const approximate = b !== undefined && (b.how === "numeric" || df.how === "numeric");
      asymptote = b !== undefined && Number.isFinite(b.value)
        ? { kind: "linear", slope: df.value, intercept: b.value, text: `f ~ ${approximate ? approximateLinear(df.value, b.value) : linear(df.value, b.value)}`, ...(approximate && { approximate: true }) }
        : { kind: "none", limit: f.value, text: `f → ${f.value > 0 ? "+∞" : "-∞"} with slope → ${fmt(df.value)}, no finite intercept` };
    }
    return { side, region, constant, ...(f && { f }), ...(df && { df }), ...(dfNoLimit !== undefined && { dfNoLimit }), ...(intercept && { intercept }), asymptote };
  }

  /**
   * The intercept b of f ~ m·x + b: lim (f − m·x) when m is a short dyadic number (1, 1/2: the
   * double is the exact slope) and that limit is found, which also confirms m (with a wrong m,
   * f − m·x would diverge); else the limit of the tangent's intercept f − x·f′.
   */
  private intercept(region: Region, side: 1 | -1, slope: Limit): Limit | undefined {
    const m = slope.value;
    if (slope.how !== "numeric" && Number.isInteger(m * 1024) && Math.abs(m) <= 2 ** 20) {
      const direct = limitAtInfinity(simplify(sub(region.branch, mul(num(Q.fromNumber(m)), sym(this.x)))), this.x, side);
      if (direct !== undefined && direct.how !== "numeric" && Number.isFinite(direct.value)) return snapNumeric(direct);
    }
    return snapNumeric(interceptLimit(region.branch, region.derivative(1), this.x, side));
  }

  // --- breakpoints ---------------------------------------------------------------------------

  private breakpoint(q: Q.Rational, left: Region, right: Region): Breakpoint {
    const x = this.x;
    const value = valueAt(this.b.f, x, q, SNAP).value;
    const leftValue = valueAt(left.branch, x, q, SNAP).value;
    const rightValue = valueAt(right.branch, x, q, SNAP).value;
    const continuous = (sameAt(left.branch, right.branch, x, q) && sameAt(this.b.f, left.branch, x, q)) || crossesNear(left.branch, right.branch, x, q);
    const leftDerivative = valueAt(left.derivative(1), x, q, SNAP).value;
    const rightDerivative = valueAt(right.derivative(1), x, q, SNAP).value;
    let cls: SmoothnessClass = "discontinuous";
    if (continuous) {
      cls = `C${SMOOTHNESS_ORDERS}`;
      for (let k = 1; k <= SMOOTHNESS_ORDERS; k++) {
        if (!sameAt(left.derivative(k), right.derivative(k), x, q)) {
          cls = `C${k - 1}`;
          break;
        }
      }
      if (cls === `C${SMOOTHNESS_ORDERS}`) {
        const equal = this.within(`whether the branches at x = ${Q.toString(q)} are one function (C∞)`, () => decideEquality(left.branch, right.branch).verdict === "proved-equal", () => false);
        if (equal) cls = "Cinf";
        else this.notes.push(`at x = ${Q.toString(q)} the one-sided derivatives agree through order ${SMOOTHNESS_ORDERS}; higher orders were not compared`);
      }
    }
    return { x: Q.toNumber(q), value, leftValue, rightValue, continuous, leftDerivative, rightDerivative, class: cls };
  }

  // --- extrema, range, monotonicity ----------------------------------------------------------

  private extrema(): Extremum[] {
    const out: Extremum[] = [];
    this.b.regions.forEach((r, i) => {
      for (const c of this.fZeros[i]!.changes) {
        out.push({ x: c.x, value: valueAt(r.branch, this.x, Q.fromNumber(c.x)).value, kind: c.from > 0 ? "max" : "min" });
      }
    });
    // At a kink f′ may change sign without passing through 0: |x| at 0.
    this.bps.forEach((bp, i) => {
      if (!bp.continuous) return;
      const before = this.sideSign(i, -1);
      const after = this.sideSign(i + 1, 1);
      if (before * after < 0) out.push({ x: bp.x, value: bp.value, kind: before < 0 ? "min" : "max" });
    });
    out.sort((a, b) => a.x - b.x);
    if (out.length <= MAX_EXTREMA) return out;
    this.notes.push(`f has ${out.length} local extrema in the scanned range (oscillating?); the ${MAX_EXTREMA} nearest to 0 are listed`);
    return [...out].sort((a, b) => Math.abs(a.x) - Math.abs(b.x)).slice(0, MAX_EXTREMA).sort((a, b) => a.x - b.x);
  }

  /** The sign of f′ on region i next to its boundary (side −1: at its right end, seen from a breakpoint on its right). */
  private sideSign(i: number, from: 1 | -1): number {
    if (this.constantRegion[i]) return 0;
    const r = this.b.regions[i]!;
    const edge = from < 0 ? r.hi : r.lo;
    const bp = this.bps.find((p) => p.x === edge);
    // The one-sided derivative at the breakpoint (60 digits), when it is not 0, has the sign f′
    // has next to it; when it is 0 (pau's right side at 0), the certificate's proved sign of the
    // piece next to the edge decides, and without a certificate the scan, a little way inside.
    const v = bp ? (from < 0 ? bp.leftDerivative : bp.rightDerivative) : NaN;
    if (v !== 0 && !Number.isNaN(v)) return Math.sign(v);
    const certified = this.fCertificate.regions[i];
    if (certified !== undefined) return certified.ends[from < 0 ? 1 : 0];
    const delta = 1e-7 * Math.max(1, Math.abs(edge));
    return Math.sign(r.numeric(1)(edge + from * delta));
  }

  private range(extrema: readonly Extremum[]): Range {
    const candidates: Candidate[] = [];
    // A constant tail is attained (below, with the constant branches); another one only approached.
    for (const t of [this.tails.left, this.tails.right]) {
      if (!t.constant && t.f !== undefined) candidates.push({ value: t.f.value, attained: false, at: t.side * Infinity, approximate: t.f.how === "numeric" && Number.isFinite(t.f.value) });
    }
    this.b.regions.forEach((r, i) => {
      if (this.constantRegion[i]) candidates.push({ value: valueAt(r.branch, this.x, Q.fromNumber(r.sample)).value, attained: true, at: r.sample });
    });
    for (const bp of this.bps) {
      candidates.push({ value: bp.value, attained: true, at: bp.x });
      candidates.push({ value: bp.leftValue, attained: near(bp.leftValue, bp.value), at: bp.x });
      candidates.push({ value: bp.rightValue, attained: near(bp.rightValue, bp.value), at: bp.x });
    }
    for (const e of extrema) candidates.push({ value: e.value, attained: true, at: e.x });
    const values = candidates.map((c) => c.value).filter((v) => !Number.isNaN(v));
    // (+ 0: a bound of −0 reads as 0)
    const inf = Math.min(...values) + 0;
    const sup = Math.max(...values) + 0;
    const approximate = (v: number): boolean => !candidates.some((c) => !c.approximate && near(c.value, v)) && candidates.some((c) => c.approximate && near(c.value, v));
    return {
      inf, sup,
      infAttained: candidates.some((c) => c.attained && near(c.value, inf)),
      supAttained: candidates.some((c) => c.attained && near(c.value, sup)),
      boundedBelow: Number.isFinite(inf),
      boundedAbove: Number.isFinite(sup),
      ...(approximate(inf) && { infApproximate: true }),
      ...(approximate(sup) && { supApproximate: true }),
    };
  }

  private monotonicity(): { monotonic: boolean; direction: "increasing" | "decreasing" | null } {
    const signs = new Set<number>();
    this.fZeros.forEach((z) => z.signs.forEach((s) => signs.add(s)));
    // At a jump (or a removable point, x == 0 ? 1 : x) the steps into and out of f(b) count too.
    for (const bp of this.bps) {
      if (!bp.continuous) signs.add(Math.sign(bp.value - bp.leftValue)).add(Math.sign(bp.rightValue - bp.value));
    }
    signs.delete(0);
    if (signs.size > 1) return { monotonic: false, direction: null };
    if (signs.size === 0) {
      this.notes.push("f is constant: monotonic in both directions");
      return { monotonic: true, direction: null };
    }
    return { monotonic: true, direction: signs.has(1) ? "increasing" : "decreasing" };
  }

  // --- symmetry ------------------------------------------------------------------------------

  private symmetry(f0: number): { value: Symmetry; method: Method } {
    const f = this.b.f;
    // Through a fresh name: substitute() rewrites a node that folds back to a bare x again, so
    // x → −x straight away would turn −x into −x instead of x (see the report on src/ast/walk.ts).
    const fresh = `${this.x}\u0000mirror`;
    const renamed = substitute(f, new Map([[this.x, sym(fresh)]]));
    const mirrored = simplify(substitute(renamed, new Map([[fresh, neg(sym(this.x))]])));
    const f0Expr = simplify(substitute(f, new Map([[this.x, num(Q.ZERO)]])));
    const tests: [Symmetry, Expr][] = [["odd", simplify(neg(f))], ["even", f]];
    if (f0 !== 0 && Number.isFinite(f0)) tests.push([{ point: [0, f0] }, simplify(sub(mul(num(Q.fromInteger(2)), f0Expr), f))]);
    const tried: string[] = [];
    let numeric = false;
    let undecided: string | undefined;
    for (const [claim, target] of tests) {
      const name = typeof claim === "string" ? claim : `point-symmetric about (0, ${fmt(f0)})`;
      const decision = decideEquality(mirrored, target);
      if (decision.verdict === "proved-equal") return { value: claim, method: { kind: "symbolic", detail: `${name}: f(−x) = ${print(target)} proved by the exp-rational decision procedure; ${tried.join("; ")}`.replace(/; $/, "") } };
      if (decision.verdict === "proved-different") {
        tried.push(`not ${name} (proved)`);
        continue;
      }
      const check = verifyEquality(mirrored, target);
      if (check.status === "holds") {
        return { value: claim, method: { kind: check.method, detail: `${name}: f(−x) = ${print(target)}, ${check.detail}` } };
      }
      numeric ||= check.method === "numeric";
      if (check.status === "undecided") {
        // Neither shown nor refuted (the budget ran out, or no point could be compared): open.
        const spent = check.evidence.budgetExceeded;
        const why = spent !== undefined ? budgetReason({ ms: spent, origin: "" }) : check.detail;
        if (spent !== undefined) undecided ??= why;
        tried.push(`${name}: not established (${why})`);
        continue;
      }
      tried.push(`not ${name} (${check.method === "numeric" ? `differs at ${Object.entries(check.counterexample?.at ?? {}).map(([k, v]) => `${k} = ${v}`).join(", ")}, at 40 significant digits` : "refuted"})`);
    }
    return { value: null, method: { kind: numeric ? "numeric" : "symbolic", detail: `f(−x) against −f(x), f(x) and 2·f(0) − f(x): ${tried.join("; ")}; centres off the y-axis are not searched`, ...(undecided !== undefined && { undecided }) } };
  }

  // --- dead zones and saturation -------------------------------------------------------------

  private deadZones(): { zones: [Extended, Extended][]; closed: [boolean, boolean][] } {
    const zones: [Extended, Extended][] = [];
    const closed: [boolean, boolean][] = [];
    // An end is in the zone when f′ there, by the definition's own convention at the kink, is 0
    // (relu: f′(0) = 0, so (−∞, 0]); clip's f′(−1) = 1, so its zone is (−∞, −1).
    const zeroAt = (x: number): boolean => {
      const i = this.b.breakpoints.indexOf(x);
      return i >= 0 && valueAt(this.b.df, this.x, this.b.exactBreakpoints[i]!, SNAP).value === 0;
    };
    this.b.regions.forEach((r, i) => {
      if (!this.constantRegion[i]) return;
      const last = zones.at(-1);
      const bp = this.bps[i - 1];
      if (last !== undefined && last[1] === r.lo && bp?.continuous && zeroAt(r.lo)) {
        last[1] = r.hi;
        closed.at(-1)![1] = zeroAt(r.hi);
      } else {
        zones.push([r.lo, r.hi]);
        closed.push([zeroAt(r.lo), zeroAt(r.hi)]);
      }
    });
    return { zones, closed };
  }

  private saturation(t: Tail, zones: readonly [Extended, Extended][]): SideSaturation {
    if (t.constant) {
      const zone = t.side < 0 ? zones[0]! : zones.at(-1)!;
      return { kind: "hard", c: t.side < 0 ? zone[1] : zone[0] };
    }
    if (t.df === undefined) return { kind: "none" };
    return t.df.value === 0 ? { kind: "soft" } : { kind: "none" };
  }

  // --- the largest slope ---------------------------------------------------------------------

  private maxAbsGrad(): { value: MaxAbsGrad; method: Method } {
    const candidates: Candidate[] = [];
    let scanned = false;
    const flat = this.b.regions.map((r) => r.derivative(2) === ZERO);
    const certificate = certifySigns(this.b.regions, 2, flat, provedLimit);
    if (certificate.cut !== undefined) this.notes.push(`the interval certificate of f″'s sign was not finished (${certificate.cut}): max |f′| is a numeric observation`);
    const zeros = zerosOf(this.b.regions, 2, flat, certificate);
    for (const t of [this.tails.left, this.tails.right]) {
      if (t.df !== undefined) candidates.push({ value: Math.abs(t.df.value), attained: false, at: t.side * Infinity });
      else if (t.dfNoLimit !== undefined) this.notes.push(`f′ has no limit as x → ${t.side < 0 ? "−∞" : "+∞"} (proved: ${t.dfNoLimit}); max |f′| covers the scanned window only`);
      else this.notes.push(`the limit of f′ as x → ${t.side < 0 ? "−∞" : "+∞"} was not found; max |f′| covers the scanned window only`);
    }
    this.b.regions.forEach((r, i) => {
      if (r.derivative(2) === ZERO) {
        candidates.push({ value: Math.abs(valueAt(r.derivative(1), this.x, Q.fromNumber(r.sample)).value), attained: true, at: [r.lo, r.hi] });
        return;
      }
      scanned = true;
      for (const c of zeros[i]!.changes) {
        candidates.push({ value: Math.abs(valueAt(r.derivative(1), this.x, Q.fromNumber(c.x)).value), attained: true, at: c.x });
      }
    });
    this.bps.forEach((bp, i) => {
      const convention = Math.abs(valueAt(this.b.df, this.x, this.b.exactBreakpoints[i]!).value);
      for (const v of [Math.abs(bp.leftDerivative), Math.abs(bp.rightDerivative)]) candidates.push({ value: v, attained: near(v, convention), at: bp.x });
    });
    const valid = candidates.filter((c) => !Number.isNaN(c.value));
    const value = Math.max(...valid.map((c) => c.value));
    const best = valid.filter((c) => near(c.value, value));
    const rank = (c: Candidate): number => (c.attained ? (Array.isArray(c.at) ? 0 : 1) : 2);
    const chosen = best.sort((a, b) => rank(a) - rank(b))[0]!;
    const method: Method = !scanned
      ? { kind: "symbolic", detail: "f′ is constant on every branch: the largest |f′| among the branches and the limits at ±∞" }
      : certificate.complete
        ? { kind: certificateKind(certificate), detail: `sign of f″ on every branch by ${certificateDescription(certificate)}; zeros of f″ by bisection; |f′| there at 60 digits, with the one-sided limits at breakpoints and the limits at ±∞` }
        : { kind: "numeric", detail: `zeros of f″ on each branch (${scanDescription()}), |f′| there at 60 digits, with the one-sided limits at breakpoints and the limits at ±∞`, resolution: SCAN.step, window: [-SCAN.far, SCAN.far] };
    return { value: { value, at: chosen.at, attained: best.some((c) => c.attained) }, method };
  }

  /** Why neither side passes the gradient undiminished, side by side, saying only what is known. */
  private noPassingTail(): string {
    const sides = [this.tails.left, this.tails.right].map((t) => {
      const where = t.side < 0 ? "x → −∞" : "x → +∞";
      if (t.df !== undefined) return `|f′| → ${t.df.how === "numeric" ? "≈ " : ""}${fmt(Math.abs(t.df.value))} as ${where}`;
      if (t.dfNoLimit !== undefined) return `f′ has no limit as ${where} (${t.dfNoLimit})`;
      return `the limit of f′ as ${where} was not found`;
    });
    return sides.join("; ");
  }

  // --- cost, moments, polynomial -------------------------------------------------------------

  private opCount(): PropertySheet["opCount"] {
    const f = this.activation.expr;
    const df = this.activation.derivative().expr;
    const detail = { f: countOps([f]), df: countOps([df]), both: countOps([f, df]) };
    return { f: detail.f.total, df: detail.df.total, both: detail.both.total, detail };
  }

  private moments(): { mean: number; rms: number } {
    const phi = (t: number): number => Math.exp(-t * t / 2) / Math.sqrt(2 * Math.PI);
    const edges = [-12, ...this.b.breakpoints.filter((p) => p > -12 && p < 12), 12];
    let mean = 0;
    let square = 0;
    for (let i = 0; i + 1 < edges.length; i++) {
      const [a, b] = [edges[i]!, edges[i + 1]!];
      if (!(b > a)) continue;
      const m = (a + b) / 2;
      // The region holding the interval. Breakpoints are rounded to doubles, and two that round
      // near each other (3.072 from x < 3.072 and from where the clip begins) leave an interval
      // between two regions' bounds as rounded: the region nearest its midpoint is the one.
      const distance = (r: Region): number => (m < r.lo ? r.lo - m : m > r.hi ? m - r.hi : 0);
      const region = this.b.regions.reduce((best, r) => (distance(r) < distance(best) ? r : best));
      const g = region.numeric(0);
      mean += simpson((t) => g(t) * phi(t), a, b, MOMENT_STEP);
      square += simpson((t) => g(t) ** 2 * phi(t), a, b, MOMENT_STEP);
    }
    // Simpson's error here is below 1e-12 of the scale: digits beyond are noise (clip's mean came
    // out as −1.9e-16), so both are rounded to that absolute resolution.
    const rms = Math.sqrt(square);
    const resolution = 1e-12 * Math.max(1, rms);
    const snap = (v: number): number => round(Math.round(v / resolution) * resolution, 12) + 0;
    return { mean: snap(mean), rms: snap(rms) };
  }

  /** Whether f is a polynomial, and how that was decided. */
  private polynomial(range: Range, cls: SmoothnessClass): { value: boolean; how: string } {
    if (cls !== "Cinf") return { value: false, how: "not C∞ at a breakpoint, which no polynomial is" };
    const branch = this.b.regions[0]!.branch;
    if (this.b.regions.every((r) => r.branch === branch) && isPolynomial(branch, this.x)) return { value: true, how: "f is structurally a polynomial" };
    if (range.inf < range.sup && (Number.isFinite(this.tails.left.f?.value ?? NaN) || Number.isFinite(this.tails.right.f?.value ?? NaN))) {
      return { value: false, how: "non-constant with a finite limit at ±∞, which no polynomial has" };
    }
    const linearTail = [this.tails.left, this.tails.right].find((t) => t.asymptote.kind === "linear");
    if (linearTail !== undefined && this.b.regions.some((r) => r.derivative(2) !== ZERO)) {
      return { value: false, how: "a linear asymptote without being affine (f″ is not identically 0), which no polynomial has" };
    }
    return { value: !this.b.regions.some((r) => !isPolynomial(r.branch, this.x)), how: "by the structure of the formula (a polynomial in disguise would be missed)" };
  }

  // --- the survey's checklist ----------------------------------------------------------------

  private checklist(p: {
    range: Range; maxAbsGrad: MaxAbsGrad; deadZones: readonly unknown[]; moments: { mean: number; rms: number };
    saturation: { left: SideSaturation; right: SideSaturation }; smoothnessClass: SmoothnessClass; opCount: PropertySheet["opCount"];
  }): Checklist {
    const derived = (from: PropertyKey[], detail: string): Method => ({ kind: "derived", detail, from });
    const item = (value: boolean, reason: string, method: Method): ChecklistItem => ({ value, reason, method });
    const affine = this.b.regions.every((r) => r.derivative(2) === ZERO) && (p.smoothnessClass === "Cinf" || /^C[1-9]/.test(p.smoothnessClass));
    const passing = [this.tails.left, this.tails.right].filter((t) => t.df !== undefined && Math.abs(t.df.value) >= 1);
    const sides = (ts: readonly Tail[]): string => ts.map((t) => (t.side < 0 ? "x → −∞" : "x → +∞")).join(" and ");
    const zeroBranches = this.b.regions.filter((r) => r.branch === ZERO);
    const { mean, rms } = p.moments;
    const ops = p.opCount.detail;
    const soft = (["left", "right"] as const).filter((s) => p.saturation[s].kind === "soft");
    return {
      nonLinear: item(!affine, affine ? "f is affine: every branch has f″ = 0 and f′ does not jump" : "f is not affine", { kind: "symbolic", detail: "f″ of every branch, and the jumps of f′ at breakpoints" }),
      differentiableAlmostEverywhere: item(true, this.bps.length === 0 ? "differentiable everywhere" : `differentiable except at ${this.bps.length} breakpoint${this.bps.length > 1 ? "s" : ""} (${this.bps.map((b) => fmt(b.x)).join(", ")})`, { kind: "symbolic", detail: "the breakpoints are finitely many; each branch is differentiable" }),
      mitigatesVanishingGradient: item(passing.length > 0, passing.length > 0 ? `|f′| → ${passing.map((t) => fmt(Math.abs(t.df!.value))).join(", ")} as ${sides(passing)}: the gradient passes undiminished there` : this.noPassingTail(), derived(["asymptotes"], "lim |f′| ≥ 1 as x → −∞ or +∞")),
      avoidsExplodingGradient: item(p.maxAbsGrad.value <= 1 + 1e-12, `max |f′| = ${fmt(p.maxAbsGrad.value)}`, derived(["maxAbsGrad"], "max |f′| ≤ 1")),
      avoidsDeadNeurons: item(p.deadZones.length === 0, p.deadZones.length === 0 ? "f′ vanishes on no interval" : "f′ = 0 on a dead zone", derived(["deadZone"], "no dead zone")),
      nearZeroMean: item(Math.abs(mean) <= rms / 4, `E f(Z) = ${fmt(mean)}, √E f(Z)² = ${fmt(rms)} for Z ~ N(0, 1)`, derived(["meanUnderNormal"], "|E f(Z)| ≤ ¼·√E f(Z)²")),
      bothSigns: item(p.range.inf < 0 && p.range.sup > 0, `range from ${fmt(p.range.inf)} to ${fmt(p.range.sup)}`, derived(["range"], "inf < 0 < sup")),
      sparse: item(zeroBranches.length > 0, zeroBranches.length > 0 ? `f = 0 exactly on ${zeroBranches.map((r) => interval(r.lo, r.hi)).join(", ")}` : "f = 0 on no interval", { kind: "symbolic", detail: "branches that simplify to 0" }),
      softSaturation: item(soft.length > 0, soft.length > 0 ? `soft saturation on the ${soft.join(" and ")}` : "no soft saturation", derived(["saturation"], "soft saturation on some side")),
      cheap: item(ops.f.transcendental + ops.df.transcendental === 0,
        `f: ${ops.f.total} operations (${ops.f.transcendental} transcendental); f′: ${ops.df.total} (${ops.df.transcendental} transcendental)`,
        derived(["opCount"], "no transcendental call in f or f′")),
    };
  }
}

// ---------------------------------------------------------------------------------------------

/** Limits by dominant terms, composition or L'Hôpital are symbolic; one numeric fallback makes the property numeric. */
const limitKind = (hows: readonly (LimitHow | undefined)[]): Method["kind"] => (hows.includes("numeric") ? "numeric" : "symbolic");

/**
 * Sign changes of the order-th derivative per region, and the signs it takes there: from the
 * certificate where it resolved the region, else from the scan.
 */
function zerosOf(regions: readonly Region[], order: number, skip: readonly boolean[], certificate: Certificate): { changes: SignChange[]; signs: Set<number> }[] {
  return regions.map((r, i) => {
    if (skip[i]) return { changes: [], signs: new Set() };
    // A region the certificate resolved is proved even when another one was not.
    const certified = certificate.regions[i];
    if (certified !== undefined) {
      const signs = new Set<number>(certified.sign !== 0 ? [certified.sign] : [1, -1]);
      return { changes: [...certified.zeros], signs };
    }
    const scan = signChanges(r.numeric(order), r.lo, r.hi, r.preciseSign(order));
    return { changes: [...scan.changes], signs: new Set(scan.signs) };
  });
}

/**
 * Whether two branches cross within a few ulps of q: where two branches of max(x/4, σ(x)) meet
 * at an irrational point, the breakpoint is the nearest double and the branches differ there by
 * ~1e-17. Their difference changing sign across [q − 4 ulp, q + 4 ulp] (signs at 60 digits) proves
 * that they are equal at a point in it, so f, continuous on each side, is continuous there.
 */
function crossesNear(e1: Expr, e2: Expr, variable: string, q: Q.Rational): boolean {
  const x = Q.toNumber(q);
  const ulp = Math.max(Number.MIN_VALUE, Math.abs(x) * Number.EPSILON);
  const difference = simplify(sub(e1, e2));
  const sign = (at: number): number => Math.sign(valueAt(difference, variable, Q.fromNumber(at)).value);
  const [a, b] = [sign(x - 4 * ulp), sign(x + 4 * ulp)];
  return a !== 0 && b !== 0 && !Number.isNaN(a) && !Number.isNaN(b) && a !== b;
}

const CLASS_ORDER = (c: SmoothnessClass): number => (c === "discontinuous" ? -1 : c === "Cinf" ? Infinity : Number(c.slice(1)));
const weakest = (a: SmoothnessClass, b: SmoothnessClass): SmoothnessClass => (CLASS_ORDER(a) <= CLASS_ORDER(b) ? a : b);

function isPolynomial(e: Expr, variable: string): boolean {
  return postorder(e).every((n) => {
    switch (n.kind) {
      case "num": case "const": case "add": case "mul": return true;
      case "sym": return true;
      case "pow": return n.exponent.kind === "num" && Q.isInteger(n.exponent.value) && !Q.isNegative(n.exponent.value);
      default: return !postorder(n).some((m) => m.kind === "sym" && m.name === variable);
    }
  });
}

const round = (v: number, digits: number): number => Number(v.toPrecision(digits));

/** A number for prose: up to 7 significant digits, ±∞ as symbols. */
export function fmt(v: number): string {
  if (v === Infinity) return "+∞";
  if (v === -Infinity) return "-∞";
  if (Number.isNaN(v)) return "?";
  const s = Number(v.toPrecision(7)).toString();
  return s === "-0" ? "0" : s;
}

/**
 * A numeric limit is the value at x = ±10¹² once it has settled to 1e-9: below that it cannot
 * tell a small number from 0 (√(x² + 1) − x at 10¹² is 5e-13), so it is 0 there — and printed
 * with "≈", as every numeric limit is.
 */
function snapNumeric(l: Limit | undefined): Limit | undefined {
  if (l === undefined) return l;
  // (+ 0: a limit of −0, from −x·0, reads as 0)
  if (l.how !== "numeric" || !Number.isFinite(l.value)) return { ...l, value: l.value + 0 };
  return { ...l, value: Math.abs(l.value) < NUMERIC_RESOLUTION ? 0 : l.value };
}
const NUMERIC_RESOLUTION = 1e-9;

function limitText(l: Limit): string {
  return l.how === "numeric" ? `≈ ${fmt(l.value)} (numeric, to 1e-9)` : fmt(l.value);
}

function approximateLinear(slope: number, intercept: number): string {
  const s = slope === 1 ? "x" : slope === -1 ? "-x" : `${fmt(slope)}·x`;
  return `≈ ${s}${Math.abs(intercept) < NUMERIC_RESOLUTION ? "" : ` ${intercept < 0 ? "-" : "+"} ${fmt(Math.abs(intercept))}`} (numeric, to 1e-9)`;
}

function linear(slope: number, intercept: number): string {
  const s = slope === 1 ? "x" : slope === -1 ? "-x" : `${fmt(slope)}·x`;
  if (intercept === 0) return s;
  return `${s} ${intercept < 0 ? "-" : "+"} ${fmt(Math.abs(intercept))}`;
}

function interval(lo: number, hi: number): string {
  return `(${fmt(lo)}, ${fmt(hi)})`;
}
