import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { define } from "../src/index.js";
import { availableActivations } from "../src/catalog/catalog.js";
import { torchNames } from "../src/codegen/torch/module.js";

/**
 * `npm run bench -- --torch`: forward + backward of the torch.autograd.Function that `actdiff emit
 * --lang torch` writes, against PyTorch's built-in, CPU, float32, 10⁶ elements, both in one
 * Python process (Debian's python3-torch), one thread each, in CPU time (what a shared machine's
 * other work does between two ops is not counted). The built-ins are one fused kernel a
 * pass; the export runs several torch ops (each a pass over memory) and its forward computes f′
 * with f, so a ratio above 1 is expected. gelu and mish are not in the catalog: they are exported
 * from user definitions (gelu in its exact, erf form, as torch's default).
 */
export const TORCH_CASES = [
  { name: "sigmoid", source: "sigmoid" },
  { name: "silu", source: "silu" },
  { name: "gelu", source: "gelu(x) = x * (1 + erf(x / sqrt(2))) / 2" },
  { name: "mish", source: "mish(x) = x * tanh(softplus(x))" },
  { name: "softplus", source: "softplus" },
] as const;

export interface TorchBenchRow {
  readonly name: string;
  readonly source: string;
  /** ns per element, forward + backward, best round. */
  readonly actdiff: number;
  readonly builtin: number;
  /** actdiff / built-in, best against best (> 1: the built-in is faster). */
  readonly ratio: number;
  readonly ratioMedian: number;
  readonly ratioRange: readonly [number, number];
}

export interface TorchBench {
  readonly torch: string;
  readonly threads: number;
  readonly rows: readonly TorchBenchRow[];
}

const PYTHON = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

export function torchBench(rounds: number): TorchBench {
  const catalog = new Set(availableActivations().map((e) => e.name));
  const dir = mkdtempSync(join(tmpdir(), "actdiff-torch-bench-"));
  try {
    const cases = TORCH_CASES.map((c) => {
      const a = define(c.source);
      const path = join(dir, `${c.name}.py`);
      writeFileSync(path, a.emitModule({ lang: "torch" }));
      const source = catalog.has(c.source) ? c.source : `${c.source} (user definition)`;
      return { name: c.name, source, path, function: torchNames(a.name, a.inputs, a.params.map((p) => p.name)).fn };
    });
    const script = fileURLToPath(new URL("./torch_export.py", import.meta.url));
    // glibc keeps freed memory in the process (no trimming of the heap, no mmap for 4 MB blocks):
    // else whether a 4 MB temporary is page-faulted in afresh hangs on the allocation pattern of
    // the moment (one process measured gelu's export at 25 ns/element, the next at 7), which a
    // training process with a large live heap rarely sees. The built-in runs under the same setting.
    const env = { ...process.env, MALLOC_TRIM_THRESHOLD_: "1000000000", MALLOC_MMAP_THRESHOLD_: "1000000000" };
    const r = spawnSync(PYTHON, [script], { input: JSON.stringify({ cases, rounds, threads: 1 }), encoding: "utf8", maxBuffer: 1 << 24, env });
    if (r.status !== 0) throw new Error(`the torch benchmark failed (install Debian's python3-torch):\n${r.stderr}`);
    return JSON.parse(r.stdout) as TorchBench;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function torchBenchTable(bench: TorchBench): string {
  const lines = [
    "| activation | actdiff export (ns/elem) | torch built-in (ns/elem) | ratio (best) | ratio (median, range) |",
    "|---|---:|---:|---:|---:|",
    ...bench.rows.map((r) => `| ${r.name}${r.source.endsWith("(user definition)") ? " (user definition)" : ""} | ${r.actdiff.toFixed(2)} | ${r.builtin.toFixed(2)} | ${r.ratio.toFixed(2)}× | ${r.ratioMedian.toFixed(2)}× (${r.ratioRange[0].toFixed(2)}–${r.ratioRange[1].toFixed(2)}) |`),
  ];
  return lines.join("\n");
}
