/**
 * The fuzz campaign's inputs, as fast-check arbitraries: random bytes, token soups, mutations of
 * catalog definitions, Unicode, random expressions of the grammar, and long and deep inputs. The
 * short run in the tests and `npm run fuzz` draw from the same arbitraries, so an input found by
 * either is replayed by its seed.
 */
import fc from "fast-check";
import { CATALOG } from "../../src/catalog/entries.js";

/** How large the long and deep inputs may be: the tests keep them small, `npm run fuzz` does not. */
export interface Scale { readonly terms: number; readonly depth: number }
export const SHORT: Scale = { terms: 300, depth: 60 };
export const LONG: Scale = { terms: 20_000, depth: 2_500 };

const TOKENS = [
  "x", "y", "a", "beta", "(", ")", "+", "-", "−", "*", "×", "/", "^", "**", "?", ":", "<", "<=", ">=", "==", "!=", "and", "or", "not",
  "{", "}", "if", "otherwise", ",", ";", "=", "[", "]", "_i", "0", "1", "2.5", "1e3", "1e-9", ".5", "exp", "log", "sigmoid", "tanh",
  "softplus", "relu", "max", "min", "abs", "sqrt", "erf", "clip", "pi", "e", "diff", "d/dx", "'", "sum", "softmax", "where", "for", "~",
  "uniform", "α", "β", "π", "\\frac", "{x}", "\\tanh", "$", "f(x) =", "swish", "gelu", "mish", " ",
];

const SOURCES = CATALOG.filter((e) => e.status === "available").map((e) => e.source);

/** Random bytes read as UTF-8 (invalid sequences become U+FFFD, NUL and controls stay). */
const bytes = fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b).toString("utf8"));

const soup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 24 }).map((ts) => ts.join(" "));
const tightSoup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 24 }).map((ts) => ts.join(""));

/** Code points from the ranges that trip lexers: Greek and Coptic, math letters, combining marks, bidi controls, emoji, private use. */
const unicode = fc.array(fc.oneof(
  fc.integer({ min: 0x370, max: 0x3ff }), fc.integer({ min: 0x1d400, max: 0x1d7ff }), fc.integer({ min: 0x300, max: 0x36f }),
  fc.constantFrom(0x202e, 0x200b, 0x2066, 0x1b, 0x07, 0xfeff, 0x2212, 0x00b7, 0x037e, 0x0387), fc.integer({ min: 0x1f600, max: 0x1f64f }),
  fc.integer({ min: 0xe000, max: 0xe0ff }), fc.integer({ min: 0x20, max: 0x7e }),
), { maxLength: 16 }).map((cps) => String.fromCodePoint(...cps));

/** A catalog definition with a few edits: a character deleted, a token inserted, a piece doubled, two pieces swapped. */
const mutation = fc.tuple(fc.constantFrom(...SOURCES), fc.array(fc.tuple(fc.nat(), fc.nat(), fc.constantFrom(...TOKENS), fc.nat(3)), { minLength: 1, maxLength: 4 }))
  .map(([source, edits]) => edits.reduce((s, [i, j, token, op]) => {
    const a = s.length === 0 ? 0 : i % (s.length + 1);
    const b = s.length === 0 ? 0 : j % (s.length + 1);
    const [lo, hi] = a <= b ? [a, b] : [b, a];
    switch (op) {
      case 0: return s.slice(0, lo) + s.slice(lo + 1);
      case 1: return s.slice(0, lo) + token + s.slice(lo);
      case 2: return s.slice(0, hi) + s.slice(lo, hi) + s.slice(hi);
      default: return s.slice(0, lo) + s.slice(hi) + s.slice(lo, hi);
    }
  }, source));

const UNARY = ["exp", "log", "sigmoid", "tanh", "softplus", "relu", "abs", "sqrt", "erf", "sin", "atan", "log1p", "expm1", "gelu", "swish", "mish"];
const BINARY_FNS = ["max", "min"];

/** Random expressions of the formula language, in x and a parameter a. */
const expression: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom("x", "x", "a", "1", "2", "0.5", "pi", "e", "-1", "3.072", "1e-3", "100"),
    fc.tuple(fc.constantFrom(...UNARY), tie("e")).map(([f, u]) => `${f}(${u})`),
    fc.tuple(fc.constantFrom(...BINARY_FNS), tie("e"), tie("e")).map(([f, u, v]) => `${f}(${u}, ${v})`),
    fc.tuple(tie("e"), fc.constantFrom("+", "-", "*", "/", "^"), tie("e")).map(([u, op, v]) => `(${u} ${op} ${v})`),
    fc.tuple(tie("e"), fc.constantFrom("<", "<=", ">", ">="), tie("e"), tie("e"), tie("e")).map(([u, op, v, p, q]) => `(${u} ${op} ${v} ? ${p} : ${q})`),
    fc.tuple(tie("e"), tie("e"), tie("e")).map(([u, lo, hi]) => `clip(${u}, ${lo}, ${hi})`),
  ),
})).e;

/** Flat sums and products, nestings of calls, runs of signs, towers of powers, parentheses. */
const sized = (scale: Scale): fc.Arbitrary<string> => fc.oneof(
  fc.integer({ min: 1, max: scale.terms }).map((n) => Array.from({ length: n }, (_, i) => `${(i % 7) + 1}*x^${i % 5}`).join(" + ")),
  fc.integer({ min: 1, max: scale.terms }).map((n) => Array.from({ length: n }, (_, i) => `${i % 3 === 0 ? "-" : ""}sin(x + ${i})`).join(" + ")),
  fc.integer({ min: 1, max: Math.min(scale.terms, 2_000) }).map((n) => Array.from({ length: n }, (_, i) => `(x + ${i + 1})`).join(" * ")),
  fc.tuple(fc.constantFrom(...UNARY), fc.integer({ min: 1, max: scale.depth })).map(([f, n]) => `${f}(`.repeat(n) + "x" + ")".repeat(n)),
  fc.integer({ min: 1, max: scale.depth * 2 }).map((n) => "-".repeat(n) + "x"),
  fc.integer({ min: 1, max: scale.depth }).map((n) => Array.from({ length: n + 1 }, () => "x").join("^")),
  fc.integer({ min: 1, max: scale.depth * 4 }).map((n) => "(".repeat(n) + "x" + ")".repeat(n)),
  fc.integer({ min: 1, max: scale.depth }).map((n) => "(x < 1 ? ".repeat(n) + "x" + " : 0)".repeat(n)),
  fc.integer({ min: 1, max: 30 }).map((n) => `${"9".repeat(n * 40)}*x`),
  fc.integer({ min: 0, max: 12 }).map((k) => `1e${10 ** (k % 10)}*x`),
);

/** Every kind of input, the long and deep ones at the given scale. */
export const fuzzInput = (scale: Scale): fc.Arbitrary<string> => fc.oneof(
  { arbitrary: bytes, weight: 2 },
  { arbitrary: soup, weight: 3 },
  { arbitrary: tightSoup, weight: 2 },
  { arbitrary: unicode, weight: 2 },
  { arbitrary: mutation, weight: 4 },
  { arbitrary: expression, weight: 5 },
  { arbitrary: sized(scale), weight: 2 },
);
