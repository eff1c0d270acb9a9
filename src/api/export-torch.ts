import { print } from "../ast/print.js";
import { emitTorchModule } from "../codegen/torch/module.js";
import { fail } from "../errors.js";
import { evaluateFloat } from "../numeric/evaluate.js";
import { derivativeLabel, type Activation } from "./activation.js";

/**
 * The PyTorch module of an activation (src/codegen/torch): its gradient and Hessian in every
 * input and parameter, derived here by actdiff, and the prose (formula, derivatives, LaTeX).
 */
export function emitTorch(a: Activation): string {
  if (a.isVector) {
    fail("E_UNSUPPORTED", `${a.name} works on vectors: its PyTorch module is not available yet`, { hint: "--lang js writes its row kernels" });
  }
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
        ...first.map((d, i) => `${a.inputs.length === 1 && i === 0 ? "f'" : `\\partial f / \\partial ${variables[i]}`}(${signature}) = ${d.toLatex()}`),
      ],
    },
  });
}
