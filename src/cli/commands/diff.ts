import type { Command } from "commander";
import { define, print, toLatex } from "../../index.js";
import { parseNumber } from "../args.js";
import { definitionLine, derivativeLabel, inputList, paramsJson } from "../describe.js";
import { printJson, printText } from "../output.js";
import { action, EXIT } from "../run.js";

interface Options { readonly wrt?: string; readonly order: string; readonly json?: boolean }

export function register(program: Command): void {
  program
    .command("diff")
    .summary("the derivative of an activation, in textbook form")
    .description("Prints the activation as written and its derivative, simplified to textbook form.")
    .argument("<definition>", "a catalog name (softplus), an expression in x, or a definition f(x; a = 1) = …")
    .option("--wrt <name>", "differentiate with respect to this input or parameter (default: the first input)")
    .option("--order <n>", "order of the derivative", "1")
    .option("--json", "print one JSON object")
    .addHelpText("after", `
Examples:
  $ actdiff diff softplus
  softplus(x) = log(1 + exp(x))
  softplus'(x) = sigmoid(x)
  $ actdiff diff "swish(x; beta = 1) = x * sigmoid(beta * x)" --wrt beta
  $ actdiff diff tanh --order 2 --json
  $ actdiff diff -- "-x * exp(x)"     (an argument starting with '-' goes after --)`)
    .action(action((source: string, options: Options) => {
      const f = define(source);
      const wrt = options.wrt ?? f.inputs[0]!;
      const order = parseNumber(options.order, "--order", "for example --order 2");
      const d = f.derivative(wrt, order);
      if (options.json) {
        printJson({
          name: f.name, inputs: f.inputs, params: paramsJson(f.params),
          expr: print(f.written), simplified: print(f.expr), derivative: print(d.expr),
          wrt, order,
          latex: { expr: toLatex(f.written), derivative: d.toLatex() },
        });
      } else {
        printText(`${definitionLine(f)}\n${derivativeLabel(f, wrt, order)}(${inputList(f)}) = ${print(d.expr)}`);
      }
      return EXIT.ok;
    }));
}
