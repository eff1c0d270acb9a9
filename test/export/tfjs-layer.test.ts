import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { define } from "../../src/api/activation.js";
import { BACKENDS, importModule, loadTf, moduleDir, type Tensor, type Tf } from "../support/tfjs.js";

/**
 * The layer class of `actdiff emit --lang tfjs`: its parameters are trainable weights that
 * model.fit moves, it saves with model.save (here through an IOHandler that writes model.json and
 * weights.bin into a directory, as file:// would) and loads back with tf.loadLayersModel — by its
 * registered class name, with no "Unknown layer" — computing the same outputs, its config holding
 * the trained parameter values.
 */
type Op = (...args: unknown[]) => Tensor;
interface LayerClass { new (config?: Record<string, unknown>): import("@tensorflow/tfjs").layers.Layer; className: string }
type Module = Record<string, Op & LayerClass>;

let tf: Tf;
const { dir, remove } = moduleDir("tfjs-layer");
beforeAll(async () => { tf = await loadTf(); });
afterAll(remove);

/** An IOHandler that saves a model into the directory `name` as model.json and weights.bin, and loads it from there. */
function directory(name: string): import("@tensorflow/tfjs").io.IOHandler {
  const path = join(dir, name);
  mkdirSync(path, { recursive: true });
  return {
    save: async (artifacts) => {
      const data = artifacts.weightData;
      const buffer = data === undefined ? new ArrayBuffer(0) : Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data;
      writeFileSync(join(path, "weights.bin"), new Uint8Array(buffer));
      writeFileSync(join(path, "model.json"), JSON.stringify({
        modelTopology: artifacts.modelTopology, format: artifacts.format,
        weightsManifest: [{ paths: ["weights.bin"], weights: artifacts.weightSpecs }],
      }));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    load: async () => {
      const json = JSON.parse(readFileSync(join(path, "model.json"), "utf8"));
      const bytes = readFileSync(join(path, "weights.bin"));
      return {
        modelTopology: json.modelTopology, format: json.format, weightSpecs: json.weightsManifest[0].weights,
        weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      };
    },
  };
}

const modules = new Map<string, Module>();
async function emitted(name: string): Promise<Module> {
  if (!modules.has(name)) modules.set(name, await importModule<Module>(dir, define(name).emitModule({ lang: "tfjs" })));
  return modules.get(name)!;
}

/** A regression y = |x| − 1 on [−2, 2]: a kink a smooth activation must learn to bend around. */
function toyData(): { x: Tensor; y: Tensor } {
  const xs = Array.from({ length: 64 }, (_, i) => -2 + (4 * i) / 63);
  return { x: tf.tensor2d(xs, [64, 1]), y: tf.tensor2d(xs.map((v) => Math.abs(v) - 1), [64, 1]) };
}

function mlp(activation: import("@tensorflow/tfjs").layers.Layer): import("@tensorflow/tfjs").LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 8, inputShape: [1], kernelInitializer: tf.initializers.randomNormal({ seed: 1 }) }));
  model.add(activation);
  model.add(tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.randomNormal({ seed: 2 }) }));
  model.compile({ optimizer: tf.train.adam(0.05), loss: "meanSquaredError" });
  return model;
}

describe.each(BACKENDS)("on the %s backend", (backend) => {
  beforeAll(async () => { await tf.setBackend(backend); });

  test("swish: fit lowers the loss and trains beta; save and load give the same model, beta included", async () => {
    const { Swish } = await emitted("swish");
    const layer = new Swish({ beta: 1 });
    const model = mlp(layer);
    expect(layer.trainableWeights.map((w) => w.originalName)).toEqual([expect.stringMatching(/beta$/)]);
    const { x, y } = toyData();
    const history = await model.fit(x, y, { epochs: 40, batchSize: 64, shuffle: false, verbose: 0 });
    const loss = history.history.loss as number[];
    expect(loss[loss.length - 1]!).toBeLessThan(loss[0]! / 2);
    const beta = layer.getConfig().beta as number;
    expect(beta).not.toBe(1);
    expect(beta).toBe((await layer.getWeights()[0]!.data())[0]);

    const saved = directory(`swish-${backend}`);
    await model.save(saved);
    const topology = readFileSync(join(dir, `swish-${backend}`, "model.json"), "utf8");
    expect(topology).toContain('"class_name":"actdiff.Swish"');
    const loaded = await tf.loadLayersModel(saved);
    const back = loaded.layers[1]!;
    expect(back.getClassName()).toBe("actdiff.Swish");
    expect(back.getConfig().beta).toBe(beta);
    expect(Array.from((loaded.predict(x) as Tensor).dataSync())).toEqual(Array.from((model.predict(x) as Tensor).dataSync()));
  });

  test("leaky_relu: a parameter named with an underscore round-trips through the saved config (camelCase on load)", async () => {
    const { LeakyRelu } = await emitted("leaky_relu");
    const layer = new LeakyRelu({ negative_slope: 0.2 });
    expect(layer.getConfig().negativeSlope).toBeCloseTo(0.2, 7);
    const model = mlp(layer);
    const { x, y } = toyData();
    await model.fit(x, y, { epochs: 3, batchSize: 64, shuffle: false, verbose: 0 });
    const saved = directory(`leaky-${backend}`);
    await model.save(saved);
    const loaded = await tf.loadLayersModel(saved);
    expect(loaded.layers[1]!.getConfig().negativeSlope).toBe(layer.getConfig().negativeSlope);
    expect(Array.from((loaded.predict(x) as Tensor).dataSync())).toEqual(Array.from((model.predict(x) as Tensor).dataSync()));
  });
});

describe("layers and parameters beyond one scalar", () => {
  beforeAll(async () => { await tf.setBackend("cpu"); });

  test("glu: a layer of two inputs, in a functional model, equals the function and survives save and load", async () => {
    const { Glu, glu } = await emitted("glu");
    const [a, b] = [tf.input({ shape: [3] }), tf.input({ shape: [3] })];
    const out = new Glu().apply([a, b]) as import("@tensorflow/tfjs").SymbolicTensor;
    const model = tf.model({ inputs: [a, b], outputs: out });
    const [x1, x2] = [tf.tensor2d([[-2, 0, 3], [1, -1, 0.5]]), tf.tensor2d([[0.5, -4, 2], [0, 1, -1]])];
    const want = Array.from(glu(x1, x2).dataSync());
    expect(Array.from((model.predict([x1, x2]) as Tensor).dataSync())).toEqual(want);
    const saved = directory("glu");
    await model.save(saved);
    const loaded = await tf.loadLayersModel(saved);
    expect(Array.from((loaded.predict([x1, x2]) as Tensor).dataSync())).toEqual(want);
  });

  test("prelu with perChannel: one trainable weight per channel, trained apart, saved and loaded as an array", async () => {
    const { Prelu } = await emitted("prelu");
    const layer = new Prelu({ weight: 0.25, perChannel: true });
    const model = tf.sequential();
    model.add(tf.layers.dense({ units: 4, inputShape: [1], kernelInitializer: tf.initializers.randomNormal({ seed: 5 }) }));
    model.add(layer);
    model.add(tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.randomNormal({ seed: 6 }) }));
    model.compile({ optimizer: tf.train.adam(0.05), loss: "meanSquaredError" });
    expect(layer.trainableWeights[0]!.shape).toEqual([4]);
    const { x, y } = toyData();
    await model.fit(x, y, { epochs: 10, batchSize: 64, shuffle: false, verbose: 0 });
    const weights = layer.getConfig().weight as number[];
    expect(weights).toHaveLength(4);
    expect(new Set(weights).size).toBeGreaterThan(1);
    const saved = directory("prelu-channels");
    await model.save(saved);
    const loaded = await tf.loadLayersModel(saved);
    expect(loaded.layers[1]!.getConfig().weight).toEqual(weights);
    expect(Array.from((loaded.predict(x) as Tensor).dataSync())).toEqual(Array.from((model.predict(x) as Tensor).dataSync()));
    // From the config alone (no saved weights), the array sets the weights.
    const rebuilt = new Prelu({ weight: weights, perChannel: true });
    rebuilt.build([null, 4]);
    expect(rebuilt.getConfig().weight).toEqual(weights);
    expect(() => new Prelu({ weight: [1, 2] }).build([null, 2])).toThrow(new TypeError('Prelu: parameter "weight" is a number'));
  });

  test("trainable: false keeps the parameters as fixed weights: fit does not move them", async () => {
    const { Swish } = await emitted("swish");
    const layer = new Swish({ beta: 1.5, trainable: false });
    const model = mlp(layer);
    expect(layer.trainableWeights).toHaveLength(0);
    const { x, y } = toyData();
    await model.fit(x, y, { epochs: 3, batchSize: 64, verbose: 0 });
    expect(layer.getConfig().beta).toBe(1.5);
  });

  test("a tensor parameter broadcast along the last axis gets its gradient summed over the rest", async () => {
    const { swish } = await emitted("swish");
    const x = tf.tensor2d([[-2, 0.5, 3], [1, -1, 0.25]]);
    const beta = tf.variable(tf.tensor1d([0.5, 1, 2]));
    const { grads } = tf.variableGrads(() => tf.sum(swish(x, { beta })) as import("@tensorflow/tfjs").Scalar, [beta]);
    const dbeta = define("swish").derivative("beta").compile();
    const rows = x.arraySync() as number[][];
    const want = [0, 1, 2].map((j) => rows.reduce((sum, row) => sum + dbeta(row[j]!, { beta: [0.5, 1, 2][j]! }), 0));
    Array.from(grads[beta.name]!.dataSync()).forEach((g, j) => expect(g).toBeCloseTo(want[j]!, 6));
  });

  test("mistakes are TypeErrors that name the parameter", async () => {
    const { swish, Swish } = await emitted("swish");
    expect(() => swish(tf.scalar(1), { Beta: 2 })).toThrow(new TypeError('swish: no parameter "Beta"; its parameters: beta'));
    expect(() => swish(tf.scalar(1), { beta: "2" })).toThrow(new TypeError('swish: parameter "beta" is a number or a tensor'));
    const m = await importModule<Module>(dir, define("f(x; a) = a * x").emitModule({ lang: "tfjs" }));
    expect(() => m.f!(tf.scalar(1))).toThrow(new TypeError('f: parameter "a" has no default value; pass one'));
    expect(() => new m.F!({})).toThrow(new TypeError('F: parameter "a" has no default value; give it in the config'));
    expect(new Swish().getConfig().beta).toBe(1);
  });
});
