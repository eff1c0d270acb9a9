import { fileURLToPath } from "node:url";

/**
 * The peers, set up the way their documentation shows: mathjs compiles an expression string and
 * evaluates it with a scope per element; TensorFlow.js runs its own kernels on its cpu backend
 * (plain JavaScript) and its wasm backend (SIMD when available), with the .wasm binaries loaded
 * from node_modules so nothing is fetched.
 */

/**
 * Each catalog activation in mathjs's syntax, with its parameters at their defaults. mathjs has
 * no sigmoid or softplus, so those are written out; tanh, abs and atan are its own.
 */
export const MATHJS: Record<string, { readonly expr: string; readonly scope: Readonly<Record<string, number>> }> = {
  sigmoid: { expr: "1 / (1 + exp(-x))", scope: {} },
  tanh: { expr: "tanh(x)", scope: {} },
  relu: { expr: "x > 0 ? x : 0", scope: {} },
  leaky_relu: { expr: "x > 0 ? x : negative_slope * x", scope: { negative_slope: 0.01 } },
  prelu: { expr: "x > 0 ? x : weight * x", scope: { weight: 0.25 } },
  rrelu: { expr: "x > 0 ? x : (lower + upper) / 2 * x", scope: { lower: 1 / 8, upper: 1 / 3 } },
  relu6: { expr: "x <= 0 ? 0 : (x >= 6 ? 6 : x)", scope: {} },
  elu: { expr: "x > 0 ? x : alpha * (exp(x) - 1)", scope: { alpha: 1 } },
  trelu: { expr: "x >= 0 ? x : a * tanh(a * x)", scope: { a: 1 } },
  softplus: { expr: "log(1 + exp(x))", scope: {} },
  bnll: { expr: "log(1 + exp(x))", scope: {} },
  softsign: { expr: "x / (1 + abs(x))", scope: {} },
  relu_softplus: { expr: "x >= 0 ? x : log(1 + exp(x)) - log(2)", scope: {} },
  relu_softsign: { expr: "x >= 0 ? x : x / (1 - x)", scope: {} },
  swish: { expr: "x / (1 + exp(-beta * x))", scope: { beta: 1 } },
  silu: { expr: "x / (1 + exp(-x))", scope: {} },
  xwish: { expr: "x * (atan(beta * x) + pi / 2) / pi", scope: { beta: 1 } },
  absval: { expr: "abs(x)", scope: {} },
};

type Tf = typeof import("@tensorflow/tfjs");
type Tensor = import("@tensorflow/tfjs").Tensor;

/** The four activations compared with TensorFlow.js, as its own ops. */
export const TFJS_ACTIVATIONS = ["sigmoid", "elu", "softplus", "swish"] as const;
export type TfActivation = (typeof TFJS_ACTIVATIONS)[number];

export function tfOp(tf: Tf, name: TfActivation): (x: Tensor) => Tensor {
  switch (name) {
    case "sigmoid": return (x) => tf.sigmoid(x);
    case "elu": return (x) => tf.elu(x);
    case "softplus": return (x) => tf.softplus(x);
    case "swish": return (x) => tf.mul(x, tf.sigmoid(x));
  }
}

export interface TfSetup {
  readonly tf: Tf;
  readonly version: string;
  readonly wasmSimd: boolean;
  readonly wasmThreads: boolean;
}

/**
 * Loads TensorFlow.js with its cpu and wasm backends. Its greeting ("install tfjs-node") goes to
 * stderr, so that --json output stays one JSON object.
 */
export async function loadTf(): Promise<TfSetup> {
  const log = console.log;
  const warn = console.warn;
  console.log = console.warn = (...args: unknown[]) => process.stderr.write(args.join(" ") + "\n");
  try {
    const tf = await import("@tensorflow/tfjs");
    const wasm = await import("@tensorflow/tfjs-backend-wasm");
    wasm.setWasmPaths(fileURLToPath(new URL("../node_modules/@tensorflow/tfjs-backend-wasm/dist/", import.meta.url)));
    for (const backend of ["wasm", "cpu"]) {
      if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend ${backend} did not initialise`);
      await tf.ready();
    }
    return {
      tf, version: tf.version.tfjs,
      wasmSimd: Boolean(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT")),
      wasmThreads: Boolean(await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT")),
    };
  } finally {
    console.log = log;
    console.warn = warn;
  }
}
