import type { Command } from "commander";
import { analyze, sheetToJson, sweep } from "../../analyze/analyze.js";
import { classText, deadZoneText, describeChecklist, describeSheet, methodText, rangeText, sideText } from "../../analyze/describe.js";
import { describeMulti, multiMethodText } from "../../analyze/describe-multi.js";
import { fmt } from "../../analyze/format.js";
import { analyzeMulti, multiSheetToJson, takesOneNumber } from "../../analyze/multi.js";
import type { MultiSheet } from "../../analyze/multi-types.js";
import type { PropertySheet, SweepResult } from "../../analyze/types.js";
import { fail } from "../../errors.js";
import { define } from "../../index.js";
import { collect, parseNumber, parseParams } from "../args.js";
import { fields, printJson, printText, table } from "../output.js";
import { sourceText, type SourceOptions } from "../input.js";
import { action, EXIT } from "../run.js";
import { BUDGET_FLAGS, parseBudget } from "../budget-option.js";
import { PROPS_BUDGET } from "../../analyze/analyze.js";

interface Options extends SourceOptions {
  readonly param?: string[];
  readonly sweep?: string;
  readonly steps?: string;
  readonly json?: boolean;
  readonly budget?: string;
}

export function register(program: Command): void {
  program
    .command("props")
    .summary("the property sheet: range, monotonicity, saturation, smoothness, … and how each was established")
    .description(
      "What an activation is like — f(0), range, monotonicity and extrema, symmetry, saturation (Gulcehre et al. 2016), " +
      "max |f′|, dead zones, smoothness at each breakpoint, Lipschitz constant, asymptotes, op counts, the survey's " +
      "checklist and the universal-approximation conditions — each with its method: symbolic, interval bound, " +
      "or numeric scan with its resolution. A function of several inputs (glu) gets the range, affinity and " +
      "monotonicity in each input, the saturation of its gate and its Lipschitz constant; a function of a vector " +
      "(softmax) the range of each output, whether the outputs sum to 1, invariance to adding a constant, the " +
      "Lipschitz constant sup ‖J‖₂ and saturation along a slice — proved where a proof is reached, otherwise " +
      "labelled as observed on seeded random samples.",
    )
    .argument("[definition]", "a catalog name, an expression in x, or a definition; - reads it from standard input")
    .option("--file <path>", "read the definition from a file; give - as the definition to read standard input")
    .option("--param <name=value>", "a parameter value; repeat for several", collect)
    .option("--sweep <name=from..to>", "how the properties change with one parameter, e.g. --sweep beta=0.1..10")
    .option("--steps <n>", "values in a sweep (default 7; geometric when the range spans a factor of 10)")
    .option("--json", "print one JSON object (a sweep: {param, values, sheets}); ±Infinity as strings")
    .option(BUDGET_FLAGS, `the most CPU time a sheet may take (default ${PROPS_BUDGET.base / 1000} s + ${PROPS_BUDGET.perNode} ms for each node of the definition); past it, what is still open is stated as not established`)
    .addHelpText("after", `
Examples:
  $ actdiff props swish
  $ actdiff props elu --param alpha=2
  $ actdiff props "x * tanh(softplus(x))" --json
  $ actdiff props swish --sweep beta=0.1..10
  $ actdiff props glu
  $ actdiff props softmax --json`)
    .action(action((argument: string | undefined, options: Options) => {
      const f = define(sourceText(argument, options, "definition"));
      const params = parseParams(options.param ?? []);
      const budgetMs = parseBudget(options.budget);
      const budget = budgetMs === undefined ? {} : { budgetMs };
      if (options.steps !== undefined && options.sweep === undefined) fail("E_USAGE", "--steps needs --sweep");
      if (!takesOneNumber(f)) {
        if (options.sweep !== undefined) fail("E_USAGE", `--sweep is for functions of one input; ${f.name} takes ${f.isVector ? "a vector" : `${f.inputs.length} inputs`}`, { hint: "give parameter values with --param instead" });
        const sheet = analyzeMulti(f, { params });
        if (options.json) printJson(multiSheetToJson(sheet) as object);
        else printText(renderMulti(sheet));
        return EXIT.ok;
      }
      if (options.sweep !== undefined) {
        const { name, from, to } = parseSweep(options.sweep);
        if (Object.hasOwn(params, name)) fail("E_USAGE", `parameter '${name}' is both swept and given with --param`);
        const steps = options.steps === undefined ? undefined : parseNumber(options.steps, "--steps", "for example --steps 9");
        const result = sweep(f, { param: name, from, to, params, ...budget, ...(steps !== undefined && { steps }) });
        if (options.json) printJson({ param: result.param, values: result.values, changing: result.changing, sheets: result.sheets.map(sheetToJson) });
        else printText(renderSweep(result));
        return EXIT.ok;
      }
      const sheet = analyze(f, { params, ...budget });
      if (options.json) printJson(sheetToJson(sheet) as object);
      else printText(renderSheet(sheet));
      return EXIT.ok;
    }));
}

/** `beta=0.1..10` → { name: "beta", from: 0.1, to: 10 }. */
function parseSweep(text: string): { name: string; from: number; to: number } {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=(.*?)\.\.(.*)$/.exec(text);
  if (!m) fail("E_USAGE", `--sweep expects name=from..to, not '${text}'`, { hint: "for example --sweep beta=0.1..10" });
  const hint = "for example --sweep beta=0.1..10";
  const from = parseNumber(m[2]!.trim(), "--sweep", hint, { source: text, offset: text.indexOf("=") + 1 });
  const to = parseNumber(m[3]!.trim(), "--sweep", hint, { source: text, offset: text.indexOf("..") + 2 });
  return { name: m[1]!, from, to };
}

function renderSheet(s: PropertySheet): string {
  const params = Object.entries(s.params).map(([k, v]) => `${k} = ${fmt(v)}`).join(", ");
  const rows = describeSheet(s);
  const lines = [s.definition + (params ? `   (at ${params})` : ""), ""];
  lines.push(fields(rows.map((r) => [r.label, r.value] as const)), "");
  lines.push("checklist (survey §2; seed 000 on differentiability):");
  lines.push(fields(describeChecklist(s).map((c) => [`  ${c.value ? "✓" : "✗"} ${c.label}`, c.reason] as const)), "");
  lines.push("how each property was established:");
  lines.push(fields(rows.map((r) => [`  ${r.label}`, methodText(r.method)] as const)));
  if (s.notes.length) lines.push("", "notes:", ...s.notes.map((n) => `  - ${n}`));
  return lines.join("\n");
}

/** The sheet of several inputs or of a vector, laid out as renderSheet lays out one input's (there is no checklist). */
function renderMulti(s: MultiSheet): string {
  const params = Object.entries(s.params).map(([k, v]) => `${k} = ${fmt(v)}`).join(", ");
  const rows = describeMulti(s);
  const lines = [s.definition + (params ? `   (at ${params})` : ""), ""];
  lines.push(fields(rows.map((r) => [r.label, r.value] as const)), "");
  lines.push("how each property was established:");
  lines.push(fields(rows.map((r) => [`  ${r.label}`, multiMethodText(r.method)] as const)));
  if (s.notes.length) lines.push("", "notes:", ...s.notes.map((n) => `  - ${n}`));
  return lines.join("\n");
}

function renderSweep(r: SweepResult): string {
  const headers = [r.param, "f(0)", "range", "monotonic", "extrema", "max |f′|", "smoothness", "saturation L / R", "dead zone"];
  const rows = r.sheets.map((s, i) => [
    fmt(r.values[i]!),
    fmt(s.f0),
    rangeText(s),
    s.monotonic ? "yes" : "no",
    s.extrema.map((e) => `${e.kind} ${fmt(e.value)} @ ${fmt(e.x)}`).join("; ") || "-",
    `${fmt(s.maxAbsGrad.value)}${typeof s.maxAbsGrad.at === "number" && Number.isFinite(s.maxAbsGrad.at) ? ` @ ${fmt(s.maxAbsGrad.at)}` : ""}`,
    classText(s.smoothness.class),
    `${sideText(s.saturation.left)} / ${sideText(s.saturation.right)}`,
    s.deadZone ? deadZoneText(s.deadZone, s.deadZoneClosed[0]!) : "-",
  ]);
  const first = r.sheets[0];
  const fixed = Object.entries(first?.params ?? {}).filter(([k]) => k !== r.param).map(([k, v]) => `${k} = ${fmt(v)}`);
  return [
    `${first?.definition ?? ""}${fixed.length ? `   (at ${fixed.join(", ")})` : ""}`,
    "",
    table(headers, rows, ["right", "right"]),
    "",
    `changing with ${r.param}: ${r.changing.length ? r.changing.join(", ") : "nothing"}`,
  ].join("\n");
}
