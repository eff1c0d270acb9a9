import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { fail } from "../errors.js";
import { LIMITS } from "../limits.js";

/**
 * Where a command's definition or claim comes from: the argument itself, a file (`--file path`)
 * or standard input (`-`). Generated formulas (a polynomial of 100,000 terms) do not fit a command
 * line. Both are read with a cap (LIMITS.inputBytes): `--file /dev/zero` stops there with an
 * error instead of filling the memory.
 */
export interface SourceOptions { readonly file?: string }

/** The text of the argument, of --file, or of standard input for `-`. */
export function sourceText(argument: string | undefined, options: SourceOptions, what: string): string {
  if (options.file !== undefined) {
    if (argument !== undefined) fail("E_USAGE", `give the ${what} as an argument or with --file, not both`, { hint: `actdiff … --file ${options.file}` });
    return trimmed(readCapped(options.file));
  }
  if (argument === undefined) fail("E_USAGE", `no ${what} given`, { hint: `give it as an argument, with --file <path>, or as - to read standard input` });
  return argument === "-" ? trimmed(readCapped("-")) : argument;
}

/** A file's text without its final line break, which an editor adds and a formula does not have. */
const trimmed = (text: string): string => text.replace(/\r?\n$/, "");

/**
 * A file's (or, for `-`, standard input's) text, read in chunks up to the cap. A device that never
 * ends (/dev/zero, /dev/urandom) or a file too large is refused when the cap is passed.
 */
export function readCapped(path: string, cap: number = LIMITS.inputBytes): string {
  const name = path === "-" ? "standard input" : path;
  let fd: number;
  try {
    fd = path === "-" ? 0 : openSync(path, "r");
  } catch (err) {
    return fail("E_USAGE", `cannot read ${name}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    if (path !== "-" && fstatSync(fd).isDirectory()) fail("E_USAGE", `cannot read ${name}: it is a folder`);
    const chunks: Buffer[] = [];
    let total = 0;
    const chunk = Buffer.alloc(1 << 16);
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, chunk, 0, chunk.length, null);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        // Standard input in non-blocking mode (a pipe not yet written to): wait and read again.
        if (code === "EAGAIN") {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
          continue;
        }
        if (code === "EOF") break;
        return fail("E_USAGE", `cannot read ${name}: ${code ?? String(err)}`);
      }
      if (n === 0) break;
      total += n;
      if (total > cap) {
        fail("E_TOO_LARGE", `${name} is larger than ${formatBytes(cap)}, the most actdiff reads`, {
          hint: "split the input; a document can be checked in parts",
        });
      }
      chunks.push(Buffer.from(chunk.subarray(0, n)));
    }
    const bytes = Buffer.concat(chunks, total);
    // NUL bytes are no formula's and no document's: refuse them as binary, not as a syntax error.
    if (bytes.includes(0)) fail("E_USAGE", `${name} is not text (it has NUL bytes)`);
    return bytes.toString("utf8");
  } finally {
    if (path !== "-") closeSync(fd);
  }
}

const formatBytes = (n: number): string => (n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MiB` : `${n.toLocaleString("en-US")} bytes`);
