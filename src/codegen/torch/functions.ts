import type { FnName } from "../../functions/table.js";
import { ATAN_TAIL_MID, ATAN_TAIL_NEAR } from "../../functions/table.js";
import { DENOMINATOR, NUMERATOR } from "../../functions/atan-rem.js";
import { pyFloat } from "./python.js";

/**
 * How PyTorch code spells each builtin: the torch counterpart of the function table's `js`, one
 * entry per function (typed `Record<FnName, …>`, so a new builtin does not compile until it has
 * its torch spelling). An argument is a tensor or a Python number (a literal); `torch.maximum`
 * and friends take tensors only, so the number case is spelled with `clamp`.
 *
 * Functions torch computes accurately over the whole line (exp, log1p, expm1, tanh, erf,
 * sigmoid …) are torch's, one kernel each; the others have a helper written in torch ops with
 * actdiff's operations: softplus (F.softplus returns x from x = 20 on, an error of e^−20
 * relative), atan_tail and atan_rem (fitted polynomials), and sign (NaN stays NaN). Where a
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
  // torch's own normal cdf: 0.5·erfc(−x/√2) computed without the cancellation of 1 + erf.
  Phi: { inline: torchCall("special.ndtr") },
  phi: {
    helper: {
      params: ["x"],
      body: [
        "# e^(-x^2/2)/sqrt(2 pi) with x^2 split exactly: x = h + l, h a multiple of 2^-12 (h*h exact for |x| < 2^14),",
        "# so that rounding x^2 does not cost the relative accuracy e^(-x^2/2) would lose in the tails.",
        "h = torch.round(x * 4096.0) / 4096.0",
        "l = x - h",
        "return torch.exp(-0.5 * (h * h)) * torch.exp(-(h * l + 0.5 * (l * l))) * 0.3989422804014327",
      ],
    },
  },
  sigmoid: { inline: torchCall("sigmoid") },
  softplus: {
    helper: {
      params: ["x"],
      body: [
        "# log(1 + e^x) = max(x, 0) + log1p(e^(-|x|)): finite for every finite x.",
        "return torch.clamp(x, min=0.0) + torch.log1p(torch.exp(-torch.abs(x)))",
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
