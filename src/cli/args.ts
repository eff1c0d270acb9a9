import { fail } from "../errors.js";
import { NAME_PATTERN } from "../parse/identifiers.js";
import { didYouMean } from "../parse/suggest.js";

/** Where a number sits in an option's text, so that an error can point a caret at it. */
interface Place { readonly source: string; readonly offset: number }

/**
 * The formula language's number literal with an optional sign: one number syntax everywhere.
 * JavaScript's Number() would also take 0x10, 0b11, 1_000 (no), Infinity and "" (as 0).
 */
const NUMBER = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

/** A number given on the command line; a bad one is an ActdiffError (exit 2), not a NaN. */
export function parseNumber(text: string, option: string, hint: string, place?: Place): number {
  const value = Number(text);
  if (!NUMBER.test(text.trim()) || Number.isNaN(value)) {
    fail("E_USAGE", `${option} expects a number, not '${text}'`, {
      hint,
      ...(place && {
        source: place.source,
        span: { offset: place.offset, length: Math.max(1, text.length), line: 1, column: place.offset + 1 },
      }),
    });
  }
  return value;
}

/** `--at -1,0,2.5` → [-1, 0, 2.5]; `start` is where the list begins in `source` (after `a=`). */
export function parsePoints(text: string, source = text, start = 0): number[] {
  let offset = start;
  return text.split(",").map((item) => {
    const value = parseNumber(item, "--at", "write the points as --at=-1,0,1", { source, offset });
    offset += item.length + 1;
    return value;
  });
}

const NAMED_LIST = new RegExp(`^\\s*(${NAME_PATTERN})\\s*=`, "u");

/**
 * The points of each input, from repeated `--at`: `--at -1,0,1` for one input (or `--at x=-1,0,1`);
 * `--at a=1,2 --at b=0.5,1` for several, named or in the inputs' order, one list per input, all
 * of one length.
 */
export function parseInputPoints(items: readonly string[], inputs: readonly string[]): number[][] {
  const lists = items.map((item) => {
    const named = NAMED_LIST.exec(item);
    return named ? { name: named[1]!, points: parsePoints(item.slice(named[0].length), item, named[0].length) } : { points: parsePoints(item) };
  });
  const usage = inputs.length === 1 ? `--at ${inputs[0]}=-1,0,1 or --at=-1,0,1` : inputs.map((x, i) => `--at ${x}=${i + 1},${i + 2}`).join(" ");
  const namedCount = lists.filter((l) => l.name !== undefined).length;
  if (namedCount !== 0 && namedCount !== lists.length) fail("E_USAGE", "name every --at list or none of them", { hint: usage });
  if (namedCount === 0 && lists.length !== inputs.length) {
    fail("E_USAGE", `${inputs.length === 1 ? "one --at list" : `${inputs.length} --at lists, one per input (${inputs.join(", ")}),`} expected, not ${lists.length}`, { hint: usage });
  }
  for (const l of lists) {
    if (l.name !== undefined && !inputs.includes(l.name)) {
      fail("E_USAGE", `--at names '${l.name}', which is not an input`, { hint: didYouMean(l.name, inputs) ?? `the inputs: ${inputs.join(", ")}` });
    }
  }
  const byInput = namedCount === 0 ? lists.map((l) => l.points) : inputs.map((input) => {
    const matching = lists.filter((l) => l.name === input);
    if (matching.length > 1) fail("E_USAGE", `--at gives the points of '${input}' twice`, { hint: usage });
    if (matching.length === 0) fail("E_USAGE", `no --at list for the input '${input}'`, { hint: usage });
    return matching[0]!.points;
  });
  const lengths = new Set(byInput.map((p) => p.length));
  if (lengths.size > 1) fail("E_USAGE", `the --at lists have different lengths (${inputs.map((x, i) => `${x}: ${byInput[i]!.length}`).join(", ")})`, { hint: "give every input one value per point" });
  return byInput;
}

/** Collects repeated `--param name=value` into one record; a name given twice is an error. */
export function parseParams(items: readonly string[]): Record<string, number> {
  // A Map, not an object literal: a parameter called `constructor` or `__proto__` must stay a plain name.
  const params = new Map<string, number>();
  for (const item of items) {
    const eq = item.indexOf("=");
    const name = eq < 0 ? "" : item.slice(0, eq).trim();
    if (name === "") fail("E_USAGE", `--param expects name=value, not '${item}'`, { hint: "for example --param beta=1.5" });
    if (params.has(name)) fail("E_PARAM", `parameter '${name}' is given twice`);
    params.set(name, parseNumber(item.slice(eq + 1), "--param", "for example --param beta=1.5", { source: item, offset: eq + 1 }));
  }
  return Object.fromEntries(params);
}

/** Commander's accumulator for an option that may repeat. */
export const collect = (value: string, previous: readonly string[] = []): string[] => [...previous, value];
