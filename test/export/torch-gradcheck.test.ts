import { readFileSync } from "node:fs";
import { afterAll, describe, expect, test } from "vitest";
import * as Q from "../../src/ast/rational.js";
import { ulpDistance } from "../../src/audit/ulps.js";
import { reliableValue } from "../../src/numeric/evaluate.js";
import { PY_DUMP, runTorch } from "../support/torch.js";
import { exportCases, kinksOf, randomPoints, tempDir, type ExportCase } from "./torch-cases.js";

/**
 * `actdiff emit --lang torch`, run under PyTorch: for every elementwise catalog activation and a
 * set of user definitions, torch.autograd.gradcheck and gradgradcheck pass in float64 (inputs and
 * parameters all differentiated) at random points, on both sides of every kink of f, f′ and f″,
 * and in the tails; and f and every partial derivative, as the module's autograd gives them,
 * equal actdiff's float64 closures to 4 ulps — at the kinks themselves too, where both follow
 * the same convention — or, where the formula cancels and amplifies the last-bit differences of
 * torch's exp and V8's, are about as close to the 40-digit value as the closures are. One python
 * process runs every case.
 */
const { dir, remove } = tempDir();
afterAll(remove);
const cases = exportCases(dir);

/** Below it (subnormals) a value has no relative precision to compare in ulps: torch's exp flushes e^−745 to 0. */
const SMALLEST_NORMAL = 2 ** -1022;
const TAILS = [-700, -30, 30, 700];
const SPECIAL = [0, 1, -1, 1e-8, -1e-8, 0.5, -0.55, 0.55, -0.7, 1.5, -1.5, 6, -6, 20, -20, 30, -30, 40, -40, 41, -41, 700, -700, 710, -745];

/** Columns (one per input): the points in input k, random moderate values in the others. */
function columns(c: ExportCase, points: readonly number[], seed: number): Record<string, number[][]> {
  const n = c.activation.inputs.length;
  const out: Record<string, number[][]> = {};
  for (let k = 0; k < n; k++) {
    const others = randomPoints(points.length, seed + k, -3, 3);
    out[`input ${k}`] = Array.from({ length: n }, (_, j) => (j === k ? [...points] : others));
  }
  return out;
}

function groups(c: ExportCase, seed: number): Record<string, number[][]> {
  const kinks = kinksOf(c);
  const near = kinks.flatMap((k) => [k - 0.1, k - 1e-3, k + 1e-3, k + 0.1]);
  const named: Record<string, number[]> = { random: randomPoints(10, seed), tails: TAILS, ...(near.length > 0 && { "near kinks": near }) };
  return Object.fromEntries(Object.entries(named).flatMap(([name, points]) =>
    Object.entries(columns(c, points, seed)).map(([input, cols]) => [c.activation.inputs.length > 1 ? `${name} (${input})` : name, cols])));
}

function evalColumns(c: ExportCase, seed: number): number[][] {
  const points = [...SPECIAL, ...kinksOf(c), ...randomPoints(40, seed, -10, 10), ...randomPoints(10, seed + 1, -1000, 1000)];
  const n = c.activation.inputs.length;
  if (n === 1) return [points];
  // Every input through the points, against a few values of the others.
  const others = [-2.5, -0.3, 0, 0.8, 4];
  return Array.from({ length: n }, (_, j) => points.flatMap((p) => others.map((o, k) => (j === 0 ? p : k % n === j ? o : others[(k + j) % others.length]!))));
}

interface Result {
  readonly failures: string[];
  readonly f: number[];
  readonly grads: number[][];
  readonly same: boolean;
  /** The same, one point at a time (each condition then has one side, the only one computed). */
  readonly single_f: number[];
  readonly single_grads: number[][];
}

const job = cases.map((c, i) => ({
  id: c.id, path: c.path, function: c.names.fn, functional: c.names.functional, module: c.names.module,
  param_names: c.names.params, params: c.params, groups: groups(c, 100 + i), eval: evalColumns(c, 200 + i),
}));
const script = readFileSync(new URL("./torch_checks.py", import.meta.url), "utf8");
const results = runTorch<Record<string, Result>>(`${PY_DUMP}\n${script}`, { cases: job });

describe.each(cases.map((c, i) => [c.source, c, i] as const))("%s", (_source, c, i) => {
  const result = results[c.id]!;
  const a = c.activation;
  const params = Object.fromEntries(a.params.map((p, k) => [p.name, c.params[k]!]));

  test("gradcheck and gradgradcheck pass at random points, near every kink and in the tails", () => {
    expect(result.failures).toEqual([]);
  });

  test("f and each partial derivative equal actdiff's float64 closures to 4 ulps, in a batch and point by point; the functional form and the module agree", () => {
    const cols = job[i]!.eval;
    const exprs = [a.expr, ...[...a.inputs, ...a.params.map((p) => p.name)].map((v) => a.derivative(v).expr)];
    const names = [...a.inputs, ...a.params.map((p) => p.name)];
    const reference = (k: number, point: readonly number[]): number => {
      const env = new Map([...point, ...c.params].map((v, j) => [names[j]!, Q.fromNumber(v)] as const));
      return reliableValue(exprs[k]!, env, 40)?.value.toNumber() ?? NaN;
    };
    const closures = [a.compile(), ...[...a.inputs, ...a.params.map((p) => p.name)].map((v) => a.derivative(v).compile())];
    const batch = [result.f, ...result.grads];
    const single = [result.single_f, ...result.single_grads];
    const labels = ["f", ...[...a.inputs, ...a.params.map((p) => p.name)].map((v) => `∂f/∂${v}`)];
    const bad: string[] = [];
    cols[0]!.forEach((_, e) => {
      const point = cols.map((col) => col[e]!);
      closures.forEach((fn, k) => [["", batch], [" alone", single]].forEach(([how, got]) => {
        const want = fn(...point, params);
        const have = (got as number[][])[k]![e]!;
        const ulps = Number.isNaN(want) && Number.isNaN(have) ? 0 : ulpDistance(have, want, "float64");
        if (ulps <= 4 || Math.max(Math.abs(have), Math.abs(want)) < SMALLEST_NORMAL) return;
        // Where the formula cancels (near a root of f′, 0.5·(1 + erf(u)) − u·φ(u)), the last-bit
        // differences between torch's exp (SLEEF, ≤ 1 ulp) and V8's are amplified as actdiff's
        // own rounding errors are: then the 40-digit value decides, and the module must be as
        // accurate as actdiff's closure up to that factor — within twice its error, plus 32 ulps.
        // Or, where the value is ill-conditioned in x (snake′ = 1 + sin(2ax) near its roots at
        // x ≈ −900: a one-ulp change of sin's argument moves it by hundreds of ulps), within 4κ
        // ulps, κ = |x·g′(x)/g(x)| estimated by a central difference of actdiff's closure.
        const truth = reference(k, point);
        const [ours, theirs] = [ulpDistance(want, truth, "float64"), ulpDistance(have, truth, "float64")];
        const x = point[0]!;
        const h = 1e-7 * Math.max(Math.abs(x), 1e-3);
        const at = (v: number): number => fn(v, ...point.slice(1), params);
        const kappa = Math.abs((x * (at(x + h) - at(x - h))) / (2 * h * want));
        if (!(theirs <= Math.max(2 * ours + 32, 4 * kappa))) bad.push(`${labels[k]}(${point.join(", ")})${how} = ${have}, actdiff ${want}, 40 digits ${truth} (${theirs} vs ${ours} ulps)`);
      }));
    });
    expect(bad.slice(0, 12)).toEqual([]);
    expect(result.same).toBe(true);
  });
});
