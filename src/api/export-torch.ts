import { sym } from "../ast/build.js";
import { print } from "../ast/print.js";
import { toLatex } from "../codegen/latex.js";
import { emitTorchModule } from "../codegen/torch/module.js";
import { emitTorchVectorModule } from "../codegen/torch/vector-module.js";
import { fail } from "../errors.js";
import { evaluateFloat } from "../numeric/evaluate.js";
import { derivativeLabel, type Activation } from "./activation.js";
import { rowSpec } from "./vector-activation.js";

/**
 * The PyTorch module of an activation (src/codegen/torch): its gradient and Hessian in every
 * input and parameter, derived here by actdiff, and the prose (formula, derivatives, LaTeX).
 */
export function emitTorch(a: Activation): string {
  if (a.isVector) return emitTorchVectors(a);
  const variables = [...a.inputs, ...a.params.map((p) => p.name)];
  const first = variables.map((v) => a.derivative(v));
  const hessian = first.map((d, i) => variables.map((v, j) => (j >= i ? d.derivative(v).expr : first[j]!.derivative(variables[i]!).expr)));
  const signature = a.inputs.join(", ");
  return emitTorchModule({
    name: a.name,
    inputs: a.inputs,
    params: a.params.map((p) => ({ name: p.name, defaultValue: p.defaultValue && evaluateFloat(p.defaultValue, new Map()) })),
    f: a.expr,
    gradient: first.map((d) => d.expr),
    hessian,
    docs: {
      definition: a.toString(),
      derivatives: first.map((d, i) => `${derivativeLabel(a, variables[i]!)}(${signature}) = ${print(d.expr)}`),
      latex: [
        `f(${signature}) = ${a.toLatex()}`,
        ...first.map((d, i) => `${a.inputs.length === 1 && i === 0 ? "f'" : `\\frac{\\partial f}{\\partial ${toLatex(sym(variables[i]!))}}`}(${signature}) = ${toLatex(d.expr)}`),
      ],
    },
  });
}

/** A function of one vector: row specs of f and of its VJP, as the JavaScript row kernels use them. */
function emitTorchVectors(a: Activation): string {
  const d = a.definition;
  const vectors = d.vectors ?? [];
  if (vectors.length !== 1 || a.inputs.length !== 1) {
    fail("E_UNSUPPORTED", `${a.name}: PyTorch modules are emitted for functions of one vector`, { hint: "make the other inputs parameters: f(x[]; t = 1) = …" });
  }
  const jacobian = a.derivative(vectors[0]!);
  const vjp = a.vjp();
  const params = d.params.map((p) => ({ name: p.name, defaultValue: p.defaultValue && evaluateFloat(p.defaultValue, new Map()) }));
  return emitTorchVectorModule({
    name: a.name,
    input: a.inputs[0]!,
    params,
    forward: rowSpec(a, "forward"),
    backward: rowSpec(a, "backward"),
    scalarValued: d.output === undefined,
    docs: {
      definition: a.toString(),
      derivatives: [`${jacobian.label} = ${print(jacobian.expr)}`, vjp.toString()],
      latex: [`f = ${a.toLatex()}`],
    },
  });
}
