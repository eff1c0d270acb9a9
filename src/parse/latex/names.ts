import type { Scope } from "../../ast/definition.js";
import { functionNames, lookupFunction } from "../../functions/table.js";
import { parseTopLevel } from "../parse.js";
import type { Span, Syntax } from "../syntax.js";

/**
 * The names documents give functions, and the functions actdiff reads that are neither builtins
 * nor catalog entries. Both are data: a spelling resolves against whatever the scope (the
 * catalog) and the function table hold when the formula is read, so an entry added there later
 * is found by every spelling listed here without a change to this file.
 */

/** The key a spelling is looked up by: `Leaky ReLU`, `leaky-relu` and `LeakyReLU` are one. */
export const spellingKey = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, "");

/**
 * Spellings that no normalisation of a name gives: abbreviations and other names of the same
 * function, each with the names it may have in the catalog or the function table, in order of
 * preference. A spelling that only differs in case, spaces, dashes or underscores from an entry's
 * name needs no row: `\text{HardTanh}` finds hardtanh, `\mathrm{Leaky ReLU}` finds leaky_relu.
 */
export const SPELLINGS: Readonly<Record<string, readonly string[]>> = {
  lrelu: ["leaky_relu"], lrel: ["leaky_relu"],
  relu6: ["relu6"], brelu: ["relu6"],
  htanh: ["hardtanh", "hard_tanh"],
  hsigmoid: ["hardsigmoid", "hard_sigmoid"], hsigm: ["hardsigmoid", "hard_sigmoid"], hardsigm: ["hardsigmoid", "hard_sigmoid"],
  hswish: ["hardswish", "hard_swish"], hardswish: ["hardswish", "hard_swish"],
  logistic: ["sigmoid"], sigm: ["sigmoid"], sigmoidal: ["sigmoid"], expit: ["sigmoid"],
  sgn: ["sign"], signum: ["sign"],
  swish1: ["silu"], sil: ["silu"], swishb: ["swish"],
  gelutanh: ["gelu_tanh", "gelu"], geluapprox: ["gelu_tanh", "gelu"], quickgelu: ["quick_gelu"],
  relu2: ["squared_relu"], sqrelu: ["squared_relu"], relusquared: ["squared_relu"],
  logsig: ["logsigmoid", "log_sigmoid"], logsigmoid: ["logsigmoid", "log_sigmoid"],
  softexp: ["soft_exponential"], bent: ["bent_identity"], bentid: ["bent_identity"],
  isrlu: ["isrlu"], isru: ["isru"], lisht: ["lisht"], tanhexp: ["tanhexp", "tanh_exp"],
  ln: ["log"], arctan: ["atan"], atan: ["atan"],
  arsinh: ["asinh"], arcsinh: ["asinh"], argsinh: ["asinh"], asinh: ["asinh"],
  arcosh: ["acosh"], arccosh: ["acosh"], acosh: ["acosh"],
  artanh: ["atanh"], arctanh: ["atanh"], atanh: ["atanh"],
  arcsin: ["asin"], asin: ["asin"], arccos: ["acos"], acos: ["acos"],
};

/**
 * Functions papers use that actdiff builds from its builtins: each a formula in u (the formula
 * language), used when neither the scope nor the function table has a function of that name, so a
 * builtin added later takes over. Φ and φ are the standard normal cdf and pdf.
 */
export const EXPANSIONS: Readonly<Record<string, string>> = {
  sech: "1 / cosh(u)", // sech u = 1 / cosh u
  csch: "1 / sinh(u)",
  coth: "cosh(u) / sinh(u)",
  sec: "1 / cos(u)",
  csc: "1 / sin(u)",
  cot: "cos(u) / sin(u)",
  asinh: "log(u + sqrt(u^2 + 1))", // arsinh u = ln(u + √(u² + 1))
  acosh: "log(u + sqrt(u^2 - 1))",
  atanh: "log((1 + u) / (1 - u)) / 2", // artanh u = ½ ln((1 + u)/(1 − u))
  asin: "atan(u / sqrt(1 - u^2))",
  acos: "pi / 2 - atan(u / sqrt(1 - u^2))",
  sinc: "u == 0 ? 1 : sin(u) / u", // the unnormalised sinc, continuous at 0
  erfc: "1 - erf(u)",
  Phi: "(1 + erf(u / sqrt(2))) / 2", // Φ(u) = ½(1 + erf(u/√2))
  phi: "exp(-u^2 / 2) / sqrt(2 * pi)", // φ(u) = e^{−u²/2} / √(2π)
  gaussian: "exp(-u^2)",
};

/** Greek letters that name functions when applied: Φ(x) and φ(x) the normal cdf and pdf. */
export const GREEK_FUNCTIONS: Readonly<Record<string, readonly string[]>> = {
  Phi: ["Phi", "normal_cdf", "norm_cdf"],
  phi: ["phi", "normal_pdf", "norm_pdf"],
  varphi: ["phi", "normal_pdf", "norm_pdf"],
};

/** `\sin^{-1}`: the inverse each function command has. */
export const INVERSES: Readonly<Record<string, string>> = {
  sin: "asin", cos: "acos", tan: "atan", sinh: "asinh", cosh: "acosh", tanh: "atanh",
};

/**
 * Single letters that name functions when a parenthesis follows: `g(a x)` is a call, never g·(a·x),
 * unless the definition declares the letter. Any other letter before a parenthesis is a factor,
 * as in `a(e^{x} - 1)`.
 */
export const FUNCTION_LETTERS: ReadonlySet<string> = new Set(["f", "g", "h", "F", "G", "H", "psi", "Psi"]);

/** Whether `name` is something a call can resolve to: in scope, a builtin, or an expansion. */
export function callable(name: string, scope: Scope): boolean {
  return scope.lookup(name) !== undefined || lookupFunction(name) !== undefined || Object.hasOwn(EXPANSIONS, name);
}

/** Whether only the reader knows `name`: an expansion that neither the scope nor the function table has. */
export const isExpansionOnly = (name: string, scope: Scope): boolean =>
  Object.hasOwn(EXPANSIONS, name) && scope.lookup(name) === undefined && lookupFunction(name) === undefined;

/** The first of `candidates` that can be called here. */
export const firstCallable = (candidates: readonly string[], scope: Scope): string | undefined =>
  candidates.find((c) => callable(c, scope));

/**
 * The function a spelling denotes by its key: the table's candidates first, then any name in
 * scope, in the function table or among the expansions with the same key.
 */
export function bySpelling(name: string, scope: Scope): string | undefined {
  const key = spellingKey(name);
  if (key === "") return undefined;
  const listed = Object.hasOwn(SPELLINGS, key) ? firstCallable(SPELLINGS[key]!, scope) : undefined;
  if (listed !== undefined) return listed;
  for (const s of scope.names()) if (spellingKey(s) === key) return s;
  for (const f of functionNames()) if (spellingKey(f) === key) return lookupFunction(f);
  // Case matters between Φ and φ; other expansions are found in any case.
  for (const e of Object.keys(EXPANSIONS)) if (e !== "Phi" && e !== "phi" && spellingKey(e) === key) return e;
  return undefined;
}

const expansionSyntax = new Map<string, Syntax>();

/**
 * A call of an expansion, as formula-language syntax: its formula with u replaced by the argument.
 * Every node of the formula takes the call's span, so an error inside points at the call.
 */
export function expandCall(name: string, args: readonly Syntax[], span: Span): Syntax | undefined {
  if (!Object.hasOwn(EXPANSIONS, name) || args.length !== 1) return undefined;
  let template = expansionSyntax.get(name);
  if (template === undefined) {
    template = parseTopLevel(EXPANSIONS[name]!) as Syntax;
    expansionSyntax.set(name, template);
  }
  return instantiate(template, args[0]!, span);
}

function instantiate(s: Syntax, u: Syntax, span: Span): Syntax {
  const at = (t: Syntax): Syntax => instantiate(t, u, span);
  switch (s.type) {
    case "number": return { ...s, span };
    case "name": return s.name === "u" ? u : { ...s, span };
    case "call": return { ...s, nameSpan: span, args: s.args.map(at), params: s.params.map((p) => ({ ...p, value: at(p.value), span })), span };
    case "binary": case "compare": case "logic": return { ...s, left: at(s.left), right: at(s.right), span };
    case "negate": case "not": return { ...s, arg: at(s.arg), span };
    case "cases": return { ...s, branches: s.branches.map((b) => ({ when: at(b.when), then: at(b.then) })), otherwise: at(s.otherwise), span };
    case "index": return { ...s, target: at(s.target), index: at(s.index), span };
  }
}
