import type { Command } from "commander";
import { sym } from "../../ast/build.js";
import { define, toLatex } from "../../index.js";
import { printJson, printText } from "../output.js";
import { sourceText, type SourceOptions } from "../input.js";
import { action, EXIT } from "../run.js";

interface Options extends SourceOptions { readonly json?: boolean }

export function register(program: Command): void {
  program
    .command("latex")
    .summary("LaTeX of an activation and its derivative")
    .description("Prints LaTeX for f as written and for f′ in textbook form, one equation per line.")
    .argument("[definition]", "a catalog name, an expression in x, or a definition; - reads it from standard input")
    .option("--file <path>", "read the definition from a file; give - as the definition to read standard input")
    .option("--json", "print one JSON object {name, expr, derivative} ({name, expr, gradient} with one entry per input for several inputs)")
    .addHelpText("after", `
Examples:
  $ actdiff latex swish
  \\mathrm{swish}(x) = x \\sigma(\\beta x)
  \\mathrm{swish}'(x) = \\sigma(\\beta x) + \\beta x \\sigma(\\beta x) (1 - \\sigma(\\beta x))
  $ actdiff latex "x / (1 + abs(x))" --json`)
    .action(action((argument: string | undefined, options: Options) => {
      const f = define(sourceText(argument, options, "definition"));
      const expr = toLatex(f.written);
      const gradient = f.gradient().map((d) => d.toLatex());
      if (options.json) {
        printJson(f.inputs.length === 1
          ? { name: f.name, expr, derivative: gradient[0]! }
          : { name: f.name, expr, gradient: Object.fromEntries(f.inputs.map((input, i) => [input, gradient[i]!])) });
      } else {
        // Names and inputs go through the same symbol rules as the body (`\mathrm{leaky\_relu}`, `\beta`).
        const head = toLatex(sym(f.name));
        const inputs = f.inputs.map((i) => toLatex(sym(i)));
        const args = inputs.join(", ");
        // With several inputs a prime would not say which one is meant: one partial derivative per input.
        const primes = inputs.length === 1 ? [`${head}'`] : inputs.map((input) => `\\frac{\\partial ${head}}{\\partial ${input}}`);
        printText([`${head}(${args}) = ${expr}`, ...primes.map((prime, i) => `${prime}(${args}) = ${gradient[i]!}`)].join("\n"));
      }
      return EXIT.ok;
    }));
}
