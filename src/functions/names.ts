/**
 * The builtin function names. The table in table.ts is typed `Record<FnName, FnSpec>`, so a
 * name added here without its entry there (or the reverse) does not compile.
 */
export const FN_NAMES = [
  "exp", "log", "log1p", "expm1", "sqrt", "abs", "sign", "min", "max", "clip",
  "sin", "cos", "tan", "atan", "sinh", "cosh", "tanh", "erf", "erfc", "sigmoid", "softplus",
  "atan_tail", "atan_rem", "delta", "floor", "Phi", "phi", "tanhshrink", "logistic_pdf",
] as const;

export type FnName = (typeof FN_NAMES)[number];
