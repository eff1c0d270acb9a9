import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import type { Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";
import { pyFloat } from "../codegen/torch/python.js";
import { fail } from "../errors.js";
import type { FnName } from "../functions/names.js";

/**
 * A formula evaluated by PyTorch the way a user of PyTorch writes it: op by op in float64, f′ by
 * autograd through those ops (not actdiff's export, whose forward is the stable form and whose
 * backward is actdiff's derivative). The formula is either actdiff's AST, printed here as torch
 * calls, or a torch expression of a suite file, which is checked against a closed set of tokens
 * first: names become v["name"], every call is one of TORCH_CALLS, so what reaches Python's eval
 * is arithmetic on the given tensors and nothing else.
 */

/** The torch function of each builtin, as written by hand; undefined where PyTorch has none. */
const TORCH_OF: Readonly<Record<FnName, string | undefined>> = {
  exp: "torch.exp", log: "torch.log", log1p: "torch.log1p", expm1: "torch.expm1", sqrt: "torch.sqrt", abs: "torch.abs",
  sign: "torch.sign", min: "torch.minimum", max: "torch.maximum", clip: undefined, sin: "torch.sin", cos: "torch.cos",
  tan: "torch.tan", atan: "torch.atan", sinh: "torch.sinh", cosh: "torch.cosh", tanh: "torch.tanh", erf: "torch.erf",
  erfc: "torch.erfc", sigmoid: "torch.sigmoid", softplus: "F.softplus", atan_tail: undefined, atan_rem: undefined,
  delta: undefined, floor: "torch.floor", Phi: "torch.special.ndtr", phi: undefined, tanhshrink: "F.tanhshrink",
  logistic_pdf: undefined,
};

/** The calls a suite's torch expression may make. */
const TORCH_CALLS = new Set([...Object.values(TORCH_OF).filter((s): s is string => s !== undefined), "torch.where", "torch.pow"]);

const name = (n: string): string => `v[${JSON.stringify(n)}]`;
const tensor = (literal: string): string => `torch.tensor(${literal}, dtype=torch.float64)`;

/** The formula as torch code over v["name"] tensors; undefined where it calls what torch has not. */
export function torchFormula(e: Expr): string | undefined {
  const go = (e: Expr): string | undefined => {
    const all = (xs: readonly Expr[]): string[] | undefined => {
      const out = xs.map(go);
      return out.every((s) => s !== undefined) ? (out as string[]) : undefined;
    };
    switch (e.kind) {
      // Numbers as float64 tensors: torch.sqrt(2.0) is a TypeError, torch.sqrt(torch.tensor(2.0)) is not.
      case "num": return tensor(pyFloat(Q.toNumber(e.value)));
      case "sym": return name(e.name);
      case "const": return tensor(e.name === "pi" ? "math.pi" : "math.e");
      case "call": {
        const fn = TORCH_OF[e.fn];
        const args = all(e.args);
        return fn === undefined || args === undefined ? undefined : `${fn}(${args.join(", ")})`;
      }
      case "add": return all(e.terms)?.join(" + ").replace(/^/, "(").replace(/$/, ")");
      case "mul": return all(e.factors)?.join(" * ").replace(/^/, "(").replace(/$/, ")");
      case "pow": {
        const [b, x] = [go(e.base), go(e.exponent)];
        return b === undefined || x === undefined ? undefined : `(${b} ** ${x})`;
      }
      case "piecewise": {
        let out = go(e.otherwise);
        for (const b of [...e.branches].reverse()) {
          const [w, t] = [go(b.when), go(b.then)];
          if (out === undefined || w === undefined || t === undefined) return undefined;
          out = `torch.where(${w}, ${t}, ${out})`;
        }
        return out;
      }
      case "compare": {
        const [l, r] = [go(e.left), go(e.right)];
        return l === undefined || r === undefined ? undefined : `(${l} ${e.op} ${r})`;
      }
      case "logic": return all(e.args)?.join(e.op === "and" ? " & " : " | ").replace(/^/, "(").replace(/$/, ")");
      case "not": {
        const a = go(e.arg);
        return a === undefined ? undefined : `(~${a})`;
      }
      case "derivative": case "idx": case "elem": case "len": case "reduce": case "vcall":
        return undefined;
    }
  };
  return go(e);
}

/**
 * A suite's torch expression (`torch.exp(x) / (torch.exp(x) - 1)`) over the given names, as the
 * driver evaluates it; a usage error where it has anything but numbers, the names, the calls of
 * TORCH_CALLS and arithmetic.
 */
export function checkedTorchExpression(text: string, names: readonly string[]): string {
  const token = /\s+|(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)|(\*\*|[<>=!]=|[-+*/(),<>])/y;
  let out = "";
  let at = 0;
  while (at < text.length) {
    token.lastIndex = at;
    const m = token.exec(text);
    if (m === null) fail("E_USAGE", `torch expression ${JSON.stringify(text)}: unexpected ${JSON.stringify(text[at])}`, { hint: "numbers, the inputs and parameters, torch.exp(…) and the like, and + - * / **" });
    const [whole, number, word, op] = m;
    if (number !== undefined) out += number;
    else if (word !== undefined) {
      if (names.includes(word)) out += name(word);
      else if (TORCH_CALLS.has(word)) out += word;
      else fail("E_USAGE", `torch expression ${JSON.stringify(text)}: ${word} is neither an input or parameter nor a torch function it may call`, { hint: [...TORCH_CALLS].join(", ") });
    } else if (op !== undefined) out += op;
    else out += " ";
    at += whole.length;
  }
  return out;
}

/** A formula to evaluate: torch code over v[…], its input, parameter values, the points. */
export interface TorchFormulaJob {
  readonly code: string;
  readonly variable: string;
  readonly params: Readonly<Record<string, number>>;
  readonly points: readonly number[];
  /** 0: f; 1: also f′ by autograd. */
  readonly orders: readonly number[];
}

export interface TorchFormulaResult {
  /** Values by order ("0", "1"), or the error torch raised. */
  readonly values?: Readonly<Record<string, readonly number[]>>;
  readonly error?: string;
}

const PYTHON = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

const DRIVER = String.raw`
import json, math, sys
import torch
F = torch.nn.functional

def clean(values):
    return [v if math.isfinite(v) else ("NaN" if v != v else ("Infinity" if v > 0 else "-Infinity")) for v in values]

out = []
for job in json.load(sys.stdin)["jobs"]:
    try:
        x = torch.tensor(job["points"], dtype=torch.float64, requires_grad=True)
        v = {k: torch.tensor(p, dtype=torch.float64) for k, p in job["params"].items()}
        v[job["variable"]] = x
        p = [float(q) for q in job["params"].values()]
        y = eval(job["code"], {"__builtins__": {}, "torch": torch, "F": F, "math": math, "v": v, "p": p})
        y = torch.as_tensor(y, dtype=torch.float64) + torch.zeros_like(x)
        values = {"0": clean(y.detach().tolist())}
        if 1 in job["orders"]:
            (d,) = torch.autograd.grad(y, x, torch.ones_like(y), allow_unused=True)
            values["1"] = clean((torch.zeros_like(x) if d is None else d).detach().tolist())
        out.append({"values": values})
    except Exception as e:
        out.append({"error": type(e).__name__ + ": " + str(e)})
print(json.dumps({"torch": torch.__version__, "results": out}))
`;

/** Runs the jobs in one Python process; the torch version and each job's values. */
export function evaluateTorchFormulas(jobs: readonly TorchFormulaJob[]): { readonly torch: string; readonly results: readonly TorchFormulaResult[] } {
  const r = spawnSync(PYTHON, ["-c", DRIVER], { input: JSON.stringify({ jobs }), encoding: "utf8", maxBuffer: 1 << 29 });
  if (r.status !== 0) {
    fail("E_UNSUPPORTED", `the PyTorch column needs Python with PyTorch: ${(r.stderr || String(r.error)).trim().split("\n").slice(-1)[0]}`, {
      hint: "install Debian's python3-torch (apt-get install python3-torch)",
    });
  }
  return JSON.parse(r.stdout, (_k, v: unknown) => (v === "NaN" ? NaN : v === "Infinity" ? Infinity : v === "-Infinity" ? -Infinity : v)) as {
    torch: string; results: TorchFormulaResult[];
  };
}
