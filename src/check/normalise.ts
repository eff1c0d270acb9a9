import type { Scope } from "../ast/definition.js";
import { knownFunction } from "../parse/latex/function-refs.js";
import type { MathSegment } from "./scan.js";

/**
 * What documents write that is not yet LaTeX the reader takes, rewritten by small edits that
 * keep the way back to the document's offsets (so lines and quoted text stay the writer's):
 *  - Markdown escaping: `\\\\` for a row break `\\` (Markdown eats one level of backslashes);
 *  - prose inside math: `\ (a \text{ 为参数}, a \ge 0)` is a remark in words, dropped;
 *  - layer indices: `z^{[j]}` is z with index j (z_{j}); `g^{[j]'}(…)` is the function g, primed;
 *  - operator notation: in `\frac{d \tanh}{dx} = 1 - \tanh^2`, a bare `\tanh` means \tanh(x);
 *  - a name in the prose: `softplus $$(x) = \ln(1 + e^x)$$` and `Leaky ReLU(x) = $$…$$`;
 *  - LaTeX align-like environments: their rows are an aligned block;
 *  - an abbreviated sum: after `\sum_{k=1}^{N} e^{a_k}`, a `\sum` with nothing to sum stands for
 *    that sum, and `\sum_{i}^{2}` for its square (seed 002's softmax derivation);
 *  - a bare `\partial` before an expression: the partial derivative the document introduced
 *    before (`\frac{\partial S_i}{\partial a_j}`), as `\frac{\partial}{\partial a_{j}}`;
 *  - the signs of a definition: `:=`, `\coloneqq`, `\triangleq`, `\stackrel{\text{def}}{=}` are
 *    `=` that define (their places are kept in `definitionMarks`), `\equiv` is `=`;
 *  - Newton's dots on a function applied to its input: `\dot{k}(x)` is k'(x), `\ddot{k}(x)` k''(x).
 * Each rewrite is listed in `notes` when it changes how the formula reads; a rewrite of one place
 * is listed in `placedNotes`, for the steps that contain it.
 */
export interface Normalised {
  readonly source: string;
  /** The document offset of an offset in `source` (inserted text maps to where it was inserted). */
  readonly toDocument: (offset: number) => number;
  /** The same for an end offset (exclusive): inserted or replaced text maps to the end of what it replaced. */
  readonly toDocumentEnd: (offset: number) => number;
  /** The prose put in front of the formula (`softplus`, `Leaky ReLU(x) =`), for quoting the claim. */
  readonly prefix?: string;
  readonly notes: readonly string[];
  /** Notes on one place of the formula (its document offset): only a step that contains it reads it so. */
  readonly placedNotes: readonly PlacedNote[];
  /**
   * Where the document marks an equation as a definition (`:=`, `\coloneqq`, `\triangleq`,
   * `\stackrel{\text{def}}{=}`): offsets in `source` of the `=` each became. Its head is defined
   * there, even a name actdiff knows.
   */
  readonly definitionMarks: readonly number[];
}

export interface PlacedNote { readonly offset: number; readonly note: string }

/** The partial derivative a document introduced, as LaTeX (`a_{j}`), and where. */
export interface DocumentDerivative { readonly variable: string; readonly line: number }

interface Edit { readonly start: number; readonly end: number; readonly text: string }

export interface NormaliseOptions {
  readonly markdown: boolean;
  readonly scope: Scope;
  /** The partial derivative the document introduced before this formula, for a bare `\partial`. */
  readonly derivative?: DocumentDerivative;
}

export function normalise(segment: MathSegment, options: NormaliseOptions): Normalised {
  const src = segment.content;
  const edits: Edit[] = [];
  const notes: string[] = [];
  if (options.markdown) {
    for (const m of src.matchAll(/\\\\\\\\/g)) edits.push({ start: m.index, end: m.index + 4, text: "\\\\" });
  }
  for (const m of src.matchAll(/(?:\\\s)?\s*\((?=[^()]*[\u3400-\u9fff])[^()]*\)/g)) {
    edits.push({ start: m.index, end: m.index + m[0].length, text: "" });
    notes.push(`the remark '${m[0].trim()}' is prose, not read`);
  }
  for (const m of src.matchAll(/\^\{\[([A-Za-z0-9]+)\]('*)\}/g)) {
    const after = src.slice(m.index + m[0].length);
    const isFunction = m[2] !== "" || /^\s*(?:\(|\\left\s*\()/.test(after);
    edits.push({ start: m.index, end: m.index + m[0].length, text: isFunction ? m[2]! : `_{${m[1]}}` });
    if (!notes.some((n) => n.startsWith("layer indices"))) notes.push("layer indices such as ^{[j]} are read as subscripts");
  }
  operatorNotation(src, edits, notes);
  const marks = definitionSigns(src, edits, notes);
  newtonDots(src, edits, notes);
  namedMap(src, edits, notes);
  const placed: PlacedNote[] = [];
  const place = (at: number, note: string): void => void placed.push({ offset: segment.offset + at, note });
  abbreviatedSums(src, edits, place);
  if (options.derivative !== undefined) barePartials(src, options.derivative, edits, place);
  const split = separateEquations(src);
  const prefix = proseName(segment, src, options.scope);
  if (prefix !== undefined) edits.push({ start: 0, end: 0, text: prefix.insert });
  if (split.length > 0 && segment.environment === undefined) {
    for (const sep of split) edits.push({ start: sep.start, end: sep.end, text: " \\\\ " });
    edits.push({ start: 0, end: 0, text: "\\begin{aligned}" }, { start: src.length, end: src.length, text: "\\end{aligned}" });
    notes.push("several equations in one display, separated by spacing, are read one by one");
  }
  if (segment.environment !== undefined && segment.environment !== "gather" && segment.environment !== "multline") {
    for (const m of src.matchAll(/\\label\s*\{[^}]*\}/g)) edits.push({ start: m.index, end: m.index + m[0].length, text: "" });
    edits.push({ start: 0, end: 0, text: "\\begin{aligned}" }, { start: src.length, end: src.length, text: "\\end{aligned}" });
  } else {
    for (const m of src.matchAll(/\\label\s*\{[^}]*\}/g)) edits.push({ start: m.index, end: m.index + m[0].length, text: "" });
  }
  if (prefix !== undefined) notes.push(`the name '${prefix.name}' is taken from the text before the formula`);
  const applied = apply(src, edits, segment.offset);
  const definitionMarks = marks.map((at) => applied.toSource(at));
  return {
    source: applied.source, toDocument: applied.toDocument, toDocumentEnd: applied.toDocumentEnd, notes, placedNotes: placed, definitionMarks,
    ...(prefix !== undefined ? { prefix: prefix.shown } : {}),
  };
}

/** `:=` and its spellings: the `=` of a definition; `\equiv`: `=`. Returns where each defining sign starts in `src`. */
function definitionSigns(src: string, edits: Edit[], notes: string[]): number[] {
  const defining = /:=|\\coloneqq(?![A-Za-z])|\\triangleq(?![A-Za-z])|\\(?:stackrel|overset)\s*\{(?:[^{}]|\{[^{}]*\})*\}\s*\{\s*=\s*\}|\\mathrel\s*\{\s*:\s*\}\s*=|\\colon\s*=/g;
  const marks: number[] = [];
  for (const m of src.matchAll(defining)) {
    edits.push({ start: m.index, end: m.index + m[0].length, text: "=" });
    marks.push(m.index);
  }
  if (marks.length > 0) notes.push(`'${src.slice(marks[0]!).match(defining)![0]}' is read as the '=' of a definition`);
  let equiv = false;
  for (const m of src.matchAll(/\\equiv(?![A-Za-z])/g)) {
    edits.push({ start: m.index, end: m.index + m[0].length, text: "=" });
    equiv = true;
  }
  if (equiv) notes.push("\\equiv is read as =");
  return marks;
}

/** `f \colon x \mapsto x^{2}`, `f: x \mapsto …`: the definition f(x) = …, as "Let f be defined by" goes on. */
function namedMap(src: string, edits: Edit[], notes: string[]): void {
  const name = String.raw`(?:[A-Za-z]|\\[A-Za-z]+|\\(?:mathrm|operatorname|text)\s*\{[A-Za-z]+\})`;
  const m = new RegExp(String.raw`^(\s*${name})\s*(?::|\\colon(?![A-Za-z]))\s*([a-z]|\\[a-z]+)\s*\\mapsto(?![A-Za-z])`).exec(src);
  if (m === null) return;
  const [whole, head, variable] = m as unknown as [string, string, string];
  edits.push({ start: head.length, end: whole.length, text: `(${variable}) =` });
  notes.push(`${whole.trim()} is read as the definition ${head.trim()}(${variable}) = …`);
}

/** `\dot{k}(x)`, `\ddot k(x)`: Newton's notation for the derivative of k in its input, read as k'(x) and k''(x). */
function newtonDots(src: string, edits: Edit[], notes: string[]): void {
  const dotted = /\\(d?dot)\s*(?:\{\s*([A-Za-z]|\\[A-Za-z]+)\s*\}|([A-Za-z]))(?=\s*(?:\(|\\left\s*\())/g;
  for (const m of src.matchAll(dotted)) {
    const name = m[2] ?? m[3]!;
    const primes = m[1] === "ddot" ? "''" : "'";
    edits.push({ start: m.index, end: m.index + m[0].length, text: `${name}${primes}` });
    notes.push(`${m[0].replace(/\s+/g, "")} is read as ${name}${primes}, the derivative in its input`);
  }
}

/** Applies non-overlapping edits; offsets inside inserted text map to where the insertion is. */
function apply(src: string, edits: readonly Edit[], base: number): Pick<Normalised, "source" | "toDocument" | "toDocumentEnd"> & { toSource: (at: number) => number } {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const pieces: { from: number; to: number; original: number; originalEnd: number; inserted: boolean }[] = [];
  let out = "";
  let at = 0;
  for (const e of sorted) {
    if (e.start < at) continue; // overlapping: keep the first
    out += src.slice(at, e.start);
    pieces.push({ from: out.length - (e.start - at), to: out.length, original: at, originalEnd: e.start, inserted: false });
    pieces.push({ from: out.length, to: out.length + e.text.length, original: e.start, originalEnd: e.end, inserted: true });
    out += e.text;
    at = e.end;
  }
  pieces.push({ from: out.length, to: out.length + src.length - at, original: at, originalEnd: src.length, inserted: false });
  out += src.slice(at);
  const toDocument = (offset: number): number => {
    const p = pieces.find((q) => offset >= q.from && offset < q.to) ?? pieces.at(-1)!;
    return base + (p.inserted ? p.original : p.original + Math.min(offset - p.from, p.to - p.from));
  };
  const toDocumentEnd = (offset: number): number => {
    const p = pieces.find((q) => offset > q.from && offset <= q.to) ?? pieces[0]!;
    return base + (p.inserted ? p.originalEnd : p.original + Math.max(0, Math.min(offset - p.from, p.to - p.from)));
  };
  /** Where an offset of `src` is in the result (the start of an edit: where its text begins). */
  const toSource = (at: number): number => {
    const p = pieces.find((q) => at >= q.original && (at < q.originalEnd || (q.inserted && at === q.original)));
    return p === undefined ? out.length : p.inserted ? p.from : p.from + (at - p.original);
  };
  return { source: out, toDocument, toDocumentEnd, toSource };
}

/**
 * `A = B, \qquad C = D`, `A = B, C = D`: separators (a comma and/or \quad, \qquad at the top level) between
 * parts that are each an equation. None when the display is one equation (`… \quad (13)` is a label).
 */
function separateEquations(src: string): { start: number; end: number }[] {
  if (/\\begin\s*\{\s*(?:aligned|align|split)/.test(src)) return [];
  const separators: { start: number; end: number }[] = [];
  let depth = 0;
  for (let i = 0; i < src.length; i++) {
    const rest = src.slice(i);
    if (/^\\(?:begin|left)(?![A-Za-z])/.test(rest)) depth++;
    else if (/^\\(?:end|right)(?![A-Za-z])/.test(rest)) depth--;
    else if (src[i] === "\\") { i++; continue; }
    else if ("{([".includes(src[i]!)) depth++;
    else if ("})]".includes(src[i]!)) depth--;
    if (depth !== 0) continue;
    const m = /^(?:,\s*)?\\q?quad(?![A-Za-z])\s*|^,\s*(?=\S)/.exec(rest);
    if (m) {
      separators.push({ start: i, end: i + m[0].length });
      i += m[0].length - 1;
    }
  }
  if (separators.length === 0) return [];
  const bounds = [0, ...separators.flatMap((s) => [s.start, s.end]), src.length];
  for (let k = 0; k < bounds.length; k += 2) {
    if (!/(?:^|[^<>!=])=(?!=)|\\(?:coloneqq|triangleq|equiv)(?![A-Za-z])/.test(topLevel(src.slice(bounds[k]!, bounds[k + 1]!)))) return [];
  }
  return separators;
}

/** The text outside braces, brackets and environments. */
function topLevel(s: string): string {
  return stripBraces(s.replace(/\\begin\{[^}]*\}[\s\S]*?\\end\{[^}]*\}/g, ""));
}

const FUNCTION_COMMANDS = "tanh|sigma|exp|ln|log|sin|cos|tan|sinh|cosh|arctan";

/** `\frac{d \tanh}{dx} = 1 - \tanh^2`: each bare `\tanh` after the fraction gets the argument (x). */
function operatorNotation(src: string, edits: Edit[], notes: string[]): void {
  const d = String.raw`(?:\\mathrm\{d\}|\\text\{d\}|d)`;
  const frac = new RegExp(String.raw`\\frac\s*\{\s*${d}\s*(?:\\[,;! ]\s*)*\\(${FUNCTION_COMMANDS})\s*\}\s*\{\s*${d}\s*([a-z])\s*\}`).exec(src);
  if (!frac) return;
  const [, fn, variable] = frac;
  const bare = new RegExp(String.raw`\\${fn}(?![A-Za-z])(\s*\^\s*(?:\{[^{}]*\}|[0-9A-Za-z]))?`, "g");
  bare.lastIndex = frac.index + frac[0].length;
  let changed = false;
  for (let m = bare.exec(src); m !== null; m = bare.exec(src)) {
    const end = m.index + m[0].length;
    const next = src.slice(end);
    if (/^\s*(?:[({[A-Za-z0-9]|\\left|\\(?:alpha|beta|gamma|lambda|theta|mu|frac|sqrt)(?![A-Za-z]))/.test(next)) continue;
    edits.push({ start: end, end, text: `(${variable})` });
    changed = true;
  }
  if (changed) notes.push(`operator notation: a bare \\${fn} is read as \\${fn}(${variable})`);
}

/**
 * A name written in the prose right before the formula: `softplus` before `(x) = …`, or
 * `Leaky ReLU(x) =` before a formula that is only the right-hand side.
 */
function proseName(segment: MathSegment, src: string, scope: Scope): { insert: string; name: string; shown: string } | undefined {
  // Only prose in the same paragraph: a blank line between breaks the link.
  if (/\n[ \t]*\n[ \t]*$/.test(segment.proseBefore)) return undefined;
  const lastLine = segment.proseBefore.split("\n").filter((l) => l.trim() !== "").at(-1) ?? "";
  const NAME = String.raw`([A-Za-z][A-Za-z0-9]*(?:\s*[-–—]\s*[A-Za-z][A-Za-z0-9]*|\s+[A-Za-z][A-Za-z0-9]*)?)`;
  const trimmed = src.trimStart();
  const headed = new RegExp(`${NAME}\\s*\\(\\s*([A-Za-z])\\s*\\)\\s*=\\s*$`).exec(lastLine);
  if (headed && !/^[^=]*=/.test(stripBraces(trimmed))) {
    const name = pickName(headed[1]!, scope);
    return { insert: `\\text{${name}}(${headed[2]}) = `, name, shown: `${headed[1]}(${headed[2]}) =` };
  }
  const bare = new RegExp(`${NAME}\\s*$`).exec(lastLine);
  if (bare && /^\(\s*[A-Za-z]\s*\)\s*=/.test(trimmed)) {
    const name = pickName(bare[1]!, scope);
    return { insert: `\\text{${name}}`, name, shown: bare[1]! };
  }
  return undefined;
}

/** `Leaky ReLU` if that is a function, else its last word if that is (`其 softplus`), else as written. */
function pickName(written: string, scope: Scope): string {
  const clean = written.replace(/\s*[-–—]\s*/g, "-").trim();
  if (knownFunction(clean, scope) !== undefined) return clean;
  const last = clean.split(/\s+/).at(-1)!;
  return knownFunction(last, scope) !== undefined ? last : clean;
}

// ---------------------------------------------------------------------------------------------
// Index notation written in shorthand

/** `\sum_{k=1}^{N}`, `\sum_{k}`: a sum with its limits (either order), which may have a body after it. */
const SUM_WITH_LIMITS = /\\sum\s*(?:_\s*(?:\{[^{}]*\}|[A-Za-z])(?:\s*\^\s*(?:\{[^{}]*\}|[A-Za-z0-9]))?|\^\s*(?:\{[^{}]*\}|[A-Za-z0-9])\s*_\s*(?:\{[^{}]*\}|[A-Za-z]))/g;

/** What may follow a sum that sums nothing: the end of its group, a sign, a relation, the end of a row. */
const NOTHING_AFTER = /^\s*(?:[-+}=&)]|\\right|\\end|\\\\|$)/;

/**
 * The body of the sum whose limits end at `from`: up to the end of the group it stands in, or a
 * `+`, `-`, `=`, `&` or row break at its own level (the reader's reach: the rest of its product).
 */
function sumBodyEnd(src: string, from: number): number {
  let depth = 0;
  for (let i = from; i < src.length; i++) {
    const c = src[i]!;
    if (c === "\\") {
      if (depth === 0 && /^\\(?:\\|right|end|q?quad)(?![A-Za-z])/.test(src.slice(i))) return i;
      i++;
      continue;
    }
    if (c === "{") depth++;
    else if (c === "}") {
      if (depth === 0) return i;
      depth--;
    } else if (depth === 0 && "+-=&".includes(c) && src.slice(from, i).trim() !== "") return i;
  }
  return src.length;
}

/**
 * Seed 002 writes the softmax sum once in full and then `\sum` alone for it, and Σ² as
 * `\sum_{i}^{2}`: as written these sum nothing. After a full sum in the same formula, each is
 * read as that sum (squared), and the steps that contain one say so.
 */
function abbreviatedSums(src: string, edits: Edit[], place: (at: number, note: string) => void): void {
  // The first sum written out: its limits and a body.
  const full = [...src.matchAll(SUM_WITH_LIMITS)]
    .map((m) => ({ limits: m[0], bodyStart: m.index + m[0].length }))
    .map((m) => ({ ...m, body: src.slice(m.bodyStart, sumBodyEnd(src, m.bodyStart)).trim() }))
    .find((m) => m.body !== "");
  if (full === undefined) return;
  const { bodyStart } = full;
  const sum = `${full.limits.replace(/\s+/g, "")} ${full.body}`;
  const bare = /\\sum(?![A-Za-z])(\s*_\s*(?:\{\s*([A-Za-z])\s*\}|([A-Za-z]))\s*\^\s*(?:\{\s*([0-9])\s*\}|([0-9])))?/g;
  bare.lastIndex = bodyStart;
  for (let m = bare.exec(src); m !== null; m = bare.exec(src)) {
    const end = m.index + m[0].length;
    if (!NOTHING_AFTER.test(src.slice(end)) || (m[1] === undefined && /^\s*[_^]/.test(src.slice(end)))) continue;
    const written = m[0].replace(/\s+/g, "");
    if (m[1] === undefined) {
      edits.push({ start: m.index, end, text: `\\left(${sum}\\right)` });
      place(m.index, `a \\sum with nothing to sum is read as ${sum}, the sum written out before it in this formula`);
    } else {
      const power = m[4] ?? m[5]!;
      edits.push({ start: m.index, end, text: `\\left(${sum}\\right)^{${power}}` });
      place(m.index, `${written} is read as (${sum})^{${power}}${power === "2" ? ", the square of that sum" : ""}: as written it sums nothing over ${m[2] ?? m[3]}`);
    }
  }
}

/**
 * `\partial \frac{e^{a_i}}{…}` at the start of a side, with no variable: the partial derivative
 * the document introduced before (∂S_i/∂a_j, written D_j S_i), so ∂/∂a_j.
 */
function barePartials(src: string, derivative: DocumentDerivative, edits: Edit[], place: (at: number, note: string) => void): void {
  const bare = /(^|=|&|\\begin\{aligned\}|\\\\)(\s*)\\partial(?![A-Za-z])(?=\s*(?:\\frac|\\left|\())/g;
  for (const m of src.matchAll(bare)) {
    const at = m.index + m[1]!.length + m[2]!.length;
    edits.push({ start: at, end: at + "\\partial".length, text: `\\frac{\\partial}{\\partial ${derivative.variable}}` });
    place(at, `the bare \\partial is read as \\frac{\\partial}{\\partial ${derivative.variable}}, the partial derivative the document writes on line ${derivative.line}`);
  }
}

/** The text with `{…}` groups removed, to find an `=` at the top level. */
function stripBraces(s: string): string {
  let out = "";
  let depth = 0;
  for (const c of s) {
    if (c === "{") depth++;
    else if (c === "}") depth = Math.max(0, depth - 1);
    else if (depth === 0) out += c;
  }
  return out;
}
