import type { FnName } from "../../functions/table.js";
import { ATAN_TAIL_MID, ATAN_TAIL_NEAR, SIGMOID_TAIL } from "../../functions/table.js";
import { DENOMINATOR, NUMERATOR } from "../../functions/atan-rem.js";
import { INV_SQRT_2PI, LARGE_P, LARGE_Q, MID_P, MID_Q, ONE_OVER_SQRT_PI, SMALL_P, SMALL_Q, X_CAP, Y_CAP } from "../../functions/normal.js";
import { pyFloat } from "./python.js";

/**
 * How PyTorch code spells each builtin: the torch counterpart of the function table's `js`, one
 * entry per function (typed `Record<FnName, …>`, so a new builtin does not compile until it has
 * its torch spelling). An argument is a tensor or a Python number (a literal); `torch.maximum`
 * and friends take tensors only, so the number case is spelled with `clamp`.
 *
 * Functions torch computes accurately over the whole line (exp, log1p, expm1, tanh, erf …) are
 * torch's, one kernel each; torch's sigmoid and softplus are used where they are accurate, one
 * kernel, and actdiff's forms elsewhere (sigmoid below −40, where torch's underflows to 0 from
 * −88.7 in float32; softplus above 20, where F.softplus returns x, an error of e^−20 relative),
 * the sides chosen as for a conditional (`_sides`); the others have a helper written in torch
 * ops with actdiff's operations: atan_tail and atan_rem (fitted polynomials), and sign (NaN
 * stays NaN). Where a
 * formula cancels (1 + erf(u) for u < 0, mish′ near its root), torch's last-bit differences from
 * V8's are amplified as much as actdiff's own rounding: the tests allow for it.
 */
export interface TorchArg {
  readonly text: string;
  /** A Python number rather than a tensor. */
  readonly isNumber: boolean;
}

export interface TorchHelper {
  /** `def _<name>(params):` and its body, unindented. */
  readonly params: readonly string[];
  readonly body: readonly string[];
}

export type TorchFn =
  | { readonly inline: (args: readonly TorchArg[]) => string; readonly helper?: undefined }
  | { readonly inline?: undefined; readonly helper: TorchHelper };

const torchCall = (name: string) => (args: readonly TorchArg[]) => `torch.${name}(${args.map((a) => a.text).join(", ")})`;

/** max/min of two values, either of which may be a Python number. */
const extremum = (which: "maximum" | "minimum") => ([a, b]: readonly TorchArg[]) => {
  const bound = which === "maximum" ? "min" : "max";
  if (a!.isNumber) return `torch.clamp(${b!.text}, ${bound}=${a!.text})`;
  if (b!.isNumber) return `torch.clamp(${a!.text}, ${bound}=${b!.text})`;
  return `torch.${which}(${a!.text}, ${b!.text})`;
};

/** c₀ + s(c₁ + s(c₂ + …)) by Horner's rule, in Python. */
const horner = (c: readonly number[], s: string): string =>
  c.slice(0, -1).reduceRight((inner, k) => `(${inner}) * ${s} + ${pyFloat(k)}`, pyFloat(c[c.length - 1]!));

/** Σ cₖtᵏ by Horner's rule, highest first (a monic denominator adds tⁿ), as normal.ts evaluates it. */
function pyHorner(c: readonly number[], t: string, monic: boolean): string {
  let acc = monic ? `(${t} + ${pyFloat(c[c.length - 1]!)})` : pyFloat(c[c.length - 1]!);
  for (let k = c.length - 2; k >= 0; k--) acc = `(${acc} * ${t} + ${pyFloat(c[k]!)})`;
  return acc;
}

/** e = e^(−ax²/2) for ax ≥ 0 as e^(−a²/2)·e^(−(ax − a)(ax + a)/2), a = ax rounded down to 1/16: a²/2 is exact. */
const EXP_MINUS_HALF_SQUARE = [
  "a = torch.trunc(ax * 16.0) / 16.0",
  "e = torch.exp(-0.5 * (a * a)) * torch.exp(-0.5 * ((ax - a) * (ax + a)))",
];

export const TORCH_FUNCTIONS: Record<FnName, TorchFn> = {
  exp: { inline: torchCall("exp") },
  log: { inline: torchCall("log") },
  log1p: { inline: torchCall("log1p") },
  expm1: { inline: torchCall("expm1") },
  sqrt: { inline: torchCall("sqrt") },
  abs: { inline: torchCall("abs") },
  sign: {
    helper: {
      params: ["x"],
      // As Math.sign: ±0 and NaN are returned as they are (torch.sign(nan) is 0).
      body: ["return torch.where(x > 0.0, 1.0, torch.where(x < 0.0, -1.0, x))"],
    },
  },
  min: { inline: extremum("minimum") },
  max: { inline: extremum("maximum") },
  clip: {
    inline: ([x, lo, hi]) =>
      extremum("minimum")([{ text: extremum("maximum")([x!, lo!]), isNumber: false }, hi!]),
  },
  sin: { inline: torchCall("sin") },
  cos: { inline: torchCall("cos") },
  tan: { inline: torchCall("tan") },
  atan: { inline: torchCall("atan") },
  sinh: { inline: torchCall("sinh") },
  cosh: { inline: torchCall("cosh") },
  tanh: { inline: torchCall("tanh") },
  erf: { inline: torchCall("erf") },
  erfc: { inline: torchCall("erfc") },
  // actdiff's Φ and φ (src/functions/normal.ts), the same operations in torch ops: torch 1.13's
  // special.ndtr is 1e6 ulps off at x = −6.
  Phi: {
    helper: {
      params: ["x"],
      body: [
        "# Phi(x) = erfc(-x/sqrt 2)/2 by W. J. Cody's rational approximations, each interval computed and one chosen.",
        "t = x * 0.7071067811865476",
        "y = torch.abs(t)",
        "tt = t * t",
        `small = 0.5 + 0.5 * ((t * ${pyHorner(SMALL_P, "tt", false)}) / ${pyHorner(SMALL_Q, "tt", true)})`,
        `c = torch.clamp(y, max=${pyFloat(Y_CAP)})`,
        `mid = ${pyHorner(MID_P, "c", false)} / ${pyHorner(MID_Q, "c", true)}`,
        "z = 1.0 / (c * c)",
        `large = (${pyFloat(ONE_OVER_SQRT_PI)} - (z * ${pyHorner(LARGE_P, "z", false)}) / ${pyHorner(LARGE_Q, "z", true)}) / c`,
        "r = torch.where(c <= 4.0, mid, large)",
        `ax = torch.clamp(torch.abs(x), max=${pyFloat(X_CAP)})`,
        ...EXP_MINUS_HALF_SQUARE,
        "half = 0.5 * e * r",
        "return torch.where(y > 0.46875, torch.where(t < 0.0, half, 1.0 - half), small)",
      ],
    },
  },
  phi: {
    helper: {
      params: ["x"],
      body: [
        `ax = torch.clamp(torch.abs(x), max=${pyFloat(X_CAP)})`,
        ...EXP_MINUS_HALF_SQUARE,
        `return ${pyFloat(INV_SQRT_2PI)} * e`,
      ],
    },
  },
  sigmoid: {
    helper: {
      params: ["x", "overwrite=False"],
      body: [
        "# torch.sigmoid is 1/(1 + e^-x), 0 where e^-x overflows (x < -88.7 in float32, -709.8 in float64) instead of",
        `# about e^x: e^x/(1 + e^x) below ${SIGMOID_TAIL}, as actdiff's sigmoid; torch's own kernel above (one pass).`,
        "# overwrite: x is a temporary of the caller's, and may be overwritten by the result.",
        `s = _bound_sides(x, "<", ${pyFloat(SIGMOID_TAIL)})`,
        "if s == 2:",
        "    return x.sigmoid_() if overwrite else torch.sigmoid(x)",
        "e = torch.exp(x)",
        "tail = e / (1.0 + e)",
        `return tail if s == 1 else torch.where(x < ${pyFloat(SIGMOID_TAIL)}, tail, torch.sigmoid(x))`,
      ],
    },
  },
  softplus: {
    helper: {
      params: ["x"],
      body: [
        "# torch's softplus is log1p(e^x) up to its threshold 20, one pass; above it returns x, e^-x short of",
        "# log(1 + e^x) = max(x, 0) + log1p(e^(-|x|)), which is computed there (finite for every finite x).",
        's = _bound_sides(x, ">", 20.0)',
        "if s == 2:",
        "    return torch.nn.functional.softplus(x)",
        "far = torch.abs(x).neg_().exp_().log1p_().add_(torch.clamp(x, min=0.0))",
        "return far if s == 1 else torch.where(x > 20.0, far, torch.nn.functional.softplus(x))",
      ],
    },
  },
  atan_tail: {
    helper: {
      params: ["u"],
      body: [
        "# pi/2 + atan(u) + u/(1 + u^2) without cancellation: as written above u = -1, a fitted polynomial in 1/u^2 below.",
        "head = torch.where(u < 0.0, -torch.atan(1.0 / u) + u / (1.0 + u * u), math.pi / 2.0 + torch.atan(u) + u / (1.0 + u * u))",
        "head = torch.where(u > 1e150, math.pi / 2.0 + torch.atan(u), head)",
        "u2 = u * u",
        "s = 1.0 / u2",
        `near = ${horner(ATAN_TAIL_NEAR, "s")}`,
        "t = (8.0 * s - 5.0) / 3.0",
        `mid = ${horner(ATAN_TAIL_MID, "t")}`,
        "tail = -torch.where(s <= 0.25, near, mid) / (u2 * u)",
        "return torch.where(u < -1.0, tail, head)",
      ],
    },
  },
  atan_rem: {
    helper: {
      params: ["v"],
      body: [
        "# atan(v) - v/(1 + v^2): as written beyond |v| = 1, a rational fitted in s = v^2 within.",
        "s = v * v",
        `within = v * s * (${horner(NUMERATOR, "s")}) / (${horner(DENOMINATOR, "s")})`,
        "beyond = torch.atan(v) - 1.0 / (v + 1.0 / v)",
        "return torch.where(torch.abs(v) <= 1.0, within, beyond)",
      ],
    },
  },
  tanhshrink: {
    helper: {
      params: ["x"],
      body: [
        "# x - tanh(x) as written from |x| = 2.5 on (F.tanhshrink cancels near 0); below, x*x^2/(d + x^2)",
        "# with d Lambert's continued fraction 3 + x^2/(5 + x^2/(7 + ...)) for tanh: positive terms only.",
        "y = x * x",
        "d = torch.full_like(y, 31.0)",
        "for k in range(14, 0, -1):",
        "    d = (2 * k + 1) + y / d",
        "return torch.where(torch.abs(x) < 2.5, x * y / (d + y), x - torch.tanh(x))",
      ],
    },
  },
  logistic_pdf: {
    helper: {
      params: ["x"],
      body: [
        "# sigma(x) sigma(-x) = e/(1 + e)^2 with e = e^(-|x|): no 1 - sigma(x) to round to 0 in the tail.",
        "e = torch.exp(-torch.abs(x))",
        "s = 1.0 + e",
        "return e / s / s",
      ],
    },
  },
  delta: { inline: ([i, j]) => `(${i!.text} == ${j!.text})` },
  floor: { inline: torchCall("floor") },
};

export const torchHelperName = (fn: FnName): string => `_${fn}`;

/** `def _<name>(…):` with its body, for the builtins the module calls through a helper. */
export function torchHelperSource(fn: FnName): string {
  const h = TORCH_FUNCTIONS[fn].helper;
  if (h === undefined) throw new Error(`internal error: '${fn}' is inline torch, not a helper`);
  return [`def ${torchHelperName(fn)}(${h.params.join(", ")}):`, ...h.body.map((l) => `    ${l}`)].join("\n");
}
