import type { Command } from "commander";
import { catalogByGroup, catalogDefinition, GROUP_TITLES, originName } from "../../catalog/catalog.js";
import { catalog } from "../../index.js";
import { paramsJson } from "../describe.js";
import { printJson, printText, table } from "../output.js";
import { action, EXIT } from "../run.js";

interface Options { readonly json?: boolean }

export function register(program: Command): void {
  program
    .command("list")
    .summary("every catalog activation by group, with where its definition and kink convention come from")
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
            group: e.group, definedBy: e.definedBy, ...(e.kinkBy ? { kinkBy: e.kinkBy } : {}),
            torch: e.torch, ...(e.torchDiffers ? { torchDiffers: e.torchDiffers } : {}), aliases: e.aliases ?? [],
          })),
        });
      } else {
        // Definition from: seed documents, PyTorch or a paper; kink: whose convention at the non-smooth points (— when smooth).
        const sections = catalogByGroup().map(({ group, entries }) => [
          `${GROUP_TITLES[group]} (${entries.length})`,
          table(["name", "definition", "from", "kink", "summary"], entries.map((e) => [
            e.status === "available" ? e.name : `${e.name} (planned)`, e.source || "—", originName(e.definedBy), originName(e.kinkBy), e.summary,
          ])),
        ].join("\n"));
        printText([...sections, `${catalog.length} activations. from: where the definition comes from (seed documents, PyTorch, or the paper in \`actdiff list --json\`'s reference); kink: whose convention f' follows where f is not differentiable.`].join("\n\n"));
      }
      return EXIT.ok;
    }));
}
