import { mul, ZERO } from "../ast/build.js";
import type { Expr } from "../ast/nodes.js";
import { print } from "../ast/print.js";
import * as Q from "../ast/rational.js";
import { freeSymbols, substitute } from "../ast/walk.js";
import { Activation } from "../api/activation.js";
import { diff } from "../diff/diff.js";
import { fail } from "../errors.js";
import { evaluateBig, evaluateFloat } from "../numeric/evaluate.js";
import { simplify } from "../simplify/simplify.js";
import { verifyEquality, type VerifyResult } from "../verify/verify.js";
import { analyze } from "./analyze.js";
import { fmt } from "./format.js";
import type {
  Factor, GateSide, Monotonicity, MultiMethod, Observed, RangeEnd, SeveralInputsSheet, SeveralKey,
} from "./multi-types.js";
import { bindParams } from "./params.js";
import { uniforms } from "./samples.js";
import type { AnalyzeOptions, Extended, Method, PropertySheet, SideSaturation } from "./types.js";
import { nameRecord } from "../ast/records.js";

/**
 * The property sheet of a function of several scalar inputs (glu(a, b) = a·σ(b)). What can be
 * proved is proved by splitting f into a constant and one factor per input,
 *   f(x₁, …, xₙ) = c · g₁(x₁) · … · gₙ(xₙ),
 * when the textbook form is such a product (glu, swiglu, geglu are): each gₖ is then a function
 * of one input with a property sheet of its own (analyze()), and what f does in each input with
 * the others fixed follows from it — its range is the product of the factors' ranges, it is
 * monotone in xₖ exactly when gₖ is (in the direction of the sign of the rest), its partial
 * derivative ∂f/∂xₖ = c·gₖ′(xₖ)·∏ g vanishes where gₖ saturates, and a factor that tends to 0
 * closes the gate: f and its whole gradient vanish. Linearity in an input is ∂²f/∂xₖ² = 0,
 * decided by the verifier. A function that is not such a product gets what the verifier decides
 * and what samples show, labelled as observations.
 */
export function analyzeSeveral(activation: Activation, options: AnalyzeOptions = {}): SeveralInputsSheet {
  if (activation.isVector) fail("E_USAGE", `${activation.name} takes vectors: its sheet is analyzeVector()'s`);
  if (activation.inputs.length < 2) fail("E_USAGE", `${activation.name} has one input: its sheet is analyze()'s`);
  const params = bindParams(activation, options.params);
  const f = simplify(substitute(activation.expr, params.exprs));
  return new Several(activation, f, params.values).sheet();
}

/** Points of the samples for a function that is not a product of one-input factors. */
const SAMPLES = 2000;
const SAMPLE_BOX = 8;

class Several {
  private readonly inputs: readonly string[];
  private readonly notes: string[] = [];

  constructor(readonly activation: Activation, readonly f: Expr, readonly params: Readonly<Record<string, number>>) {
    this.inputs = activation.inputs;
  }

  sheet(): SeveralInputsSheet {
    const split = this.separate();
    const atOrigin = this.atOrigin();
    const linear = this.linearity();
    const method: { -readonly [K in SeveralKey]?: MultiMethod } = { atOrigin: atOrigin.method, linear: linear.method };
    let sheet: Omit<SeveralInputsSheet, "method" | "notes" | "kind" | "name" | "definition" | "inputs" | "params" | "atOrigin" | "linear">;
    if (split === undefined) {
      const observed = this.observe();
      method.separation = { kind: "symbolic", detail: `the textbook form is not a product of factors of one input each: ${print(this.f)}` };
      method.range = { kind: "numeric", detail: `observed on ${observed.range.samples} random points of [−${SAMPLE_BOX}, ${SAMPLE_BOX}]^${this.inputs.length} (seeded); not a bound` };
      method.monotonic = { kind: "derived", detail: "not established: f is not a product of one-input factors", from: ["separation"] };
      method.saturation = { kind: "derived", detail: "not established: f is not a product of one-input factors", from: ["separation"] };
      method.lipschitz = { kind: "numeric", detail: `the largest ‖∇f‖₂ observed on the same ${observed.gradient.samples} points: a lower bound on the Lipschitz constant, not an upper one` };
      sheet = {
        separation: null,
        range: { inf: { value: observed.range.min, status: "observed", attained: true }, sup: { value: observed.range.max, status: "observed", attained: true }, observed: observed.range },
        monotonic: Object.fromEntries(this.inputs.map((u) => [u, { kind: "unknown" } as const])),
        saturation: Object.fromEntries(this.inputs.map((u) => [u, null])),
        lipschitz: { partials: {}, lower: observed.gradient.max, upper: null, observed: observed.gradient },
      };
      this.notes.push("f is not a product of one-input factors: range and gradient norm are observations on samples, monotonicity and saturation are not analysed");
    } else {
      sheet = this.fromFactors(split, method);
    }
    return {
      kind: "several",
      name: this.activation.name,
      definition: this.activation.toString(),
      inputs: this.inputs,
      params: this.params,
      atOrigin: atOrigin.value,
      linear: linear.value,
      ...sheet,
      method: method as { [K in SeveralKey]: MultiMethod },
      notes: this.notes,
    };
  }

  // --- the split into factors ----------------------------------------------------------------

  /** c · ∏ gₖ(xₖ), grouping the factors of the textbook product by the one input each reads. */
  private separate(): { constant: Expr; factors: { input: string; expr: Expr }[] } | undefined {
    const parts = this.f.kind === "mul" ? this.f.factors : [this.f];
    const groups = new Map<string, Expr[]>(this.inputs.map((u) => [u, []]));
    const constants: Expr[] = [];
    for (const p of parts) {
      const reads = this.inputs.filter((u) => freeSymbols(p).has(u));
      if (reads.length > 1) return undefined;
      if (reads.length === 0) {
        // After the parameters are bound, anything else free is a name the sheet cannot evaluate.
        if (freeSymbols(p).size > 0) return undefined;
        constants.push(p);
      } else groups.get(reads[0]!)!.push(p);
    }
    if ([...groups.values()].some((g) => g.length === 0)) return undefined;
    return { constant: simplify(mul(...constants)), factors: this.inputs.map((u) => ({ input: u, expr: simplify(mul(...groups.get(u)!)) })) };
  }

  private fromFactors(
    split: { constant: Expr; factors: { input: string; expr: Expr }[] }, method: { -readonly [K in SeveralKey]?: MultiMethod },
  ): Omit<SeveralInputsSheet, "method" | "notes" | "kind" | "name" | "definition" | "inputs" | "params" | "atOrigin" | "linear"> {
    const c = evaluateFloat(split.constant, new Map());
    const factors: Factor[] = split.factors.map(({ input, expr }) => {
      const g = new Activation({ name: `${this.activation.name}_${input}`, inputs: [input], params: [], body: expr, source: "" }, expr);
      return { input, formula: print(expr), sheet: analyze(g) };
    });
    const byInput = new Map(factors.map((fa) => [fa.input, fa]));
    method.separation = {
      kind: "symbolic",
      detail: `the textbook form is a product whose factors each read one input: f = ${c === 1 ? "" : `${fmt(c)} · `}${factors.map((fa) => `(${fa.formula})`).join(" · ")}; each factor's own sheet is under separation.factors`,
    };

    // Range: the image of a product of independent factors is the product of their ranges.
    const spans = factors.map((fa) => spanOf(fa.sheet));
    const whole = spans.reduce(times, point(c));
    const rangeKinds = rangeTrust(factors, whole);
    method.range = {
      kind: weakest(rangeKinds),
      detail: `the product of ${c === 1 ? "" : "the constant and "}the factors' ranges (${factors.map((fa, i) => `${fa.input}: ${spanText(spans[i]!)}, by ${KIND_WORDS[fa.sheet.method.range.kind]}`).join("; ")}): the inputs are independent, so every product of values the factors take is taken` +
        (Number.isFinite(whole.lo) && Number.isFinite(whole.hi) ? "" : "; an infinite end rests on the factors' limits at ±∞ (their asymptotes), not on the finite ends of their ranges"),
      from: ["separation"],
    };

    // Monotonicity in xₖ: f = gₖ(xₖ) · (c · ∏ of the others), the second factor fixed.
    const monotonic: Record<string, Monotonicity> = nameRecord();
    const monotoneKinds: Method["kind"][] = [];
    const monotoneWords: string[] = [];
    for (const fa of factors) {
      const others = factors.filter((o) => o !== fa);
      const rest = others.map((o) => spanOf(o.sheet)).reduce(times, point(c));
      const restFormula = restText(c, others);
      const s = fa.sheet;
      monotoneKinds.push(s.method.monotonic.kind, ...others.map((o) => o.sheet.method.range.kind));
      if (!s.monotonic || s.monotonicDirection === null) {
        monotonic[fa.input] = s.monotonic ? { kind: "increasing" } : { kind: "no" };
        monotoneWords.push(`${fa.input}: its factor is ${s.monotonic ? "constant" : "not monotone"} (${KIND_WORDS[s.method.monotonic.kind]})`);
        continue;
      }
      const d = s.monotonicDirection;
      const flip = d === "increasing" ? "decreasing" : "increasing";
      monotonic[fa.input] = rest.lo >= 0 ? { kind: d } : rest.hi <= 0 ? { kind: flip } : { kind: "sign of", coefficient: restFormula, direction: d };
      monotoneWords.push(`${fa.input}: its factor is ${d === "increasing" ? "non-decreasing" : "non-increasing"} (${KIND_WORDS[s.method.monotonic.kind]}), the rest ${restFormula} ranges over ${spanText(rest)}`);
    }
    method.monotonic = {
      kind: weakest(monotoneKinds),
      detail: `f = gₖ(xₖ) · (the rest), the rest fixed with the other inputs: monotone in xₖ exactly when gₖ is, in gₖ's direction where the rest is positive; ${monotoneWords.join("; ")}`,
      from: ["separation"],
    };

    // Saturation: ∂f/∂xₖ = gₖ′(xₖ) · (the rest) → 0 where gₖ saturates; gₖ → 0 closes the gate.
    const saturation: Record<string, { left: GateSide; right: GateSide }> = nameRecord();
    const saturationKinds: Method["kind"][] = [];
    for (const fa of factors) {
      const others = factors.filter((o) => o !== fa);
      saturationKinds.push(fa.sheet.method.saturation.kind, fa.sheet.method.asymptotes.kind);
      saturation[fa.input] = {
        left: gateSide(fa, -1, restText(c, others), this.inputs),
        right: gateSide(fa, 1, restText(c, others), this.inputs),
      };
    }
    method.saturation = {
      kind: weakest(saturationKinds),
      detail: "as xₖ → ±∞ with the other inputs fixed: ∂f/∂xₖ = gₖ′(xₖ) · (the rest), so f saturates in xₖ where gₖ does (each factor's saturation and asymptotes, from its own sheet); where gₖ → 0 the other partial derivatives, gₖ(xₖ) · ∂(the rest), vanish too",
      from: ["separation"],
    };

    // |∂f/∂xₖ| ≤ |c| · sup|gₖ′| · ∏ sup|g| over the others, with equality of the suprema (independent inputs).
    const partials: Record<string, Extended> = nameRecord();
    const trust = new Map<string, Method["kind"][]>();
    for (const fa of factors) {
      const others = factors.filter((o) => o !== fa);
      const slope = fa.sheet.lipschitz;
      partials[fa.input] = [Math.abs(c), slope, ...others.map((o) => supAbs(spanOf(o.sheet)))].reduce(timesAbs);
      // An unbounded partial rests on what makes it unbounded: a factor's limit at ±∞ or a jump.
      const slopeKind = fa.sheet.smoothness.class === "discontinuous" ? fa.sheet.method.smoothness.kind : fa.sheet.method.maxAbsGrad.kind;
      trust.set(fa.input, partials[fa.input] === Infinity
        ? [...(slope === Infinity ? [slopeKind] : []), ...others.filter((o) => supAbs(spanOf(o.sheet)) === Infinity).map((o) => o.sheet.method.asymptotes.kind)]
        : [slopeKind, ...others.map((o) => o.sheet.method.range.kind)]);
    }
    const values = Object.values(partials);
    const unbounded = this.inputs.filter((u) => partials[u] === Infinity);
    const lower = Math.max(...values);
    const upper = values.some((v) => v === Infinity) ? Infinity : Math.sqrt(values.reduce((s, v) => s + v * v, 0));
    method.lipschitz = {
      kind: weakest((unbounded.length ? unbounded : this.inputs).flatMap((u) => trust.get(u)!)),
      detail: `sup |∂f/∂xₖ| = |c| · sup |gₖ′| · ∏ sup |g| of the others (independent inputs, so the suprema multiply): ${this.inputs.map((u) => `${u}: ${fmt(partials[u]!)}`).join(", ")}; ` +
        (unbounded.length ? `${unbounded.map((u) => `∂f/∂${u}`).join(" and ")} ${unbounded.length > 1 ? "are" : "is"} unbounded (a factor unbounded at ±∞, by its limits), so f has no Lipschitz constant` : "the Lipschitz constant sup ‖∇f‖₂ lies between the largest of them and the root of the sum of their squares"),
      from: ["separation"],
    };

    return {
      separation: { constant: c, factors },
      range: { inf: rangeEnd(whole.lo, whole.loAttained), sup: rangeEnd(whole.hi, whole.hiAttained) },
      monotonic, saturation,
      lipschitz: { partials, lower, upper },
    };
  }

  // --- what does not need the split ----------------------------------------------------------

  private atOrigin(): { value: SeveralInputsSheet["atOrigin"]; method: MultiMethod } {
    const zero = new Map(this.inputs.map((u) => [u, ZERO] as const));
    let exact = true;
    const at = (e: Expr): number => {
      const folded = simplify(substitute(e, zero));
      if (folded.kind === "num") return Q.toNumber(folded.value);
      exact = false;
      try {
        return evaluateBig(e, new Map(this.inputs.map((u) => [u, Q.ZERO] as const)), 60).toNumber();
      } catch {
        return NaN;
      }
    };
    const value = at(this.f);
    const gradient = Object.fromEntries(this.inputs.map((u) => [u, at(simplify(diff(this.f, u)))]));
    return {
      value: { value, gradient },
      method: exact
        ? { kind: "symbolic", detail: "f and each partial derivative at 0 by exact substitution" }
        : { kind: "numeric", detail: "f and each partial derivative at 0, evaluated at 60 significant digits" },
    };
  }

  /** ∂²f/∂xₖ² = 0, decided by the verifier: proved (affine in xₖ), or refuted by a point where it is not 0. */
  private linearity(): { value: Record<string, boolean | null>; method: MultiMethod } {
    const value: Record<string, boolean | null> = nameRecord();
    const words: string[] = [];
    const kinds: Method["kind"][] = [];
    for (const u of this.inputs) {
      const second = simplify(diff(simplify(diff(this.f, u)), u));
      if (second === ZERO) {
        value[u] = true;
        kinds.push("symbolic");
        words.push(`∂²f/∂${u}² simplifies to 0`);
        continue;
      }
      const r = verifyEquality(second, ZERO, { variable: u });
      value[u] = r.verdict === "proved" ? true : r.verdict === "refuted" ? false : null;
      kinds.push(r.method === "symbolic" ? "symbolic" : "numeric");
      words.push(`∂²f/∂${u}² ${verdictWords(r)}`);
    }
    return {
      value,
      method: { kind: weakest(kinds), detail: `f is affine in an input exactly when its second partial derivative in it is identically 0; ${words.join("; ")}` },
    };
  }

  /** Values and gradient norms at seeded random points: what the sheet says of a function it cannot split. */
  private observe(): { range: Observed; gradient: Observed } {
    const fn = this.activation.compile();
    const gradient = this.activation.gradient().map((g) => g.compile());
    const n = this.inputs.length;
    const u = uniforms(SAMPLES * n, 0);
    let [lo, hi, gLo, gHi] = [Infinity, -Infinity, Infinity, 0];
    let count = 0;
    for (let s = 0; s < SAMPLES; s++) {
      const point = Array.from({ length: n }, (_, k) => (2 * u[s * n + k]! - 1) * SAMPLE_BOX);
      const v = fn(...point, this.params);
      if (!Number.isFinite(v)) continue;
      count++;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
      const norm = Math.hypot(...gradient.map((d) => d(...point, this.params)));
      gLo = Math.min(gLo, norm);
      gHi = Math.max(gHi, norm);
    }
    return { range: { min: lo, max: hi, samples: count }, gradient: { min: gLo, max: gHi, samples: count } };
  }
}

// ---------------------------------------------------------------------------------------------

/** An interval of values with whether each end is taken. */
interface Span { readonly lo: number; readonly hi: number; readonly loAttained: boolean; readonly hiAttained: boolean }

const point = (c: number): Span => ({ lo: c, hi: c, loAttained: true, hiAttained: true });

const spanOf = (s: PropertySheet): Span => ({ lo: s.range.inf, hi: s.range.sup, loAttained: s.range.infAttained, hiAttained: s.range.supAttained });

/** 0 · ±∞ = 0 at the ends of intervals: the products near such a corner tend to 0 or stay away from ∞. */
const endProduct = (a: number, b: number): number => (a === 0 || b === 0 ? 0 : a * b);

const takesZero = (s: Span): boolean => (s.lo < 0 && s.hi > 0) || (s.lo === 0 && s.loAttained) || (s.hi === 0 && s.hiAttained);

/**
 * {u·v : u ∈ a, v ∈ b}: an interval (the image of a connected set), its ends among the products
 * of the ends; an end is taken when ends that are taken give it, or when it is 0 and a factor
 * takes 0.
 */
function times(a: Span, b: Span): Span {
  const corners = [
    [a.lo, a.loAttained, b.lo, b.loAttained], [a.lo, a.loAttained, b.hi, b.hiAttained],
    [a.hi, a.hiAttained, b.lo, b.loAttained], [a.hi, a.hiAttained, b.hi, b.hiAttained],
  ].map(([u, ua, v, va]) => ({ value: endProduct(u as number, v as number), taken: (ua as boolean) && (va as boolean) && Number.isFinite(u) && Number.isFinite(v) }));
  const lo = Math.min(...corners.map((k) => k.value));
  const hi = Math.max(...corners.map((k) => k.value));
  const taken = (v: number): boolean => corners.some((k) => k.value === v && k.taken) || (v === 0 && (takesZero(a) || takesZero(b)));
  return { lo, hi, loAttained: taken(lo), hiAttained: taken(hi) };
}

const supAbs = (s: Span): number => Math.max(Math.abs(s.lo), Math.abs(s.hi));
const timesAbs = (a: number, b: number): number => (a === 0 || b === 0 ? 0 : a * b);

/**
 * What the ends of a product of ranges rest on: a finite end on the factors' ranges; an infinite
 * one on the limits that make a factor unbounded (the others need only take a value other than 0).
 */
function rangeTrust(factors: readonly Factor[], whole: Span): Method["kind"][] {
  const ends = [whole.lo, whole.hi];
  if (ends.every(Number.isFinite)) return factors.map((fa) => fa.sheet.method.range.kind);
  const unbounded = factors.filter((fa) => !Number.isFinite(fa.sheet.range.inf) || !Number.isFinite(fa.sheet.range.sup));
  const finiteEnd = ends.some(Number.isFinite) ? factors.map((fa) => fa.sheet.method.range.kind) : [];
  return [...unbounded.map((fa) => fa.sheet.method.asymptotes.kind), ...finiteEnd];
}

const rangeEnd = (value: number, attained: boolean): RangeEnd => ({ value, status: "exact", attained });

const spanText = (s: Span): string => `${s.loAttained ? "[" : "("}${fmt(s.lo)}, ${fmt(s.hi)}${s.hiAttained ? "]" : ")"}`;

/** c · ∏ g of the other inputs, as a formula. */
function restText(c: number, others: readonly Factor[]): string {
  const parts = [...(c === 1 ? [] : [fmt(c)]), ...others.map((o) => (sumAtTop(o.formula) ? `(${o.formula})` : o.formula))];
  return parts.join(" · ") || "1";
}

/** Whether a printed formula is a sum or difference outside any parentheses (then a product needs them). */
function sumAtTop(formula: string): boolean {
  let depth = 0;
  for (let k = 0; k < formula.length; k++) {
    const ch = formula[k]!;
    if (ch === "(") depth++;
    else if (ch === ")") depth--;
    else if (depth === 0 && (ch === "+" || ch === "-") && k > 0 && formula[k - 1] === " ") return true;
  }
  return false;
}

/** As xₖ → side·∞ with the others fixed. */
function gateSide(fa: Factor, side: 1 | -1, rest: string, inputs: readonly string[]): GateSide {
  const s = fa.sheet;
  const saturation = side < 0 ? s.saturation.left : s.saturation.right;
  const asymptote = side < 0 ? s.asymptotes.left : s.asymptotes.right;
  const u = fa.input;
  const others = inputs.filter((v) => v !== u);
  const limit: Extended | null = asymptote.kind === "horizontal" ? asymptote.value
    : asymptote.kind === "linear" ? (asymptote.slope * side > 0 ? Infinity : -Infinity)
    : asymptote.limit;
  let text: string;
  if (saturation.kind === "none") {
    text = `no saturation: ∂f/∂${u} does not tend to 0` + (limit !== null && !Number.isFinite(limit) ? `; |f| grows without bound where ${rest} ≠ 0` : "");
  } else {
    const how = saturation.kind === "hard" ? `is exactly 0 for ${u} ${side < 0 ? "≤" : "≥"} ${fmt(saturation.c)}` : "→ 0";
    if (limit === 0) {
      text = `the gate closes: f ${saturation.kind === "hard" ? "= 0" : "→ 0"} and every partial derivative ${how} (the factor ${fa.formula} multiplies ${others.map((v) => `∂f/∂${v}`).join(" and ")} too)`;
    } else if (limit !== null && Number.isFinite(limit)) {
      const scaled = limit === 1 ? rest : `${fmt(limit)} · ${rest.includes(" ") ? `(${rest})` : rest}`;
      text = `∂f/∂${u} ${how}; f → ${scaled}, the gradient passes to ${others.join(", ")} ${limit === 1 ? "unchanged" : `scaled by ${fmt(limit)}`}`;
    } else {
      text = `∂f/∂${u} ${how}`;
    }
  }
  return { saturation: saturation as SideSaturation, factorLimit: limit, text };
}

const KIND_WORDS: Readonly<Record<Method["kind"], string>> = {
  symbolic: "symbolic", interval: "interval bound", numeric: "numeric scan", derived: "derived",
};

/** The least trustworthy of several methods, in the order symbolic, interval bound, derived, numeric. */
export function weakest(kinds: readonly Method["kind"][]): Method["kind"] {
  const order: readonly Method["kind"][] = ["numeric", "derived", "interval", "symbolic"];
  return order.find((k) => kinds.includes(k)) ?? "symbolic";
}

export function verdictWords(r: VerifyResult): string {
  switch (r.verdict) {
    case "proved": return `= 0, ${r.detail}`;
    case "verified": return `= 0 to ${r.digits ?? 40} digits at ${r.points ?? 0} points, not proved`;
    case "refuted": return r.counterexample ? `≠ 0: at ${describeAt(r.counterexample.at)} it is ${Number(r.counterexample.lhs).toPrecision(10)} (to 40 significant digits)` : `≠ 0: ${r.detail}`;
    case "undecided": return `not decided (${r.detail})`;
  }
}

const describeAt = (at: Readonly<Record<string, number>>): string => Object.entries(at).map(([k, v]) => `${k} = ${v}`).join(", ");
