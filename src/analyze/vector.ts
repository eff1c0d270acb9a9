import { add, call, len, ONE, reduce, renameIndex, sym, ZERO } from "../ast/build.js";
import { OUTPUT_INDEX } from "../ast/definition.js";
import type { Expr } from "../ast/nodes.js";
import { print } from "../ast/print.js";
import { postorder, substitute, transform } from "../ast/walk.js";
import { Activation, type ParamValues } from "../api/activation.js";
import { outputLength } from "../api/vector-activation.js";
import { COLUMN_INDEX } from "../api/vectors.js";
import { catalogScope } from "../catalog/catalog.js";
import { ActdiffError, fail } from "../errors.js";
import { simplify } from "../simplify/simplify.js";
import { readClaim } from "../verify/claims.js";
import { verifyEquality, type VerifyResult } from "../verify/verify.js";
import { analyze } from "./analyze.js";
import { fmt } from "./format.js";
import { KNOWN_JACOBIANS, type KnownJacobian } from "./known-jacobians.js";
import type { MultiMethod, Observed, RangeEnd, VectorKey, VectorSheet, VectorSlice } from "./multi-types.js";
import { bindParams } from "./params.js";
import { uniforms } from "./samples.js";
import { weakest } from "./several.js";
import { spectralNorm } from "./spectral.js";
import type { AnalyzeOptions, Method, PropertySheet } from "./types.js";
import { unroll } from "./unroll.js";

/**
 * The property sheet of a function of one vector (softmax(x[]), maxout(z[]; k)): the range of
 * each output, whether the outputs sum to 1, invariance (or equivariance) under adding a
 * constant to every element, the Lipschitz constant sup ‖J‖₂ and saturation. Each fact is proved
 * where a method that cannot be wrong reaches it, and otherwise stated as what it is — an
 * observation on seeded random vectors:
 * - sums and row sums of the Jacobian are claims for the verifier, proved for every length N by
 *   its case split of the indices (src/verify/vectors.ts), or only verified on vectors;
 * - invariance follows from Σ_j ∂f_i/∂x_j = 0 for a differentiable f (d/dc f(x + c·1) = 0), or,
 *   for a max over groups, from max_t (u_t + c) = max_t u_t + c;
 * - a bound on ‖J‖₂ comes from a known form of the Jacobian (known-jacobians.ts), proved to apply;
 * - what the function does along the slice x = (t, 0, …, 0) is the one-input sheet of each
 *   output as a function of t, written out exactly (unroll.ts).
 */
export function analyzeVector(activation: Activation, options: AnalyzeOptions = {}): VectorSheet {
  const d = activation.definition;
  if (!activation.isVector) fail("E_USAGE", `${activation.name} takes no vector: its sheet is analyze()'s`);
  if (d.vectors?.length !== 1 || d.inputs.length !== 1) {
    fail("E_UNSUPPORTED", `${activation.name} takes ${d.inputs.length} inputs; properties of vector functions are computed for functions of one vector`);
  }
  return new VectorAnalysis(activation, options).sheet();
}

/** Vector lengths sampled, and vectors per length besides the zero vector. */
const LENGTHS = [2, 3, 4, 6, 8] as const;
const PER_LENGTH = 200;
/** Elements uniform in [−s, s], s cycling through these: near ties, moderate, and one element dominating. */
const SCALES = [1, 4, 16] as const;
const SEED = 0;

interface Sample { readonly x: number[]; readonly value: number[] }

class VectorAnalysis {
  private readonly v: string;
  private readonly notes: string[] = [];
  private readonly params: ParamValues;
  private readonly paramExprs: ReadonlyMap<string, Expr>;
  /** f with the parameters bound to their exact values. */
  private readonly f: Expr;
  private readonly jacobian: Expr;
  private readonly vectorValued: boolean;
  private readonly samples: Sample[] = [];
  private readonly lengths: number[];

  constructor(readonly activation: Activation, options: AnalyzeOptions) {
    this.v = activation.definition.vectors![0]!;
    const bound = bindParams(activation, options.params);
    this.params = bound.values;
    this.paramExprs = bound.exprs;
    this.f = simplify(substitute(activation.expr, this.paramExprs));
    this.jacobian = activation.derivative(this.v).expr;
    this.vectorValued = activation.definition.output !== undefined;
    this.lengths = LENGTHS.filter((n) => this.outputs(n) !== undefined);
    if (this.lengths.length === 0) fail("E_USAGE", `${activation.name} gives a whole number of outputs for none of the lengths ${LENGTHS.join(", ")}`);
  }

  /** The number of outputs at length n (1 for a scalar-valued f), or undefined when it is not whole. */
  private outputs(n: number): number | undefined {
    try {
      const m = outputLength(this.activation, n, this.activation.paramValues(this.params));
      return m >= 1 ? m : undefined;
    } catch (err) {
      if (err instanceof ActdiffError) return undefined;
      throw err;
    }
  }

  sheet(): VectorSheet {
    const norms = this.observe();
    const rows = this.rowSum();
    const sum = this.sumToOne();
    const shift = this.shift(rows);
    const slice = this.slice();
    const range = this.range(sum, shift, slice);
    const lipschitz = this.lipschitz(norms);
    const saturation = this.saturation(slice);
    const length = this.activation.definition.output?.length;
    const method: { [K in VectorKey]: MultiMethod } = {
      jacobian: {
        kind: "symbolic",
        detail: `∂f_i/∂${this.v}_j by the chain rule with ∂${this.v}_k/∂${this.v}_j = δ_kj, simplified (deltas summed out)` +
          (rows.result ? `; Σ_j ∂f_i/∂${this.v}_j = ${print(rows.target!)}, ${rows.result.verdict === "proved" ? "proved" : "verified on vectors, not proved"} (the verifier: ${rows.result.detail})` : ""),
      },
      range: range.method,
      sumToOne: sum.method,
      shift: shift.method,
      lipschitz: lipschitz.method,
      saturation: saturation.method,
    };
    return {
      kind: "vector",
      name: this.activation.name,
      definition: this.activation.toString(),
      input: this.v,
      params: this.params,
      outputLength: length === undefined ? null : print(length),
      jacobian: { element: print(this.jacobian), rowSum: rows.result?.verdict === "proved" ? print(rows.target!) : null },
      range: range.value,
      sumToOne: sum.value,
      shift: shift.value,
      lipschitz: lipschitz.value,
      saturation: saturation.value,
      slice: slice.value,
      method,
      notes: this.notes,
    };
  }

  // --- samples -------------------------------------------------------------------------------

  private sampleDescription(): string {
    return `${this.samples.length} seeded random vectors of ${this.lengths.join(", ")} elements (the zero vector and ${PER_LENGTH} per length, elements uniform in [−s, s], s = ${SCALES.join(", ")} in turn)`;
  }

  /** Values at every sample, and ‖J‖₂ there. */
  private observe(): { min: number; max: number; byLength: { n: number; max: number }[] } {
    const fn = this.activation.compile() as unknown as (x: number[], p?: ParamValues) => number[] | number;
    const jacobian = this.activation.jacobian();
    const byLength: { n: number; max: number }[] = [];
    let least = Infinity;
    let offset = 0;
    for (const n of this.lengths) {
      const u = uniforms(PER_LENGTH * n, SEED, offset);
      offset += PER_LENGTH * n;
      let max = 0;
      for (let s = 0; s <= PER_LENGTH; s++) {
        const scale = SCALES[s % SCALES.length]!;
        const x = s === PER_LENGTH ? new Array<number>(n).fill(0) : Array.from({ length: n }, (_, k) => (2 * u[s * n + k]! - 1) * scale);
        const value = fn(x, this.params);
        this.samples.push({ x, value: typeof value === "number" ? [value] : value });
        const norm = spectralNorm(jacobian(x, this.params));
        if (!Number.isFinite(norm)) continue;
        max = Math.max(max, norm);
        least = Math.min(least, norm);
      }
      byLength.push({ n, max });
    }
    return { min: least, max: Math.max(...byLength.map((b) => b.max)), byLength };
  }

  private observedRange(): Observed {
    const all = this.samples.flatMap((s) => s.value).filter(Number.isFinite);
    return { min: Math.min(...all), max: Math.max(...all), samples: this.samples.length };
  }

  // --- sums ----------------------------------------------------------------------------------

  /** Σ_j ∂f_i/∂x_j against 0 and 1, for a differentiable f: what invariance and equivariance rest on. */
  private rowSum(): { target?: Expr; result?: VerifyResult } {
    if (!isSmooth(this.f)) return {};
    const sum = reduce("sum", COLUMN_INDEX, ZERO, len(this.v), this.jacobian);
    for (const target of [ZERO, ONE]) {
      const result = verifyEquality(sum, target);
      if (result.verdict === "proved" || (result.verdict === "verified" && (result.points ?? 0) > 0)) return { target, result };
    }
    return {};
  }

  /** Σ_i f_i = 1, else Σ_i exp(f_i) = 1: checked on the samples first, then by the verifier. */
  private sumToOne(): { value: VectorSheet["sumToOne"]; method: MultiMethod } {
    if (!this.vectorValued) return { value: null, method: { kind: "symbolic", detail: "f is a number, not a vector: nothing to sum" } };
    const name = `${this.activation.name}(${this.v})`;
    const candidates = [
      { claim: `Σ_i ${name}_i = 1`, term: (e: Expr) => e, numeric: (y: number) => y },
      { claim: `Σ_i exp(${name}_i) = 1`, term: (e: Expr) => call("exp", [e]), numeric: (y: number) => Math.exp(y) },
    ];
    const misses: string[] = [];
    for (const c of candidates) {
      const off = this.samples.find((s) => Math.abs(s.value.reduce((t, y) => t + c.numeric(y), 0) - 1) > 1e-9 * s.value.length);
      if (off !== undefined) {
        const total = off.value.reduce((t, y) => t + c.numeric(y), 0);
        misses.push(`${c.claim.replace(" = 1", "")} = ${fmt(total)} at ${this.v} = (${off.x.map(fmt).join(", ")})`);
        continue;
      }
      const o = "o";
      const sum = reduce("sum", o, ZERO, this.activation.definition.output!.length, c.term(renameIndex(this.f, OUTPUT_INDEX, o)));
      const r = verifyEquality(sum, ONE);
      if (r.verdict === "proved") {
        return { value: { holds: true, claim: c.claim }, method: { kind: "symbolic", detail: `${c.claim} for every N: ${r.detail}` } };
      }
      if (r.verdict === "verified" && (r.points ?? 0) > 0) {
        return { value: { holds: true, claim: c.claim }, method: { kind: "numeric", detail: `${c.claim}: ${r.detail}; and to 1e-9 on the ${this.samples.length} samples` } };
      }
      if (r.verdict === "refuted") {
        misses.push(`${c.claim} refuted: ${r.detail}`);
        continue;
      }
      return { value: { holds: null, claim: c.claim }, method: { kind: "numeric", detail: `${c.claim} holds to 1e-9 on the ${this.samples.length} samples; the verifier did not decide it (${r.detail})` } };
    }
    return { value: { holds: false, claim: candidates[0]!.claim }, method: { kind: "numeric", detail: `neither sum is 1: ${misses.join("; ")} (float64)` } };
  }

  // --- adding a constant ---------------------------------------------------------------------

  private shift(rows: { target?: Expr; result?: VerifyResult }): { value: VectorSheet["shift"]; method: MultiMethod } {
    if (rows.result?.verdict === "proved") {
      const invariant = rows.target === ZERO;
      return {
        value: invariant ? "invariant" : "equivariant",
        method: {
          kind: "symbolic",
          detail: `Σ_j ∂f_i/∂${this.v}_j = ${print(rows.target!)} for every N (the verifier: ${rows.result.detail}); f is differentiable everywhere, so ` +
            `d/dc f(${this.v} + c·1) = Σ_j ∂f_i/∂${this.v}_j = ${print(rows.target!)} and f(${this.v} + c·1) = f(${this.v})${invariant ? "" : " + c"}`,
          from: ["jacobian"],
        },
      };
    }
    const lemma = this.maxLemma();
    if (lemma !== undefined) {
      return {
        value: lemma,
        method: { kind: "symbolic", detail: `${this.v}_k + c for every element, then c moved out of every max and min (max_t (u_t + c) = max_t u_t + c) gives f(${this.v})${lemma === "equivariant" ? " + c" : ""}, node for node` },
      };
    }
    // Neither proof applies: compare f(x + c) with f(x) and f(x) + c on the samples.
    const fn = this.activation.compile() as unknown as (x: number[], p?: ParamValues) => number[] | number;
    const u = uniforms(this.samples.length, SEED + 1);
    const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * (1 + Math.abs(a) + Math.abs(b));
    let invariant = true;
    let equivariant = true;
    let counterexample = "";
    this.samples.forEach((s, i) => {
      if (!s.value.every(Number.isFinite)) return;
      const shift = (2 * u[i]! - 1) * 8;
      const moved = fn(s.x.map((x) => x + shift), this.params);
      const values = typeof moved === "number" ? [moved] : moved;
      const inv = values.every((y, k) => close(y, s.value[k]!));
      const eq = values.every((y, k) => close(y, s.value[k]! + shift));
      if (!inv && !eq && counterexample === "") counterexample = `${this.v} = (${s.x.map(fmt).join(", ")}), c = ${fmt(shift)}`;
      invariant &&= inv;
      equivariant &&= eq;
    });
    const value = invariant ? "invariant" : equivariant ? "equivariant" : "neither";
    return {
      value,
      method: {
        kind: "numeric",
        detail: value === "neither"
          ? `f(${this.v} + c·1) is neither f(${this.v}) nor f(${this.v}) + c, e.g. at ${counterexample} (float64)`
          : `observed on the ${this.samples.length} samples, each with c uniform in [−8, 8], to 1e-9; not proved (${rows.result ? `the verifier: ${rows.result.detail}` : "f is not differentiable everywhere and is no max over groups"})`,
      },
    };
  }

  /** For a max (min) over groups: the shifted definition, c moved out of every max and min, is f + c (or f). */
  private maxLemma(): "invariant" | "equivariant" | undefined {
    if (!postorder(this.f).some((n) => n.kind === "reduce" && (n.op === "max" || n.op === "min"))) return undefined;
    const c = sym(`${this.v}\u0000shift`);
    const shifted = transform(this.f, (n) => (n.kind === "elem" && n.vector === this.v ? add(n, c) : n));
    const moved = simplify(transform(shifted, (n) => {
      if (n.kind !== "reduce" || (n.op !== "max" && n.op !== "min") || n.body.kind !== "add" || !n.body.terms.includes(c)) return n;
      // max_t (u_t + c) = max_t u_t + c: c does not depend on t.
      return add(c, reduce(n.op, n.index, n.from, n.to, add(...n.body.terms.filter((t) => t !== c))));
    }));
    if (moved === this.f) return "invariant";
    if (moved === simplify(add(this.f, c))) return "equivariant";
    return undefined;
  }

  // --- the range of each output --------------------------------------------------------------

  private range(
    sum: { value: VectorSheet["sumToOne"]; method: MultiMethod },
    shift: { value: VectorSheet["shift"]; method: MultiMethod },
    slice: { value: VectorSlice | null; sheets: PropertySheet[] },
  ): { value: VectorSheet["range"]; method: MultiMethod } {
    const observed = this.observedRange();
    const kinds: Method["kind"][] = [];
    const words: string[] = [];
    if (shift.value === "equivariant" && shift.method.kind === "symbolic") {
      return {
        value: { inf: { value: -Infinity, status: "exact", attained: false }, sup: { value: Infinity, status: "exact", attained: false }, observed },
        method: { kind: "derived", detail: "f(x + c·1) = f(x) + c (proved): as c runs over the reals so does every output, so each takes every real value", from: ["shift"] },
      };
    }
    const positive = positiveByConstruction(this.f);
    const sumsToOne = sum.value?.holds === true && sum.value.claim.startsWith("Σ_i ") && !sum.value.claim.includes("exp(") && sum.method.kind === "symbolic";
    const sliced = slice.sheets.length > 0 ? {
      inf: Math.min(...slice.sheets.map((s) => s.range.inf)),
      sup: Math.max(...slice.sheets.map((s) => s.range.sup)),
      kind: weakest(slice.sheets.map((s) => s.method.range.kind)),
    } : undefined;
    const at = slice.value ? `(${slice.value.at.join(", ")})` : "";

    let inf: RangeEnd;
    if (positive) {
      kinds.push("symbolic");
      words.push("0 < f_i: a product, quotient and sum of exponentials and sums of them (positive by construction)");
      if (sliced && sliced.inf === 0) {
        inf = { value: 0, status: "exact", attained: false };
        kinds.push(sliced.kind);
        words.push(`0 is approached along ${at} (the slice's range, by ${sliced.kind})`);
      } else inf = { value: 0, status: "bound", attained: false };
    } else if (sliced && sliced.inf === -Infinity) {
      inf = { value: -Infinity, status: "exact", attained: false };
      kinds.push(sliced.kind);
      words.push(`unbounded below: along ${at} an output → −∞ (the slice's limits)`);
    } else if (sliced && sliced.inf <= observed.min) {
      inf = { value: sliced.inf, status: "approached", attained: false };
      kinds.push(sliced.kind);
      words.push(`values down to ${fmt(sliced.inf)} along ${at}; no lower bound proved`);
    } else {
      inf = { value: observed.min, status: "observed", attained: true };
      kinds.push("numeric");
      words.push(`the smallest value observed is ${fmt(observed.min)}; no lower bound proved`);
    }

    let sup: RangeEnd;
    if (positive && sumsToOne) {
      kinds.push(sum.method.kind);
      words.push("f_i < 1 for N ≥ 2: Σ_i f_i = 1 (proved) and every other term is positive (f_i = 1 for N = 1)");
      if (sliced && sliced.sup === 1) {
        sup = { value: 1, status: "exact", attained: false };
        kinds.push(sliced.kind);
        words.push(`1 is approached along ${at}`);
      } else sup = { value: 1, status: "bound", attained: false };
    } else if (sliced && sliced.sup === Infinity) {
      sup = { value: Infinity, status: "exact", attained: false };
      kinds.push(sliced.kind);
      words.push(`unbounded above: along ${at} an output → +∞ (the slice's limits)`);
    } else if (sliced && sliced.sup >= observed.max) {
      sup = { value: sliced.sup, status: "approached", attained: false };
      kinds.push("numeric");
      words.push(`values up to ${fmt(sliced.sup)} along ${at} (the slice's range, by ${sliced.kind}), which no output exceeded on the samples (largest ${fmt(observed.max)}); that it is a bound is observed, not proved`);
    } else {
      sup = { value: observed.max, status: "observed", attained: true };
      kinds.push("numeric");
      words.push(`the largest value observed is ${fmt(observed.max)}; no upper bound proved`);
    }
    return {
      value: { inf, sup, observed },
      method: { kind: weakest(kinds), detail: `for vectors of N ≥ 2 elements: ${words.join("; ")}; observed on ${this.sampleDescription()}: [${fmt(observed.min)}, ${fmt(observed.max)}]` },
    };
  }

  // --- the Lipschitz constant ----------------------------------------------------------------

  private lipschitz(norms: { min: number; max: number; byLength: { n: number; max: number }[] }): { value: VectorSheet["lipschitz"]; method: MultiMethod } {
    const observed = { min: norms.min, max: norms.max, samples: this.samples.length, byLength: norms.byLength };
    const seen = `largest ‖J‖₂ observed on ${this.sampleDescription()}: ${norms.byLength.map((b) => `${fmt(b.max)} (N = ${b.n})`).join(", ")}`;
    const known = this.knownJacobian();
    if (known !== undefined) {
      return {
        value: { bound: { value: known.entry.value, text: known.entry.text, attained: known.entry.attained }, observed },
        method: { kind: "derived", detail: `${known.how}; ${known.entry.argument}; ${seen}`, ...(known.structural ? {} : { from: ["jacobian"] }) },
      };
    }
    return {
      value: { bound: null, observed },
      method: { kind: "numeric", detail: `no known form of the Jacobian applies, so no bound is stated; the ${seen} (singular values by Jacobi rotations): a lower bound on the Lipschitz constant, not an upper one` },
    };
  }

  private knownJacobian(): { entry: KnownJacobian; how: string; structural?: boolean } | undefined {
    for (const entry of KNOWN_JACOBIANS) {
      const m = entry.match;
      if (m.kind === "structure") {
        if (m.test(this.activation, this.v)) return { entry, how: `the definition is ${m.shape}`, structural: true };
        continue;
      }
      if (m.vectorValued !== this.vectorValued || !isSmooth(this.f)) continue;
      for (const form of m.forms) {
        const stated = form.replaceAll("{x}", this.v);
        // The form is read as a claim's side (so that x reads as a vector), our Jacobian taken as it is.
        let r: VerifyResult;
        try {
          r = verifyEquality(this.jacobian, readClaim(`${stated} = 0`, catalogScope).left);
        } catch (err) {
          if (err instanceof ActdiffError) continue;
          throw err;
        }
        if (r.verdict === "proved") return { entry, how: `the Jacobian element is ${stated} (the verifier: ${r.detail})` };
      }
    }
    return undefined;
  }

  // --- the slice and saturation --------------------------------------------------------------

  /** f at (t, 0, …, 0) of the shortest length with a whole number of outputs, each output as a function of t. */
  private slice(): { value: VectorSlice | null; sheets: PropertySheet[] } {
    const n = this.lengths[0]!;
    const elements: Expr[] = [sym("t"), ...new Array<Expr>(n - 1).fill(ZERO)];
    try {
      const { outputs } = unroll(this.activation.expr, new Map([[this.v, elements]]), this.paramExprs, this.vectorValued ? this.outputs(n) : undefined);
      const sheets = outputs.map((e, o) => analyze(new Activation({ name: `${this.activation.name}_${o}`, inputs: ["t"], params: [], body: e, source: "" }, e)));
      return {
        value: { at: elements.map(print), outputs: outputs.map((e, o) => ({ formula: print(e), sheet: sheets[o]! })) },
        sheets,
      };
    } catch (err) {
      this.notes.push(`the slice (t, 0, …) was not analysed: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`);
      return { value: null, sheets: [] };
    }
  }

  private saturation(slice: { value: VectorSlice | null; sheets: PropertySheet[] }): { value: VectorSheet["saturation"]; method: MultiMethod } {
    if (slice.value === null) return { value: [], method: { kind: "derived", detail: "not established: the slice could not be analysed", from: [] } };
    return {
      value: slice.sheets.map((s, output) => ({ output, left: s.saturation.left, right: s.saturation.right })),
      method: {
        kind: weakest(slice.sheets.map((s) => s.method.saturation.kind)),
        detail: `along ${this.v} = (${slice.value.at.join(", ")}), each output as a function of t: its sheet's saturation (soft: the derivative → 0 as t → ±∞, hard: 0 beyond a point), where f_i = ${slice.value.outputs.map((o) => o.formula).join(", ")}`,
      },
    };
  }
}

// ---------------------------------------------------------------------------------------------

/** No branch, kink or max anywhere: f is differentiable everywhere. */
function isSmooth(e: Expr): boolean {
  return postorder(e).every((n) => {
    if (n.kind === "piecewise") return false;
    if (n.kind === "call") return !["abs", "sign", "min", "max", "clip"].includes(n.fn);
    if (n.kind === "reduce") return n.op === "sum";
    return true;
  });
}

/**
 * Positive by construction: built from positive numbers, exp, sigmoid, softmax and sums over a
 * whole vector (never empty) by sums, products, quotients and powers of positive bases. A sound
 * rule set, not a complete one: it says nothing of what it does not recognise.
 */
export function positiveByConstruction(e: Expr): boolean {
  switch (e.kind) {
    case "num": return e.value.n > 0n;
    case "const": return true;
    case "call": return e.fn === "exp" || e.fn === "sigmoid" || e.fn === "softplus";
    case "add": return e.terms.every(positiveByConstruction);
    case "mul": return e.factors.every(positiveByConstruction);
    case "pow": return positiveByConstruction(e.base);
    case "reduce": return e.op === "sum" && e.from === ZERO && e.to.kind === "len" && positiveByConstruction(e.body);
    case "vcall": return e.fn === "softmax";
    default: return false;
  }
}
