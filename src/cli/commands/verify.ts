import type { Command } from "commander";
import { verify, type VerifyResult } from "../../index.js";
import { fields, printJson, printText } from "../output.js";
import { action, EXIT } from "../run.js";

interface Options { readonly json?: boolean }

export function register(program: Command): void {
  program
    .command("verify")
    .summary("check a claimed identity: exit 0 if it holds, 1 if refuted, 2 on bad input")
    .description("Decides `lhs = rhs` symbolically when the difference simplifies to 0, otherwise to 40 digits at sample points on both sides of every breakpoint.")
    .argument("<claim>", "an identity, e.g. \"diff(softplus(x), x) = sigmoid(x)\"")
    .option("--json", "print the result as one JSON object")
    .addHelpText("after", `
Examples:
  $ actdiff verify "diff(softplus(x), x) = sigmoid(x)"
  $ actdiff verify "diff(relu(x), x) = x >= 0 ? 1 : 0"     (holds: the value at the kink is a convention)
  $ actdiff verify "tanh(x) = 2 * sigmoid(2 * x) - 1" --json`)
    .action(action((claim: string, options: Options) => {
      const result = verify(claim);
      if (options.json) printJson(result);
      else printText(describe(result));
      return result.status === "holds" ? EXIT.ok : EXIT.refuted;
    }));
}

function describe(r: VerifyResult): string {
  const lines: [string, string][] = [["verdict", r.status], ["method", r.method], ["detail", r.detail], ["lhs", r.lhs], ["rhs", r.rhs]];
  const c = r.counterexample;
  if (c) {
    lines.push(
      ["at", Object.entries(c.at).map(([k, v]) => `${k} = ${v}`).join(", ")],
      ["lhs there", c.lhs],
      ["rhs there", c.rhs],
    );
    if (c.piece) lines.push(["piece", c.piece]);
  }
  return fields(lines);
}
