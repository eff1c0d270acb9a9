import type { Command } from "commander";
import { verify, type VerifyResult } from "../../index.js";
import { verifyFields } from "../../verify/describe.js";
import { fields, printJson, printText } from "../output.js";
import { sourceText, type SourceOptions } from "../input.js";
import { action, EXIT } from "../run.js";
import { BUDGET_FLAGS, parseBudget } from "../budget-option.js";
import { VERIFY_BUDGET } from "../../verify/verify.js";

interface Options extends SourceOptions { readonly json?: boolean; readonly budget?: string }

export function register(program: Command): void {
  program
    .command("verify")
    .summary("check a claim: exit 0 if proved or verified, 1 if refuted, 3 if undecided, 2 on bad input")
    .description(
      "Decides `lhs = rhs`: proved (the exp-rational decision procedure, or simplification to 0, piece by piece for " +
      "piecewise sides), verified (agreement to 40 digits at many points, both sides of every breakpoint, several " +
      "parameter values), refuted (with a counterexample and, where it can tell, the likely slip) or undecided. " +
      "Derivatives: diff(f(x), x), d/dx f(x), f'(x), f''(x), d/dbeta swish(x; beta). Clauses: `where y = tanh(x)`, " +
      "`for beta > 0`, `for 0 < beta < 2`. A claim with a backslash is read as LaTeX.",
    )
    .argument("[claim]", "a claim, e.g. \"diff(softplus(x), x) = sigmoid(x)\"; - reads it from standard input")
    .option("--file <path>", "read the claim from a file; give - as the claim to read standard input")
    .option("--json", "print the result as one JSON object")
    .option(BUDGET_FLAGS, `the most CPU time the verdict may take (default ${VERIFY_BUDGET.base / 1000} s + ${VERIFY_BUDGET.perNode} ms for each node of the claim); past it the verdict is undecided`)
    .addHelpText("after", `
Examples:
  $ actdiff verify "diff(softplus(x), x) = sigmoid(x)"
  $ actdiff verify "tanh'(x) = 1 - y^2 where y = tanh(x)"
  $ actdiff verify "tanh'(x) = 1 - x^2"                        (refuted: right in output form only)
  $ actdiff verify "d/dbeta swish(x; beta) = x^2 * sigmoid(beta*x) * (1 - sigmoid(beta*x)) for beta > 0"
  $ actdiff verify "d/dx relu_softplus(x) = x >= 0 ? 1 : sigmoid(x)"   (with what happens at the kink)
  $ actdiff verify "\\frac{d}{dx}\\tanh(x) = 1 - \\tanh^2(x)" --json`)
    .action(action((argument: string | undefined, options: Options) => {
      const budgetMs = parseBudget(options.budget);
      const result = verify(sourceText(argument, options, "claim"), budgetMs === undefined ? {} : { budgetMs });
      if (options.json) printJson(result);
      else printText(describe(result));
      return { proved: EXIT.ok, verified: EXIT.ok, refuted: EXIT.refuted, undecided: EXIT.undecided }[result.verdict];
    }));
}

function describe(r: VerifyResult): string {
  return fields(verifyFields(r));
}
