import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fuzzInput, SHORT } from "./inputs.js";
import { runStages } from "./stages.js";

// The short run of the fuzz campaign (`npm run fuzz` is the long one: 100,000 inputs, larger,
// each batch in a child process with time and memory budgets). Every stage either succeeds or
// fails with an ActdiffError; fast-check shrinks a finding to a small input, with its seed.
describe("fuzz (short run)", () => {
  it("no input makes any stage throw anything but an ActdiffError", () => {
    fc.assert(
      fc.property(fuzzInput(SHORT), (input) => {
        expect(runStages(input, { heavyUpTo: 40 })).toEqual([]);
      }),
      { seed: 17, numRuns: 150 },
    );
  }, 240_000);

  // Inputs the long campaign found (seed 17; `node --import tsx scripts/fuzz-replay.ts I` replays input I).
  const FOUND: readonly string[] = [
    // 899: emitModule overflowed the stack — a shared part hoisted out of a piecewise value held
    // another piecewise value with the same first test, whose lowering took the first in again.
    "max(min((gelu(0.5) ^ -1), tanh((3.072 < a ? 1 : x))), log(clip(pi, 1, 100)))",
  ];
  it.each(FOUND)("found by the campaign, now passes every stage: %s", (input) => {
    expect(runStages(input, { heavyUpTo: 40 })).toEqual([]);
  }, 120_000);
});
