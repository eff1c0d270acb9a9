/**
 * Closures called through one shared call site (issue 17 §6): the way user code, Array.map and
 * plotting libraries call them — many different functions from one place, so the call site is
 * megamorphic and nothing is inlined across it. compile() and derivative().compile() return the
 * generated function itself (parameters handled inside it), measured against the same formula
 * written by hand, and against the generated function behind a wrapper `(x, params) => …` (what
 * compile() returned before), all called from the same loop on 2²⁰ points uniform in [-8, 8].
 */
import { define } from "../src/index.js";
import { paired, uniform, type Budget } from "./measure.js";

type Scalar = (x: number) => number;

const sig = (x: number): number => 1 / (1 + Math.exp(-x));

/** f and f′ as a careful programmer writes them (the stable softplus; defaults as literals). */
const HANDWRITTEN: Record<string, { readonly f: Scalar; readonly df: Scalar }> = {
  sigmoid: { f: sig, df: (x) => { const s = sig(x); return s * (1 - s); } },
  tanh: { f: (x) => Math.tanh(x), df: (x) => { const t = Math.tanh(x); return 1 - t * t; } },
  relu: { f: (x) => (x > 0 ? x : 0), df: (x) => (x > 0 ? 1 : 0) },
  leaky_relu: { f: (x) => (x > 0 ? x : 0.01 * x), df: (x) => (x > 0 ? 1 : 0.01) },
  elu: { f: (x) => (x > 0 ? x : Math.expm1(x)), df: (x) => (x > 0 ? 1 : Math.exp(x)) },
  softplus: { f: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))), df: sig },
  softsign: { f: (x) => x / (1 + Math.abs(x)), df: (x) => { const d = 1 + Math.abs(x); return 1 / (d * d); } },
  swish: { f: (x) => x * sig(x), df: (x) => { const s = sig(x); return s + x * s * (1 - s); } },
  relu6: { f: (x) => (x <= 0 ? 0 : x >= 6 ? 6 : x), df: (x) => (x > 0 && x < 6 ? 1 : 0) },
};

export interface ClosureRow {
  readonly name: string;
  readonly which: "f" | "f′";
  /** ns per call, through the shared call site. */
  readonly actdiff: number;
  readonly handwritten: number;
  /** The generated function behind a wrapper, as compile() returned it before. */
  readonly wrapped: number;
  readonly ratio: number;
  readonly wrappedRatio: number;
}

const POINTS = 1 << 20;

/** The one shared call site: every closure of the section goes through `f(xs[i])` here. */
function sweep(f: Scalar, xs: Float64Array): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += f(xs[i]!);
  return s;
}

/** A wrapper of the shape compile() used to return: parameters checked, then the generated function called. */
const wrap = (g: (x: number, params?: object) => number): ((x: number, params?: object) => number) =>
  (x, params) => (params === undefined ? g(x) : g(x, params));

export async function closureSection(budget: Budget, progress: (text: string) => void): Promise<ClosureRow[]> {
  const xs = Float64Array.from({ length: POINTS }, uniform(7, -8, 8));
  const cases = Object.entries(HANDWRITTEN).flatMap(([name, hand]) => {
    const f = define(name);
    const generated = { f: f.compile() as Scalar, "f′": f.derivative().compile() as Scalar };
    return (["f", "f′"] as const).map((which) => ({
      name, which, actdiff: generated[which], handwritten: which === "f" ? hand.f : hand.df, wrapped: wrap(generated[which]) as Scalar,
    }));
  });
  // The same values, before any timing (relative 1e-12: the hand-written forms differ in rounding only).
  for (const c of cases) {
    for (let i = 0; i < 4096; i++) {
      const [a, h] = [c.actdiff(xs[i]!), c.handwritten(xs[i]!)];
      if (!(Math.abs(a - h) <= 1e-12 * Math.max(1, Math.abs(h)))) throw new Error(`closures: ${c.name} ${c.which} at ${xs[i]}: actdiff ${a}, hand-written ${h}`);
    }
  }
  // Every closure through the call site first, so that it is megamorphic before anything is timed.
  for (const c of cases) for (const fn of [c.actdiff, c.handwritten, c.wrapped]) sweep(fn, xs.subarray(0, 1024));
  const rows: ClosureRow[] = [];
  for (const c of cases) {
    progress(`closures: ${c.name} ${c.which}`);
    const [actdiff, handwritten, wrapped] = (await paired([() => sweep(c.actdiff, xs), () => sweep(c.handwritten, xs), () => sweep(c.wrapped, xs)], budget))
      .map((ns) => ns / POINTS) as [number, number, number];
    rows.push({ name: c.name, which: c.which, actdiff, handwritten, wrapped, ratio: actdiff / handwritten, wrappedRatio: wrapped / handwritten });
  }
  return rows;
}

const fmt = (v: number): string => v.toFixed(2);

export function closureTable(rows: readonly ClosureRow[]): string {
  const lines = [
    "| activation | | hand-written | actdiff compile() | ratio | behind a wrapper | ratio |",
    "|---|---|---:|---:|---:|---:|---:|",
    ...rows.map((r) => `| ${r.name} | ${r.which} | ${fmt(r.handwritten)} | ${fmt(r.actdiff)} | ${fmt(r.ratio)}× | ${fmt(r.wrapped)} | ${fmt(r.wrappedRatio)}× |`),
  ];
  const worst = Math.max(...rows.map((r) => r.ratio));
  const within = rows.filter((r) => r.ratio <= 1.05).length;
  lines.push("", `compile() within 1.05× of hand-written through the shared call site: ${within} of ${rows.length}; worst ${fmt(worst)}×.`);
  return lines.join("\n");
}
