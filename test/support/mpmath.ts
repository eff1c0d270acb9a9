import { execFileSync } from "node:child_process";

/**
 * An independent oracle: mpmath (Debian's python3-mpmath at /usr/bin/python3, beside python3-torch;
 * .ci/run installs both) evaluates a formula written in Python, and its derivative by mpmath.diff, at points given as exact doubles, from 60 digits up until two
 * precisions agree to 25 digits (a cancellation costs digits, which are added). Results
 * come back as the nearest doubles (float(mpf) rounds correctly), ±inf and nan as strings.
 */
export interface MpmathRequest {
  /** A Python expression in x (and the names in `bindings`), with mpmath's functions in scope. */
  readonly formula: string;
  readonly xs: readonly number[];
  readonly bindings?: Readonly<Record<string, number>>;
  /** Also the derivatives in x up to this order (1 or 2). */
  readonly derivatives?: 0 | 1 | 2;
}

export interface MpmathResult {
  readonly f: number[];
  readonly df: number[];
  readonly d2f: number[];
}

const SCRIPT = String.raw`
import json, sys
from mpmath import mp, mpf, diff, exp, log, log1p, expm1, sqrt, tanh, sinh, cosh, sin, cos, atan, erf, erfc, pi

def settle(compute):
    # The value at 60 digits, then at twice as many, until two agree to 25 digits: a
    # cancellation (x - tanh x at 1e-100) costs the digits it cancels, and they are added.
    digits, previous = 60, None
    while True:
        with mp.workdps(digits):
            value = compute()
        # 0 at two precisions may be a cancellation not yet resolved (1 + erf(-24) is 1e-256): on
        # to 960 digits, past every double's exponent, before 0 is believed.
        settled = previous is not None and (value == previous or abs(value - previous) <= abs(value) * mpf(10) ** -25)
        if settled and (value != 0 or digits >= 960):
            return value
        if digits >= 3840:
            return value
        previous, digits = value, digits * 2

out = []
for req in json.load(sys.stdin):
    names = {k: mpf(float.fromhex(v)) for k, v in req["bindings"].items()}
    env = dict(exp=exp, log=log, log1p=log1p, expm1=expm1, sqrt=sqrt, tanh=tanh, sinh=sinh, cosh=cosh, sin=sin, cos=cos,
               atan=atan, erf=erf, erfc=erfc, pi=pi, mpf=mpf, **names)
    f = eval("lambda x: " + req["formula"], env)
    fs, dfs, d2fs = [], [], []
    for h in req["xs"]:
        x = mpf(float.fromhex(h))
        fs.append(repr(float(settle(lambda: f(x)))))
        if req["derivatives"] >= 1:
            dfs.append(repr(float(settle(lambda: diff(f, x)))))
        if req["derivatives"] >= 2:
            d2fs.append(repr(float(settle(lambda: diff(f, x, 2)))))
    out.append({"f": fs, "df": dfs, "d2f": d2fs})
json.dump(out, sys.stdout)
`;

const toNumber = (s: string): number => (s === "inf" ? Infinity : s === "-inf" ? -Infinity : s === "nan" ? NaN : Number(s));
const hex = (x: number): string => {
  if (Object.is(x, -0)) return "-0x0p+0";
  if (x === 0) return "0x0p+0";
  // float.fromhex reads a decimal exponent-free hex float; a double printed with 17 digits
  // would be parsed exactly by Python as well, but hex says so by construction.
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const bits = buf.getBigUint64(0);
  const sign = bits >> 63n ? "-" : "";
  const exponent = Number((bits >> 52n) & 0x7ffn);
  const mantissa = (bits & ((1n << 52n) - 1n)).toString(16).padStart(13, "0");
  return exponent === 0 ? `${sign}0x0.${mantissa}p-1022` : `${sign}0x1.${mantissa}p${exponent - 1023}`;
};

/** Evaluates each request in one python3 process. */
export function mpmathValues(requests: readonly MpmathRequest[]): MpmathResult[] {
  const input = JSON.stringify(requests.map((r) => ({
    formula: r.formula, xs: r.xs.map(hex), derivatives: r.derivatives ?? 0,
    bindings: Object.fromEntries(Object.entries(r.bindings ?? {}).map(([k, v]) => [k, hex(v)])),
  })));
  const stdout = execFileSync("/usr/bin/python3", ["-c", SCRIPT], { input, encoding: "utf8", maxBuffer: 1 << 26 });
  return (JSON.parse(stdout) as { f: string[]; df: string[]; d2f: string[] }[]).map((r) => ({ f: r.f.map(toNumber), df: r.df.map(toNumber), d2f: r.d2f.map(toNumber) }));
}
