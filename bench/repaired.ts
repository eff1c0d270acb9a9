/**
 * Repaired formulas (issue 16 §2): formulas as people write them, which `compile()` rewrites into
 * stable forms (erfc/Φ for 1 + erf, max-shifted softmax and log-softmax, tanhshrink, the square-root
 * conjugate, a regime split), measured side by side in this process against a hand-written stable
 * loop of the same formula: forward, backward (gradIn = gradOut·f′) and fused, float64, 10⁶
 * elements. The target: within 1.10× of the hand-written loop. And the symbolic pipeline with the
 * repair — parse, simplify, diff, simplify, stabilize, code generation of f and f′ fused — from
 * scratch (the input renamed at every call, so no cache answers), under 5 ms each.
 */
import { define, type Activation } from "../src/index.js";
import { normalCdf, normalPdf } from "../src/functions/normal.js";
import type { Loops } from "./handwritten.js";
import { median, paired, uniform, type Budget } from "./measure.js";

const N = 1_000_000;

interface Case {
  readonly name: string;
  /** The definition as a user writes it, input x; parameters at their defaults. */
  readonly source: string;
  /** Where the inputs are drawn from (uniform); [−8, 8] unless the formula is undefined there. */
  readonly range?: readonly [number, number];
  readonly hand: Loops;
}

const SQRT_2_OVER_PI = 0.7978845608028654;
const GELU_C = 0.044715;
const [Y, Z] = [0.5, -3];
const TANHSHRINK_BELOW = 2.5;

/** x − tanh x without cancellation: Lambert's continued fraction below 2.5 (x·x²/(d + x²)), the difference above. */
function tanhshrink(x: number, t: number): number {
  if (!(Math.abs(x) < TANHSHRINK_BELOW)) return x - t;
  const y = x * x;
  let d = 31;
  for (let k = 14; k >= 1; k--) d = 2 * k + 1 + y / d;
  return (x * y) / (d + y);
}

// Each loop is written out on its own, as in bench/handwritten.ts: a loop shared by the cases
// through closures would call f megamorphically and be slower than anyone writes it.

const geluErf: Loops = {
  forward(x, out) {
    for (let i = 0; i < x.length; i++) out[i] = x[i]! * normalCdf(x[i]!);
  },
  backward(x, gradOut, gradIn) {
    for (let i = 0; i < x.length; i++) gradIn[i] = gradOut[i]! * (normalCdf(x[i]!) + x[i]! * normalPdf(x[i]!));
  },
  fused(x, gradOut, out, gradIn) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      const p = normalCdf(v);
      out[i] = v * p;
      gradIn[i] = gradOut[i]! * (p + v * normalPdf(v));
    }
  },
};

/** x·σ(2u), u = √(2/π)(x + 0.044715x³), σ and σσ′ from e = e^(−|2u|). */
const geluTanh: Loops = {
  forward(x, out) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      const w = 2 * SQRT_2_OVER_PI * (v + GELU_C * v * v * v);
      const e = Math.exp(-Math.abs(w));
      out[i] = (v * (w >= 0 ? 1 : e)) / (1 + e);
    }
  },
  backward(x, gradOut, gradIn) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      const w = 2 * SQRT_2_OVER_PI * (v + GELU_C * v * v * v);
      const e = Math.exp(-Math.abs(w));
      const r = 1 / (1 + e);
      gradIn[i] = gradOut[i]! * ((w >= 0 ? r : e * r) + v * e * r * r * 2 * SQRT_2_OVER_PI * (1 + 3 * GELU_C * v * v));
    }
  },
  fused(x, gradOut, out, gradIn) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      const w = 2 * SQRT_2_OVER_PI * (v + GELU_C * v * v * v);
      const e = Math.exp(-Math.abs(w));
      const r = 1 / (1 + e);
      const s = w >= 0 ? r : e * r;
      out[i] = v * s;
      gradIn[i] = gradOut[i]! * (s + v * e * r * r * 2 * SQRT_2_OVER_PI * (1 + 3 * GELU_C * v * v));
    }
  },
};

/** e^(x−m)/S, S = Σ e^(u−m), m = max(x, y, z) (y > z here); f′ = s·(1 − s) as (e^(x−m)/S)·(rest/S). */
const softmax: Loops = {
  forward(x, out) {
    for (let i = 0; i < x.length; i++) {
      const m = Math.max(x[i]!, Y);
      const ex = Math.exp(x[i]! - m);
      out[i] = ex / (ex + Math.exp(Y - m) + Math.exp(Z - m));
    }
  },
  backward(x, gradOut, gradIn) {
    for (let i = 0; i < x.length; i++) {
      const m = Math.max(x[i]!, Y);
      const ex = Math.exp(x[i]! - m);
      const rest = Math.exp(Y - m) + Math.exp(Z - m);
      const S = ex + rest;
      gradIn[i] = gradOut[i]! * ((ex / S) * (rest / S));
    }
  },
  fused(x, gradOut, out, gradIn) {
    for (let i = 0; i < x.length; i++) {
      const m = Math.max(x[i]!, Y);
      const ex = Math.exp(x[i]! - m);
      const rest = Math.exp(Y - m) + Math.exp(Z - m);
      const S = ex + rest;
      out[i] = ex / S;
      gradIn[i] = gradOut[i]! * ((ex / S) * (rest / S));
    }
  },
};

/** −log1p(Σ_(u≠x) e^(u−x)) where x is the max, else x − y − log1p(…); f′ = 1 − s = rest/S. */
const logSoftmax: Loops = {
  forward(x, out) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      out[i] = v >= Y ? -Math.log1p(Math.exp(Y - v) + Math.exp(Z - v)) : v - Y - Math.log1p(Math.exp(v - Y) + Math.exp(Z - Y));
    }
  },
  backward(x, gradOut, gradIn) {
    for (let i = 0; i < x.length; i++) {
      const m = Math.max(x[i]!, Y);
      const ex = Math.exp(x[i]! - m);
      const rest = Math.exp(Y - m) + Math.exp(Z - m);
      gradIn[i] = gradOut[i]! * (rest / (ex + rest));
    }
  },
  fused(x, gradOut, out, gradIn) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      const m = Math.max(v, Y);
      const ex = Math.exp(v - m);
      const rest = Math.exp(Y - m) + Math.exp(Z - m);
      out[i] = v >= Y ? -Math.log1p(rest) : v - Y - Math.log1p(ex + Math.exp(Z - Y));
      gradIn[i] = gradOut[i]! * (rest / (ex + rest));
    }
  },
};

/** tanhshrink; f′ = tanh²x. */
const tanhShrink: Loops = {
  forward(x, out) {
    for (let i = 0; i < x.length; i++) out[i] = tanhshrink(x[i]!, Math.tanh(x[i]!));
  },
  backward(x, gradOut, gradIn) {
    for (let i = 0; i < x.length; i++) {
      const t = Math.tanh(x[i]!);
      gradIn[i] = gradOut[i]! * (t * t);
    }
  },
  fused(x, gradOut, out, gradIn) {
    for (let i = 0; i < x.length; i++) {
      const t = Math.tanh(x[i]!);
      out[i] = tanhshrink(x[i]!, t);
      gradIn[i] = gradOut[i]! * (t * t);
    }
  },
};

/** (x + r)/2, r = √(x² + 1), as 1/(r − x)/2 for x < 0; f′ = (1 + x/r)/2, as 1/((r − x)·r)/2 for x < 0. */
const squareplus: Loops = {
  forward(x, out) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      const r = Math.sqrt(v * v + 1);
      out[i] = v < 0 ? 1 / (r - v) / 2 : (v + r) / 2;
    }
  },
  backward(x, gradOut, gradIn) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      const r = Math.sqrt(v * v + 1);
      gradIn[i] = gradOut[i]! * (v < 0 ? 1 / ((r - v) * r) / 2 : (r + v) / r / 2);
    }
  },
  fused(x, gradOut, out, gradIn) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      const r = Math.sqrt(v * v + 1);
      if (v < 0) {
        const q = 1 / (r - v);
        out[i] = q / 2;
        gradIn[i] = gradOut[i]! * (q / r / 2);
      } else {
        out[i] = (v + r) / 2;
        gradIn[i] = gradOut[i]! * ((r + v) / r / 2);
      }
    }
  },
};

/** log(expm1(x)) below 20, x + log(−expm1(−x)) above; f′ = −1/expm1(−x). */
const softplusInverse: Loops = {
  forward(x, out) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      out[i] = v < 20 ? Math.log(Math.expm1(v)) : v + Math.log1p(-Math.exp(-v));
    }
  },
  backward(x, gradOut, gradIn) {
    for (let i = 0; i < x.length; i++) gradIn[i] = gradOut[i]! * (-1 / Math.expm1(-x[i]!));
  },
  fused(x, gradOut, out, gradIn) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      const e = Math.expm1(-v);
      // log1p(−e^(−x)) = log(−expm1(−x)): the e the derivative needs.
      out[i] = v < 20 ? Math.log(Math.expm1(v)) : v + Math.log(-e);
      gradIn[i] = gradOut[i]! * (-1 / e);
    }
  },
};

/** e^x/expm1(x) below 0, −1/expm1(−x) above; f′ = −e^(±x)/expm1(±x)². */
const expq2: Loops = {
  forward(x, out) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      out[i] = v < 0 ? Math.exp(v) / Math.expm1(v) : -1 / Math.expm1(-v);
    }
  },
  backward(x, gradOut, gradIn) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      const w = v < 0 ? v : -v;
      const m = Math.expm1(w);
      gradIn[i] = gradOut[i]! * (-Math.exp(w) / (m * m));
    }
  },
  fused(x, gradOut, out, gradIn) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      const w = v < 0 ? v : -v;
      const [e, m] = [Math.exp(w), Math.expm1(w)];
      out[i] = v < 0 ? e / m : -1 / m;
      gradIn[i] = gradOut[i]! * (-e / (m * m));
    }
  },
};

export const CASES: readonly Case[] = [
  { name: "gelu, erf form", source: "x * (1 + erf(x / sqrt(2))) / 2", hand: geluErf },
  { name: "gelu, tanh form", source: "x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3))) / 2", hand: geluTanh },
  { name: "softmax component", source: "f(x; y = 0.5, z = -3) = exp(x) / (exp(x) + exp(y) + exp(z))", hand: softmax },
  { name: "log-softmax component", source: "f(x; y = 0.5, z = -3) = x - log(exp(x) + exp(y) + exp(z))", hand: logSoftmax },
  { name: "x − tanh x", source: "x - tanh(x)", hand: tanhShrink },
  { name: "squareplus", source: "f(x; b = 1) = (x + sqrt(x^2 + b)) / 2", hand: squareplus },
  // A regime split: log(expm1(x)) below, x + log1p(−e^(−x)) above.
  { name: "softplus⁻¹, log(eˣ − 1)", source: "log(exp(x) - 1)", range: [1e-3, 16], hand: softplusInverse },
  // Herbie's expq2, a regime split at 0.
  { name: "expq2, eˣ/(eˣ − 1)", source: "exp(x) / (exp(x) - 1)", hand: expq2 },
];

export interface RepairedRow {
  readonly name: string;
  readonly source: string;
  /** ns per element, per pass: actdiff's kernel, the hand-written loop, and their ratio. */
  readonly passes: readonly { readonly pass: "forward" | "backward" | "fused"; readonly actdiff: number; readonly handwritten: number; readonly ratio: number }[];
  /** The symbolic pipeline with repair, from scratch: median µs. */
  readonly pipelineUs: number;
}

const PASSES = ["forward", "backward", "fused"] as const;

function kernelsOf(a: Activation): Loops {
  const [forward, backward, fused] = [a.kernel(), a.backward(), a.fusedKernel()];
  return {
    forward: (x, out) => forward(x, out),
    backward: (x, g, gradIn) => backward(x, g, gradIn),
    fused: (x, g, out, gradIn) => fused(x, g, out, gradIn),
  };
}

let fresh = 0;

/** The definition with its input renamed (x → x_17): new nodes, so every stage runs from scratch. */
function renamed(source: string): string {
  const input = `x_${fresh++}`;
  const defined = /^f\(x(;[^)]*)?\) = (.*)$/.exec(source);
  const [params, body] = defined === null ? ["", source] : [defined[1] ?? "", defined[2]!];
  return `f(${input}${params}) = ${body.replace(/\bx\b/g, input)}`;
}

/** Where actdiff's kernel and the hand-written loop differ by more than rounding, before anything is timed. */
function disagreement(c: Case, ours: Loops, x: Float64Array, g: Float64Array): string | undefined {
  const n = 4096;
  const [xs, gs] = [x.subarray(0, n), g.subarray(0, n)];
  const outputs = (l: Loops): Float64Array[] => {
    const o = Array.from({ length: 4 }, () => new Float64Array(n));
    l.forward(xs, o[0]!);
    l.backward(xs, gs, o[1]!);
    l.fused(xs, gs, o[2]!, o[3]!);
    return o;
  };
  const [a, b] = [outputs(ours), outputs(c.hand)];
  const what = ["forward", "backward", "fused f", "fused gradIn"];
  for (let k = 0; k < 4; k++) {
    for (let i = 0; i < n; i++) {
      const [p, q] = [a[k]![i]!, b[k]![i]!];
      if (Number.isNaN(p) && Number.isNaN(q)) continue;
      // Relative 1e-12 (rounding only), absolute 1e-20 where f′ crosses 0 (gelu′ at −0.75).
      if (!(Math.abs(p - q) <= 1e-12 * Math.max(1e-8, Math.abs(q)))) return `${c.name} ${what[k]} at ${x[i]}: actdiff ${p}, hand-written ${q}`;
    }
  }
  return undefined;
}

/** Rounds of every case's pipeline before any is timed, so the parser, simplifier and code generator are compiled. */
const WARM_ROUNDS = 10;

export async function repairedSection(budget: Budget, progress: (text: string) => void): Promise<RepairedRow[]> {
  const g = Float64Array.from({ length: N }, uniform(2, -1, 1));
  const [out, gradIn] = [new Float64Array(N), new Float64Array(N)];
  for (let round = 0; round < WARM_ROUNDS; round++) for (const c of CASES) define(renamed(c.source)).compileValueAndGrad();
  const rows: RepairedRow[] = [];
  for (const c of CASES) {
    const [lo, hi] = c.range ?? [-8, 8];
    const x = Float64Array.from({ length: N }, uniform(1, lo, hi));
    const ours = kernelsOf(define(c.source));
    const wrong = disagreement(c, ours, x, g);
    if (wrong !== undefined) throw new Error(`repaired: ${wrong}`);
    const passes = [];
    for (const pass of PASSES) {
      const run = (l: Loops) => (pass === "forward" ? () => l.forward(x, out) : pass === "backward" ? () => l.backward(x, g, gradIn) : () => l.fused(x, g, out, gradIn));
      const [a, b] = await paired([run(ours), run(c.hand)], budget);
      passes.push({ pass, actdiff: a! / N, handwritten: b! / N, ratio: a! / b! });
    }
    const pipelineUs = (await median(() => define(renamed(c.source)).compileValueAndGrad(), budget, { collectFirst: false })) / 1e3;
    rows.push({ name: c.name, source: c.source, passes, pipelineUs });
    progress(`repaired ${c.name}: ${passes.map((p) => `${p.pass} ${p.ratio.toFixed(2)}×`).join(", ")}; pipeline ${(pipelineUs / 1e3).toFixed(2)} ms`);
  }
  return rows;
}

const fmt = (v: number): string => v.toFixed(2);

export function repairedTable(rows: readonly RepairedRow[]): string {
  const cell = (r: RepairedRow, pass: string): string => {
    const p = r.passes.find((q) => q.pass === pass)!;
    return `${fmt(p.handwritten)} / ${fmt(p.actdiff)} = ${fmt(p.ratio)}×`;
  };
  const lines = [
    "| formula | as written | forward: hand / actdiff | backward | fused | pipeline with repair (ms) |",
    "|---|---|---:|---:|---:|---:|",
    ...rows.map((r) => `| ${r.name} | \`${r.source}\` | ${cell(r, "forward")} | ${cell(r, "backward")} | ${cell(r, "fused")} | ${fmt(r.pipelineUs / 1e3)} |`),
  ];
  const ratios = rows.flatMap((r) => r.passes.map((p) => p.ratio));
  const within = ratios.filter((q) => q <= 1.1).length;
  const fast = rows.filter((r) => r.pipelineUs <= 5000).length;
  lines.push("", `Kernels within 1.10× of the hand-written loop: ${within} of ${ratios.length} (worst ${fmt(Math.max(...ratios))}×); pipeline under 5 ms: ${fast} of ${rows.length}.`);
  return lines.join("\n");
}
