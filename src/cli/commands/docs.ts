import { relative } from "node:path";
import cliProgress from "cli-progress";
import { Option, type Command } from "commander";
import { buildSite, catalogSubjects, findPlaygroundBundle, subjectsFromArguments, subjectsFromFile, type DocsFormat } from "../../docs/index.js";
import { fail } from "../../errors.js";
import { printError, printText } from "../output.js";
import { readCapped } from "../input.js";
import { action, EXIT } from "../run.js";

interface Options { readonly out: string; readonly file?: string; readonly format: DocsFormat }

/** Fewer pages than this finish before a bar would be worth drawing. */
const PROGRESS_FROM = 5;

export function register(program: Command): void {
  program
    .command("docs")
    .summary("write a documentation site: a gallery and a page per activation")
    .description(
      "Writes an index gallery and one page per activation — its definition, f, f′ and f″ in LaTeX, plots over [-6, 6] " +
      "with kinks marked and parameter variants overlaid, its property sheet, " +
      "the verification of its derivative and the generated JavaScript. A function of several inputs gets each partial " +
      "derivative and f against each input with the others held; a function of a vector the Jacobian element in index " +
      "notation, the vector–Jacobian product and f along a slice such as softmax(x, 0). HTML pages render their math at build time " +
      "and carry KaTeX's stylesheet and fonts, so the site works offline from the file system; Markdown pages use $$…$$ " +
      "math and SVG plot files. An HTML site also gets playground.html, where a reader types a formula and sees its " +
      "derivative, plot and generated module computed in the page (once `npm run build` has made the browser bundle). " +
      "Without names or --file, the whole catalog.",
    )
    .argument("[names...]", "catalog names or definitions; the whole catalog when none are given")
    .option("--file <defs.act>", "a file of definitions, one a line (# starts a comment); later lines may call earlier ones")
    .requiredOption("--out <dir>", "the directory to write the site into (created if missing)")
    .addOption(new Option("--format <format>", "html pages or Markdown").choices(["html", "md"]).default("html"))
    .addHelpText("after", `
Examples:
  $ actdiff docs --out site                       (the whole catalog; open site/index.html)
  $ actdiff docs swish elu "mish(x) = x * tanh(softplus(x))" --out site
  $ actdiff docs --file defs.act --out docs/activations --format md`)
    .action(action((names: string[], options: Options) => {
      if (names.length && options.file) fail("E_USAGE", "give activation names or --file, not both");
      const subjects = options.file ? subjectsFromFile(readText(options.file), options.file)
        : names.length ? subjectsFromArguments(names)
        : catalogSubjects();
      const bar = subjects.length >= PROGRESS_FROM && process.stdout.isTTY && process.env["CI"] !== "true"
        ? new cliProgress.SingleBar({ format: "docs [{bar}] {value}/{total} {name}", clearOnComplete: true, hideCursor: true, stream: process.stdout }, cliProgress.Presets.shades_classic)
        : undefined;
      bar?.start(subjects.length, 0, { name: "" });
      const playgroundBundle = findPlaygroundBundle();
      let result;
      try {
        result = buildSite({
          subjects, out: options.out, format: options.format,
          ...(playgroundBundle !== undefined && { playgroundBundle }),
          ...(bar && { onProgress: (done: number, _total: number, name: string) => bar.update(done, { name }) }),
        });
      } finally {
        bar?.stop();
      }
      for (const warning of result.warnings) printError(`warning: ${warning}`);
      const where = relative(process.cwd(), result.index) || result.index;
      printText(`${result.pages} page${result.pages === 1 ? "" : "s"} written; the site is at ${where.startsWith("..") ? result.index : where}`);
      return EXIT.ok;
    }));
}

const readText = (path: string): string => readCapped(path);

