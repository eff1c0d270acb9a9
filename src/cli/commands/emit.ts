import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { Option, type Command } from "commander";
import { define } from "../../index.js";
import { EMIT_LANGS, type EmitLang } from "../../codegen/langs.js";
import { fail } from "../../errors.js";
import { printJson, printText } from "../output.js";
import { sourceText, type SourceOptions } from "../input.js";
import { action, EXIT } from "../run.js";

interface Options extends SourceOptions { readonly lang: EmitLang; readonly simd?: boolean; readonly out?: string; readonly json?: boolean }

const LANG_HELP = Object.entries(EMIT_LANGS).map(([lang, what]) => `${lang}: ${what}`).join("; ");

export function register(program: Command): void {
  program
    .command("emit")
    .summary("a standalone module: ES module (f, f′, batch kernels) or PyTorch")
    .description(
      "Prints a standalone module for the activation. js and ts: an ES module (no imports, no eval) exporting f, df, " +
      "valueAndGrad and the batch kernels kernel, backward and fused over Float64Array and Float32Array; it computes " +
      "exactly what compile() computes. torch: a Python module (imports torch and math only) with the functional form, " +
      "a torch.autograd.Function whose backward and double backward are actdiff's derivatives, and an nn.Module. " +
      "tfjs: an ES module importing @tensorflow/tfjs, the activation as a tf.customGrad op whose gradient is actdiff's " +
      "derivative (parameters included), and a layer class registered for model.save and tf.loadLayersModel. " +
      "With --simd, js and ts modules also embed the library's WebAssembly SIMD kernels (base64) and export " +
      "simdKernels(lanes), which computes what kernels with { simd } compute. " +
      "The formula is in a comment; the same definition always gives the same bytes.",
    )
    .argument("[definition]", "a catalog name (swish), an expression in x, or a definition f(x; a = 1) = …; - reads it from standard input")
    .option("--file <path>", "read the definition from a file; give - as the definition to read standard input")
    .addOption(new Option("--lang <lang>", LANG_HELP).choices(Object.keys(EMIT_LANGS)).default("js"))
    .option("--simd", "js and ts: also embed the WebAssembly SIMD kernels, as simdKernels() (a page's CSP then needs 'wasm-unsafe-eval' for them)")
    .option("--out <file>", "write the module to this file instead of stdout")
    .option("--json", "print one JSON object {lang, source, sha256} (sha256 of the source's UTF-8 bytes)")
    .addHelpText("after", `
Examples:
  $ actdiff emit swish > swish.js
  $ actdiff emit "mish(x) = x * tanh(softplus(x))" --lang ts --out mish.ts
  $ actdiff emit softmax --simd --out softmax.js
  $ actdiff emit swish --lang torch --out swish.py
  $ actdiff emit swish --lang tfjs --out swish.js`)
    .action(action((argument: string | undefined, options: Options) => {
      const text = define(sourceText(argument, options, "definition")).emitModule({ lang: options.lang, simd: options.simd === true });
      if (options.json) {
        printJson({ lang: options.lang, source: text, sha256: createHash("sha256").update(text, "utf8").digest("hex") });
        if (options.out === undefined) return EXIT.ok;
      }
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
