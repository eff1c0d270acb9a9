import { sym } from "./build.js";
import type { Sym } from "./nodes.js";

/**
 * The symbol that stands for f's own value in a display form: named by the call, `softmax0(x)`,
 * which no identifier can be, so it never meets a name of the function's. print shows it as its
 * name; LaTeX as the call (see src/codegen/latex.ts).
 */
export const selfValue = (name: string, inputs: readonly string[]): Sym => sym(`${name}(${inputs.join(", ")})`);

/** The function name and arguments of a selfValue's name; undefined for any other symbol. */
export function readSelfValue(name: string): { readonly fn: string; readonly args: readonly string[] } | undefined {
  const m = /^([^()]+)\(([^()]*)\)$/.exec(name);
  return m === null ? undefined : { fn: m[1]!, args: m[2]!.split(", ") };
}
