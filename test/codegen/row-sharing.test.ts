import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { define } from "../../src/api/activation.js";
import { rowSpec, type RowKind } from "../../src/api/vector-activation.js";
import { instantiate } from "../../src/codegen/compile.js";
import { rowSource, type RowLoop } from "../../src/codegen/rows.js";

/**
 * Row code does shared work once — an element term such as exp(x_k − m) is stored by the first
 * loop over the row and read back by the others; a group's arg max is found once per group — and
 * this is invisible in the results: the shared source gives the bits of the plain translation.
 */
const DEFINITIONS = [
  "softmax", "log_softmax", "softmin", "logsumexp", "maxout",
  "mysoftmax(x[]) = exp(x) / sum(exp(x))",
  "scaled(x[]; t = 2) = exp(x / t) / sum(exp(x / t))",
  "tanhnorm(x[]) = tanh(x) / sum(tanh(x)^2)",
  "sparse(x[]) = log(1 + exp(x)) - mean(log(1 + exp(x)))",
  "groups(z[]; k = 3) = groupmax(z, k) + groupmin(z, k)",
];
const KINDS: readonly RowKind[] = ["forward", "backward", "fused"];

const loopOf = (definition: string, kind: RowKind, share: boolean): RowLoop => {
  const { source, helpers } = rowSource("rows", rowSpec(define(definition), kind), { share });
  return instantiate<RowLoop>(helpers, source);
};

/** Runs a row loop on rows × n inputs; returns its outputs (each allocated rows × n, generously). */
function run(loop: RowLoop, definition: string, kind: RowKind, rows: number, n: number, data: readonly number[], type: typeof Float64Array | typeof Float32Array): number[][] {
  const f = define(definition);
  const spec = rowSpec(f, kind);
  const inputs = spec.vectors.map((_, v) => new type(rows * n).map((_, i) => data[(i + 7 * v) % data.length]!));
  const outputs = spec.outputs.map(() => new type(rows * n));
  loop(...inputs, ...outputs, rows, n, ...f.paramValues());
  return outputs.map((o) => [...o]);
}

const bits = (xs: number[][]): string[][] => xs.map((row) => row.map((v) => (Object.is(v, -0) ? "-0" : String(v))));

describe("shared work gives the same bits as the plain translation", () => {
  for (const definition of DEFINITIONS) {
    test(definition, () => {
      for (const kind of KINDS) {
        const shared = loopOf(definition, kind, true);
        const plain = loopOf(definition, kind, false);
        fc.assert(fc.property(
          fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }),
          fc.array(fc.oneof(fc.double({ min: -40, max: 40, noNaN: true }), fc.constantFrom(0, -0, 745, -745, 1e308, Number.NaN, -Infinity, -Infinity, Infinity)), { minLength: 1, maxLength: 30 }),
          fc.boolean(),
          (rows, groups, data, wide) => {
            const n = 6 * groups; // a multiple of every group size used above
            const type = wide ? Float64Array : Float32Array;
            expect(bits(run(shared, definition, kind, rows, n, data, type))).toEqual(bits(run(plain, definition, kind, rows, n, data, type)));
          }), { numRuns: 60 });
      }
    });
  }
});

describe("what is done once", () => {
  const source = (definition: string, kind: RowKind, share = true): string => rowSource("rows", rowSpec(define(definition), kind), { share }).source;
  const count = (text: string, what: string): number => text.split(what).length - 1;

  test("softmax's exponentials: one Math.exp per element in every kernel (three without sharing in its VJP)", () => {
    for (const kind of KINDS) expect(count(source("softmax", kind), "Math.exp(")).toBe(1);
    expect(count(source("softmax", "backward", false), "Math.exp(")).toBe(3);
  });

  test("log_softmax and logsumexp with their VJPs (fused): one Math.exp per element, their sum and softmax's share it", () => {
    expect(count(source("log_softmax", "fused"), "Math.exp(")).toBe(1);
    expect(count(source("logsumexp", "fused"), "Math.exp(")).toBe(1);
  });

  test("log_softmax's max and its position come from one loop", () => {
    const text = source("log_softmax", "forward");
    expect(count(text, "for (let k")).toBe(2); // the max with its position, then the sum of the rest
  });

  test("a user's softmax, written out, shares the same way", () => {
    expect(count(source("s(x[]) = exp(x) / sum(exp(x))", "fused"), "Math.exp(")).toBe(1);
  });

  test("a group's max starts from the group's first element: one comparison fewer per group", () => {
    for (const kind of KINDS) {
      const text = source("maxout", kind);
      expect(text, kind).toMatch(/if \((s\d+) < (\w+)\) \{\n\s*const (e\d+) = v0\[c\d+ \+ \1\];\n\s*(\w+) = \3;/);
      expect(text, kind).toMatch(/const (s\d+) = 1 \+ s\d+;\n\s*for \(let (k\d+) = \1; \2 < \w+; \2\+\+\)/);
      expect(text, kind).not.toContain("< 0 &&");
    }
  });

  test("maxout's backward goes group by group: each group's arg max and gradient element once, no ⌊i / k⌋ per element", () => {
    const text = source("maxout", "backward");
    // k divides the row (len(z) / k outputs are a whole number), so every group is whole: a loop
    // over the row's len(z) / k groups (gradOut's row length), a loop over the k members of each,
    // written at K·G + j with K·G added to the row's offset once per group.
    expect(text).toMatch(/for \(let (G\d+) = 0; \1 < L1; \1\+\+\) \{/);
    expect(text).toMatch(/const (c\d+) = q0 \+ h\d+;\n\s*for \(let (i\d+) = 0; \2 < h\d+; \2\+\+\) \{\n\s*out0\[\1 \+ \2\] = /);
    expect(count(text, "v1[")).toBe(1);
    expect(text).not.toContain("Math.floor");
    expect(text).not.toContain("Math.min");
  });

  test("log_softmax needs its exponentials in one loop only: no scratch row", () => {
    expect(source("log_softmax", "forward")).not.toContain("new Float64Array");
  });
});
