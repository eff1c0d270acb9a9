import { describe, expect, it } from "vitest";
import { define } from "../../src/index.js";

// Issue 17 §1: the torch and tfjs printers recursed on a long sum (a chain of 100,000 additions
// leaning left) and stabilize factored x out of a polynomial once per term (a stack overflow at
// degree 5,000). A chain is printed in a loop and cut into statements of 100 links, so that
// Python's compiler and a JavaScript parser, which recurse on nested expressions, read it too.

const polynomial = (n: number): string => Array.from({ length: n }, (_, i) => `${(i % 9) + 1} * x^${i}`).join(" + ");

describe("long sums in the tensor emitters", () => {
  it("a polynomial of degree 5,000 compiles (stabilize no longer factors x out term by term)", () => {
    const f = define(polynomial(5001)).compile();
    expect(f(0)).toBe(1);
    expect(f(-1)).toBeCloseTo(Array.from({ length: 5001 }, (_, i) => ((i % 9) + 1) * (i % 2 === 0 ? 1 : -1)).reduce((a, b) => a + b, 0), 6);
  }, 120_000);

  for (const lang of ["torch", "tfjs"] as const) {
    it(`emit --lang ${lang} of a flat sum of 100,000 terms, in statements of at most 100 operations`, () => {
      const text = define(polynomial(100_000)).emitModule({ lang });
      expect(text).toContain("99999");
      // No line nests its brackets deeper than a few hundred (the formula itself, in a comment, is one flat line).
      let deepest = 0;
      for (const line of text.split("\n")) {
        let depth = 0;
        for (const c of line) {
          if (c === "(") deepest = Math.max(deepest, ++depth);
          else if (c === ")") depth--;
        }
      }
      expect(deepest).toBeLessThan(300);
    }, 240_000);
  }
});
