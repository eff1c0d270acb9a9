import type { Expr } from "../../ast/nodes.js";
import type { FnName } from "../../functions/table.js";
import { lower, type Program } from "../program.js";
import { torchHelperSource } from "./functions.js";
import { printTorch, type TorchNaming } from "./print.js";
import { camelCase, pyString, pythonName } from "./python.js";
import { docstring, functionalSource, moduleClassSource, moduleHeader, SHARED_HELPERS, type TorchDocs } from "./text.js";

/**
 * A standalone PyTorch module for an elementwise activation of one or more inputs: the
 * functional form `<name>(x, *, params)`, the autograd.Function `<Name>Function` and the
 * nn.Module `<Name>`. Every number it computes is printed from actdiff's Programs (program.ts,
 * the lowering the JavaScript shares, in its tensor form: σ and tanh stay torch's kernels, σ′ is
 * σ(u)·σ(−u), rather than sharing one exponential as scalar code does):
 *   forward     f, and when a gradient is wanted f's gradient with it (one pass, shared
 *               subexpressions), saved for backward;
 *   backward    grad_out · ∂f/∂v for each input and parameter v in play, summed to v's shape
 *               (a per-channel parameter gets its channel's sum), by a second autograd.Function
 *               whose own backward is the Hessian of f from actdiff — so double backward is
 *               exact too, and never differentiates the stable code's branches.
 * The variables in play are the inputs, or the inputs and the parameters when any parameter
 * wants a gradient: two Programs each for the gradient and the Hessian, not 2^k.
 */
export interface TorchParam {
  readonly name: string;
  readonly defaultValue: number | undefined;
}

export interface TorchModuleSpec {
  readonly name: string;
  readonly inputs: readonly string[];
  readonly params: readonly TorchParam[];
  readonly f: Expr;
  /** ∂f/∂v for v in inputs, then params. */
  readonly gradient: readonly Expr[];
  /** ∂²f/∂u∂v for u, v in inputs then params (symmetric; only u ≤ v is read). */
  readonly hessian: readonly (readonly Expr[])[];
  readonly docs: TorchDocs;
}

export interface TorchNames {
  readonly functional: string;
  readonly fn: string;
  readonly module: string;
  readonly inputs: readonly string[];
  readonly params: readonly string[];
}

/** The Python names of an activation's public API, inputs and parameters (fallbacks for unsafe ones). */
export function torchNames(name: string, inputs: readonly string[], params: readonly string[]): TorchNames {
  const functional = pythonName(name, "activation");
  const camel = camelCase(functional);
  const module = camel === functional ? `${camel}Module` : camel;
  const taken = new Set([functional, `${camel}Function`, module, `_${camel}Backward`]);
  const claim = (n: string, fallback: string): string => {
    const py = pythonName(n, fallback, taken);
    taken.add(py);
    return py;
  };
  return {
    functional, fn: `${camel}Function`, module,
    inputs: inputs.map((n, i) => claim(n, `x${i}`)),
    params: params.map((n, i) => claim(n, `p${i}`)),
  };
}

export function emitTorchModule(spec: TorchModuleSpec): string {
  const names = torchNames(spec.name, spec.inputs, spec.params.map((p) => p.name));
  const nIn = spec.inputs.length;
  const nVars = nIn + spec.params.length;
  const variables = [...names.inputs, ...names.params];
  const signature = { inputs: spec.inputs, params: spec.params.map((p) => p.name) };
  const naming: TorchNaming = { input: (i) => names.inputs[i]!, param: (i) => names.params[i]!, like: names.inputs[0]! };
  const program = (roots: readonly Expr[]): Program => lower(roots, signature, { lanes: "tensor" });
  const helpers = new Set<FnName>();

  // f and f′ are computed inside autograd.Function.forward, where autograd records nothing: the
  // inputs reach them expanded to the broadcast shape (_full), so that temporaries computed from
  // them are overwritten in place (print.ts). The Hessian runs in backward, which autograd records
  // when a third derivative is asked for: there every operation makes a new tensor.
  const fn = (name: string, doc: string, roots: readonly Expr[], shape?: (results: readonly string[]) => string): string => {
    const inPlace = !name.startsWith("_hessian");
    const printed = printTorch(program(roots), { ...naming, inPlace });
    printed.helpers.forEach((h) => helpers.add(h));
    const results = printed.results;
    const value = shape ? shape(results) : results.length === 1 ? results[0]! : results.join(", ");
    return [`def ${name}(${variables.join(", ")}):`, `    """${doc}"""`, ...printed.lines, `    return ${value}`].join("\n");
  };
  const upper = (k: number): Expr[] => {
    const out: Expr[] = [];
    for (let i = 0; i < k; i++) for (let j = i; j < k; j++) out.push(spec.hessian[i]![j]!);
    return out;
  };
  // The Hessian's upper triangle, returned as the full symmetric matrix.
  const matrix = (k: number) => (results: readonly string[]): string => {
    const at = (i: number, j: number): string => {
      const [a, b] = i <= j ? [i, j] : [j, i];
      return results[a * k - (a * (a - 1)) / 2 + (b - a)]!;
    };
    const rows = Array.from({ length: k }, (_, i) => `(${Array.from({ length: k }, (_, j) => at(i, j)).join(", ")},)`);
    return `(${rows.join(", ")},)`;
  };
  const hasParams = spec.params.length > 0;
  const computations = [
    fn("_value", "f, in actdiff's stable form.", [spec.f]),
    fn("_value_and_grad_inputs", "f and its partial derivatives in the inputs.", [spec.f, ...spec.gradient.slice(0, nIn)]),
    ...(hasParams ? [fn("_value_and_grad_all", "f and its partial derivatives in the inputs and the parameters.", [spec.f, ...spec.gradient])] : []),
    fn("_hessian_inputs", "The second partial derivatives in the inputs, as a symmetric matrix.", upper(nIn), matrix(nIn)),
    ...(hasParams ? [fn("_hessian_all", "The second partial derivatives in the inputs and the parameters, as a symmetric matrix.", upper(nVars), matrix(nVars))] : []),
  ];

  const backwardClass = `_${camelCase(names.functional)}Backward`;
  const varList = variables.join(", ");
  const tuple = (items: readonly string[]): string => (items.length === 1 ? `(${items[0]},)` : `(${items.join(", ")})`);
  const paramsWant = hasParams ? `any(ctx.needs_input_grad[${nIn}:])` : "False";
  /** The arguments of a computation: the inputs expanded to `shape` (a view, free), the parameters as they are. */
  const fullArgs = (shape: string): string => [...names.inputs.map((x) => `_full(${x}, ${shape})`), ...names.params].join(", ");
  const functionClass = [
    `class ${names.fn}(torch.autograd.Function):`,
    `    """${pyFunctionDoc(names, spec)}"""`,
    "",
    "    @staticmethod",
    `    def forward(ctx, ${varList}):`,
    `        shape = torch.broadcast_shapes(${variables.map((v) => `${v}.shape`).join(", ")})`,
    `        if ${paramsWant}:`,
    `            value, *gradient = _value_and_grad_all(${fullArgs("shape")})`,
    `        elif any(ctx.needs_input_grad[:${nIn}]):`,
    `            value, *gradient = _value_and_grad_inputs(${fullArgs("shape")})`,
    "        else:",
    `            value, gradient = _value(${fullArgs("shape")}), []`,
    `        ctx.save_for_backward(${varList}, *[_fill(d, shape, ${naming.like}) for d in gradient])`,
    `        return _fill(value, shape, ${naming.like})`,
    "",
    "    @staticmethod",
    "    def backward(ctx, grad_out):",
    `        ${varList}, *gradient = ctx.saved_tensors`,
    `        grads = ${backwardClass}.apply(grad_out, ${varList}, *gradient)`,
    `        return _reduce(grads, ${tuple(variables)})`,
  ].join("\n");

  const backward = [
    `class ${backwardClass}(torch.autograd.Function):`,
    "    \"\"\"grad_out times each partial derivative, as an op of its own: its derivative is f's Hessian from actdiff.\"\"\"",
    "",
    "    @staticmethod",
    `    def forward(ctx, grad_out, ${varList}, *gradient):`,
    `        ctx.save_for_backward(grad_out, ${varList}, *gradient)`,
    "        return tuple(grad_out * d for d in gradient)",
    "",
    "    @staticmethod",
    "    def backward(ctx, *grad_grads):",
    `        grad_out, ${varList}, *gradient = ctx.saved_tensors`,
    "        k = len(gradient)",
    `        hessian = _hessian_all(${varList}) if k > ${nIn} else _hessian_inputs(${varList})`,
    `        return _second_order(grad_out, ${tuple(variables)}, gradient, hessian, grad_grads)`,
  ].join("\n");

  const functional = functionalSource(names, spec.params, spec.docs.definition);
  const module = moduleClassSource(names, spec.params,
    `nn.Module of ${names.functional}: parameters as nn.Parameter (learnable=True) or buffers (learnable=False).`, true);

  const parts = [
    moduleHeader(spec.docs, names, spec.inputs, spec.params.map((p) => p.name)),
    docstring(spec.docs, names, nIn, spec.params),
    "import math\n\nimport torch",
    `__all__ = [${[names.functional, names.fn, names.module].map(pyString).join(", ")}]`,
    `_FORMULA = ${pyString(spec.docs.definition)}`,
    ...SHARED_HELPERS,
    ...computations,
    ...[...helpers].sort().map(torchHelperSource),
    backward,
    functionClass,
    functional,
    module,
  ];
  // Helpers are printed after the functions that call them: Python resolves names when called.
  return parts.join("\n\n\n") + "\n";
}

function pyFunctionDoc(names: TorchNames, spec: TorchModuleSpec): string {
  return `autograd.Function: ${names.fn}.apply(${[...names.inputs, ...names.params].join(", ")}), all tensors of one dtype.` +
    (spec.params.length > 0 ? " Parameters get gradients too (summed over the dimensions they were broadcast along)." : "");
}
