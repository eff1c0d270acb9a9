import type { Command } from "commander";
import { define } from "../../index.js";
import { collect, parseParams, parsePoints } from "../args.js";
import { jsonNumber, printJson, printText, table } from "../output.js";
import { action, EXIT } from "../run.js";

interface Options { readonly at: string; readonly param?: string[]; readonly json?: boolean }

export function register(program: Command): void {
  program
    .command("eval")
    .summary("f and f′ at given points")
    .description("Evaluates the compiled f and f′ (float64, the code `compileValueAndGrad` generates) at the given points.")
    .argument("<definition>", "a catalog name, an expression in x, or a definition")
    .requiredOption("--at <points>", "comma-separated points, e.g. --at=-1,0,1")
    .option("--param <name=value>", "a parameter value; repeat for several", collect)
    .option("--json", "print one JSON object {x, f, df}; NaN and ±Infinity as strings")
    .addHelpText("after", `
Examples:
  $ actdiff eval softplus --at=-1,0,1
  $ actdiff eval elu --at -2,0,2 --param alpha=1.5
  $ actdiff eval "log(x)" --at 0,-1 --json`)
    .action(action((source: string, options: Options) => {
      const f = define(source);
      const xs = parsePoints(options.at);
      const given = parseParams(options.param ?? []);
      const params = Object.keys(given).length ? given : undefined;
      // Checked once up front: the compiled closure skips the check when f has no parameters.
      f.paramValues(params);
      const valueAndGrad = f.compileValueAndGrad();
      const results = xs.map((x) => valueAndGrad(x, params));
      if (options.json) {
        printJson({ x: xs.map(jsonNumber), f: results.map(([v]) => jsonNumber(v)), df: results.map(([, g]) => jsonNumber(g)) });
      } else {
        const rows = xs.map((x, i) => [x, ...results[i]!].map(String));
        printText(table(["x", `${f.name}(x)`, `${f.name}'(x)`], rows, ["right", "right", "right"]));
      }
      return EXIT.ok;
    }));
}
