import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { ReferenceCache } from "../../src/numeric/reference.js";
import { random } from "../../src/audit/sweep.js";
import { define } from "../../src/index.js";
import { bigContext } from "../../src/numeric/big.js";

// The audit's reference (precision chosen per point, shared memos, erf by series and continued
// fraction) against mpmath at 400 digits, on a few hundred points: at least 40 correct digits
// wherever it gives a value. pyenv's python3 has mpmath (Debian's /usr/bin/python3 is for torch).
const FORMULAS: readonly { readonly actdiff: string; readonly mpmath: string; readonly derivative?: true; readonly tail?: true }[] = [
  { actdiff: "x * (1 + erf(x / sqrt(2))) / 2", mpmath: "x * (1 + erf(x / sqrt(2))) / 2" },
  // Its derivative in the left tail: 1/2 + erf(x/√2)/2 is exactly 0 at every precision below
  // about 190 digits there, and two such rungs agree on a value missing that term.
  { actdiff: "x * (1 + erf(x / sqrt(2))) / 2", mpmath: "(1 + erf(x / sqrt(2))) / 2 + x * exp(-x**2 / 2) / sqrt(2 * pi)", derivative: true, tail: true },
  { actdiff: "x - tanh(x)", mpmath: "x - tanh(x)" },
  { actdiff: "log(1 + exp(x)) - x / 2", mpmath: "log(1 + exp(x)) - x / 2" },
  { actdiff: "exp(x) - 1", mpmath: "exp(x) - 1" },
];

function points(n: number): number[] {
  const rand = random(16);
  return Array.from({ length: n }, (_, i) => {
    const r = rand();
    // Both signs; magnitudes from 1e-12 to 1e3 on a log scale, and a band of ordinary values.
    const m = i % 2 === 0 ? 10 ** (-12 + 15 * r) : 40 * r;
    return rand() < 0.5 ? -m : m;
  });
}

describe("the audit's reference agrees with mpmath to 40 digits", () => {
  it.each(FORMULAS)("$actdiff (derivative: $derivative)", ({ actdiff, mpmath, derivative, tail }) => {
    // The tail down to −37, where f′ is still a double (the reference holds values below every
    // float to fewer digits: no float can tell them).
    const xs = tail ? points(75).map((x) => -20 - (Math.abs(x) % 17)) : points(75);
    const act = derivative ? define(actdiff).derivative() : define(actdiff);
    const refs = new ReferenceCache(new Map(), act.inputs[0]);
    const ours = xs.map((x) => refs.get(act.expr, x));
    const script = [
      "import sys, json",
      "from mpmath import mp, mpf, erf, tanh, log, exp, sqrt, pi",
      "mp.dps = 400",
      "out = []",
      "for h in json.load(sys.stdin):",
      "    x = mpf(float.fromhex(h))",
      `    out.append(mp.nstr(${mpmath}, 60))`,
      "print(json.dumps(out))",
    ].join("\n");
    const run = spawnSync("python3", ["-c", script], { input: JSON.stringify(xs.map(hex)), encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    const theirs = JSON.parse(run.stdout) as string[];
    let compared = 0;
    xs.forEach((x, i) => {
      const v = ours[i];
      if (v === undefined) return;
      const t = new (bigContext(400))(theirs[i]!);
      if (t.isZero()) expect(v.isZero(), `x = ${x}`).toBe(true);
      else expect(v.sub(t).abs().div(t.abs()).toNumber(), `x = ${x}: ${v.toString()} vs ${theirs[i]}`).toBeLessThan(1e-40);
      compared++;
    });
    expect(compared).toBeGreaterThan(70);
  });
});

/** A double as a hexadecimal float (exact), for Python's float.fromhex. */
function hex(x: number): string {
  if (x === 0) return "0x0p+0";
  const sign = x < 0 ? "-" : "";
  let m = Math.abs(x);
  let e = 0;
  while (m >= 2) { m /= 2; e++; }
  while (m < 1) { m *= 2; e--; }
  // m in [1, 2): 52 bits of fraction, exact in 13 hex digits.
  const frac = Math.round((m - 1) * 2 ** 52).toString(16).padStart(13, "0");
  return `${sign}0x1.${frac}p${e >= 0 ? "+" : ""}${e}`;
}
