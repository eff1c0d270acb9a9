import { fail } from "../errors.js";

/** Where a number sits in an option's text, so that an error can point a caret at it. */
interface Place { readonly source: string; readonly offset: number }

/** A number given on the command line; a bad one is an ActdiffError (exit 2), not a NaN. */
export function parseNumber(text: string, option: string, hint: string, place?: Place): number {
  const value = Number(text);
  // Number("") is 0 and Number(" ") too: an empty item is a typo, not a zero.
  if (text.trim() === "" || Number.isNaN(value)) {
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

/** `--at -1,0,2.5` → [-1, 0, 2.5]. */
export function parsePoints(text: string): number[] {
  let offset = 0;
  return text.split(",").map((item) => {
    const value = parseNumber(item, "--at", "write the points as --at=-1,0,1", { source: text, offset });
    offset += item.length + 1;
    return value;
  });
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
