import { scopeOf, type Definition, type ParamSpec, type Scope } from "../../ast/definition.js";
import type { Expr } from "../../ast/nodes.js";
import { sym } from "../../ast/build.js";
import { freeSymbols } from "../../ast/walk.js";
import { ActdiffError, fail } from "../../errors.js";
import { syntaxNodes, type Span, type Syntax } from "../syntax.js";
import { noNotation } from "./notation.js";
import { parseLatex } from "./parse.js";
import { bindSums } from "./notation.js";
import { equationContext, readLatexExpression } from "./read.js";
import type { LowerContext } from "./context.js";
import { lower, resolveLowered } from "./resolve.js";
import { definitionHead } from "./sides.js";
import { lookupFunction } from "../../functions/table.js";
import type { LatexDisplay, LatexNode } from "./syntax.js";

/**
 * A definition as a paper or a library's docs write it, read into the Definition the formula
 * language gives:
 *
 *     \mathrm{CoLU}(x) = \frac{x}{1 - x e^{-(x + e^{x})}}
 *     \text{ELiSH}(x; a = 1) = …          f(x) = … , \quad \alpha = 1.67
 *     \frac{x}{1 + e^{-\beta x}}           (a bare right-hand side: the input is x)
 *
 * Names the body leaves free are parameters; defaults come from the head (`; a = 1`), from a
 * trailing list (`, \quad a = 1, b = 2`, `\text{where } a = 1`), or from the activation a name
 * calls (`\mathrm{ELU}(x)` passes elu's alpha, whose default is 1).
 *
 * Everything around the math that is not math — `$…$`, `\[…\]`, the equation environment, `:=`
 * or `\approx` for `=`, the trailing list — is blanked out before the LaTeX reader sees the text,
 * never cut out: every offset stays where the user wrote it, so errors point into their text.
 */

export interface LatexDefinition {
  readonly definition: Definition;
  /** Whether the LaTeX named its function (`f(x) = …`) rather than giving a bare expression. */
  readonly named: boolean;
}

/** Reads a LaTeX definition or expression; every error is an ActdiffError positioned in `source`. */
export function readLatexDefinition(source: string, scope: Scope): LatexDefinition {
  try {
    return read(source, scope);
  } catch (err) {
    // Errors raised on the blanked copy carry its text; the offsets are the same in the original.
    if (err instanceof ActdiffError && err.source !== undefined && err.source !== source && err.source.length === source.length) {
      throw new ActdiffError(err.code, err.summary, err.span, source, err.hint);
    }
    throw err;
  }
}

/** Where a bare expression's input is looked for, in order: x, else z, u, v, y, t. */
const BARE_INPUTS = ["x", "z", "u", "v", "y", "t"];

function read(source: string, scope: Scope): LatexDefinition {
  let text = blankWrappers(source);
  const marks = scan(text, 0, text.length);
  // A separator before any `=` starts the trailing list of a bare expression: `x \sigma(\beta x), \quad \beta = 1`.
  const firstSeparator = marks.find((m) => m.kind === "separator");
  const firstEq = marks.find((m) => m.kind === "eq" && (firstSeparator === undefined || m.at < firstSeparator.at));
  const head = firstEq === undefined ? undefined : headParameters(text, firstEq.at);
  const tail = trailingList(text, marks.filter((m) => firstEq === undefined || m.at > firstEq.at));
  const declared = [...(head?.params ?? []), ...(tail?.params ?? [])];
  const params = declared.map((p) => declaredParam(p, text, source, scope));
  const helperScope = withHelpers(tail?.helpers ?? [], text, scope);
  for (const part of [head?.span, tail?.span]) if (part !== undefined) text = blank(text, part.start, part.end);
  const seen = new Set<string>();
  for (const p of params) {
    if (seen.has(p.spec.name)) fail("E_DEFINITION", `'${p.spec.name}' is declared twice`, { span: p.span, source, hint: "declare each parameter once, in the head or after the body" });
    seen.add(p.spec.name);
  }

  const { display } = parseLatex(text);
  const sides = sidesOf(display, source).map((n) => bindSums(n, text));
  const base: LowerContext = { source: text, scope: helperScope, variable: "x", variables: new Set(seen) };
  const probe = equationContext(sides, base, noNotation);
  const named = sides.length > 1 ? definitionHead(sides[0]!, probe) : undefined;
  // A left side that is no plain head (`y`, `h\text{-}\sigma(x)`, `\mathrm{ReLU}^2(x)`) names what
  // the right side defines; its inputs are those of its last parentheses, if any.
  const inputs = named?.inputs ?? (sides.length > 1 ? trailingInputs(sides[0]!) : []);
  for (const p of params) {
    if (inputs.includes(p.spec.name)) fail("E_DEFINITION", `'${p.spec.name}' is an input and a parameter`, { span: p.span, source, hint: "give a parameter a name of its own" });
  }
  const ctx: LowerContext = { ...probe, variable: inputs[0] ?? "x", variables: new Set([...seen, ...inputs]) };
  const { body, syntax } = firstReadable(sides.length > 1 ? sides.slice(1) : sides, ctx);
  const free = [...freeSymbols(body)];
  const finalInputs = inputs.length > 0 ? inputs : [bareInput(free, seen)];
  const inherited = inheritedDefaults(syntax, named?.known === true ? named.name : undefined, scope);
  const undeclared = free.filter((n) => !finalInputs.includes(n) && !seen.has(n)).sort()
    .map((name): ParamSpec => (inherited.has(name) ? { name, defaultValue: inherited.get(name)! } : { name }));
  const name = named?.name ?? "f";
  return { definition: { name, inputs: finalInputs, params: [...params.map((p) => p.spec), ...undeclared], body, source }, named: named !== undefined };
}

/** The input of a bare expression: x; else its one free name (`z_k \sigma(z_k)`); else z, u, v, y or t. */
function bareInput(free: readonly string[], declared: ReadonlySet<string>): string {
  const candidates = free.filter((n) => !declared.has(n));
  if (candidates.includes("x")) return "x";
  if (candidates.length === 1) return candidates[0]!;
  return BARE_INPUTS.find((v) => candidates.includes(v)) ?? "x";
}

/**
 * The first right-hand side that is a value: in `x P(X \le x) = x \Phi(x)` the first is a product
 * with a condition, a probability written out, and the second is read. Any other error is reported:
 * a misspelt name is not passed over for a later side.
 */
function firstReadable(sides: readonly LatexNode[], ctx: LowerContext): { body: Expr; syntax: Syntax } {
  let first: unknown;
  for (const side of sides) {
    try {
      const syntax = lower(side, ctx);
      return { body: resolveLowered(syntax, ctx), syntax };
    } catch (err) {
      if (!(err instanceof ActdiffError) || err.code !== "E_TYPE") throw first ?? err;
      first ??= err;
    }
  }
  throw first;
}

/** The sides of the one equality chain: a display's chain, or an aligned block that continues one head (`f(x) &= … \\ &= …`). */
function sidesOf(display: LatexDisplay, source: string): LatexNode[] {
  if (display.type === "chain") return [...display.sides];
  const [first, ...rest] = display.type === "aligned" ? display.rows : [];
  if (first?.lhs !== undefined && rest.every((r) => r.lhs === undefined)) return [first.lhs, ...first.rhs, ...rest.flatMap((r) => r.rhs)];
  return fail("E_SYNTAX", display.type === "map" ? "a map's declaration, not a definition" : "several equations, not one definition", {
    span: display.span, source, hint: "give one definition, f(x) = …, or an expression in x",
  });
}

/**
 * The scope with the functions a trailing list defines (`, \quad \varsigma(x) = \ln(1 + e^{x})`),
 * each read as a definition of its own; one that is already known, or does not read, is left out.
 */
function withHelpers(helpers: readonly Range[], text: string, scope: Scope): Scope {
  let result = scope;
  for (const range of helpers) {
    try {
      const { definition, named } = readLatexDefinition(excerpt(text, range), result);
      if (named && result.lookup(definition.name) === undefined && lookupFunction(definition.name) === undefined) result = scopeOf([definition], result);
    } catch (err) {
      if (!(err instanceof ActdiffError)) throw err;
    }
  }
  return result;
}

/** `(x)` or `(x, y)` at the end of a left side: its variables. */
function trailingInputs(side: LatexNode): string[] {
  const last = side.type === "juxt" ? side.items[side.items.length - 1]! : side;
  if (last.type !== "group" || last.delimiter !== "(") return [];
  const names = last.items.map((n) => (n.type === "word" && n.text.length === 1 && n.text !== "e" ? n.text : n.type === "greek" && n.name !== "pi" ? n.name : undefined));
  return names.every((n) => n !== undefined) && new Set(names).size === names.length ? (names as string[]) : [];
}

/**
 * Defaults of parameters the body takes from what it calls: `\mathrm{ELU}(x)` reads elu with its
 * parameter alpha as a name of this definition, which keeps elu's default. A head that names a
 * catalog activation (`\mathrm{Swish}(x) = x \sigma(\beta x)`) gives its defaults the same way.
 */
function inheritedDefaults(syntax: Syntax, headName: string | undefined, scope: Scope): Map<string, Expr> {
  const defaults = new Map<string, Expr>();
  const take = (name: string): void => {
    for (const p of scope.lookup(name)?.params ?? []) if (p.defaultValue !== undefined && !defaults.has(p.name)) defaults.set(p.name, p.defaultValue);
  };
  if (headName !== undefined) take(headName);
  for (const s of syntaxNodes(syntax)) if (s.type === "call") take(s.name);
  return defaults;
}

// ---------------------------------------------------------------------------------------------
// Parameters declared in the head or after the body

/** `a = 1` or `a`: where its name and value are written. */
interface Declared { readonly name: Range; readonly value?: Range }
interface Range { readonly start: number; readonly end: number }

function declaredParam(d: Declared, text: string, source: string, scope: Scope): { spec: ParamSpec; span: Span } {
  const span = spanOf(source, d.name.start, d.name.end);
  // `\text{threshold}`, `\mathrm{negative\_slope}`, `\operatorname{thr}`: a multi-letter name set
  // upright is the parameter's name, even where a function has it (torch's threshold(x; threshold, value)).
  const upright = UPRIGHT_NAME.exec(excerpt(text, d.name));
  const nameExpr = upright !== null ? sym(upright[1]!.replace(/\\_/g, "_").trim()) : readLatexExpression(excerpt(text, d.name), scope);
  if (nameExpr.kind !== "sym") {
    fail("E_DEFINITION", `'${source.slice(d.name.start, d.name.end).trim()}' is not a parameter's name`, { span, source, hint: "declare parameters as \\alpha = 1, a = 2" });
  }
  const name = (nameExpr as Extract<Expr, { kind: "sym" }>).name;
  if (name === "e" || name === "pi") {
    fail("E_DEFINITION", `'${name}' is a builtin name and cannot be a parameter`, { span, source, hint: "choose another name" });
  }
  if (d.value === undefined) return { spec: { name }, span };
  const value = readLatexExpression(excerpt(text, d.value), scope);
  if (freeSymbols(value).size > 0) {
    fail("E_PARAM", `the default of '${name}' must be a constant`, { span: spanOf(source, d.value.start, d.value.end), source, hint: `for example ${name} = 1` });
  }
  return { spec: { name, defaultValue: value }, span };
}

const UPRIGHT_NAME = /^\s*\\(?:text|textrm|textit|mathrm|mathit|mathsf|operatorname)\s*\{\s*([A-Za-z](?:[A-Za-z0-9]|\\_|_)*)\s*\}\s*$/;

/** `\mathrm{ELiSH}(x; a = 1, b)`: the declarations after `;` in the head, and the text they take. */
function headParameters(text: string, eq: number): { params: Declared[]; span: Range } | undefined {
  const marks = scan(text, 0, eq, 1);
  const semicolon = marks.find((m) => m.kind === "semicolon");
  if (semicolon === undefined) return undefined;
  const close = marks.find((m) => m.kind === "close" && m.at > semicolon.at);
  if (close === undefined) return undefined;
  const cuts = [semicolon, ...marks.filter((m) => m.kind === "comma" && m.at > semicolon.at && m.at < close.at)];
  const params = cuts
    .map((c, i) => ({ start: c.end, end: cuts[i + 1]?.at ?? close.at }))
    .filter((item) => text.slice(item.start, item.end).trim() !== "")
    .map((item) => declaration(text, item));
  return { params, span: { start: semicolon.at, end: close.at } };
}

/** `a = 1` in the range, or `a` alone. */
function declaration(text: string, item: Range): Declared {
  const eq = scan(text, item.start, item.end).find((m) => m.kind === "eq");
  return eq === undefined ? { name: item } : { name: { start: item.start, end: eq.at }, value: { start: eq.end, end: item.end } };
}

const COMPARISON = /<|>|\\(?:le|ge|leq|geq|leqslant|geqslant|lt|gt|ne|neq|in|notin)(?![A-Za-z])|≤|≥|∈/;

/**
 * `, \quad a = 1, b = 2`, `\text{where } \alpha = 1.67`, `, \beta > 0`, `\quad (13)`: declarations
 * with defaults, conditions on parameters (left to the user) and an equation number. Undefined
 * when the text after the body is anything else, which the grammar then reports.
 */
function trailingList(text: string, marks: readonly Mark[]): { params: Declared[]; helpers: Range[]; span: Range } | undefined {
  const seps = marks.filter((m) => m.kind === "separator");
  if (seps.length === 0) return undefined;
  const params: Declared[] = [];
  const helpers: Range[] = [];
  for (const [i, sep] of seps.entries()) {
    const item = { start: sep.end, end: seps[i + 1]?.at ?? text.length };
    const written = text.slice(item.start, item.end).trim();
    if (written === "" || written === "." || /^\(\d+\)\.?$/.test(written) || isProse(written)) continue;
    // `\quad (\alpha = 1)`: the declaration inside its parentheses.
    const bracketed = /^\(([^()]*)\)\.?$/.exec(written);
    if (bracketed !== null) {
      const open = text.indexOf("(", item.start);
      const inner = { start: open + 1, end: text.indexOf(")", open) };
      if (scan(text, inner.start, inner.end).filter((m) => m.kind === "eq").length === 1) params.push(declaration(text, inner));
      else if (!COMPARISON.test(bracketed[1]!)) return undefined;
      continue;
    }
    const eqs = scan(text, item.start, item.end).filter((m) => m.kind === "eq");
    // `\varsigma(x) = \ln(1 + e^{x})`: what a function the body calls means, stated beside it.
    if (eqs.length === 1 && /\(/.test(text.slice(item.start, eqs[0]!.at))) {
      helpers.push(item);
      continue;
    }
    if (eqs.length === 1 && !COMPARISON.test(written)) params.push(declaration(text, item));
    else if (eqs.length !== 0 || !COMPARISON.test(written)) {
      // `\text{where } \sigma(x) \text{ is the logistic sigmoid.}`: math inside a sentence.
      const next = seps[i + 1];
      if (next === undefined || !isProse(text.slice(next.at, seps[i + 2]?.at ?? text.length))) return undefined;
    }
  }
  return { params, helpers, span: { start: seps[0]!.at, end: text.length } };
}

/** Text of several words or with parentheses or a period: `(logistic)`, `for all`, `is the logistic sigmoid.`. */
const isProseText = (content: string): boolean => /[A-Za-z]+\s+[A-Za-z]+/.test(content.trim()) || /[().]/.test(content);

/** `\text{(SiLU)}`, `\text{where } \sigma(x) \text{ is the logistic sigmoid.}`: words about the formula. */
function isProse(item: string): boolean {
  const texts = [...item.matchAll(/\\(?:text|textrm|textit|mbox|mathrm)\s*\{([^{}]*)\}/g)].map((m) => m[1]!.trim());
  if (texts.some(isProseText)) return true;
  return texts.length > 0 && item.replace(/\\(?:text|textrm|textit|mbox|mathrm)\s*\{[^{}]*\}/g, "").replace(/[\s.,;:()]/g, "") === "";
}

// ---------------------------------------------------------------------------------------------
// Scanning the text at the top level

interface Mark {
  readonly kind: "eq" | "separator" | "semicolon" | "comma" | "close";
  readonly at: number;
  readonly end: number;
}

const OPENERS = /^(?:\\left\s*(?:\\[A-Za-z]+|\\.|.)|\\[bB]igg?l\s*(?:\\[A-Za-z]+|\\.|.)|\\begin\s*\{[^{}]*\}|\\\{|[{([])/;
const CLOSERS = /^(?:\\right\s*(?:\\[A-Za-z]+|\\.|.)|\\[bB]igg?r\s*(?:\\[A-Za-z]+|\\.|.)|\\end\s*\{[^{}]*\}|\\\}|[})\]])/;
const SEPARATOR_WORDS = /^\\(?:text|textrm|mathrm|mbox|textnormal)\s*\{\s*(?:,\s*)?(?:where|with|for|and|s\.t\.|given)\s*:?\s*\}/;
const PROSE_TEXT = /^\\(?:text|textrm|textit|mbox)\s*\{([^{}]*)\}/;
const SPACES = /^\\(?:q?quad|[,;:! ])|^~/;

/**
 * The marks at `depth` (0: outside every bracket) between start and end: `=` (not part of `<=`),
 * separators (`,`, `;`, `\quad`, `\text{where}`) and, at depth 1, the head's `;`, its commas
 * and the bracket that closes it.
 */
function scan(text: string, start: number, end: number, depth = 0): Mark[] {
  const marks: Mark[] = [];
  let level = 0;
  for (let i = start; i < end;) {
    const rest = text.slice(i, end);
    const at = (kind: Mark["kind"], length: number): void => void marks.push({ kind, at: i, end: i + length });
    let m: RegExpExecArray | null;
    if (rest.startsWith("\\\\")) { i += 2; continue; }
    if ((m = CLOSERS.exec(rest)) !== null) {
      if (level === depth && depth > 0) at("close", m[0].length);
      level--;
      i += m[0].length;
      continue;
    }
    if ((m = OPENERS.exec(rest)) !== null) { level++; i += m[0].length; continue; }
    if ((m = SEPARATOR_WORDS.exec(rest)) !== null) { if (level === depth) at("separator", m[0].length); i += m[0].length; continue; }
    // After the body, `\in (0, 1)` states the range and `\text{ (logistic)}` speaks about the formula:
    // each starts an item of the trailing list (and stays in it, a condition or prose).
    if ((m = /^\\in(?![A-Za-z])/.exec(rest)) !== null || ((m = PROSE_TEXT.exec(rest)) !== null && isProseText(m[1]!))) {
      if (level === depth && depth === 0) at("separator", 0);
      i += m[0].length;
      continue;
    }
    if ((m = SPACES.exec(rest)) !== null) {
      if (level === depth && /^\\q?quad/.test(m[0])) at("separator", m[0].length);
      i += m[0].length;
      continue;
    }
    if ((m = /^\\(?:[A-Za-z]+|.)/.exec(rest)) !== null) { i += m[0].length; continue; }
    const c = rest[0]!;
    if (level === depth) {
      const before = text[i - 1] ?? "";
      if (c === "=" && !/[<>!:=]/.test(before) && text[i + 1] !== "=") at("eq", 1);
      else if (c === ";") at(depth === 0 ? "separator" : "semicolon", 1);
      else if (c === ",") at(depth === 0 ? "separator" : "comma", 1);
    }
    i++;
  }
  return marks;
}

// ---------------------------------------------------------------------------------------------
// Blanking: same length, same lines

/** The text with [start, end) replaced by spaces (line breaks kept), and `replacement` at its start. */
function blank(text: string, start: number, end: number, replacement = ""): string {
  const gap = text.slice(start, end).replace(/[^\n]/g, " ");
  return text.slice(0, start) + replacement + gap.slice(replacement.length) + text.slice(end);
}

/** Only the range, everything else blank: a part read on its own at its own offsets. */
const excerpt = (text: string, r: Range): string => blank(blank(text, r.end, text.length), 0, r.start);

/** Markers of display math and of `=` that papers write around a definition. */
const WRAPPERS = /\$\$?|\\\[|\\\]|\\begin\s*\{(?:equation|displaymath|math|gather|multline)\*?\}|\\end\s*\{(?:equation|displaymath|math|gather|multline)\*?\}/g;
const EQUALS = /:=|=:|\\coloneqq|\\eqqcolon|\\approx|\\simeq|\\equiv|\\triangleq|\\doteq|\\(?:stackrel|overset)\s*\{(?:[^{}]|\{[^{}]*\})*\}\s*\{=\}|\\mathrel\s*\{:\}\s*=|\\colon\s*=/g;

function blankWrappers(source: string): string {
  let text = source;
  for (const m of source.matchAll(WRAPPERS)) text = blank(text, m.index, m.index + m[0].length);
  for (const m of source.matchAll(EQUALS)) text = blank(text, m.index, m.index + m[0].length, "=");
  // `\(` … `\)` around the whole formula (not `\left(`).
  const inline = /^\s*\\\(([\s\S]*)\\\)\s*$/.exec(text);
  if (inline !== null) {
    const open = text.indexOf("\\(");
    text = blank(blank(text, text.lastIndexOf("\\)"), text.lastIndexOf("\\)") + 2), open, open + 2);
  }
  return text;
}

function spanOf(source: string, start: number, end: number): Span {
  const lead = source.slice(start, end).length - source.slice(start, end).trimStart().length;
  const from = start + lead;
  const before = source.slice(0, from);
  const line = before.split("\n").length;
  const column = from - (before.lastIndexOf("\n") + 1) + 1;
  return { offset: from, length: Math.max(1, source.slice(from, end).trimEnd().length), line, column };
}
