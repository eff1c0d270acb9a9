import { writeFileSync } from "node:fs";
import { Option, type Command } from "commander";
import { define } from "../../index.js";
import { fail } from "../../errors.js";
import { printText } from "../output.js";
import { action, EXIT } from "../run.js";

interface Options { readonly lang: "js" | "ts" | "tfjs"; readonly out?: string }

export function register(program: Command): void {
  program
    .command("emit")
    .summary("a standalone ES module: f, f′ and batch kernels")
    .description(
      "Prints a standalone ES module (no imports, no eval) exporting f, df, valueAndGrad and the batch kernels " +
      "kernel, backward and fused over Float64Array and Float32Array, with the formula in a comment. " +
      "It computes exactly what compile() computes. The same definition always gives the same bytes. " +
      "--lang tfjs writes a TensorFlow.js module instead: the activation as a tf.customGrad op whose gradient is " +
      "actdiff's derivative (parameters included), and a layer class registered for model.save and tf.loadLayersModel.",
    )
    .argument("<definition>", "a catalog name (swish), an expression in x, or a definition f(x; a = 1) = …")
    .addOption(new Option("--lang <lang>", "JavaScript, TypeScript, or tfjs: a TensorFlow.js op (tf.customGrad) and layer").choices(["js", "ts", "tfjs"]).default("js"))
    .option("--out <file>", "write the module to this file instead of stdout")
    .addHelpText("after", `
Examples:
  $ actdiff emit swish > swish.js
  $ actdiff emit "mish(x) = x * tanh(softplus(x))" --lang ts --out mish.ts
  $ actdiff emit swish --lang tfjs --out swish.js`)
    .action(action((source: string, options: Options) => {
      const text = define(source).emitModule({ lang: options.lang });
      if (options.out === undefined) {
        printText(text.trimEnd());
        return EXIT.ok;
      }
      try {
        writeFileSync(options.out, text);
      } catch (err) {
        fail("E_USAGE", `cannot write ${options.out}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
      return EXIT.ok;
    }));
}
