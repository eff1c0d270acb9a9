import type { Command } from "commander";
import { catalogDefinition } from "../../catalog/catalog.js";
import { catalog } from "../../index.js";
import { paramsJson } from "../describe.js";
import { printJson, printText, table } from "../output.js";
import { action, EXIT } from "../run.js";

interface Options { readonly json?: boolean }

export function register(program: Command): void {
  program
    .command("list")
    .summary("every catalog activation, planned ones included")
    .option("--json", "print one JSON object {activations: […]}")
    .addHelpText("after", `
Examples:
  $ actdiff list
  $ actdiff list --json`)
    .action(action((options: Options) => {
      if (options.json) {
        printJson({
          activations: catalog.map((e) => ({
            name: e.name,
            definition: e.source || null,
            params: paramsJson(catalogDefinition(e.name)?.params ?? []),
            status: e.status, summary: e.summary, reference: e.reference,
            ...(e.kink ? { kink: e.kink } : {}),
          })),
        });
      } else {
        printText(table(["name", "status", "definition", "summary"], catalog.map((e) => [e.name, e.status, e.source || "—", e.summary])));
      }
      return EXIT.ok;
    }));
}
