import { CommanderError, type Command } from "commander";
import { ActdiffError } from "../errors.js";
import { printJson } from "./output.js";

/** Exit statuses: 1 is reserved for a refuted claim, so bad input of any kind is 2. */
/** 3 (undecided) is distinct from 1 (refuted) and 2 (bad input), so scripts can tell them apart. */
export const EXIT = { ok: 0, refuted: 1, usage: 2, undecided: 3, internal: 70 } as const;

interface JsonOption { readonly json?: boolean }

/**
 * Wraps a command's action so that every outcome becomes an exit status: the handler returns
 * one, and any error it throws is reported here — as JSON on stdout under --json, where a
 * script is reading, and as text on stderr otherwise.
 */
export function action<A extends unknown[]>(handler: (...args: A) => number): (...args: A) => void {
  return (...args) => {
    const command = args.at(-1) as Command;
    try {
      process.exitCode = handler(...args);
    } catch (err) {
      process.exitCode = report(err, command.opts<JsonOption>().json === true);
    }
  };
}

function report(err: unknown, json: boolean): number {
  if (err instanceof ActdiffError) {
    if (json) printJson({ error: err.toJSON() });
    else process.stderr.write(err.message + "\n");
    return EXIT.usage;
  }
  const message = err instanceof Error ? err.message : String(err);
  if (json) printJson({ error: { code: "E_INTERNAL", message } });
  else process.stderr.write(`internal error: ${message}\n`);
  // A stack is for developers of actdiff, not for its users.
  if (process.env["ACTDIFF_DEBUG"] === "1" && err instanceof Error && err.stack) process.stderr.write(err.stack + "\n");
  return EXIT.internal;
}

/** Parses argv; commander has already printed its own message for a usage error. */
export async function runProgram(program: Command, argv: readonly string[]): Promise<void> {
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version arrive here too, with exit code 0.
      process.exitCode = err.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return;
    }
    process.exitCode = report(err, false);
  }
}
