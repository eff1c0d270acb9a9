import type { Command } from "commander";
import { define, print, toLatex, type Activation } from "../../index.js";
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
    .option("--wrt <name>", "differentiate with respect to this input or parameter (default: every input, one line each)")
    .option("--order <n>", "order of the derivative", "1")
    .option("--json", "print one JSON object")
    .addHelpText("after", `
Examples:
  $ actdiff diff softplus
  softplus(x) = log(1 + exp(x))
  softplus'(x) = sigmoid(x)
  $ actdiff diff "swish(x; beta = 1) = x * sigmoid(beta * x)" --wrt beta
  $ actdiff diff tanh --order 2 --json
  $ actdiff diff "glu(a, b) = a * sigmoid(b)"      (one line per input)
  $ actdiff diff -- "-x * exp(x)"     (an argument starting with '-' goes after --)`)
    .action(action((source: string, options: Options) => {
      const f = define(source);
      const order = parseNumber(options.order, "--order", "for example --order 2");
      // Without --wrt: every input, one line each (one line for a function of one input).
      const wrts = options.wrt !== undefined ? [options.wrt] : f.inputs;
      const derivatives = wrts.map((wrt) => f.derivative(wrt, order));
      if (options.json) {
        const common = {
          name: f.name, inputs: f.inputs, params: paramsJson(f.params),
          expr: print(f.written), simplified: print(f.expr),
        };
        if (wrts.length === 1) {
          printJson({
            ...common, derivative: print(derivatives[0]!.expr), wrt: wrts[0]!, order,
            latex: { expr: toLatex(f.written), derivative: derivatives[0]!.toLatex() },
          });
        } else {
          const byInput = <T>(value: (d: Activation) => T): Record<string, T> =>
            Object.fromEntries(wrts.map((wrt, i) => [wrt, value(derivatives[i]!)]));
          printJson({
            ...common, gradient: byInput((d) => print(d.expr)), order,
            latex: { expr: toLatex(f.written), gradient: byInput((d) => d.toLatex()) },
          });
        }
      } else {
        const lines = wrts.map((wrt, i) => `${derivativeLabel(f, wrt, order)}(${inputList(f)}) = ${print(derivatives[i]!.expr)}`);
        printText([definitionLine(f), ...lines].join("\n"));
      }
      return EXIT.ok;
    }));
}
