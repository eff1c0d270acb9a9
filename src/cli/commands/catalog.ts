import type { Command } from "commander";
import type { Activation } from "../../api/activation.js";
import * as Q from "../../ast/rational.js";
import { availableActivations } from "../../catalog/catalog.js";
import { checkDerivative } from "../../api/derivative-check.js";
import { define, print, type CatalogEntry, type VerifyResult } from "../../index.js";
import { breakpoints } from "../../verify/points.js";
import { jsonNumber, printJson, printText, table } from "../output.js";
import { action, EXIT } from "../run.js";

interface Options { readonly json?: boolean }

interface Report {
  readonly entry: CatalogEntry;
  readonly f: Activation;
  /** f′, or for several inputs each partial derivative, labelled. */
  readonly derivative: string;
  /** f′(0), or the gradient at the origin (one value per input), at the default parameters. */
  readonly derivativeAtZero: readonly number[];
  /** Where f or f′ switches, at the default parameters (functions of one input). */
  readonly breakpoints: readonly number[];
  readonly verification: VerifyResult;
}

export function register(program: Command): void {
  program
    .command("catalog")
    .summary("derive and verify f′ for every available catalog activation")
    .description(
      "For each available activation: f as written, f′ in textbook form, f′(0) at the default parameters, and a check " +
      "of that f′ against the derivative an outside source states (the survey's table, PyTorch, Caffe or the original " +
      "paper). Exit 0 when every check holds, 1 otherwise.",
    )
    .option("--json", "print one JSON object {activations: […], total, verified}")
    .addHelpText("after", `
Examples:
  $ actdiff catalog
  $ actdiff catalog --json`)
    .action(action((options: Options) => {
      const reports = availableActivations().map(examine);
      const verified = reports.filter((r) => r.verification.verdict === "proved" || r.verification.verdict === "verified").length;
      if (options.json) {
        printJson({
          activations: reports.map((r) => ({
            name: r.entry.name, definition: r.entry.source, inputs: r.f.inputs, derivative: r.derivative,
            ...(r.f.isVector ? {} : r.f.inputs.length === 1
              ? { derivativeAtZero: jsonNumber(r.derivativeAtZero[0]!) }
              : { gradientAtZero: Object.fromEntries(r.f.inputs.map((x, i) => [x, jsonNumber(r.derivativeAtZero[i]!)])) }),
            breakpoints: r.breakpoints,
            ...(r.entry.kink ? { kink: r.entry.kink } : {}),
            verification: r.verification, ...(r.entry.stated ? { statedDerivative: r.entry.stated } : {}),
          })),
          total: reports.length, verified,
        });
      } else {
        printText(render(reports, verified));
      }
      return verified === reports.length ? EXIT.ok : EXIT.refuted;
    }));
}

function examine(entry: CatalogEntry): Report {
  const f = define(entry.name);
  const gradient = f.gradient();
  const defaults = new Map(f.params.flatMap((p) => (p.defaultValue?.kind === "num" ? [[p.name, p.defaultValue.value] as const] : [])));
  const origin = f.inputs.map(() => 0);
  const one = f.inputs.length === 1 && !f.isVector;
  return {
    entry, f,
    derivative: one ? print(gradient[0]!.expr) : gradient.map((d) => `${d.label}: ${print(d.expr)}`).join("; "),
    // A function of a vector has a Jacobian, not a value at 0: the column shows a dash.
    derivativeAtZero: f.isVector ? [] : gradient.map((d) => d.compile()(...origin)),
    breakpoints: one ? breakpoints([f.expr, gradient[0]!.expr], f.inputs[0]!, defaults).map(Q.toNumber) : [],
    verification: checkDerivative(f, entry).result,
  };
}

function render(reports: readonly Report[], verified: number): string {
  const rows = reports.map((r) => [
    `${r.f.name}(${r.f.signature()})`, r.f.printBody(r.f.written), r.derivative,
    r.derivativeAtZero.length === 0 ? "—" : r.derivativeAtZero.length === 1 ? String(r.derivativeAtZero[0]) : `(${r.derivativeAtZero.join(", ")})`, check(r.verification),
    r.entry.stated?.reference ?? "its own definition",
  ]);
  const out = [table(["activation", "f (as written)", "f' (textbook form; the gradient for several inputs)", "f'(0)", "check", "against"], rows, ["left", "left", "left", "right", "left", "left"])];
  const kinked = reports.filter((r) => r.breakpoints.length > 0 || r.entry.kink);
  if (kinked.length) {
    out.push("", "Breakpoints (where f' is a convention; numeric checks step around them):");
    for (const r of kinked) {
      const at = r.breakpoints.length ? `x = ${r.breakpoints.join(", ")}` : "none";
      out.push(`  ${r.entry.name} (${at}): ${r.entry.kink ?? "no convention recorded"}`);
    }
  }
  out.push("", `${reports.length} activations, ${verified} derivatives verified`);
  return out.join("\n");
}

function check(r: VerifyResult): string {
  switch (r.verdict) {
    case "proved": return "proved";
    case "verified": return `verified (${r.points} points, ${r.digits} digits)`;
    case "refuted": return `REFUTED: ${r.detail}`;
    case "undecided": return `undecided: ${r.detail}`;
  }
}
