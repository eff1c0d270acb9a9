import { Option, type Command } from "commander";
import { printRandom } from "../../ast/print.js";
import { fail } from "../../errors.js";
import { define } from "../../index.js";
import { collect, parseInputPoints, parseNumber, parseParams } from "../args.js";
import { jsonNumber, printJson, printText, table } from "../output.js";
import { sourceText, type SourceOptions } from "../input.js";
import { action, EXIT } from "../run.js";
import { printVectorEval } from "../vectors.js";

interface Options extends SourceOptions {
  readonly at: string[];
  readonly param?: string[];
  readonly json?: boolean;
  readonly mode: "eval" | "train";
  readonly seed?: string;
}

/** The seed of `--mode train` without `--seed`. */
const DEFAULT_SEED = 0;

export function register(program: Command): void {
  program
    .command("eval")
    .summary("f and f′ at given points")
    .description(
      "Evaluates the compiled f and its gradient (float64, the code `compileValueAndGrad` generates) at the given points. " +
      "A function of several inputs takes one --at list per input, all of one length.",
    )
    .argument("[definition]", "a catalog name, an expression in x, or a definition; - reads it from standard input")
    .option("--file <path>", "read the definition from a file; give - as the definition to read standard input")
    .requiredOption("--at <points>", "comma-separated points, e.g. --at=-1,0,1; for several inputs one list each, --at a=1,2 --at b=0,1", collect)
    .option("--param <name=value>", "a parameter value; repeat for several", collect)
    .option("--json", "print one JSON object {x, f, df} ({inputs, f, grad} for several inputs); NaN and ±Infinity as strings")
    .addOption(new Option("--mode <mode>", "eval: each random variable at its mean; train: drawn for every point").choices(["eval", "train"]).default("eval"))
    .option("--seed <n>", `the generator's seed for --mode train, an integer from 0 to 2^53 - 1 (default ${DEFAULT_SEED})`)
    .addHelpText("after", `
A definition may draw random variables: rrelu(x; …) = x > 0 ? x : a * x where a ~ uniform(lower, upper).
By default (--mode eval) each is replaced by its mean. With --mode train each is drawn for every
point from the seeded counter-based generator (point i draws counter i of the seed, so the same
seed gives the same draws), and f and its gradient are evaluated given the draws. --json then
adds "noise": the draws as one list, or by name ({"a": […], "b": […]}) when there are several
random variables, and "seed".

Examples:
  $ actdiff eval softplus --at=-1,0,1
  $ actdiff eval elu --at -2,0,2 --param alpha=1.5
  $ actdiff eval "log(x)" --at 0,-1 --json
  $ actdiff eval "glu(a, b) = a * sigmoid(b)" --at a=1,2,3 --at b=0.5,0.5,1 --json
  $ actdiff eval rrelu --mode train --seed 7 --at -1,2 --json
  $ actdiff eval softmax --at "[1000, 0, -1]" --json      (a function of a vector: one vector per --at)`)
    .action(action((argument: string | undefined, options: Options) => {
      const f = define(sourceText(argument, options, "definition"));
      if (f.isVector) {
        const given = parseParams(options.param ?? []);
        printVectorEval(f, options.at, Object.keys(given).length ? given : undefined, options.json === true);
        return EXIT.ok;
      }
      const points = parseInputPoints(options.at, f.inputs);
      const given = parseParams(options.param ?? []);
      const params = Object.keys(given).length ? given : undefined;
      // Checked once up front: the compiled closure skips the check when f has no parameters.
      f.paramValues(params);
      const count = points[0]!.length;
      const training = options.mode === "train" ? f.train() : undefined;
      if (training === undefined && options.seed !== undefined) {
        fail("E_USAGE", "--seed is for --mode train", { hint: `actdiff eval … --mode train --seed ${options.seed}` });
      }
      const seed = options.seed === undefined ? DEFAULT_SEED : parseNumber(options.seed, "--seed", "for example --seed 7");
      // Point i draws counter i: the draws of a kernel over the points as one array.
      const draws = training?.draw({ seed }, count, params) ?? [];
      const valueAndGrad = training?.compileValueAndGrad() ?? f.compileValueAndGrad();
      const results = Array.from({ length: count }, (_, i) => valueAndGrad(...points.map((p) => p[i]!), ...draws.map((d) => d[i]!), params));
      const one = f.inputs.length === 1;
      const randoms = training?.randoms.map((r) => r.name) ?? [];
      const noise = training === undefined ? {} : {
        noise: randoms.length === 1 ? [...draws[0]!].map(jsonNumber) : Object.fromEntries(randoms.map((r, k) => [r, [...draws[k]!].map(jsonNumber)])),
      };
      if (options.json) {
        const mode = training === undefined ? {} : { seed };
        if (one) {
          printJson({ x: points[0]!.map(jsonNumber), ...noise, f: results.map(([v]) => jsonNumber(v!)), df: results.map(([, g]) => jsonNumber(g!)), ...mode });
        } else {
          const byInput = (value: (k: number) => (number | string)[]): Record<string, (number | string)[]> =>
            Object.fromEntries(f.inputs.map((input, k) => [input, value(k)]));
          printJson({
            inputs: byInput((k) => points[k]!.map(jsonNumber)),
            ...noise,
            f: results.map((r) => jsonNumber(r[0]!)),
            grad: byInput((k) => results.map((r) => jsonNumber(r[k + 1]!))),
            ...mode,
          });
        }
      } else {
        const args = f.inputs.join(", ");
        const headers = [...f.inputs, ...randoms, `${f.name}(${args})`, ...(one ? [`${f.name}'(${args})`] : f.inputs.map((x) => `∂${f.name}/∂${x}`))];
        const rows = results.map((r, i) => [...points.map((p) => p[i]!), ...draws.map((d) => d[i]!), ...r].map(String));
        const note = training === undefined ? [] : [`training mode, seed ${seed}: ${training.randoms.map(printRandom).join(", ")}, drawn for each point`];
        printText([...note, table(headers, rows, headers.map(() => "right" as const))].join("\n"));
      }
      return EXIT.ok;
    }));
}
