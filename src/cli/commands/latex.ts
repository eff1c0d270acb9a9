import type { Command } from "commander";
import { sym } from "../../ast/build.js";
import { define, toLatex } from "../../index.js";
import { printJson, printText } from "../output.js";
import { action, EXIT } from "../run.js";

interface Options { readonly json?: boolean }

export function register(program: Command): void {
  program
    .command("latex")
    .summary("LaTeX of an activation and its derivative")
    .description("Prints LaTeX for f as written and for f′ in textbook form, one equation per line.")
    .argument("<definition>", "a catalog name, an expression in x, or a definition")
    .option("--json", "print one JSON object {name, expr, derivative}")
    .addHelpText("after", `
Examples:
  $ actdiff latex swish
  \\mathrm{swish}(x) = x \\sigma(\\beta x)
  \\mathrm{swish}'(x) = \\sigma(\\beta x) + \\beta x \\sigma(\\beta x) (1 - \\sigma(\\beta x))
  $ actdiff latex "x / (1 + abs(x))" --json`)
    .action(action((source: string, options: Options) => {
      const f = define(source);
      const expr = toLatex(f.written);
      const derivative = f.derivative().toLatex();
      if (options.json) {
        printJson({ name: f.name, expr, derivative });
      } else {
        // Names and inputs go through the same symbol rules as the body (`\mathrm{leaky\_relu}`, `\beta`).
        const head = toLatex(sym(f.name));
        const inputs = f.inputs.map((i) => toLatex(sym(i)));
        const args = inputs.join(", ");
        // With several inputs a prime would not say which one is meant.
        const prime = inputs.length === 1 ? `${head}'` : `\\frac{\\partial ${head}}{\\partial ${inputs[0]}}`;
        printText(`${head}(${args}) = ${expr}\n${prime}(${args}) = ${derivative}`);
      }
      return EXIT.ok;
    }));
}
