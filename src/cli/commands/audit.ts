import { Option, type Command } from "commander";
import { define } from "../../index.js";
import { auditSuiteEntry, meetsTarget, suiteMarkdown, type SuiteEntry } from "../../audit/suite.js";
import { audit, DEFAULT_DENSITY, SIMD_VARIANTS, VARIANTS, type AuditReport } from "../../audit/audit.js";
import { catalogMarkdown, reportJson, reportText, simdMarkdown } from "../../audit/format.js";
import { auditVector, vectorAuditText } from "../../audit/vectors.js";
import { auditTorch, torchAuditText } from "../../audit/torch.js";
import { oneInputActivations } from "../../catalog/catalog.js";
import { fail } from "../../errors.js";
import { collect, parseNumber, parseParams } from "../args.js";
import { printJson, printText } from "../output.js";
import { readCapped, sourceText, type SourceOptions } from "../input.js";
import { action, EXIT } from "../run.js";

interface Options extends SourceOptions {
  readonly json?: boolean;
  readonly markdown?: boolean;
  readonly catalog?: boolean;
  readonly density?: string;
  readonly param?: string[];
  readonly simd?: boolean;
  readonly lang: "js" | "torch";
  readonly regions: boolean;
  readonly suite?: string;
}

export function register(program: Command): void {
  program
    .command("audit")
    .summary("accuracy of the generated f, f′, f″ in ulps against a 40-digit reference: exit 0 if the targets hold, 1 if not")
    .description(
      "Compiles f, f′ and f″ as actdiff generates them (stable forms) and as the formula reads (naive), in float64 and " +
        "float32, and measures them against a BigNumber reference of at least 40 digits over a sweep of [−1000, 1000] " +
        "(±1e-300, ±1e-8, both sides of each kink, ±20, ±40, ±710, ±745 included): the largest error in ulps and where, " +
        "every NaN or ±Infinity where the truth is finite, and where the tails overflow or underflow. Target for f and f′: " +
        "4 ulps in float64 and 2 in float32 where κ = |x·g′/g| ≤ 1, max(that, 4κ) where the problem is ill-conditioned.",
    )
    .argument("[definition]", "a catalog name, an expression in x, or a definition (omit with --catalog); - reads it from standard input")
    .option("--file <path>", "read the definition from a file")
    .option("--catalog", "audit every available catalog activation")
    .option("--density <n>", `points on the coarse grid over [−1000, 1000]; finer grids scale with it (default ${DEFAULT_DENSITY})`)
    .option("--param <name=value>", "a parameter value; repeat for several", collect)
    .option("--json", "print the report(s) as one JSON object")
    .option("--markdown", "print the catalog table (as in BENCHMARKS.md)")
    .addOption(new Option("--lang <lang>", "js: the generated JavaScript; torch: the module `emit --lang torch` writes, run under python3-torch in float64 and float32, beside torch's built-in where there is one").choices(["js", "torch"]).default("js"))
    .option("--suite <file>", "audit a suite of formulas from the field (test/fixtures/fpbench/suite.json): max ulps of f as written and as compiled, over [−1000, 1000] and the benchmark's range, against max(base, 4κ); with --lang torch also PyTorch float64 (the entries' torch expressions); exit 1 if a row misses the target")
    .option("--no-regions", "skip the regions over the bound and their blamed subexpressions (faster)")
    .option("--simd", "also audit the WebAssembly SIMD kernels: { simd: true }, held to the same targets, and { simd: \"float32\" } (float32 lanes), reported")
    .addHelpText("after", `
Examples:
  $ actdiff audit swish
  $ actdiff audit "x * tanh(softplus(x))" --density 100
  $ actdiff audit elu --param alpha=2 --json
  $ actdiff audit --catalog --markdown
  $ actdiff audit sigmoid --simd
  $ actdiff audit sigmoid --lang torch`)
    .action(action((source: string | undefined, options: Options) => {
      const density = options.density === undefined ? DEFAULT_DENSITY : parseNumber(options.density, "--density", "for example --density 200");
      if (!(density >= 1)) fail("E_USAGE", `--density must be at least 1, not ${options.density}`);
      const given = parseParams(options.param ?? []);
      const params = Object.keys(given).length ? given : undefined;
      if (options.suite !== undefined) {
        const suite = parseSuite(readCapped(options.suite), options.suite);
        const torch = options.lang === "torch";
        const rows = suite.entries.flatMap((entry) => auditSuiteEntry(entry, define(entry.definition), { density, torch }));
        if (options.json) printJson(reportJson({ rows }));
        else printText(suiteMarkdown(rows));
        return rows.every(meetsTarget) ? EXIT.ok : EXIT.refuted;
      }
      if (options.catalog && (source !== undefined || options.file !== undefined)) fail("E_USAGE", "give either a definition or --catalog, not both");
      if (!options.catalog && source === undefined && options.file === undefined) fail("E_USAGE", "audit needs a definition or --catalog", { hint: "actdiff audit swish" });
      const activations = options.catalog ? oneInputActivations().map((e) => define(e.name)) : [define(sourceText(source, options, "definition"))];
      if (options.lang === "torch") {
        if (options.simd || options.markdown) fail("E_USAGE", "--lang torch takes neither --simd nor --markdown");
        const reports = activations.map((a) => auditTorch(a, { density, ...(params && !options.catalog && { params }) }));
        if (options.json) printJson(reports.length === 1 && !options.catalog ? reportJson(reports[0]!) : { reports: reports.map(reportJson) });
        else printText(reports.map(torchAuditText).join("\n\n"));
        return reports.every((r) => r.pass) ? EXIT.ok : EXIT.refuted;
      }
      // A function of a vector: its own audit (random, one-huge and all-equal vectors, N = 1 … 1000).
      if (activations.length === 1 && activations[0]!.isVector) {
        if (options.simd) fail("E_UNSUPPORTED", `${activations[0]!.name} works on vectors: --simd audits elementwise kernels; its SIMD row kernels are held to the JavaScript ones instead`, { hint: "leave out --simd to audit its row kernels" });
        const r = auditVector(activations[0]!, { ...(params && { params }) });
        if (options.json) printJson(r);
        else printText(vectorAuditText(r));
        return r.pass ? EXIT.ok : EXIT.refuted;
      }
      const variants = options.simd ? [...VARIANTS, ...SIMD_VARIANTS] : VARIANTS;
      const reports: AuditReport[] = activations.map((a) => audit(a, { density, variants, regions: options.regions, ...(params && !options.catalog && { params }) }));
      if (options.json) printJson(reports.length === 1 && !options.catalog ? reportJson(reports[0]!) : { reports: reports.map(reportJson) });
      else if (options.markdown) printText(options.simd ? simdMarkdown(reports) : catalogMarkdown(reports));
      else printText(reports.map(reportText).join("\n\n"));
      return reports.every((r) => r.pass) ? EXIT.ok : EXIT.refuted;
    }));
}

/** A suite file: { entries: [{ name, definition, … }] }, or a usage error that says what is wrong. */
function parseSuite(text: string, path: string): { entries: SuiteEntry[] } {
  let suite: unknown;
  try {
    suite = JSON.parse(text);
  } catch (err) {
    return fail("E_USAGE", `${path} is not JSON: ${(err as Error).message}`, { hint: "a suite is { \"entries\": [{ \"name\": …, \"definition\": … }] }, as test/fixtures/fpbench/suite.json" });
  }
  const entries = (suite as { entries?: unknown } | null)?.entries;
  if (!Array.isArray(entries) || !entries.every((e) => typeof e === "object" && e !== null && typeof (e as { definition?: unknown }).definition === "string")) {
    fail("E_USAGE", `${path} has no list of entries with a definition each`, { hint: "a suite is { \"entries\": [{ \"name\": …, \"definition\": … }] }, as test/fixtures/fpbench/suite.json" });
  }
  return suite as { entries: SuiteEntry[] };
}
