import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Decimal } from "decimal.js";
import type { Expr } from "../../src/ast/nodes.js";

/**
 * mpmath as an independent oracle for the property sheet (test/support/mpscan.py): Debian's
 * python3-mpmath at /usr/bin/python3 (.ci/run installs it), else a `python3` on the PATH with mpmath. A formula travels as a Python expression printed
 * here from the parsed definition, with the parameters as their numbers; nothing of actdiff's
 * simplification, derivatives, limits or numerics takes part.
 */
export interface ScanJob {
  readonly id: string;
  readonly expr: string;
  /** Where f is wanted (decimal strings, so that 1e12 and 1/3 travel exactly as written). */
  readonly points: readonly string[];
  /** Where the one-sided derivatives are wanted. */
  readonly deriv: readonly string[];
  /** Breakpoints, to split the integrals of the moments at. */
  readonly edges: readonly number[];
}

export interface ScanResult {
  readonly f: readonly Decimal[];
  readonly dl: readonly Decimal[];
  readonly dr: readonly Decimal[];
  readonly mean: Decimal;
  readonly rms: Decimal;
}

const SCRIPT = fileURLToPath(new URL("./mpscan.py", import.meta.url));

const decimal = (s: string): Decimal => new Decimal(s === "inf" ? "Infinity" : s === "-inf" ? "-Infinity" : s === "nan" ? "NaN" : s);

export function mpScan(jobs: readonly ScanJob[]): Map<string, ScanResult> {
  let last = "";
  for (const python of ["/usr/bin/python3", "python3"]) {
    const r = spawnSync(python, [SCRIPT], { input: JSON.stringify(jobs), encoding: "utf8", maxBuffer: 1 << 28 });
    if (r.status === 0) {
      const raw = JSON.parse(r.stdout) as Record<string, { f: string[]; dl: string[]; dr: string[]; mean: string; rms: string }>;
      return new Map(Object.entries(raw).map(([id, v]) => [id, {
        f: v.f.map(decimal), dl: v.dl.map(decimal), dr: v.dr.map(decimal), mean: decimal(v.mean), rms: decimal(v.rms),
      }]));
    }
    last = r.stderr || String(r.error);
  }
  throw new Error(`the mpmath oracle failed (python3 with mpmath is needed):\n${last}`);
}

/** The definition as a Python expression in x over mpscan.py's names, parameters as numbers. */
export function toPython(e: Expr, input: string, params: ReadonlyMap<string, number>): string {
  const go = (n: Expr): string => {
    switch (n.kind) {
      case "num": return `(mpf(${n.value.n.toString()})/${n.value.d.toString()})`;
      case "sym": {
        if (n.name === input) return "x";
        const v = params.get(n.name);
        if (v === undefined) throw new Error(`no value for ${n.name}`);
        return `mpf('${v}')`;
      }
      case "const": return n.name === "pi" ? "pi" : "E";
      case "add": return `(${n.terms.map(go).join(" + ")})`;
      case "mul": return `(${n.factors.map(go).join(" * ")})`;
      case "pow": return `power(${go(n.base)}, ${go(n.exponent)})`;
      case "call": return `${n.fn}(${n.args.map(go).join(", ")})`;
      case "piecewise": return n.branches.reduceRight((rest, b) => `(${go(b.then)} if ${go(b.when)} else ${rest})`, go(n.otherwise));
      case "compare": return `(${go(n.left)} ${n.op} ${go(n.right)})`;
      case "logic": return `(${n.args.map(go).join(` ${n.op} `)})`;
      case "not": return `(not ${go(n.arg)})`;
      default: throw new Error(`toPython: ${n.kind} is not a scalar formula of one variable`);
    }
  };
  return go(e);
}
