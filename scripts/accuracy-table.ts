/**
 * The accuracy table of BENCHMARKS.md (issue 16): for the formulas people write (below) and every
 * catalog entry, max ulps of f and f′ in float64 over [−1000, 1000], as written, as actdiff
 * compiles them, and in PyTorch (Debian's python3-torch at /usr/bin/python3), against the audit's
 * ≥ 40-digit reference: `npx tsx scripts/accuracy-table.ts [--density N] [--only NAME_OR_FORMULA …] [--no-torch]`.
 */
import { parseArgs } from "node:util";
import { fieldTable, fieldTableMarkdown } from "../src/audit/field-table.js";
import { oneInputActivations } from "../src/catalog/catalog.js";
import { define } from "../src/index.js";

/** The formulas of issue 16, as a new user writes them (the softmax's other inputs as parameters). */
export const USER_FORMULAS: readonly string[] = [
  "f(x) = x * (1 + erf(x / sqrt(2))) / 2",
  "f(x) = x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3))) / 2",
  "f(x; y = 0.5, z = -1) = exp(x) / (exp(x) + exp(y) + exp(z))",
  "f(x; y = 0.5, z = -1) = x - log(exp(x) + exp(y) + exp(z))",
  "f(x) = x - tanh(x)",
  "f(x; b = 4) = (x + sqrt(x^2 + b)) / 2",
];

const { values } = parseArgs({ options: { density: { type: "string", default: "20" }, only: { type: "string", multiple: true }, "no-torch": { type: "boolean", default: false } } });
const only = values.only;
const acts = [...USER_FORMULAS, ...oneInputActivations().map((e) => e.name)]
  .filter((text) => only === undefined || only.includes(text))
  .map((text) => define(text));
const started = performance.now();
const rows = fieldTable(acts, { density: Number(values.density), torch: !values["no-torch"] });
console.log(fieldTableMarkdown(rows));
console.error(`${rows.length} formulas, density ${values.density}, ${((performance.now() - started) / 1000).toFixed(1)} s`);
