import type { Expr } from "../../ast/nodes.js";
import { bindingName, commentSafe, type ModuleParam, type ModuleSpec } from "../emit-module.js";
import { printValue, type Naming } from "../js.js";
import { lower } from "../program.js";
import { tfjsHelperSource, withNeeds } from "./functions.js";
import { TENSOR_LOWERING, tensorFunction } from "./print.js";
import { COMMON_RUNTIME, ELEMENTWISE_RUNTIME, layerSource } from "./runtime.js";
import type { FnName } from "../../functions/names.js";

/**
 * A TensorFlow.js module for one activation: `<name>(x, params?)` on tensors, whose gradient
 * (tf.customGrad) is actdiff's derivative in its stable form, parameters included, and the layer
 * class `<Name>` with the parameters as trainable weights, registered for model.save and
 * tf.loadLayersModel. f and its derivatives are lowered as the JavaScript module's are (for
 * lanes: print.ts) and printed with tf.where for conditionals, with the same kink conventions.
 *
 * User text reaches the module as the JavaScript module lets it: the formula in `//` comments
 * through commentSafe, names as identifiers only when bindingName accepts them (else x0, p0 …),
 * and every other use of a name (parameter keys, error messages, the registered class name) as a
 * JSON string. The output is a function of the input alone.
 */
export interface TfjsModuleSpec extends ModuleSpec {
  /** The activation's name (relu_softsign): the function's, and in CamelCase the layer's. */
  readonly name: string;
  /** ∂f/∂ each parameter, in order. */
  readonly paramGradient: readonly Expr[];
  /** ∂²f/∂a∂b for a ≤ b over the inputs then the parameters, row by row: (0, 0), (0, 1) … (1, 1) …. */
  readonly hessian: readonly Expr[];
  /** `∂swish/∂beta(x) = …`, one line per parameter. */
  readonly paramDerivatives: readonly string[];
}

/** Names the module binds itself, which no input or parameter may shadow. */
const MODULE_NAMES = [
  "tf", "forward", "gradient", "gradientAll", "hessian", "partialOf", "fitTo", "vjp", "rowwise", "sumTo", "broadcastShape", "floatTensor", "differentiable",
  "parameterValues", "configValues", "NAME", "INPUTS", "PARAMETERS", "SCALAR", "n", "groupsOf", "firstExtremes", "routed",
];

/** relu_softsign → ReluSoftsign. */
export const camelCaseName = (name: string): string =>
  name.split("_").filter((w) => w !== "").map((w) => w[0]!.toUpperCase() + w.slice(1)).join("");

/**
 * Keys that tfjs-layers gives back unchanged when a saved model is loaded (it writes config keys
 * in snake_case and reads them back in camelCase): lowerCamelCase words. Keys of the layer
 * arguments are not available to parameters.
 */
const ROUND_TRIP_KEY = /^[a-z][a-z0-9]*(?:[A-Z][a-z0-9]+)*$/;
const LAYER_KEYS = new Set(["name", "trainable", "dtype", "inputShape", "batchInputShape", "batchSize", "weights", "inputDType", "className", "config", "perChannel"]);

/** The layer's config keys for a parameter: the camelCase one it saves, then the name as written. */
function configKeys(name: string, index: number): string[] {
  const camel = name.replace(/_+([A-Za-z0-9])/g, (_, c: string) => c.toUpperCase());
  const key = ROUND_TRIP_KEY.test(camel) && !LAYER_KEYS.has(camel) ? camel : `param${index}`;
  return key !== name && !LAYER_KEYS.has(name) ? [key, name] : [key];
}

/** A parameter as the module names it: its binding, and its keys in a layer config. */
export interface TfjsParam extends ModuleParam {
  readonly js: string;
  readonly keys: readonly string[];
}

export function tfjsParam(p: ModuleParam, index: number, claim: (name: string, fallback: string) => string): TfjsParam {
  return { ...p, js: claim(p.name, `p${index}`), keys: configKeys(p.name, index) };
}

/** `const PARAMETERS = [...]`: each parameter's name, config keys, weight name and default, as JSON. */
export function parameterTable(params: readonly TfjsParam[]): string {
  const rows = params.map((p, i) => `  { name: ${JSON.stringify(p.name)}, keys: [${p.keys.map((k) => JSON.stringify(k)).join(", ")}], weight: ${JSON.stringify(p.js === p.name ? p.js : `p${i}`)}, defaultValue: ${p.defaultValue === undefined ? "null" : printValue({ op: "num", value: p.defaultValue })} },`);
  return [
    "/** The parameters: name, config keys of the layer, weight name, default value (null: none). */",
    `const PARAMETERS = [${rows.length > 0 ? `\n${rows.join("\n")}\n` : ""}];`,
  ].join("\n");
}

/** `swish(x, { beta = 1 }?)`, for the header (commentSafe is applied by the caller). */
export function usageLine(exported: string, inputs: readonly string[], params: readonly TfjsParam[]): string {
  const record = params.map((p) => `${p.name}${p.defaultValue === undefined ? "" : ` = ${printValue({ op: "num", value: p.defaultValue })}`}`);
  return `${exported}(${[...inputs, ...(params.length > 0 ? [`{ ${record.join(", ")} }?`] : [])].join(", ")})`;
}

/**
 * The names of a module: the exported function's and the layer's, claimed first, and `claim` for
 * the rest (a name once given is taken; the module's own names are taken from the start).
 */
export function moduleNames(activation: string): { exported: string; layer: string; claim: (name: string, fallback: string) => string } {
  const taken = new Set<string>(MODULE_NAMES);
  const claim = (name: string, fallback: string): string => {
    const js = bindingName(name, fallback, taken);
    taken.add(js);
    return js;
  };
  return { exported: claim(activation, "activation"), layer: claim(camelCaseName(activation), "Activation"), claim };
}

export function emitTfjsModule(spec: TfjsModuleSpec): string {
  const { exported, layer, claim } = moduleNames(spec.name);
  const inputs = spec.inputs.map((name, i) => claim(name, `x${i}`));
  const params = spec.params.map((p, i) => tfjsParam(p, i, claim));
  const naming: Naming = { input: (i) => inputs[i]!, param: (i) => params[i]!.js, temp: (i) => `t${i}` };
  const signature = { inputs: spec.inputs, params: spec.params.map((p) => p.name) };

  const helpers = new Set<FnName>();
  const tensorFn = (name: string, roots: readonly Expr[], doc: string, array: boolean): string => {
    const printed = tensorFunction(lower(roots, signature, TENSOR_LOWERING), naming, { array });
    printed.helpers.forEach((h) => helpers.add(h));
    return [`/** ${doc} */`, `function ${name}(${[...inputs, ...params.map((p) => p.js)].join(", ")}) {`, ...printed.lines, "}"].join("\n");
  };
  const functions = [
    tensorFn("forward", [spec.f], "The activation, in its stable form.", false),
    tensorFn("gradient", spec.gradient, `The partial derivatives by ${inputs.length === 1 ? "the input" : "each input"}.`, true),
    tensorFn("gradientAll", [...spec.gradient, ...spec.paramGradient], "The partial derivatives by the inputs, then by the parameters (when some parameter is a tensor).", true),
    tensorFn("hessian", spec.hessian, "The second partial derivatives ∂²f/∂a∂b, a ≤ b, inputs then parameters (for gradients of gradients).", true),
  ];

  const usage = usageLine(exported, inputs, params);
  const registered = `actdiff.${layer}`;
  const header = [
    "// Generated by actdiff (`actdiff emit --lang tfjs`). Do not edit: regenerate from the definition instead.",
    "//",
    `//   ${commentSafe(spec.definition)}`,
    ...[...spec.derivatives, ...spec.paramDerivatives].map((line) => `//   ${commentSafe(line)}`),
    "//",
    "// Exports:",
    ...(params.length > 0
      ? [
        `//   ${commentSafe(usage)}: the activation on tf.Tensors, elementwise, as a tf.customGrad op whose`,
        "//     gradient is actdiff's derivative. Number parameters are constants; tensor ones (a tf.Variable,",
        "//     broadcast against the input) get gradients too.",
        `//   ${layer}: a tf.layers.Layer with the parameters as trainable weights (one per channel with`,
        `//     perChannel: true), registered as ${commentSafe(JSON.stringify(registered))} for model.save and tf.loadLayersModel.`,
      ]
      : [
        `//   ${commentSafe(usage)}: the activation on tf.Tensors, elementwise, as a tf.customGrad op whose`,
        "//     gradient is actdiff's derivative.",
        `//   ${layer}: a tf.layers.Layer of it, registered as ${commentSafe(JSON.stringify(registered))} for model.save and tf.loadLayersModel.`,
      ]),
    "// float32 tensor ops on whatever backend is active; a conditional is tf.where of both sides, with the",
    "// same test (and so the same side of every kink) as actdiff's JavaScript.",
  ];
  const renamed = [...spec.inputs.map((name, i) => ({ name, js: inputs[i]! })), ...params].filter((p) => p.js !== p.name);
  if (renamed.length > 0) header.push(`// Renamed in the code: ${renamed.map((p) => `${commentSafe(p.name)} is ${p.js}`).join(", ")}.`);

  const inputList = inputs.join(", ");
  const parts = [
    header.join("\n"),
    'import * as tf from "@tensorflow/tfjs";',
    [`const NAME = ${JSON.stringify(exported)};`, `const INPUTS = ${inputs.length};`, parameterTable(params)].join("\n"),
    ...withNeeds(helpers).map(tfjsHelperSource),
    ...functions,
    COMMON_RUNTIME,
    ELEMENTWISE_RUNTIME,
    [
      `/** ${commentSafe(spec.definition)}, on tensors, with actdiff's gradient. */`,
      `export function ${exported}(${inputList}, params = {}) {`,
      `  return tf.tidy(() => differentiable([${inputs.map((x) => `floatTensor(${x})`).join(", ")}], parameterValues(params, NAME)));`,
      "}",
    ].join("\n"),
    layerSource(layer, JSON.stringify(registered), JSON.stringify(layer)),
  ];
  return parts.join("\n\n") + "\n";
}
