/**
 * Replays inputs of the fuzz campaign by their index: `node --import tsx scripts/fuzz-replay.ts
 * [--seed S] I J …` runs each through every stage, in this process, and prints its findings and
 * the CPU time it took (what the campaign's budget measures).
 */
import fc from "fast-check";
import { parseArgs } from "node:util";
import { fuzzInput, LONG } from "../test/fuzz/inputs.js";
import { runStages } from "../test/fuzz/stages.js";

const { values, positionals } = parseArgs({ options: { seed: { type: "string", default: "17" }, heavy: { type: "string", default: "120" } }, allowPositionals: true });
const arbitrary = fuzzInput(LONG);
for (const i of positionals.map(Number)) {
  const input = fc.sample(arbitrary, { seed: Number(values.seed) + i, numRuns: 1 })[0]!;
  const before = process.cpuUsage();
  const findings = runStages(input, { heavyUpTo: Number(values.heavy) });
  const used = process.cpuUsage(before);
  const shown = input.length > 100 ? `${JSON.stringify(input.slice(0, 100))}… (${input.length} characters)` : JSON.stringify(input);
  console.log(`input ${i}: ${shown}, ${((used.user + used.system) / 1e6).toFixed(1)} s of CPU, ${findings.length} findings${findings.map((f) => `\n  ${f.stage}: ${f.error}`).join("")}`);
}
