import type { Command } from "commander";
import { define } from "../../index.js";
import { collect, parseInputPoints, parseParams } from "../args.js";
import { jsonNumber, printJson, printText, table } from "../output.js";
import { action, EXIT } from "../run.js";

interface Options { readonly at: string[]; readonly param?: string[]; readonly json?: boolean }

export function register(program: Command): void {
  program
    .command("eval")
    .summary("f and f′ at given points")
    .description(
      "Evaluates the compiled f and its gradient (float64, the code `compileValueAndGrad` generates) at the given points. " +
      "A function of several inputs takes one --at list per input, all of one length.",
    )
    .argument("<definition>", "a catalog name, an expression in x, or a definition")
    .requiredOption("--at <points>", "comma-separated points, e.g. --at=-1,0,1; for several inputs one list each, --at a=1,2 --at b=0,1", collect)
    .option("--param <name=value>", "a parameter value; repeat for several", collect)
    .option("--json", "print one JSON object {x, f, df} ({inputs, f, grad} for several inputs); NaN and ±Infinity as strings")
    .addHelpText("after", `
Examples:
  $ actdiff eval softplus --at=-1,0,1
  $ actdiff eval elu --at -2,0,2 --param alpha=1.5
  $ actdiff eval "log(x)" --at 0,-1 --json
  $ actdiff eval "glu(a, b) = a * sigmoid(b)" --at a=1,2,3 --at b=0.5,0.5,1 --json`)
    .action(action((source: string, options: Options) => {
      const f = define(source);
      const points = parseInputPoints(options.at, f.inputs);
      const given = parseParams(options.param ?? []);
      const params = Object.keys(given).length ? given : undefined;
      // Checked once up front: the compiled closure skips the check when f has no parameters.
      f.paramValues(params);
      const valueAndGrad = f.compileValueAndGrad();
      const count = points[0]!.length;
      const results = Array.from({ length: count }, (_, i) => valueAndGrad(...points.map((p) => p[i]!), params));
      const one = f.inputs.length === 1;
      if (options.json) {
        if (one) {
          printJson({ x: points[0]!.map(jsonNumber), f: results.map(([v]) => jsonNumber(v!)), df: results.map(([, g]) => jsonNumber(g!)) });
        } else {
          const byInput = (value: (k: number) => (number | string)[]): Record<string, (number | string)[]> =>
            Object.fromEntries(f.inputs.map((input, k) => [input, value(k)]));
          printJson({
            inputs: byInput((k) => points[k]!.map(jsonNumber)),
            f: results.map((r) => jsonNumber(r[0]!)),
            grad: byInput((k) => results.map((r) => jsonNumber(r[k + 1]!))),
          });
        }
      } else {
        const args = f.inputs.join(", ");
        const headers = [...f.inputs, `${f.name}(${args})`, ...(one ? [`${f.name}'(${args})`] : f.inputs.map((x) => `∂${f.name}/∂${x}`))];
        const rows = results.map((r, i) => [...points.map((p) => p[i]!), ...r].map(String));
        printText(table(headers, rows, headers.map(() => "right" as const)));
      }
      return EXIT.ok;
    }));
}
