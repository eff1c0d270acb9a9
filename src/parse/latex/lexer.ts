import moo from "moo";
import { fail } from "../../errors.js";
import type { Span } from "../syntax.js";

/**
 * The LaTeX lexer. moo finds the tokens; a few passes over the whole token list then do what a
 * context-free grammar cannot do without ambiguity or cannot do at all:
 *  - collect `\tag{12}` and a trailing `\quad (13)` as labels, and drop spacing commands;
 *  - reject unsupported commands, environments and text up front, naming them;
 *  - give `^`, `_` and `\frac` their single-character arguments (`e^x2` is e^x·2, `\frac12`);
 *  - tell an opening `|` from a closing one, since `|a|b|c|` has two bracketings.
 */

/** A token as nearley sees it: moo's fields, with `value` normalised (`\leq` → `<=`). */
export interface LatexToken {
  type: string;
  value: string;
  text: string;
  offset: number;
  line: number;
  col: number;
  lineBreaks: number;
}

/** Function commands and the function each one names: a builtin, or one names.ts expands (sech). */
const FUNCTION_COMMANDS: Record<string, string> = {
  exp: "exp", ln: "log", log: "log", lg: "log", sin: "sin", cos: "cos", tan: "tan", arctan: "atan", arcsin: "asin", arccos: "acos",
  sinh: "sinh", cosh: "cosh", tanh: "tanh", coth: "coth", sec: "sec", csc: "csc", cot: "cot", sigma: "sigmoid", max: "max", min: "min",
  erf: "erf", sgn: "sign", sech: "sech", csch: "csch", arsinh: "asinh", arcsinh: "asinh", artanh: "atanh", arctanh: "atanh",
};

/** Greek letters that are names (σ is the sigmoid, π the constant pi: resolve.ts knows "pi"). */
const GREEK = new Set([
  "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta", "iota", "kappa",
  "lambda", "mu", "nu", "xi", "pi", "varpi", "rho", "varrho", "tau", "upsilon", "phi", "varphi", "chi", "psi",
  "omega", "varsigma", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega",
]);

const UNICODE_GREEK: Record<string, string> = {
  "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta", "η": "eta", "θ": "theta", "κ": "kappa", "λ": "lambda",
  "μ": "mu", "ν": "nu", "ξ": "xi", "π": "pi", "ρ": "rho", "τ": "tau", "φ": "phi", "ϕ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega",
  "ς": "varsigma", "Φ": "Phi", "Ψ": "Psi", "Γ": "Gamma", "Λ": "Lambda", "Ω": "Omega",
};

/** Commands that are one token of a fixed type; anything else is an unsupported command. */
const COMMAND_TYPES: Record<string, string> = {
  frac: "frac", dfrac: "frac", tfrac: "frac", cfrac: "frac", sqrt: "sqrt", partial: "partial", prime: "prime",
  cdot: "times", times: "times", ast: "times", odot: "times", bullet: "times", div: "divide",
  le: "cmp", leq: "cmp", leqslant: "cmp", leqq: "cmp", lt: "cmp", ge: "cmp", geq: "cmp", geqslant: "cmp", geqq: "cmp", gt: "cmp", ne: "cmp", neq: "cmp",
  land: "land", wedge: "land", lor: "lor", vee: "lor", lnot: "lnot", neg: "lnot",
  lbrace: "lset", rbrace: "rset", lvert: "leftbar", rvert: "rightbar", vert: "bar",
  quad: "spacing", qquad: "spacing", enspace: "spacing", thinspace: "spacing", medspace: "spacing", thickspace: "spacing",
  negthinspace: "spacing", displaystyle: "spacing", textstyle: "spacing", limits: "spacing", nolimits: "spacing",
  nonumber: "notag", notag: "notag",
  // Index notation: Σ over a vector, ellipses in a vector's elements and in an index's range, ∀ j ∈ 1 … N, S : a → S(a).
  sum: "sum", dots: "dots", ldots: "dots", cdots: "dots", vdots: "dots", ddots: "dots", dotsc: "dots", dotsb: "dots",
  forall: "forall", in: "member", to: "to", rightarrow: "to", longrightarrow: "to", mapsto: "to",
  // `1 < x < \infty`: a bound that always holds.
  infty: "infty",
};

const COMPARISONS: Record<string, string> = {
  "\\le": "<=", "\\leq": "<=", "\\leqslant": "<=", "\\leqq": "<=", "\\lt": "<", "\\ge": ">=", "\\geq": ">=",
  "\\geqslant": ">=", "\\geqq": ">=", "\\gt": ">", "\\ne": "!=", "\\neq": "!=", "≤": "<=", "≥": ">=", "≠": "!=",
};

function commandType(text: string): string {
  const name = text.slice(1);
  if (Object.hasOwn(FUNCTION_COMMANDS, name)) return "fn";
  if (GREEK.has(name)) return "greek";
  return Object.hasOwn(COMMAND_TYPES, name) ? COMMAND_TYPES[name]! : "command";
}

function commandValue(text: string): string {
  const name = text.slice(1);
  if (Object.hasOwn(FUNCTION_COMMANDS, name)) return FUNCTION_COMMANDS[name]!;
  return COMPARISONS[text] ?? name;
}

const ENVIRONMENTS: Record<string, string> = {
  cases: "cases", dcases: "cases", "dcases*": "cases", array: "array", matrix: "matrix", aligned: "aligned", align: "aligned", "align*": "aligned", split: "aligned", pmatrix: "matrix", bmatrix: "matrix",
};
const environmentName = (text: string): string => /\{([^}]*)\}/.exec(text)![1]!;
const environmentType = (edge: "begin" | "end") => (text: string): string => {
  const env = ENVIRONMENTS[environmentName(text)];
  return env === undefined ? `${edge}_unknown` : `${edge}_${env}`;
};

const OPENING = new Set(["(", "[", "\\lbrack", "\\{", "\\lbrace", "\\lvert"]);

/**
 * `\left(`, `\Bigr]`, `\right.`: the delimiter decides the type; the size is typography. A
 * bare `\big(` has no side of its own, so its delimiter gives it one.
 */
function delimiterType(text: string): string {
  const command = /^\\([A-Za-z]+)/.exec(text)![1]!;
  const delimiter = text.slice(command.length + 1).trim();
  if (/^[bB]igg?m$/.test(command)) return "command";
  const side = command === "left" || command.endsWith("l") ? "left" : command === "right" || command.endsWith("r") ? "right" : undefined;
  const open = side === undefined ? OPENING.has(delimiter) : side === "left";
  switch (delimiter) {
    case "(": case ")": return open ? "lparen" : "rparen";
    case "[": case "]": case "\\lbrack": case "\\rbrack": return open ? "lbrack" : "rbrack";
    case "\\{": case "\\}": case "\\lbrace": case "\\rbrace": return open ? "lset" : "rset";
    case "|": case "\\vert": return side === undefined ? "bar" : open ? "leftbar" : "rightbar";
    case "\\lvert": case "\\rvert": return open ? "leftbar" : "rightbar";
    case ".": return side === undefined ? "command" : open ? "leftdot" : "rightdot";
    default: return "command";
  }
}

/** The content of `\text{…}`, with LaTeX's escapes and spacing undone. */
function textContent(text: string): string {
  const inner = text.slice(text.indexOf("{") + 1, -1);
  return inner.replace(/\\_/g, "_").replace(/\\[,;:! ]|~/g, " ").replace(/\s+/g, " ").trim();
}

const TEXT_KEYWORDS: Record<string, string> = {
  if: "kw_if", for: "kw_if", when: "kw_if", otherwise: "kw_otherwise", else: "kw_otherwise", and: "land", or: "lor",
};

/** `\text{if }` and `\text{otherwise}` are keywords of a cases row; `\text{ and }` joins conditions. */
function textType(text: string): string {
  const content = textContent(text).replace(/,$/, "").trim().toLowerCase();
  return Object.hasOwn(TEXT_KEYWORDS, content) ? TEXT_KEYWORDS[content]! : "text";
}

const mooLexer = moo.compile({
  // Spaces, tabs, line breaks, and the no-break space PDFs paste; other separators and format
  // characters (U+2028, U+FEFF, vertical tab, …) are not white space to a reader but errors.
  ws: { match: /[ \t\r\n\u00a0]+/, lineBreaks: true },
  rowsep: /\\\\/,
  // `\mathbb{1}`, `\mathbf{1}`, `\mathbb{I}`: the indicator of the condition after it.
  indicator: /\\(?:mathbb|mathbf|mathds|mathbbm|bm|boldsymbol)\s*\{\s*(?:1|I)\s*\}/,
  text: {
    match: /\\(?:text|textrm|textit|textnormal|textsf|textbf|mathrm|mathit|mathsf|mathbf|mathnormal|boldsymbol|bm|operatorname\*?|mbox)\s*\{(?:[^{}\\]|\\.)*\}/,
    type: textType, value: textContent,
  },
  begin_array: { match: /\\begin\s*\{array\}\s*\{[^{}]*\}/, value: () => "array" },
  begin: { match: /\\begin\s*\{[A-Za-z*]+\}/, type: environmentType("begin"), value: environmentName },
  end: { match: /\\end\s*\{[A-Za-z*]+\}/, type: environmentType("end"), value: environmentName },
  tag: { match: /\\tag\*?\s*\{[^{}]*\}/, value: (s: string) => s.slice(s.indexOf("{") + 1, -1).trim() },
  label: /\\label\s*\{[^{}]*\}/,
  delimiter: {
    match: /\\(?:left|right|[bB]igg?[lrm]?)\s*(?:[()[\].|]|\\[{}|]|\\(?:lvert|rvert|vert|lbrace|rbrace|lbrack|rbrack)\b)/,
    type: delimiterType,
  },
  lset: { match: "\\{", value: () => "\\{" },
  rset: { match: "\\}", value: () => "\\}" },
  spacing: /\\[,;:! ]|~/,
  symbol: /\\[^A-Za-z]/, // \| \_ \% …: nothing actdiff reads
  command: { match: /\\[A-Za-z]+/, type: commandType, value: commandValue },
  number: /[0-9]+(?:\.[0-9]+)?|\.[0-9]+/,
  word: /[A-Za-z]+[0-9]*/,
  greek: { match: /[αβγδεζηθκλμνξπρτφϕχψωςΦΨΓΛΩ]/, value: (s: string) => UNICODE_GREEK[s]! },
  fn: { match: "σ", value: () => "sigmoid" },
  sum: { match: "∑", value: () => "sum" },
  dots: ["…", "⋯", "⋮", "⋱"],
  forall: "∀",
  infty: "∞",
  member: "∈",
  to: ["→", "↦"],
  colon: ":",
  prime: ["'", "′"],
  pow: "^",
  sub: "_",
  plus: "+",
  minus: ["-", "−"],
  times: ["*", "·", "×", "⋅"],
  divide: "/",
  cmp: { match: ["<=", ">=", "<", ">", "≤", "≥", "≠"], value: (s: string) => COMPARISONS[s] ?? s },
  eq: "=",
  comma: ",",
  amp: "&",
  lparen: "(",
  rparen: ")",
  lbrack: "[",
  rbrack: "]",
  lbrace: "{",
  rbrace: "}",
  bar: "|",
  period: ".",
  invalid: moo.error,
});

export const tokenSpan = (t: LatexToken): Span => ({ offset: t.offset, length: t.text.length, line: t.line, column: t.col });

const DROPPED = new Set(["ws", "spacing", "label", "notag", "tag"]);

/** Tokens after which a `|` closes an absolute value rather than opening one. */
const ENDS_OPERAND = new Set([
  "number", "word", "greek", "text", "rparen", "rbrack", "rbrace", "rset", "rbar", "rightbar", "prime",
  "end_cases", "end_array", "end_aligned", "end_matrix", "rightdot", "infty",
]);

const SUPPORTED = "fractions, powers, roots, |x|, elementary functions, \\sigma, \\max, \\min, \\text{…}, sums over vectors, cases and aligned chains";

export interface Prepared {
  readonly tokens: readonly LatexToken[];
  /** `\tag{12}` → "12"; a trailing `\quad (13)` → "13". */
  readonly labels: readonly string[];
}

/** Lexes the whole source and runs the passes; raises ActdiffError for anything unsupported. */
export function prepare(source: string): Prepared {
  mooLexer.reset(source);
  const all: LatexToken[] = [];
  for (let t = mooLexer.next(); t !== undefined; t = mooLexer.next()) all.push(t as unknown as LatexToken);

  const labels = all.filter((t) => t.type === "tag").map((t) => t.value);
  const significant = all.filter((t) => t.type !== "ws");
  labels.push(...trailingLabel(significant));
  for (const t of significant) reject(t, source);

  let tokens = significant.filter((t) => !DROPPED.has(t.type));
  // Displays often end in punctuation that belongs to the sentence around them.
  const last = tokens[tokens.length - 1];
  if (last !== undefined && (last.type === "comma" || last.type === "period")) tokens = tokens.slice(0, -1);
  tokens = collapseRowBreaks(dropRowPunctuation(tokens));
  tokens = splitArguments(tokens);
  retypeBars(tokens);
  return { tokens, labels };
}

/** `… \quad (13)` at the very end: an equation number typed by hand. Removes it from `tokens`. */
function trailingLabel(tokens: LatexToken[]): string[] {
  const n = tokens.length;
  if (n < 4) return [];
  const [space, open, value, close] = tokens.slice(n - 4);
  if (space!.type !== "spacing" || !/^\\q?quad$/.test(space!.text)) return [];
  if (open!.text !== "(" || value!.type !== "number" || !/^\d+$/.test(value!.text) || close!.text !== ")") return [];
  tokens.splice(n - 3, 3);
  return [value!.text];
}

/** Raises for a token actdiff cannot read, naming it; a checker lists the formula as skipped. */
function reject(t: LatexToken, source: string): void {
  const span = tokenSpan(t);
  if (t.type === "invalid") {
    const char = [...t.text][0] ?? "";
    fail("E_CHAR", `unexpected character '${char}'`, { span: { ...span, length: char.length }, source, hint: `actdiff reads ${SUPPORTED}` });
  }
  if (t.type === "command" || t.type === "symbol" || t.type === "leftdot") {
    fail("E_UNSUPPORTED", `unsupported LaTeX command '${t.text.replace(/\s+/g, "")}'`, { span, source, hint: `actdiff reads ${SUPPORTED}` });
  }
  if (t.type === "begin_unknown" || t.type === "end_unknown") {
    fail("E_UNSUPPORTED", `unsupported environment '${t.value}'`, { span, source, hint: "actdiff reads cases, dcases, array and matrix (as cases or a vector), pmatrix, bmatrix, aligned, align and split" });
  }
  // Names are letters, digits, spaces, `_` and dashes (`relu - softplus`); prose is not math.
  if (t.type === "text" && !/^[A-Za-z0-9_ \-–—']*$/.test(t.value)) {
    fail("E_UNSUPPORTED", `unsupported text '${t.value}'`, { span, source, hint: "text in a formula must be a function name, `if` or `otherwise`" });
  }
}

/** `x, & \text{if } x \ge 0, \\`: a sentence's comma or period at the end of a row is not math. */
function dropRowPunctuation(tokens: LatexToken[]): LatexToken[] {
  const ends = (t: LatexToken | undefined): boolean => t !== undefined && (t.type === "rowsep" || t.type.startsWith("end_"));
  return tokens.filter((t, i) => !((t.type === "comma" || t.type === "period") && ends(tokens[i + 1])));
}

/** `\\\\` (Markdown's escaped `\\`) and empty rows carry no meaning; nor does a break before `\end`. */
function collapseRowBreaks(tokens: LatexToken[]): LatexToken[] {
  return tokens.filter((t, i) => {
    if (t.type !== "rowsep") return true;
    const previous = tokens[i - 1];
    const next = tokens[i + 1];
    return !(previous?.type === "rowsep" || previous?.type.startsWith("begin_") || next?.type.startsWith("end_"));
  });
}

/** Splits a word or number token after its first character, as TeX reads a bare argument. */
function splitFirst(t: LatexToken): LatexToken[] {
  if ((t.type !== "word" && t.type !== "number") || t.text.length <= 1) return [t];
  const piece = (text: string, at: number): LatexToken => ({
    type: /^[0-9.]/.test(text) ? (text === "." ? "period" : "number") : "word",
    value: text, text, offset: t.offset + at, line: t.line, col: t.col + at, lineBreaks: 0,
  });
  return [piece(t.text.slice(0, 1), 0), piece(t.text.slice(1), 1)];
}

/** Index after the group that opens at `i` (`{…}` or `[…]`), or after the single token there. */
function skipArgument(tokens: readonly LatexToken[], i: number): number {
  const open = tokens[i]?.type;
  if (open !== "lbrace" && open !== "lbrack") return i + 1;
  const close = open === "lbrace" ? "rbrace" : "rbrack";
  let depth = 0;
  for (let j = i; j < tokens.length; j++) {
    if (tokens[j]!.type === open) depth++;
    else if (tokens[j]!.type === close && --depth === 0) return j + 1;
  }
  return tokens.length;
}

function splitArguments(input: readonly LatexToken[]): LatexToken[] {
  const tokens = [...input];
  const splitAt = (i: number): void => {
    const t = tokens[i];
    if (t !== undefined) tokens.splice(i, 1, ...splitFirst(t));
  };
  for (let i = 0; i < tokens.length; i++) {
    const type = tokens[i]!.type;
    if (type === "pow" || type === "sub") splitAt(i + 1);
    else if (type === "frac") {
      splitAt(i + 1);
      splitAt(skipArgument(tokens, i + 1));
    } else if (type === "sqrt") {
      splitAt(tokens[i + 1]?.type === "lbrack" ? skipArgument(tokens, i + 1) : i + 1);
    }
  }
  return tokens;
}

/** A bare `|` closes when one is open and an operand has just ended; otherwise it opens. */
function retypeBars(tokens: LatexToken[]): void {
  let open = 0;
  tokens.forEach((t, i) => {
    if (t.type !== "bar") return;
    const previous = tokens[i - 1];
    if (open > 0 && previous !== undefined && ENDS_OPERAND.has(previous.type)) {
      t.type = "rbar";
      open--;
    } else {
      t.type = "lbar";
      open++;
    }
  });
}

/**
 * The lexer nearley drives: it replays the prepared tokens. `reset` prepares the whole chunk
 * at once, so a read must feed the parser one complete source.
 */
export const latexLexer = {
  tokens: [] as readonly LatexToken[],
  /** The labels of the source last reset. */
  labels: [] as readonly string[],
  index: 0,
  reset(chunk: string): void {
    ({ tokens: this.tokens, labels: this.labels } = prepare(chunk));
    this.index = 0;
  },
  next(): LatexToken | undefined {
    return this.tokens[this.index++];
  },
  save(): object {
    return {};
  },
  formatError(token: LatexToken): string {
    return `unexpected '${token.text}' at line ${token.line}, column ${token.col}`;
  },
  /** Every %type in the grammar is a token type this lexer produces. */
  has(_type: string): boolean {
    return true;
  },
};
