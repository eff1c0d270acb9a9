import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { escapeControls } from "../controls.js";
import { ActdiffError } from "../errors.js";
import { asTooLarge } from "../limits.js";
import { printError, printJson } from "./output.js";

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

function report(thrown: unknown, json: boolean): number {
  // The last resort: a stack overflow the input limits did not foresee is an input too large.
  const err = asTooLarge(thrown);
  if (err instanceof ActdiffError) {
    if (json) printJson({ error: err.toJSON() });
    else printError(err.message);
    return EXIT.usage;
  }
  const message = err instanceof Error ? err.message : String(err);
  if (json) printJson({ error: { code: "E_INTERNAL", message } });
  else printError(`internal error: ${message}`);
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

/**
 * How an argument that begins with `-` is read: as an option only when it looks like one —
 * `--name`, `--name=value`, `-n`, `-abc`; anything else (`-2 + x = x - 2`, `-x * exp(x)`,
 * `-sigmoid(x)`) is a claim or a definition, as the user meant, with no `--` needed.
 */
const OPTION_SHAPED = /^(?:--[A-Za-z][A-Za-z0-9-]*(?:=[\s\S]*)?|-[A-Za-z]+)$/;

/** The package's version, from its package.json (two folders up from src/cli and from dist/cli alike). */
export const VERSION: string = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;

/**
 * commander's Command with actdiff's reading of arguments: a formula that begins with a minus
 * sign is an operand, not an unknown option; messages echoing the command line are escaped for
 * the terminal.
 */
export class ActdiffCommand extends Command {
  override createCommand(name?: string): Command {
    return new ActdiffCommand(name);
  }

  override parseOptions(args: string[]): { operands: string[]; unknown: string[] } {
    // Each operand that commander would take for an option stands in as a placeholder that does
    // not begin with `-`, and is put back afterwards; an option's own value is left alone.
    const held = new Map<string, string>();
    const shielded = args.map((arg, i) => {
      if (arg === "--") return arg;
      const previous = args[i - 1];
      const takesValue = previous !== undefined && !previous.includes("=") && this.options.some((o) => (o.short === previous || o.long === previous) && (o.required || o.optional));
      if (takesValue || !arg.startsWith("-") || arg.length === 1 || OPTION_SHAPED.test(arg)) return arg;
      const placeholder = `\u0000operand${held.size}`;
      held.set(placeholder, arg);
      return placeholder;
    });
    // An argument after `--` is an operand in any case: nothing after it is shielded.
    const end = args.indexOf("--");
    const input = end < 0 ? shielded : [...shielded.slice(0, end), ...args.slice(end)];
    const { operands, unknown } = super.parseOptions(input);
    const restore = (a: string): string => held.get(a) ?? a;
    return { operands: operands.map(restore), unknown: unknown.map(restore) };
  }
}

/** The program's settings that every command inherits: errors thrown, not exits; echoed text escaped. */
export function configureProgram(program: Command): Command {
  return program
    .exitOverride()
    .configureOutput({
      writeErr: (text) => process.stderr.write(escapeControls(text)),
      outputError: (text, write) => write(escapeControls(text)),
    })
    .version(VERSION, "-V, --version", "print the version of actdiff");
}
