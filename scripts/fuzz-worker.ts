/**
 * A batch of the fuzz campaign, in its own process (see scripts/fuzz.ts): inputs from..to-1 of
 * the seed's sequence at the LONG scale, each announced before it runs and reported after, one
 * JSON line each, so that the parent can name the input of a hang or a crash.
 */
import fc from "fast-check";
import { fuzzInput, LONG } from "../test/fuzz/inputs.js";
import { runStages } from "../test/fuzz/stages.js";

const [seed, from, to, heavy] = process.argv.slice(2).map(Number) as [number, number, number, number];
const arbitrary = fuzzInput(LONG);
// Input i is drawn with the seed seed + i, whichever batch runs it: any one replays alone.
for (let i = from; i < to; i++) {
  const input = fc.sample(arbitrary, { seed: seed + i, numRuns: 1 })[0]!;
  process.stdout.write(JSON.stringify({ start: i, input }) + "\n");
  const findings = runStages(input, { heavyUpTo: heavy });
  process.stdout.write(JSON.stringify({ done: i, findings }) + "\n");
}
