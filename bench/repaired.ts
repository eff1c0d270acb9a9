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
import type { Arr, Loops } from "./handwritten.js";
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

/** A loop of f and one of f′ into the three passes, f and f′ written once each by hand. */
function loops(f: (x: number) => number, df: (x: number) => number, both: (x: number, out: Arr, gradIn: Arr, g: number, i: number) => void): Loops {
  return {
    forward(x, out) {
      for (let i = 0; i < x.length; i++) out[i] = f(x[i]!);
    },
    backward(x, gradOut, gradIn) {
      for (let i = 0; i < x.length; i++) gradIn[i] = gradOut[i]! * df(x[i]!);
    },
    fused(x, gradOut, out, gradIn) {
      for (let i = 0; i < x.length; i++) both(x[i]!, out, gradIn, gradOut[i]!, i);
    },
  };
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

/** σ(v) and σ(v)σ(−v) from one exponential e = e^(−|v|). */
const sigmoidPair = (v: number): [number, number] => {
  const e = Math.exp(-Math.abs(v));
  const r = 1 / (1 + e);
  return [v >= 0 ? r : e * r, e * r * r];
};

export const CASES: readonly Case[] = [
  {
    name: "gelu, erf form", source: "x * (1 + erf(x / sqrt(2))) / 2",
    hand: loops((x) => x * normalCdf(x), (x) => normalCdf(x) + x * normalPdf(x), (x, out, gradIn, g, i) => {
      const p = normalCdf(x);
      out[i] = x * p;
      gradIn[i] = g * (p + x * normalPdf(x));
    }),
  },
  {
    name: "gelu, tanh form", source: "x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3))) / 2",
    hand: loops(
      (x) => x * sigmoidPair(2 * SQRT_2_OVER_PI * (x + GELU_C * x * x * x))[0],
      (x) => {
        const [s, ds] = sigmoidPair(2 * SQRT_2_OVER_PI * (x + GELU_C * x * x * x));
        return s + x * ds * 2 * SQRT_2_OVER_PI * (1 + 3 * GELU_C * x * x);
      },
      (x, out, gradIn, g, i) => {
        const [s, ds] = sigmoidPair(2 * SQRT_2_OVER_PI * (x + GELU_C * x * x * x));
        out[i] = x * s;
        gradIn[i] = g * (s + x * ds * 2 * SQRT_2_OVER_PI * (1 + 3 * GELU_C * x * x));
      },
    ),
  },
  {
    name: "softmax component", source: "f(x; y = 0.5, z = -3) = exp(x) / (exp(x) + exp(y) + exp(z))",
    hand: loops(
      (x) => {
        const m = Math.max(x, Y);
        const ex = Math.exp(x - m);
        return ex / (ex + Math.exp(Y - m) + Math.exp(Z - m));
      },
      (x) => {
        const m = Math.max(x, Y);
        const [ex, rest] = [Math.exp(x - m), Math.exp(Y - m) + Math.exp(Z - m)];
        const S = ex + rest;
        return (ex / S) * (rest / S);
      },
      (x, out, gradIn, g, i) => {
        const m = Math.max(x, Y);
        const [ex, rest] = [Math.exp(x - m), Math.exp(Y - m) + Math.exp(Z - m)];
        const S = ex + rest;
        out[i] = ex / S;
        gradIn[i] = g * ((ex / S) * (rest / S));
      },
    ),
  },
  {
    name: "log-softmax component", source: "f(x; y = 0.5, z = -3) = x - log(exp(x) + exp(y) + exp(z))",
    hand: loops(
      (x) => (x >= Y ? -Math.log1p(Math.exp(Y - x) + Math.exp(Z - x)) : x - Y - Math.log1p(Math.exp(x - Y) + Math.exp(Z - Y))),
      (x) => {
        const m = Math.max(x, Y);
        const [ex, rest] = [Math.exp(x - m), Math.exp(Y - m) + Math.exp(Z - m)];
        return rest / (ex + rest);
      },
      (x, out, gradIn, g, i) => {
        const m = Math.max(x, Y);
        const [ex, rest] = [Math.exp(x - m), Math.exp(Y - m) + Math.exp(Z - m)];
        out[i] = x >= Y ? -Math.log1p(rest) : x - Y - Math.log1p(ex + Math.exp(Z - Y));
        gradIn[i] = g * (rest / (ex + rest));
      },
    ),
  },
  {
    name: "x − tanh x", source: "x - tanh(x)",
    hand: loops((x) => tanhshrink(x, Math.tanh(x)), (x) => {
      const t = Math.tanh(x);
      return t * t;
    }, (x, out, gradIn, g, i) => {
      const t = Math.tanh(x);
      out[i] = tanhshrink(x, t);
      gradIn[i] = g * (t * t);
    }),
  },
  {
    name: "squareplus", source: "f(x; b = 1) = (x + sqrt(x^2 + b)) / 2",
    hand: loops((x) => {
      const r = Math.sqrt(x * x + 1);
      return x < 0 ? 1 / (r - x) / 2 : (x + r) / 2;
    }, (x) => {
      const r = Math.sqrt(x * x + 1);
      return x < 0 ? 1 / ((r - x) * r) / 2 : (r + x) / r / 2;
    }, (x, out, gradIn, g, i) => {
      const r = Math.sqrt(x * x + 1);
      const neg = x < 0;
      out[i] = neg ? 1 / (r - x) / 2 : (x + r) / 2;
      gradIn[i] = g * (neg ? 1 / ((r - x) * r) / 2 : (r + x) / r / 2);
    }),
  },
  {
    // A regime split: log(expm1(x)) below, x + log1p(−e^(−x)) above, the derivative 1/(1 − e^(−x)).
    name: "softplus⁻¹, log(eˣ − 1)", source: "log(exp(x) - 1)", range: [1e-3, 16],
    hand: loops((x) => (x < 20 ? Math.log(Math.expm1(x)) : x + Math.log1p(-Math.exp(-x))), (x) => -1 / Math.expm1(-x), (x, out, gradIn, g, i) => {
      const e = Math.expm1(-x);
      // log1p(−e^(−x)) = log(−expm1(−x)): the e the derivative needs.
      out[i] = x < 20 ? Math.log(Math.expm1(x)) : x + Math.log(-e);
      gradIn[i] = g * (-1 / e);
    }),
  },
  {
    // Herbie's expq2, a regime split at 0: e^x/expm1(x) below, −1/expm1(−x) above.
    name: "expq2, eˣ/(eˣ − 1)", source: "exp(x) / (exp(x) - 1)",
    hand: loops((x) => (x < 0 ? Math.exp(x) / Math.expm1(x) : -1 / Math.expm1(-x)), (x) => {
      if (x < 0) {
        const m = Math.expm1(x);
        return -Math.exp(x) / (m * m);
      }
      const m = Math.expm1(-x);
      return -Math.exp(-x) / (m * m);
    }, (x, out, gradIn, g, i) => {
      const neg = x < 0;
      const e = Math.exp(neg ? x : -x);
      const m = neg ? Math.expm1(x) : Math.expm1(-x);
      out[i] = neg ? e / m : -1 / m;
      gradIn[i] = g * (-e / (m * m));
    }),
  },
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
  const [a, b] = [new Float64Array(n), new Float64Array(n)];
  const [da, db] = [new Float64Array(n), new Float64Array(n)];
  ours.fused(x.subarray(0, n), g.subarray(0, n), a, da);
  c.hand.fused(x.subarray(0, n), g.subarray(0, n), b, db);
  for (let i = 0; i < n; i++) {
    for (const [p, q, what] of [[a[i]!, b[i]!, "f"], [da[i]!, db[i]!, "gradIn"]] as const) {
      if (Number.isNaN(p) && Number.isNaN(q)) continue;
      if (!(Math.abs(p - q) <= 1e-12 * Math.max(1e-300, Math.abs(q)))) return `${c.name} ${what} at ${x[i]}: actdiff ${p}, hand-written ${q}`;
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
