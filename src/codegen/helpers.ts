import { fnSpec, type FnName } from "../functions/table.js";

/**
 * `function h_<name>(…) { … }` from the function table's standalone `source`, indented by two
 * spaces; with types for TypeScript. For emitted modules, which import nothing.
 */
export function helperSource(fn: FnName, types: boolean): string {
  const h = fnSpec(fn).source;
  if (h === undefined) throw new Error(`internal error: '${fn}' is inline JavaScript, not a helper`);
  const params = h.params.map((p) => (types ? `${p}: number` : p)).join(", ");
  return [`function h_${fn}(${params})${types ? ": number" : ""} {`, ...h.body.map((l) => `  ${l}`), "}"].join("\n");
}
