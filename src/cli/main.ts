#!/usr/bin/env node
import { register as catalog } from "./commands/catalog.js";
import { register as diff } from "./commands/diff.js";
import { register as docs } from "./commands/docs.js";
import { register as emit } from "./commands/emit.js";
import { register as evaluate } from "./commands/eval.js";
import { register as latex } from "./commands/latex.js";
import { register as list } from "./commands/list.js";
import { register as verify } from "./commands/verify.js";
import { ActdiffCommand, configureProgram, runProgram } from "./run.js";

const program = configureProgram(new ActdiffCommand("actdiff"))
  .description("Activation functions as one-line formulas: exact derivatives, verification, LaTeX.")
  // Set before the commands are added, so that each subcommand inherits them.
  .showHelpAfterError("(run with --help for usage)")
  .allowUnknownOption(false)
  .addHelpText("after", `
Examples:
  $ actdiff diff softplus
  $ actdiff diff "x * tanh(softplus(x))" --json
  $ actdiff eval elu --at=-1,0,1 --param alpha=2
  $ actdiff verify "diff(softplus(x), x) = sigmoid(x)"
  $ actdiff catalog`);

import { register as props } from "./commands/props.js";
import { register as audit } from "./commands/audit.js";
import { register as check } from "./commands/check.js";
for (const register of [diff, latex, evaluate, verify, check, list, catalog, emit, docs, props, audit]) register(program);

await runProgram(program, process.argv);
