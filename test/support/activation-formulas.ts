import { random as seededRandom } from "../../src/audit/sweep.js";

/**
 * Activation formulas for the property sheet's differential test: published ones that are not
 * in the catalog, and a seeded generator of realistic activation-like formulas (gates, mixtures,
 * rational forms, pieces, roots, bumps, clips), all defined on the whole real line.
 */

/** Published activations outside the catalog, as their papers write them (parameters at typical values). */
export const PUBLISHED: readonly { readonly name: string; readonly formula: string }[] = [
  { name: "pau (Padé, degrees 2/1)", formula: "(1 + x + x^2/2)/(1 + abs(x))" },
  { name: "squareplus", formula: "f(x; b = 4) = (x + sqrt(x^2 + b)) / 2" },
  { name: "snake", formula: "f(x; a = 1) = x + sin(a*x)^2 / a" },
  { name: "snake a = 0.5", formula: "f(x; a = 0.5) = x + sin(a*x)^2 / a" },
  { name: "softclip", formula: "f(x; p = 50) = (softplus(p*x) - softplus(p*(x - 1))) / p" },
  { name: "isru", formula: "f(x; a = 1) = x / sqrt(1 + a*x^2)" },
  { name: "isrlu", formula: "f(x; a = 1) = x >= 0 ? x : x / sqrt(1 + a*x^2)" },
  { name: "bent identity", formula: "(sqrt(x^2 + 1) - 1)/2 + x" },
  { name: "softmin of x against two constants", formula: "f(x; y = 0.5, z = -1) = exp(-x) / (exp(-x) + exp(-y) + exp(-z))" },
  { name: "lisht", formula: "x * tanh(x)" },
  { name: "tanhshrink", formula: "x - tanh(x)" },
  { name: "elliott sigmoid", formula: "0.5 * x / (1 + abs(x)) + 0.5" },
  { name: "arctan", formula: "atan(x)" },
  { name: "gaussian", formula: "exp(-x^2)" },
  { name: "serf", formula: "x * erf(softplus(x))" },
  { name: "logish", formula: "x * log(1 + sigmoid(x))" },
  { name: "smish", formula: "x * tanh(log(1 + sigmoid(x)))" },
  { name: "penalized tanh", formula: "x > 0 ? tanh(x) : 0.25 * tanh(x)" },
  { name: "sqnl", formula: "x > 2 ? 1 : x >= 0 ? x - x^2/4 : x >= -2 ? x + x^2/4 : -1" },
  { name: "bipolar sigmoid", formula: "(1 - exp(-x)) / (1 + exp(-x))" },
  { name: "sinusoid", formula: "sin(x)" },
  { name: "swish-1.5", formula: "x * sigmoid(1.5 * x)" },
  { name: "rectified tanh", formula: "max(0, tanh(x))" },
  { name: "hard elish", formula: "x >= 0 ? x * max(0, min(1, (x + 1)/2)) : (exp(x) - 1) * max(0, min(1, (x + 1)/2))" },
  { name: "soft exponential a = 0", formula: "x" },
  { name: "shifted softplus", formula: "softplus(x) - log(2)" },
  { name: "erf activation", formula: "erf(x)" },
  { name: "phish", formula: "x * tanh(x * Phi(x))" },
  { name: "hard tanh written with clip", formula: "clip(x, -1, 1)" },
];

const COEFFICIENTS = ["0.5", "1", "2", "1.5", "0.25", "3", "0.1", "0.75"];
const SIGNED = [...COEFFICIENTS, "-1", "-0.5", "-2"];

/** n formulas from the seed: each a template of a kind activations are made of, with random coefficients. */
export function randomFormulas(n: number, seed: number): string[] {
  // mulberry32, the audit sweep's seeded generator: the same formulas come out on every run.
  const random = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const c = (): string => pick(COEFFICIENTS);
  const s = (): string => pick(SIGNED);
  const squash = (u: string): string => pick([
    `sigmoid(${u})`, `tanh(${u})`, `atan(${u})`, `(${u}) / (1 + abs(${u}))`, `erf(${u})`, `(${u}) / sqrt(1 + (${u})^2)`,
  ]);
  const gate = (u: string): string => pick([
    `sigmoid(${u})`, `(1 + tanh(${u})) / 2`, `Phi(${u})`, `(1 + (${u}) / sqrt(1 + (${u})^2)) / 2`, `(1 + (${u}) / (1 + abs(${u}))) / 2`,
  ]);
  const smooth = (): string => pick([`${c()} * x`, `exp(${c()} * x) - 1`, `tanh(${c()} * x)`, `${s()} * x^2`, `softplus(x) - log(2)`, `x * sigmoid(x)`]);
  const templates: (() => string)[] = [
    () => `x * ${gate(`${c()} * x`)}`,
    () => `${c()} * x + ${s()} * ${squash(`${c()} * x`)}`,
    () => `${squash(`${c()} * x + ${s()}`)}`,
    () => `(${s()} + ${s()} * x + ${c()} * x^2) / (1 + abs(${c()} * x) + ${c()} * x^2)`,
    () => `(${s()} + x + ${c()} * x^2) / (1 + abs(x))`,
    () => `x > ${s()} ? ${smooth()} : ${smooth()}`,
    () => `x >= 0 ? x : ${c()} * (exp(x) - 1)`,
    () => `(x + sqrt(x^2 + ${c()})) / 2`,
    () => `x / sqrt(1 + ${c()} * x^2)`,
    () => `softplus(${c()} * x + ${s()}) - ${c()}`,
    () => `exp(-${c()} * x^2)`,
    () => `x * exp(-${c()} * x^2)`,
    () => `min(max(${c()} * x, ${pick(["-1", "-2", "-0.5", "0"])}), ${pick(["1", "2", "6"])})`,
    () => `max(${c()} * x, ${squash("x")})`,
    () => `x + ${c()} * sin(${c()} * x)^2`,
    () => `${c()} * x + ${s()} * abs(x)`,
    () => `x * ${squash(`softplus(${c()} * x)`)}`,
    () => `log(1 + exp(${c()} * x)) / ${c()}`,
  ];
  return Array.from({ length: n }, () => pick(templates)());
}
