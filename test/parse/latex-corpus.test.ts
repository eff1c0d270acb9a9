import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { define, type Activation } from "../../src/index.js";
import { ActdiffError } from "../../src/errors.js";
import { PY_DUMP, runTorch } from "../support/torch.js";

/**
 * LaTeX as papers and libraries write activation functions (test/fixtures/latex-corpus): at least
 * 90% of the corpus must read with define(), and every formula that reads must agree in f and f′
 * with PyTorch's autograd of an independent expression of the same function.
 */

interface Entry {
  readonly title: string;
  readonly latex: string;
  readonly torch: string;
  readonly params: Readonly<Record<string, number>>;
  readonly at: readonly number[];
  readonly line: number;
}

/** Six points away from every kink the corpus has (0, ±1, ±2, ±3, 6, ±λ = 0.5). */
const DEFAULT_POINTS = [-2.7, -1.3, -0.4, 0.35, 1.1, 2.6];

function readCorpus(): Entry[] {
  const text = readFileSync(new URL("../fixtures/latex-corpus/activations.txt", import.meta.url), "utf8");
  const entries: Entry[] = [];
  let line = 1;
  for (const block of text.split(/\n\s*\n/)) {
    const lines = block.split("\n");
    const start = line;
    line += lines.length + 1;
    const title = lines.find((l) => l.startsWith("#"))?.slice(1).trim() ?? "";
    const field = (name: string): string | undefined => lines.find((l) => l.startsWith(`${name}:`))?.slice(name.length + 1).trim();
    const latex = lines.filter((l) => !l.startsWith("#") && !/^(torch|params|at):/.test(l)).join("\n").trim();
    const torch = field("torch");
    if (latex === "" || torch === undefined) continue;
    const params = Object.fromEntries((field("params") ?? "").split(",").filter((p) => p.includes("=")).map((p) => {
      const [name, value] = p.split("=");
      return [name!.trim(), Number(value)];
    }));
    const at = field("at")?.split(",").map(Number) ?? DEFAULT_POINTS;
    entries.push({ title, latex, torch, params, at, line: start });
  }
  return entries;
}

const corpus = readCorpus();

/** f and f′ at each point, by torch.autograd in float64, for every entry at once. */
const TORCH_SCRIPT = `${PY_DUMP}
import torch.nn.functional as F
out = []
for item in json.load(sys.stdin):
    x = torch.tensor(item["at"], dtype=torch.float64, requires_grad=True)
    y = eval(item["expr"], {"torch": torch, "F": F, "math": math, "x": x}) * torch.ones_like(x)
    (g,) = torch.autograd.grad(y.sum(), x, allow_unused=True)
    out.append({"f": y.tolist(), "df": (g if g is not None else torch.zeros_like(x)).tolist()})
dump(out)
`;

interface Reading { readonly entry: Entry; readonly f?: Activation; readonly error?: string }

const readings: Reading[] = corpus.map((entry) => {
  try {
    return { entry, f: define(entry.latex) };
  } catch (err) {
    if (!(err instanceof ActdiffError)) throw err;
    return { entry, error: err.message.split("\n")[0]! };
  }
});

/** The variable f′ is taken in: x, or the head's one input (`f(z) = …`, `f(y_i) = …`). */
const variableOf = (f: Activation): string => (f.inputs.includes("x") ? "x" : f.inputs[0]!);

const derivatives = new Map<Activation, Activation>();

function valuesOf(f: Activation, entry: Entry, at: number, derivative: boolean): number {
  const variable = variableOf(f);
  if (derivative && !derivatives.has(f)) derivatives.set(f, f.derivative(variable));
  const g = derivative ? derivatives.get(f)! : f;
  // Inputs other than the variable (`f(\alpha, x)`, `squareplus(x, b)`) take their values from params.
  const inputs = f.inputs.map((i) => (i === variable ? at : entry.params[i]!));
  const params = Object.fromEntries(Object.entries(entry.params).filter(([name]) => !f.inputs.includes(name)));
  return g.evaluate(...inputs, params);
}

describe("a corpus of published activation formulas in LaTeX", () => {
  test("has a few hundred formulas", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(250);
  });

  test("at least 90% of it reads", () => {
    const failed = readings.filter((r) => r.error !== undefined);
    const rate = 1 - failed.length / readings.length;
    console.log(`LaTeX corpus: ${readings.length - failed.length} of ${readings.length} read (${(100 * rate).toFixed(1)}%)`);
    for (const r of failed) console.log(`  not read (line ${r.entry.line}, ${r.entry.title}): ${r.error}`);
    expect(rate).toBeGreaterThanOrEqual(0.9);
  });

  test("every formula read agrees with PyTorch's autograd in f and f′", () => {
    const read = readings.filter((r): r is Reading & { f: Activation } => r.f !== undefined);
    const oracle = runTorch<{ f: number[]; df: number[] }[]>(TORCH_SCRIPT, read.map((r) => ({ expr: r.entry.torch, at: r.entry.at })));
    const disagreements: string[] = [];
    read.forEach((r, k) => {
      r.entry.at.forEach((at, i) => {
        for (const [what, ours, theirs] of [["f", valuesOf(r.f, r.entry, at, false), oracle[k]!.f[i]!], ["f′", valuesOf(r.f, r.entry, at, true), oracle[k]!.df[i]!]] as const) {
          if (!(Math.abs(ours - theirs) <= 1e-8 * Math.max(1, Math.abs(theirs)))) {
            disagreements.push(`line ${r.entry.line} (${r.entry.title}): ${what}(${at}) = ${ours}, torch ${theirs}`);
          }
        }
      });
    });
    expect(disagreements).toEqual([]);
  }, 180_000);
});
