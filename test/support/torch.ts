import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/**
 * PyTorch as an outside oracle (Debian's python3-torch; `.ci/run` installs it). It is never a
 * dependency of actdiff: tests send it JSON and read JSON back. Debian's interpreter is used by
 * its path, because a python3 earlier on PATH (pyenv) does not see Debian's packages.
 */
const PYTHON = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

/** Runs `script` with `input` as JSON on stdin; the script prints one JSON value. Fails the test if torch is missing. */
export function runTorch<T>(script: string, input: unknown): T {
  const r = spawnSync(PYTHON, ["-c", `import json, sys, math\nimport torch\ntorch.set_default_dtype(torch.float64)\n${script}`], {
    input: JSON.stringify(input, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v)),
    encoding: "utf8", maxBuffer: 1 << 28,
  });
  if (r.status !== 0) {
    throw new Error(`PyTorch oracle failed (install Debian's python3-torch: apt-get install -y python3-torch):\n${r.stderr || r.error}`);
  }
  return JSON.parse(r.stdout, (_k, v) => (v === "NaN" ? NaN : v === "Infinity" ? Infinity : v === "-Infinity" ? -Infinity : v)) as T;
}

/** Python's json.dumps writes NaN and Infinity bare; this prints them as strings that runTorch reads back. */
export const PY_DUMP = `
def clean(v):
    if isinstance(v, list): return [clean(x) for x in v]
    if isinstance(v, dict): return {k: clean(x) for k, x in v.items()}
    if isinstance(v, float) and not math.isfinite(v): return "NaN" if v != v else ("Infinity" if v > 0 else "-Infinity")
    return v
def dump(v): print(json.dumps(clean(v)))
`;
