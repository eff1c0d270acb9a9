import type { FnName } from "../../functions/table.js";
import { ATAN_TAIL_MID, ATAN_TAIL_NEAR, TANH_EXP_FROM } from "../../functions/table.js";
import { DENOMINATOR, NUMERATOR } from "../../functions/atan-rem.js";
import { pyFloat } from "./python.js";

/**
 * How PyTorch code spells each builtin: the torch counterpart of the function table's `js`, one
 * entry per function (typed `Record<FnName, …>`, so a new builtin does not compile until it has
 * its torch spelling). An argument is a tensor or a Python number (a literal); `torch.maximum`
 * and friends take tensors only, so the number case is spelled with `clamp`.
 *
 * Functions torch computes accurately over the whole line (exp, log1p, expm1, sigmoid …) are
 * torch's; the others have a helper written in torch ops with actdiff's operations: softplus
 * (F.softplus returns x from x = 20 on, an error of e^−20 relative), atan_tail and atan_rem
 * (fitted polynomials), sign (NaN stays NaN), and tanh and erf, whose results feed cancellations
 * (1 + erf(u) for u < 0, mish′ near its root) that would turn torch's last-bit differences from
 * actdiff's own evaluation into tens of ulps.
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

/**
 * erf as actdiff evaluates it (src/functions/erf-source.ts: W. J. Cody's rational Chebyshev
 * approximations, in mathjs's order), each interval computed and the right one selected. The
 * coefficients are those of ERF_SOURCE (test/export/torch-module.test.ts checks they are).
 */
const ERF_TORCH: TorchHelper = {
  params: ["x"],
  body: [
    "# W. J. Cody's rational Chebyshev approximations (netlib specfun erf), as actdiff evaluates erf.",
    "y = torch.abs(x)",
    "s = torch.sign(x)",
    "# erf(y) = y * P(y^2)/Q(y^2) for y <= 0.46875",
    "z = y * y",
    "num = 0.185777706184603153 * z",
    "den = z",
    "num = (num + 3.16112374387056560) * z",
    "den = (den + 23.6012909523441209) * z",
    "num = (num + 113.864154151050156) * z",
    "den = (den + 244.024637934444173) * z",
    "num = (num + 377.485237685302021) * z",
    "den = (den + 1282.61652607737228) * z",
    "small = s * (y * (num + 3209.37758913846947) / (den + 2844.23683343917062))",
    "# erfc(y) = e^(-y^2) * P(y)/Q(y) for y <= 4",
    "num = 2.15311535474403846e-8 * y",
    "den = y",
    "num = (num + 0.564188496988670089) * y",
    "den = (den + 15.7449261107098347) * y",
    "num = (num + 8.88314979438837594) * y",
    "den = (den + 117.693950891312499) * y",
    "num = (num + 66.1191906371416295) * y",
    "den = (den + 537.181101862009858) * y",
    "num = (num + 298.635138197400131) * y",
    "den = (den + 1621.38957456669019) * y",
    "num = (num + 881.952221241769090) * y",
    "den = (den + 3290.79923573345963) * y",
    "num = (num + 1712.04761263407058) * y",
    "den = (den + 4362.61909014324716) * y",
    "num = (num + 2051.07837782607147) * y",
    "den = (den + 3439.36767414372164) * y",
    "mid = (num + 1230.33935479799725) / (den + 1230.33935480374942)",
    "# erfc(y) = e^(-y^2)/y * (1/sqrt(pi) + P(1/y^2)/(y^2 Q(1/y^2))) beyond",
    "z = 1.0 / (y * y)",
    "num = 0.0163153871373020978 * z",
    "den = z",
    "num = (num + 0.305326634961232344) * z",
    "den = (den + 2.56852019228982242) * z",
    "num = (num + 0.360344899949804439) * z",
    "den = (den + 1.87295284992346047) * z",
    "num = (num + 0.125781726111229246) * z",
    "den = (den + 0.527905102951428412) * z",
    "num = (num + 0.0160837851487422766) * z",
    "den = (den + 0.0605183413124413191) * z",
    "far = z * (num + 0.000658749161529837803) / (den + 0.00233520497626869185)",
    "far = (0.56418958354775628695 - far) / y",
    "r = torch.where(y <= 4.0, mid, far)",
    "# e^(-y^2) as e^(-a^2) * e^(-(y - a)(y + a)) with a = y rounded down to 1/16: no cancellation in y^2.",
    "a = torch.trunc(y * 16.0) / 16.0",
    "large = s * (1.0 - torch.exp(-a * a) * torch.exp(-((y - a) * (y + a))) * r)",
    "return torch.where(y >= 9007199254740992.0, s, torch.where(y <= 0.46875, small, large))",
  ],
};

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
  tanh: {
    helper: {
      params: ["x"],
      body: [
        `# torch.tanh near 0; sign(x)(1 - e)/(1 + e), e = e^(-2|x|), from |x| = ${TANH_EXP_FROM} on (no cancellation there), as actdiff computes it.`,
        "a = torch.abs(x)",
        "e = torch.exp(-2.0 * a)",
        `return torch.where(a < ${pyFloat(TANH_EXP_FROM)}, torch.tanh(x), torch.sign(x) * (1.0 - e) / (1.0 + e))`,
      ],
    },
  },
  erf: { helper: ERF_TORCH },
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
