import { describe, expect, test } from "vitest";
import { define } from "../../src/api/activation.js";
import { OUTPUT_INDEX } from "../../src/ast/definition.js";
import * as Q from "../../src/ast/rational.js";
import { reliableValue } from "../../src/numeric/evaluate.js";
import { PY_DUMP, runTorch } from "../support/torch.js";

/**
 * The functions of vectors against PyTorch's own (float64, along the last axis): forward, and
 * backward with a random incoming gradient through autograd. maxout is torch's max over groups
 * of k = 2 (view(rows, N/2, 2).max(-1)), whose backward also gives a tie to one element.
 */
const TORCH = {
  softmax: "torch.softmax(x, dim=-1)",
  log_softmax: "torch.log_softmax(x, dim=-1)",
  softmin: "torch.nn.functional.softmin(x, dim=-1)",
  logsumexp: "torch.logsumexp(x, dim=-1)",
  maxout: "x.view(x.shape[0], -1, 2).max(dim=-1).values",
} as const;

const N = 6;
const ROWS = 40;
let seed = 7;
const random = (scale: number): number => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return (seed / 2147483648 - 0.5) * 2 * scale;
};
// Rows of several scales, a row with a huge entry, and a row of equal values (ties).
const X = Array.from({ length: ROWS }, (_, r) => Array.from({ length: N }, () => random(r % 4 === 0 ? 800 : r % 4 === 1 ? 30 : 3)));
X[0] = [1000, 0, -1, 2, -1000, 3];
X[1] = [0.5, 0.5, 0.5, 0.5, 0.5, 0.5];
const outLength = (name: string): number => (name === "logsumexp" ? 1 : name === "maxout" ? N / 2 : N);
const G = Object.fromEntries(Object.keys(TORCH).map((name) => [name, Array.from({ length: ROWS }, () => Array.from({ length: outLength(name) }, () => random(1)))]));

const results = runTorch<Record<string, { f: number[][]; grad: number[][] }>>(`${PY_DUMP}
data = json.load(sys.stdin)
out = {}
for name, expr in data["exprs"].items():
    x = torch.tensor(data["x"], requires_grad=True)
    f = eval(expr)
    g = torch.tensor(data["g"][name]).reshape(f.shape)
    f.backward(g)
    out[name] = {"f": f.reshape(len(data["x"]), -1).tolist(), "grad": x.grad.tolist()}
dump(out)
`, { exprs: TORCH, x: X, g: G });

describe.each(Object.keys(TORCH) as (keyof typeof TORCH)[])("%s against PyTorch (float64)", (name) => {
  const f = define(name);
  const m = outLength(name);
  const x = Float64Array.from(X.flat());
  const g = Float64Array.from(G[name]!.flat());
  const out = new Float64Array(ROWS * m);
  const gradIn = new Float64Array(ROWS * N);
  f.fusedKernel()(x, g, out, gradIn, N);

  test("forward and backward (the vector–Jacobian product) agree to 1e-12, row by row", () => {
    const torch = results[name]!;
    for (let r = 0; r < ROWS; r++) {
      for (let i = 0; i < m; i++) {
        const [ours, theirs] = [out[r * m + i]!, torch.f[r]![i]!];
        if (Math.abs(ours - theirs) <= 1e-12 * Math.abs(theirs) + 1e-300) continue;
        // A disagreement must be torch's error: the 30-digit value is ours, not torch's
        // (log_softmax at the max: torch's x − m − log Σ cancels to 0 where the truth is −5.6e−63).
        const truth = reliableValue(f.expr, new Map(), 30, { vectors: new Map([["x", X[r]!.map(Q.fromNumber)]]), indices: new Map([[OUTPUT_INDEX, i]]) })!.value.toNumber();
        const at = `${name} row ${r}: f[${i}] = ${ours}, torch ${theirs}, 30 digits ${truth}`;
        expect(Math.abs(ours - truth), at).toBeLessThanOrEqual(4 * Number.EPSILON * Math.abs(truth));
        expect(Math.abs(theirs - truth), at).toBeGreaterThan(4 * Number.EPSILON * Math.abs(truth));
      }
      for (let j = 0; j < N; j++) {
        const [ours, theirs] = [gradIn[r * N + j]!, torch.grad[r]![j]!];
        expect(Math.abs(ours - theirs), `${name} row ${r}: grad[${j}] = ${ours}, torch ${theirs}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(theirs)));
      }
    }
  });
});
