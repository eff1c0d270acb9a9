import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { define, type Activation } from "../../src/api/activation.js";
import * as Q from "../../src/ast/rational.js";
import { availableActivations } from "../../src/catalog/catalog.js";
import { torchNames } from "../../src/codegen/torch/module.js";
import { random } from "../../src/audit/sweep.js";
import { breakpoints } from "../../src/verify/points.js";

/**
 * What the PyTorch export tests share: the activations they export (every elementwise catalog
 * entry and user definitions written in several styles), the modules written to a temp dir,
 * and the points they are checked at.
 */
export const USER_DEFINITIONS = [
  "mish(x) = x * tanh(softplus(x))",
  "mish_exp(x) = x * tanh(log(1 + exp(x)))",
  "gelu(x) = x * (1 + erf(x / sqrt(2))) / 2",
  "isru_elu(x; a = 0.5) = { x if x >= 0, x / sqrt(1 + a * x^2) otherwise }",
  "x * sigmoid(1.702 * x)",
  "snake(x; a = 0.5) = x + sin(a * x)^2 / a",
  "leaky_max(x) = max(x, 0.1 * x)",
  "hard_tanh(x) = clip(x, -1, 1)",
  "mixed(x) = swish(x) + 0.1 * elu(x)",
  "gate(a, b; t = 1.5) = a * tanh(t * b)",
  // Python keywords as names: positional fallbacks in the code.
  "selu(x; lambda = 1.0507009873554805, alpha = 1.6732632423543772) = lambda * (x > 0 ? x : alpha * (exp(x) - 1))",
  "class(x; self = 2, β = 0.5) = self * x * sigmoid(β * x)",
];

export interface ExportCase {
  readonly id: string;
  readonly source: string;
  readonly activation: Activation;
  readonly path: string;
  /** Parameter values the checks use: the defaults, 0.7 where there is none. */
  readonly params: readonly number[];
  readonly names: ReturnType<typeof torchNames>;
}

export function exportCases(dir: string): ExportCase[] {
  const catalog = availableActivations().map((e) => e.name).filter((name) => !define(name).isVector);
  return [...catalog, ...USER_DEFINITIONS].map((source, i) => {
    const activation = define(source);
    const path = join(dir, `m${i}.py`);
    writeFileSync(path, activation.emitModule({ lang: "torch" }));
    return {
      id: `m${i}`, source, activation, path,
      params: activation.paramValues(Object.fromEntries(activation.params.filter((p) => p.defaultValue === undefined).map((p) => [p.name, 0.7]))),
      names: torchNames(activation.name, activation.inputs, activation.params.map((p) => p.name)),
    };
  });
}

export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "actdiff-torch-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Where f, f′ or f″ switches branch in the first input (parameters at their values): the kinks. */
export function kinksOf(c: ExportCase): number[] {
  const a = c.activation;
  const x = a.inputs[0]!;
  const params = new Map(a.params.map((p, i) => [p.name, Q.fromNumber(c.params[i]!)] as const));
  const d1 = a.derivative(x);
  return breakpoints([a.expr, d1.expr, d1.derivative(x).expr], x, params).map(Q.toNumber).filter(Number.isFinite);
}

/**
 * n points spread uniformly over [min, max], from the audit's seeded generator. Not fast-check's
 * doubles: those favour 0, ±min and subnormals, which sit on kinks, and the random group is for
 * smooth points (the kinks have a group of their own).
 */
export function randomPoints(n: number, seed: number, min = -6, max = 6): number[] {
  const next = random(seed);
  return Array.from({ length: n }, () => min + (max - min) * next());
}
