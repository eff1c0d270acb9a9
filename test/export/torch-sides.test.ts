import { expect, test } from "vitest";
import { torchHelperSource } from "../../src/codegen/torch/functions.js";
import { SHARED_HELPERS } from "../../src/codegen/torch/text.js";
import { PY_DUMP, runTorch } from "../support/torch.js";

/**
 * The runtime helpers that decide, on the CPU, which sides of a conditional to compute: `_sides`
 * from a tensor of booleans, `_bound_sides` from the least and greatest elements of a tensor
 * compared with a number. They must agree wherever the answer is one side; a NaN (which takes the
 * false side, as in JavaScript) may make `_bound_sides` compute both, never a wrong one. And the
 * torch kernels the spellings call where they are accurate give way to actdiff's forms beyond.
 */
const helpers = [...SHARED_HELPERS, torchHelperSource("sigmoid"), torchHelperSource("softplus")].join("\n\n");

test("_bound_sides equals _sides of the comparison on every tensor of 1–3 elements of {−2, −1, 0, 1, 2, NaN}; with a NaN it may say 3, never the wrong side", () => {
  const r = runTorch<{ wrong: string[]; weaker: string[]; checked: number }>(`${PY_DUMP}
${helpers}
import itertools
values = [-2.0, -1.0, 0.0, 1.0, 2.0, math.nan]
ops = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b}
wrong, weaker, checked = [], [], 0
for n in (1, 2, 3):
    for combo in itertools.product(values, repeat=n):
        a = torch.tensor(combo)
        for op, compare in ops.items():
            for b in (-1.0, 0.0, 1.0):
                got, want = _bound_sides(a, op, b), _sides(compare(a, b))
                checked += 1
                if got != want and got != 3:
                    wrong.append(repr((combo, op, b, got, want)))
                elif got != want and not any(v != v for v in combo):
                    weaker.append(repr((combo, op, b, got, want)))
dump({"wrong": wrong, "weaker": weaker, "checked": checked})
`, {});
  expect(r.checked).toBe((6 + 36 + 216) * 4 * 3);
  expect(r.wrong).toEqual([]);
  expect(r.weaker).toEqual([]);
});

test("sigmoid and softplus: torch's kernels where they are accurate, actdiff's forms beyond (σ(−710) = e^−710, not torch.sigmoid's 0; softplus(30) = 30 + e^−30, not F.softplus's 30)", () => {
  const r = runTorch<Record<string, number[]>>(`${PY_DUMP}
${helpers}
x64 = torch.tensor([-710.0, -50.0, 0.0, 3.0], dtype=torch.float64)
x32 = torch.tensor([-100.0, -50.0, 0.0, 3.0], dtype=torch.float32)
dump({
    "sigmoid64": _sigmoid(x64).tolist(), "torch64": torch.sigmoid(x64).tolist(),
    "sigmoid32": _sigmoid(x32).tolist(), "torch32": torch.sigmoid(x32).tolist(),
    "fast": _sigmoid(torch.tensor([-40.0, 0.0, 3.0], dtype=torch.float64)).tolist(),
    "softplus64": _softplus(torch.tensor([30.0, 3.0, -5.0], dtype=torch.float64)).tolist(),
})
`, {});
  expect(r.torch64![0]).toBe(0);
  expect(r.sigmoid64![0]! / Math.exp(-710)).toBeCloseTo(1, 12);
  expect(r.sigmoid64![1]! / (Math.exp(-50) / (1 + Math.exp(-50)))).toBeCloseTo(1, 14);
  expect(r.sigmoid64!.slice(2)).toEqual([0.5, 1 / (1 + Math.exp(-3))]);
  expect(r.torch32![0]).toBe(0);
  expect(r.sigmoid32![0]! / Math.exp(-100)).toBeCloseTo(1, 1); // a float32 subnormal: about e^−100, not 0
  expect(r.fast![0]! / (1 / (1 + Math.exp(40)))).toBeCloseTo(1, 14);
  expect(r.softplus64![0]).toBe(30 + Math.exp(-30));
  expect(r.softplus64![1]! / Math.log1p(Math.exp(3))).toBeCloseTo(1, 15);
  expect(r.softplus64![2]! / Math.log1p(Math.exp(-5))).toBeCloseTo(1, 15);
});
