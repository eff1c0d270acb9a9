import type { Command } from "commander";
import { printRandom, printRandoms } from "../../ast/print.js";
import { DISTRIBUTIONS } from "../../random/distributions.js";
import { define, print, toLatex, type Activation, type Training } from "../../index.js";
import { parseNumber } from "../args.js";
import { definitionLine, derivativeLabel, inputList, paramsJson } from "../describe.js";
import { didYouMean } from "../../parse/suggest.js";
import { printError, printJson, printText } from "../output.js";
import { printVectorDiff } from "../vectors.js";
import { sourceText, type SourceOptions } from "../input.js";
import { action, EXIT } from "../run.js";

interface Options extends SourceOptions { readonly wrt?: string; readonly order: string; readonly json?: boolean }

export function register(program: Command): void {
  program
    .command("diff")
    .summary("the derivative of an activation, in textbook form")
    .description("Prints the activation as written and its derivative, simplified to textbook form.")
    .argument("[definition]", "a catalog name (softplus), an expression in x, or a definition f(x; a = 1) = …; - reads it from standard input")
    .option("--file <path>", "read the definition from a file; give - as the definition to read standard input")
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
  $ actdiff diff "-x * exp(x)"        (a formula may begin with '-'; after -- anything is a formula)
  $ actdiff diff rrelu      (given the draw of a, then with a at its mean)
  $ actdiff diff softmax    (the Jacobian ∂softmax_i/∂x_j and the vector–Jacobian product)

A definition that draws random variables (rrelu: … where a ~ uniform(lower, upper)) is shown
as written; its derivative is given the draws first (training mode: a is a constant), then with
each random variable replaced by its mean (evaluation mode). --json adds "training".`)
    .action(action((argument: string | undefined, options: Options) => {
      const f = define(sourceText(argument, options, "definition"));
      if (f.isVector && options.wrt === undefined && options.order === "1") {
        printVectorDiff(f, options.json === true);
        return EXIT.ok;
      }
      const order = parseNumber(options.order, "--order", "for example --order 2");
      const isRandom = f.definition.stochastic?.randoms.some((r) => r.name === options.wrt) === true;
      if (options.wrt !== undefined && !f.dependsOnName(options.wrt) && !isRandom) {
        // Not an error (∂f/∂y of a function without y is 0), but most often a typo: say so.
        const names = [...f.inputs, ...f.params.map((p) => p.name)];
        const suggestion = didYouMean(options.wrt, names);
        printError(`note: ${f.name} has no input or parameter '${options.wrt}', so its derivative with respect to it is 0` + (suggestion ? ` (${suggestion})` : ` (its inputs: ${f.inputs.join(", ")}; parameters: ${f.params.map((p) => p.name).join(", ") || "none"})`));
      }
      // Without --wrt: every input, one line each (one line for a function of one input).
      const wrts = options.wrt !== undefined ? [options.wrt] : f.inputs;
      const derivatives = wrts.map((wrt) => f.derivative(wrt, order));
      const training = f.definition.stochastic === undefined ? undefined : f.train();
      const givenDraws = training === undefined ? [] : wrts.map((wrt) => training.derivative(wrt, order));
      if (options.json) {
        const common = {
          name: f.name, inputs: f.inputs, params: paramsJson(f.params),
          expr: print(f.written), simplified: print(f.expr),
        };
        const one = wrts.length === 1;
        const trainingJson = training === undefined ? {} : {
          training: {
            expr: print(f.definition.stochastic!.body),
            randoms: training.randoms.map((r) => ({ name: r.name, distribution: r.distribution, args: r.args.map(print) })),
            ...(one ? { derivative: print(givenDraws[0]!) } : { gradient: Object.fromEntries(wrts.map((wrt, i) => [wrt, print(givenDraws[i]!)])) }),
          },
        };
        if (one) {
          printJson({
            ...common, derivative: print(derivatives[0]!.expr), wrt: wrts[0]!, order,
            latex: { expr: toLatex(f.written), derivative: derivatives[0]!.toLatex() }, ...trainingJson,
          });
        } else {
          const byInput = <T>(value: (d: Activation) => T): Record<string, T> =>
            Object.fromEntries(wrts.map((wrt, i) => [wrt, value(derivatives[i]!)]));
          printJson({
            ...common, gradient: byInput((d) => print(d.expr)), order,
            latex: { expr: toLatex(f.written), gradient: byInput((d) => d.toLatex()) }, ...trainingJson,
          });
        }
      } else {
        const line = (wrt: string, d: string) => `${derivativeLabel(f, wrt, order)}(${inputList(f)}) = ${d}`;
        const lines = wrts.map((wrt, i) => line(wrt, derivatives[i]!.printBody(derivatives[i]!.display)));
        if (training === undefined) printText([definitionLine(f), ...lines].join("\n"));
        else printText([training.toString(), ...wrts.map((wrt, i) => `${line(wrt, print(givenDraws[i]!))} ${printRandoms(training.randoms)}`), meansLine(training), ...lines].join("\n"));
      }
      return EXIT.ok;
    }));
}

/** `evaluation mode, a = lower / 2 + upper / 2:` — what each random variable becomes there. */
function meansLine(training: Training): string {
  const means = training.randoms.map((r) => `${r.name} = ${print(DISTRIBUTIONS[r.distribution].mean(r.args))}`);
  return `evaluation mode, ${means.join(", ")} (the mean${means.length === 1 ? "" : "s"}):`;
}
