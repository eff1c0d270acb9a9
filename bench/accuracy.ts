import * as Q from "../src/ast/rational.js";
import { ReferenceCache, toDouble } from "../src/numeric/reference.js";
import { FORMATS, ulpDistance } from "../src/audit/ulps.js";
import { define, type KernelOptions } from "../src/index.js";
import { tfOp, type TfActivation, type TfSetup } from "./peers.js";

/**
 * How right the passes that the TensorFlow.js table times are: f (forward) and f′ (backward with
 * gradOut = 1) in float32 on evenly spaced points of the benchmark's range [−8, 8] and of
 * [−100, 100], against the audit's 40-digit reference rounded to float32, in ulps. As in the
 * audit, a point counts where the truth or the result is a normal float32. A speed ratio means
 * little without this: tfjs takes elu′ from the output, as y + 1, which cancels for x < 0.
 */
export const COMPETITORS = ["tfjs cpu", "tfjs wasm", "actdiff simd, f32 lanes", "actdiff simd", "actdiff JS"] as const;
export type Competitor = (typeof COMPETITORS)[number];

export interface Worst {
  readonly ulps: number;
  readonly x: number;
}

export interface AccuracyRow {
  readonly name: TfActivation;
  readonly value: "f" | "f′";
  readonly range: number;
  readonly worst: Record<Competitor, Worst>;
}

const KERNELS: Record<Exclude<Competitor, "tfjs cpu" | "tfjs wasm">, KernelOptions> = {
  "actdiff simd, f32 lanes": { simd: "float32" },
  "actdiff simd": { simd: true },
  "actdiff JS": {},
};

function worstOf(xs: Float32Array, got: ArrayLike<number>, truth: readonly number[]): Worst {
  const { smallestNormal } = FORMATS.float32;
  let worst: Worst = { ulps: 0, x: Number.NaN };
  xs.forEach((x, i) => {
    const [g, t] = [got[i]!, truth[i]!];
    if (Math.max(Math.abs(g), Math.abs(t)) < smallestNormal) return;
    const ulps = Number.isFinite(g) ? ulpDistance(g, t, "float32") : Infinity;
    if (!(ulps <= worst.ulps)) worst = { ulps, x };
  });
  return worst;
}

export async function peerAccuracy({ tf }: TfSetup, names: readonly TfActivation[], points: number): Promise<AccuracyRow[]> {
  const rows: AccuracyRow[] = [];
  for (const range of [8, 100]) {
    const xs = Float32Array.from({ length: points }, (_, i) => -range + (2 * range * i) / (points - 1));
    const ones = new Float32Array(points).fill(1);
    for (const name of names) {
      const a = define(name);
      const values = a.paramValues();
      const params = new Map(a.params.map((p, i) => [p.name, Q.fromNumber(values[i]!)] as const));
      const refs = new ReferenceCache(params, a.inputs[0]!);
      const truthOf = (e: typeof a.expr): number[] => [...xs].map((x) => Math.fround(toDouble(refs.get(e, x)!)));
      const truth = { f: truthOf(a.expr), "f′": truthOf(a.derivative().expr) };
      const got: Record<"f" | "f′", Partial<Record<Competitor, ArrayLike<number>>>> = { f: {}, "f′": {} };
      for (const backend of ["cpu", "wasm"] as const) {
        await tf.setBackend(backend);
        const op = tfOp(tf, name);
        tf.tidy(() => {
          const x = tf.tensor1d(xs);
          got.f[`tfjs ${backend}`] = op(x).dataSync();
          got["f′"][`tfjs ${backend}`] = tf.grad(op)(x).dataSync();
        });
      }
      for (const [competitor, options] of Object.entries(KERNELS) as [Competitor, KernelOptions][]) {
        const [out, gradIn] = [new Float32Array(points), new Float32Array(points)];
        a.kernel(options)(xs, out);
        a.backward(options)(xs, ones, gradIn);
        got.f[competitor] = out;
        got["f′"][competitor] = gradIn;
      }
      for (const value of ["f", "f′"] as const) {
        const worst = Object.fromEntries(COMPETITORS.map((c) => [c, worstOf(xs, got[value][c]!, truth[value])])) as Record<Competitor, Worst>;
        rows.push({ name, value, range, worst });
      }
    }
  }
  return rows;
}
