import type { FnName, functions } from "../functions/table.js";

/**
 * Standalone JavaScript for the builtins that have no inline `js` form, for emitted modules
 * (which import nothing). Each computes exactly what the table's `evaluate` computes — the same
 * operations in the same order, bit for bit (test/codegen/emit.test.ts checks it on extreme and
 * random inputs) — so a vendored module returns what `compile()` returns.
 *
 * Why a string here and not `evaluate.toString()`: the text of a function depends on how the
 * package was built (tsc keeps comments, esbuild reformats, a minifier renames), which would make
 * emitted bytes depend on the build; and `erf`'s evaluate calls into mathjs, which is not
 * standalone at all. The natural home of these strings is the function table itself (one record
 * per function); until it has such a field, the type below makes a new builtin without `js`
 * fail to compile until its source is added here.
 */
type Inline = { [K in FnName]: (typeof functions)[K] extends { readonly js: unknown } ? K : never }[FnName];
export type HelperName = Exclude<FnName, Inline>;

export interface HelperSource {
  readonly params: readonly string[];
  /** Statements of the body, without indentation. */
  readonly body: readonly string[];
}

export const HELPERS: Record<HelperName, HelperSource> = {
  sign: {
    params: ["x"],
    // sign(±0) = ±0 and sign(NaN) = NaN, as Math.sign.
    body: ["return x > 0 ? 1 : x < 0 ? -1 : x;"],
  },
  clip: {
    params: ["x", "lo", "hi"],
    body: ["return Math.min(Math.max(x, lo), hi);"],
  },
  sigmoid: {
    params: ["x"],
    body: [
      "// e^x/(1 + e^x) only far below 0, where e^(-x) would overflow: one predictable branch.",
      "if (x < -40) {",
      "  const e = Math.exp(x);",
      "  return e / (1 + e);",
      "}",
      "return 1 / (1 + Math.exp(-x));",
    ],
  },
  tanh: {
    params: ["x"],
    body: [
      "// Math.tanh near 0; sign(x)(1 - e)/(1 + e), e = e^(-2|x|), from |x| = 0.55 on (no cancellation there).",
      "const a = Math.abs(x);",
      "if (a < 0.55) return Math.tanh(x);",
      "const e = Math.exp(-2 * a);",
      "return Math.sign(x) * (1 - e) / (1 + e);",
    ],
  },
  softplus: {
    params: ["x"],
    body: [
      "// log(1 + e^x) = max(x, 0) + log1p(e^(-|x|)): finite for every finite x.",
      "return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));",
    ],
  },
  erf: {
    params: ["x"],
    // W. J. Cody's rational Chebyshev approximations (netlib specfun/erf, 1987), evaluated in
    // the order mathjs's erf evaluates them, which is what the table's evaluate calls.
    body: [
      "// W. J. Cody's rational Chebyshev approximations (netlib specfun erf), as in mathjs.",
      "const y = Math.abs(x);",
      "const s = Math.sign(x);",
      "if (y >= 9007199254740992) return s;",
      "if (y <= 0.46875) {",
      "  // erf(y) = y · P(y²)/Q(y²)",
      "  const z = y * y;",
      "  let num = 0.185777706184603153 * z;",
      "  let den = z;",
      "  num = (num + 3.16112374387056560) * z;",
      "  den = (den + 23.6012909523441209) * z;",
      "  num = (num + 113.864154151050156) * z;",
      "  den = (den + 244.024637934444173) * z;",
      "  num = (num + 377.485237685302021) * z;",
      "  den = (den + 1282.61652607737228) * z;",
      "  return s * (y * (num + 3209.37758913846947) / (den + 2844.23683343917062));",
      "}",
      "let r;",
      "if (y <= 4) {",
      "  // erfc(y) = e^(-y²) · P(y)/Q(y)",
      "  let num = 2.15311535474403846e-8 * y;",
      "  let den = y;",
      "  num = (num + 0.564188496988670089) * y;",
      "  den = (den + 15.7449261107098347) * y;",
      "  num = (num + 8.88314979438837594) * y;",
      "  den = (den + 117.693950891312499) * y;",
      "  num = (num + 66.1191906371416295) * y;",
      "  den = (den + 537.181101862009858) * y;",
      "  num = (num + 298.635138197400131) * y;",
      "  den = (den + 1621.38957456669019) * y;",
      "  num = (num + 881.952221241769090) * y;",
      "  den = (den + 3290.79923573345963) * y;",
      "  num = (num + 1712.04761263407058) * y;",
      "  den = (den + 4362.61909014324716) * y;",
      "  num = (num + 2051.07837782607147) * y;",
      "  den = (den + 3439.36767414372164) * y;",
      "  r = (num + 1230.33935479799725) / (den + 1230.33935480374942);",
      "} else {",
      "  // erfc(y) = e^(-y²)/y · (1/√π + P(1/y²)/(y² Q(1/y²)))",
      "  const z = 1 / (y * y);",
      "  let num = 0.0163153871373020978 * z;",
      "  let den = z;",
      "  num = (num + 0.305326634961232344) * z;",
      "  den = (den + 2.56852019228982242) * z;",
      "  num = (num + 0.360344899949804439) * z;",
      "  den = (den + 1.87295284992346047) * z;",
      "  num = (num + 0.125781726111229246) * z;",
      "  den = (den + 0.527905102951428412) * z;",
      "  num = (num + 0.0160837851487422766) * z;",
      "  den = (den + 0.0605183413124413191) * z;",
      "  r = z * (num + 0.000658749161529837803) / (den + 0.00233520497626869185);",
      "  r = (0.56418958354775628695 - r) / y;",
      "}",
      "// e^(-y²) as e^(-a²) · e^(-(y - a)(y + a)) with a = y rounded down to 1/16: no cancellation in y².",
      "const a = Math.trunc(y * 16) / 16;",
      "return s * (1 - Math.exp(-a * a) * Math.exp(-((y - a) * (y + a))) * r);",
    ],
  },
};

export function isHelper(fn: FnName): fn is HelperName {
  return Object.hasOwn(HELPERS, fn);
}

/** `function h_<name>(…) { … }`, indented by two spaces; with types for TypeScript. */
export function helperSource(fn: HelperName, types: boolean): string {
  const h = HELPERS[fn];
  const params = h.params.map((p) => (types ? `${p}: number` : p)).join(", ");
  return [`function h_${fn}(${params})${types ? ": number" : ""} {`, ...h.body.map((l) => `  ${l}`), "}"].join("\n");
}
