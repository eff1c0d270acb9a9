import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { define, type Activation } from "../../src/api/activation.js";
import { actdiff, noStack } from "../support/cli.js";
import { BACKENDS, importModule, loadTf, moduleDir, type Tensor, type Tf } from "../support/tfjs.js";

/**
 * maxout exported to tfjs: the groups of k along the last axis as a reshape to [..., n / k, k] and
 * a max along the new axis; the gradient dy of each group to the first element where the max is
 * reached (the first NaN when one is NaN), exactly as actdiff's row kernels (and torch.max(dim))
 * route it. Max and routing round nothing, so forward and gradient equal the float64 row kernels
 * bit for bit on float32 inputs, ties and NaN included, on the cpu and wasm backends. Rows whose
 * length k does not divide are refused, as the row kernels refuse them.
 */
type Op = (x: unknown, params?: object) => Tensor;
type Module = Record<string, Op & { new (config?: object): import("@tensorflow/tfjs").layers.Layer }>;
let tf: Tf;
const { dir, remove } = moduleDir("tfjs-maxout");
beforeAll(async () => { tf = await loadTf(); });
afterAll(remove);

/** Rows of 12 (groups of 2, 3, 4 and 6 divide it): ties of 2, 3 and 4, ±0, ±∞, NaN, subnormals. */
const ROWS: number[][] = [
  [0.5, -1, 2, 3, -4, 0, 1, 7, 7, 7, -2, 5],
  [2, 2, 2, 2, 1, 1, -3, -3, 0.25, 0.25, 0.25, -1e30],
  [NaN, 1, 3, NaN, 2, 2, -Infinity, -Infinity, Infinity, 1, 0, -0],
  [-0, 0, 0, -0, 1e-40, -1e-40, 5, NaN, NaN, 4, 1e30, 1e30],
  Array.from({ length: 12 }, (_, i) => Math.sin(i) * 20),
].map((r) => r.map(Math.fround));
const N = ROWS[0]!.length;

/** Equal as numbers (NaN to NaN, −0 to 0: a max of ±0 may be either, both are right). */
function expectSame(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const [g, w] = [got[i]!, want[i]!];
    if (!(g === w || (Number.isNaN(g) && Number.isNaN(w)))) expect.fail(`${what}, element ${i}: ${g}, want ${w}`);
  }
}

/** f's forward and VJP by actdiff's float64 row kernels: [out, gradX]. */
function byRowKernels(a: Activation, g: Float64Array, params?: Readonly<Record<string, number>>): [Float64Array, Float64Array] {
  const x = Float64Array.from(ROWS.flat());
  const out = new Float64Array(g.length);
  const gradX = new Float64Array(x.length);
  a.kernel()(x, out, N, params);
  a.backward()(x, g, gradX, N, params);
  return [out, gradX];
}

const CASES: readonly { readonly source: string; readonly name: string; readonly params?: { k: number }; readonly k: number }[] = [
  { source: "maxout", name: "maxout", k: 2 },
  { source: "maxout", name: "maxout", params: { k: 3 }, k: 3 },
  { source: "maxout", name: "maxout", params: { k: 4 }, k: 4 },
  { source: "maxout", name: "maxout", params: { k: 12 }, k: 12 },
  { source: "maxout", name: "maxout", params: { k: 1 }, k: 1 },
  { source: "min6(z[]) = groupmin(z, 6)", name: "min6", k: 6 },
  { source: "minout(z[]; k = 2) = groupmin(z, k)", name: "minout", params: { k: 3 }, k: 3 },
];

describe.each(BACKENDS)("on the %s backend", (backend) => {
  beforeAll(async () => { await tf.setBackend(backend); });

  test.each(CASES)("$source with $params: forward and gradient equal the row kernels bit for bit, ties and NaN included", async ({ source, name, params, k }) => {
    const a = define(source);
    const m = await importModule<Module>(dir, a.emitModule({ lang: "tfjs" }));
    const G = ROWS.map((_, r) => Array.from({ length: N / k }, (_, j) => Math.fround(1 + r + j / 8)));
    const [out, gradX] = byRowKernels(a, Float64Array.from(G.flat()), params);
    tf.tidy(() => {
      const xt = tf.tensor2d(ROWS);
      const y = m[name]!(xt, params);
      expect(y.shape).toEqual([ROWS.length, N / k]);
      expectSame(y.dataSync(), out, `${name} forward`);
      const grad = tf.grad((t: Tensor) => tf.sum(tf.mul(tf.tensor2d(G), m[name]!(t, params))))(xt);
      expectSame(grad.dataSync(), gradX, `${name} gradient`);
    });
  });

  test("the gradient goes to the first of a tie and to the first NaN, on any batch shape", async () => {
    const m = await importModule<Module>(dir, define("maxout").emitModule({ lang: "tfjs" }));
    tf.tidy(() => {
      const x = tf.tensor3d([[[3, 3, 1, NaN, NaN, 2]], [[-Infinity, -Infinity, -Infinity, -0, 5, 5]]]);
      expect(m.maxout!(x, { k: 3 }).shape).toEqual([2, 1, 2]);
      const grad = tf.grad((t: Tensor) => tf.sum(m.maxout!(t, { k: 3 })))(x);
      expect(Array.from(grad.dataSync())).toEqual([1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0]);
    });
  });

  test("the gradient of the gradient is exact: by the incoming gradient, the marked elements; by x, 0", async () => {
    const m = await importModule<Module>(dir, define("maxout").emitModule({ lang: "tfjs" }));
    tf.tidy(() => {
      const x = tf.tensor2d([[1, 4, 4, 2, NaN, 0]]);
      const dy = tf.tensor2d([[2, 3, 5]]);
      const v = tf.tensor2d([[10, 20, 30, 40, 50, 60]]);
      // ⟨v, ∂(Σ dy ⊙ maxout(x))/∂x⟩ as a function of x and dy.
      const inner = (t: Tensor, d: Tensor): Tensor => tf.sum(tf.mul(v, tf.grad((u: Tensor) => tf.sum(tf.mul(d, m.maxout!(u))))(t)));
      const [byX, byDy] = tf.grads(inner)([x, dy]);
      expect(Array.from(byX!.dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
      expect(Array.from(byDy!.dataSync())).toEqual([20, 30, 50]);
    });
  });
});

describe("rows that do not split into groups", () => {
  test("a row length that k does not divide is refused, as the row kernels refuse it", async () => {
    await tf.setBackend("cpu");
    const a = define("maxout");
    expect(() => a.kernel()(new Float64Array(5), new Float64Array(2), 5)).toThrow(/rows of 5 elements give 2\.5 outputs, not a whole number/);
    const m = await importModule<Module>(dir, a.emitModule({ lang: "tfjs" }));
    const x = tf.tensor2d([[1, 2, 3, 4, 5]]);
    expect(() => m.maxout!(x)).toThrow(new TypeError("maxout: rows of 5 elements give 2.5 outputs, not a whole number; for groups of 2, the row length must be a multiple of 2"));
    expect(() => m.maxout!(x, { k: 0 })).toThrow(new TypeError("maxout: the group size is a positive integer, not 0"));
    expect(() => m.maxout!(x, { k: 2.5 })).toThrow(new TypeError("maxout: the group size is a positive integer, not 2.5"));
    expect(() => m.maxout!(x, { k: tf.scalar(5) })).toThrow(new TypeError('maxout: parameter "k" of a function of vectors is a number'));
    x.dispose();
  });

  test("a group reduction of something other than the elements is still declined, with the reason", () => {
    const r = actdiff("emit", "gs(z[]; k = 2) = groupmax(2 * z, k)", "--lang", "tfjs");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("error[E_UNSUPPORTED]: gs: its rows have no tfjs form as whole tensors: a reduction over part of a row");
    noStack(r.stderr);
  });
});

describe("the Maxout layer", () => {
  beforeAll(async () => { await tf.setBackend("cpu"); });

  test("between two dense layers: its output shape is n / k; fit lowers the loss; save and load keep k and the predictions", async () => {
    const { Maxout } = await importModule<Module>(dir, define("maxout").emitModule({ lang: "tfjs" }));
    expect(new Maxout!({ k: 3 }).computeOutputShape([null, 12])).toEqual([null, 4]);
    expect(new Maxout!().computeOutputShape([null, 5, null])).toEqual([null, 5, null]);
    const model = tf.sequential();
    model.add(tf.layers.dense({ units: 12, inputShape: [2], kernelInitializer: tf.initializers.randomNormal({ seed: 5 }) }));
    model.add(new Maxout!({ k: 3 }));
    model.add(tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.randomNormal({ seed: 6 }) }));
    expect(model.outputs[0]!.shape).toEqual([null, 1]);
    model.compile({ optimizer: tf.train.adam(0.05), loss: "meanSquaredError" });
    // |x₀| + |x₁|: piecewise linear, what maxout units fit.
    const points = [[1, 0], [0, 1], [-1, -1], [1, 1], [0, -1], [-1, 0], [0.5, -0.5], [-0.5, 0.25]];
    const xs = tf.tensor2d(points);
    const ys = tf.tensor2d(points.map(([a, b]) => [Math.abs(a!) + Math.abs(b!)]));
    const loss = (await model.fit(xs, ys, { epochs: 60, batchSize: 8, verbose: 0 })).history.loss as number[];
    expect(loss[loss.length - 1]!).toBeLessThan(loss[0]! / 4);
    const artifacts: { value?: import("@tensorflow/tfjs").io.ModelArtifacts } = {};
    await model.save(tf.io.withSaveHandler(async (a) => {
      artifacts.value = a;
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: "JSON" } };
    }));
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts.value!));
    expect(loaded.layers[1]!.getClassName()).toBe("actdiff.Maxout");
    expect(loaded.layers[1]!.getConfig()).toMatchObject({ k: 3 });
    expect(Array.from((loaded.predict(xs) as Tensor).dataSync())).toEqual(Array.from((model.predict(xs) as Tensor).dataSync()));
  });
});
