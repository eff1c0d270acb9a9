import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { define } from "../../src/api/activation.js";
import { vectorActivations } from "../../src/catalog/catalog.js";
import { BACKENDS, importModule, loadTf, moduleDir, type Tensor, type Tf } from "../support/tfjs.js";

/**
 * Functions of vectors exported to tfjs, along the last axis: the forward and the gradient — the
 * vector–Jacobian product actdiff derives, O(N) per row — equal actdiff's float64 row kernels on
 * the cpu and wasm backends within float32 summation error ((N + 8) u of the row's scale), the
 * stable forms hold where float32 would lose everything (log_softmax at the max), and the layer
 * trains, saves and loads. maxout (groups of a row, one output per group) is tested in
 * tfjs-maxout.test.ts.
 */
type Op = (x: unknown, params?: object) => Tensor;
type Module = Record<string, Op & { new (config?: object): import("@tensorflow/tfjs").layers.Layer }>;
let tf: Tf;
const { dir, remove } = moduleDir("tfjs-vectors");
beforeAll(async () => { tf = await loadTf(); });
afterAll(remove);

const U32 = 2 ** -24;
const ROWS: number[][] = [
  [0.5, -1, 2, 3, -4, 0, 1, 7],
  [80, 79, -80, 0, 1, 2, 3, 50],
  [-1e4, 1e4, 0, 1, -1, 2, -2, 3],
  [1e-6, -1e-6, 0, 0, 1e-3, -1e-3, 0.25, -0.25],
  Array.from({ length: 8 }, (_, i) => Math.fround(Math.sin(i) * 20)),
].map((r) => r.map(Math.fround));
const N = ROWS[0]!.length;
const G = ROWS.map((r, i) => r.map((_, j) => Math.fround(Math.cos(3 * i + j))));

/**
 * got within (N + 8)·u of the row's scale: its largest |want|, or for a VJP Σ|g| of the row (the
 * size of the terms it sums, the Jacobians of this family having entries of at most 1).
 */
function expectRowsClose(got: ArrayLike<number>, want: ArrayLike<number>, width: number, what: string, gRows?: readonly number[][]): void {
  for (let r = 0; r < want.length / width; r++) {
    const row = Array.from(want).slice(r * width, (r + 1) * width);
    const scale = Math.max(...row.map(Math.abs), gRows === undefined ? 0 : gRows[r]!.reduce((sum, v) => sum + Math.abs(v), 0));
    row.forEach((w, j) => {
      const g = got[r * width + j]!;
      if (Object.is(Math.fround(w), g)) return;
      const tolerance = Math.max((N + 8) * U32 * scale, 2 ** -126);
      if (!(Math.abs(g - w) <= tolerance)) expect.fail(`${what}, row ${r} element ${j}: ${g}, want ${w} ± ${tolerance}`);
    });
  }
}

const names = vectorActivations().map((e) => e.name).filter((n) => n !== "maxout");

describe.each(BACKENDS)("on the %s backend", (backend) => {
  beforeAll(async () => { await tf.setBackend(backend); });

  test.each(names)("%s: forward and vector–Jacobian product equal the row kernels", async (name) => {
    const a = define(name);
    const m = await importModule<Module>(dir, a.emitModule({ lang: "tfjs" }));
    const x = Float64Array.from(ROWS.flat());
    const scalar = a.definition.output === undefined;
    const width = scalar ? 1 : N;
    const out = new Float64Array(ROWS.length * width);
    a.kernel()(x, out, N);
    const g = Float64Array.from(scalar ? G.map((r) => r[0]!) : G.flat());
    const gradX = new Float64Array(x.length);
    a.backward()(x, g, gradX, N);
    tf.tidy(() => {
      const xt = tf.tensor2d(ROWS);
      const y = m[name]!(xt);
      expect(y.shape).toEqual(scalar ? [ROWS.length] : [ROWS.length, N]);
      expectRowsClose(y.dataSync(), out, width, `${name} forward`);
      // The gradient of Σ g ⊙ f(x) is the VJP with g.
      const gt = scalar ? tf.tensor1d(Array.from(g)) : tf.tensor2d(G);
      const grad = tf.grad((t: Tensor) => tf.sum(tf.mul(gt, m[name]!(t))))(xt);
      expectRowsClose(grad.dataSync(), gradX, N, `${name} VJP`, scalar ? G.map((r) => [r[0]!]) : G);
    });
  });

  test("the stable forms hold in float32: log_softmax(50, 0) at the max is −1.9e−22, not 0; softmax shifts by the max of a row of ±1000", async () => {
    const m = await importModule<Module>(dir, define("log_softmax").emitModule({ lang: "tfjs" }));
    const [atMax] = Array.from(m.log_softmax!(tf.tensor2d([[50, 0]])).dataSync());
    expect(Math.abs(atMax! / -Math.exp(-50) - 1)).toBeLessThan(4 * U32);
    const s = await importModule<Module>(dir, define("softmax").emitModule({ lang: "tfjs" }));
    expect(Array.from(s.softmax!(tf.tensor2d([[1000, 0, -1000]])).dataSync())).toEqual([1, 0, 0]);
  });
});

describe("a function of vectors with a parameter", () => {
  test("softmax with a temperature: the number parameter is a constant of forward and VJP; a tensor one is refused", async () => {
    await tf.setBackend("cpu");
    const a = define("tempered(x[]; T = 2) = softmax(x / T)");
    const m = await importModule<Module>(dir, a.emitModule({ lang: "tfjs" }));
    const x = Float64Array.from(ROWS.flat());
    const [out, gradX] = [new Float64Array(x.length), new Float64Array(x.length)];
    a.kernel()(x, out, N, { T: 3 });
    a.backward()(x, Float64Array.from(G.flat()), gradX, N, { T: 3 });
    tf.tidy(() => {
      const xt = tf.tensor2d(ROWS);
      expectRowsClose(m.tempered!(xt, { T: 3 }).dataSync(), out, N, "tempered forward");
      const grad = tf.grad((t: Tensor) => tf.sum(tf.mul(tf.tensor2d(G), m.tempered!(t, { T: 3 }))))(xt);
      expectRowsClose(grad.dataSync(), gradX, N, "tempered VJP", G);
      expect(() => m.tempered!(xt, { T: tf.scalar(3) })).toThrow(new TypeError('tempered: parameter "T" of a function of vectors is a number'));
    });
  });
});

describe("layers of vectors", () => {
  beforeAll(async () => { await tf.setBackend("cpu"); });

  test("Softmax as the output layer of a classifier: fit lowers the loss; save and load give the same predictions", async () => {
    const { Softmax } = await importModule<Module>(dir, define("softmax").emitModule({ lang: "tfjs" }));
    const model = tf.sequential();
    model.add(tf.layers.dense({ units: 3, inputShape: [2], kernelInitializer: tf.initializers.randomNormal({ seed: 3 }) }));
    model.add(new Softmax!());
    model.compile({ optimizer: tf.train.adam(0.1), loss: "categoricalCrossentropy" });
    const xs = tf.tensor2d([[1, 0], [0, 1], [-1, -1], [1, 1], [0, -1], [-1, 0]]);
    const ys = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 2, 1], "int32"), 3);
    const loss = (await model.fit(xs, ys, { epochs: 30, batchSize: 6, verbose: 0 })).history.loss as number[];
    expect(loss[loss.length - 1]!).toBeLessThan(loss[0]! / 2);
    const artifacts: { value?: import("@tensorflow/tfjs").io.ModelArtifacts } = {};
    await model.save(tf.io.withSaveHandler(async (a) => {
      artifacts.value = a;
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: "JSON" } };
    }));
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts.value!));
    expect(loaded.layers[1]!.getClassName()).toBe("actdiff.Softmax");
    expect(Array.from((loaded.predict(xs) as Tensor).dataSync())).toEqual(Array.from((model.predict(xs) as Tensor).dataSync()));
  });

  test("logsumexp's layer drops the last axis", async () => {
    const { Logsumexp } = await importModule<Module>(dir, define("logsumexp").emitModule({ lang: "tfjs" }));
    expect(new Logsumexp!().computeOutputShape([null, 4, 8])).toEqual([null, 4]);
  });
});
