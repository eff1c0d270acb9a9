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
});
