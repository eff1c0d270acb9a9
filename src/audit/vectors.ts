import type { Activation, ParamValues } from "../api/activation.js";
import type { VectorFunction } from "../api/vector-activation.js";
import { OUTPUT_INDEX } from "../ast/definition.js";
import type { Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";
import { reliableValue } from "../numeric/evaluate.js";
import { DTYPES, ulpDistance, type Dtype } from "./ulps.js";

/**
 * The accuracy audit of a function of a vector: its generated code (compile() in float64, the
 * row kernel over Float32Array in float32) against a 40-digit reference, on random vectors,
 * vectors with one huge entry and all-equal vectors of lengths 1, 2, 3, 10 and 1000, each output
 * held to 4κ ulps with κ = Σ_j |x_j ∂f_i/∂x_j| / |f_i| (the error the inputs' own rounding
 * causes; 4 ulps where κ < 1). For long vectors a few outputs are measured: the first, the
 * largest input's, the last and five more.
 */
export interface VectorAuditRow {
  readonly kind: "random" | "one huge entry" | "all equal";
  readonly n: number;
  readonly dtype: Dtype;
  /** The largest error over the measured outputs, in ulps of the type. */
  readonly maxUlps: number;
  /** Where: the output index, its κ and the bound max(4, 4κ) there. */
  readonly worst: { readonly index: number; readonly kappa: number; readonly bound: number };
  readonly pass: boolean;
  /** Outputs that are not finite where the reference is. */
  readonly nonFinite: number;
}

export interface VectorAuditReport {
  readonly name: string;
  readonly rows: readonly VectorAuditRow[];
  readonly pass: boolean;
  readonly seconds: number;
}

const LENGTHS = [1, 2, 3, 10, 1000];
const KINDS: readonly VectorAuditRow["kind"][] = ["random", "one huge entry", "all equal"];

function vectorOf(kind: VectorAuditRow["kind"], n: number, seed: number): number[] {
  let s = seed;
  const next = (): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648 - 0.5) * 100;
  };
  const x = Array.from({ length: n }, next);
  if (kind === "one huge entry") x[Math.floor(n / 2)] = 1e300;
  if (kind === "all equal") x.fill(3.7);
  return x;
}

export function auditVector(act: Activation, options: { readonly params?: ParamValues; readonly lengths?: readonly number[] } = {}): VectorAuditReport {
  const started = performance.now();
  const vector = act.definition.vectors?.[0];
  if (vector === undefined || act.inputs.length !== 1) throw new Error(`internal error: ${act.name} is not a function of one vector`);
  const run = act.compile() as unknown as VectorFunction;
  const kernel = act.kernel();
  const backward = act.backward();
  const jacobian = act.derivative(vector).expr;
  const paramValues = act.paramValues(options.params);
  const params = new Map(act.params.map((p, i) => [p.name, Q.fromNumber(paramValues[i]!)] as const));
  const exact = (e: Expr, x: readonly number[], indices: Record<string, number>): number | undefined =>
    reliableValue(e, params, 40, { vectors: new Map([[vector, x.map(Q.fromNumber)]]), indices: new Map(Object.entries(indices)), acceptTinyAtTop: true })?.value.toNumber();
  const rows: VectorAuditRow[] = [];
  for (const kind of KINDS) {
    for (const n of options.lengths ?? LENGTHS) {
      if (act.name === "maxout" && n % 2 !== 0) continue;
      for (const dtype of DTYPES) {
        const raw = vectorOf(kind, n, n * 7 + KINDS.indexOf(kind));
        const x = dtype === "float32" ? raw.map(Math.fround).map((v) => (Number.isFinite(v) ? v : 3e38)) : raw;
        let got: number[];
        if (dtype === "float64") got = [run(x, options.params)].flat();
        else {
          const out = new Float32Array([run(x, options.params)].flat().length);
          kernel(Float32Array.from(x), out, n, options.params);
          got = Array.from(out);
        }
        const m = got.length;
        const argmax = x.indexOf(Math.max(...x));
        const measured = m <= 10 ? got.map((_, i) => i) : [...new Set([0, Math.min(argmax, m - 1), m - 1, 1, 2, Math.floor(m / 3), Math.floor(m / 2), m - 2])];
        let worst = { index: 0, kappa: 0, bound: 4, ulps: 0 };
        let nonFinite = 0;
        let pass = true;
        for (const i of measured) {
          const indices: Record<string, number> = act.definition.output ? { [OUTPUT_INDEX]: i } : {};
          const want = exact(act.expr, x, indices);
          if (want === undefined) continue;
          const wantTyped = dtype === "float32" ? Math.fround(want) : want;
          if (Number.isFinite(wantTyped) && !Number.isFinite(got[i]!)) nonFinite++;
          const row = new Float64Array(n);
          const unit = new Float64Array(m);
          unit[i] = 1;
          backward(Float64Array.from(x), unit, row, n, options.params);
          // Exact rows for short vectors: the float row cancels where f does (1 − s_a).
          if (n <= 10) for (let j = 0; j < n; j++) row[j] = exact(jacobian, x, { ...indices, j }) ?? row[j]!;
          const kappa = want === 0 ? 0 : x.reduce((acc, xj, j) => acc + Math.abs(xj * row[j]!), 0) / Math.abs(want);
          const bound = 4 * Math.max(1, Number.isFinite(kappa) ? kappa : 0);
          const ulps = ulpDistance(got[i]!, wantTyped, dtype);
          if (!(ulps <= bound)) pass = false;
          if (ulps > worst.ulps || (Number.isNaN(ulps) && !Number.isNaN(worst.ulps))) worst = { index: i, kappa, bound, ulps };
        }
        rows.push({ kind, n, dtype, maxUlps: worst.ulps, worst: { index: worst.index, kappa: worst.kappa, bound: worst.bound }, pass: pass && nonFinite === 0, nonFinite });
      }
    }
  }
  return { name: act.name, rows, pass: rows.every((r) => r.pass), seconds: (performance.now() - started) / 1000 };
}

export function vectorAuditText(r: VectorAuditReport): string {
  const lines = [`${r.name}: ${r.pass ? "every output within max(4, 4κ) ulps" : "OUTSIDE the 4κ bound somewhere"} (${r.seconds.toFixed(1)} s)`];
  lines.push("  vectors          N     type     max ulps  at    κ there     bound  ");
  for (const row of r.rows) {
    lines.push(`  ${row.kind.padEnd(15)} ${String(row.n).padStart(5)}  ${row.dtype}  ${row.maxUlps.toFixed(2).padStart(8)}  ${String(row.worst.index).padStart(4)}  ${row.worst.kappa.toPrecision(3).padStart(9)}  ${row.worst.bound.toPrecision(3).padStart(7)}  ${row.pass ? "ok" : "FAIL"}${row.nonFinite ? ` (${row.nonFinite} not finite)` : ""}`);
  }
  return lines.join("\n");
}
