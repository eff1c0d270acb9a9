import { compare, derivative, idx } from "../ast/build.js";
import { scopeOf, type Definition, type Scope } from "../ast/definition.js";
import type { Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";
import { freeIndices, freeSymbols, postorder } from "../ast/walk.js";
import { catalogScope } from "../catalog/catalog.js";
import { lookupFunction } from "../functions/table.js";
import { ActdiffError } from "../errors.js";
import {
  definitionOf, elementDefinitionOf, readLatexDisplay, type LatexEquation, type LatexNotation, type LatexReading, type LatexSide, type VectorMap,
} from "../parse/latex/read.js";
import { makeClaim, type Binding } from "../verify/claims.js";
import { verifyResolvedClaim, type Counterexample, type Kink, type Slip, type Verdict } from "../verify/verify.js";
import { normalise, type DocumentDerivative, type Normalised } from "./normalise.js";
import { activationNamedBefore, aliasDefinition, aliasParameters, builtinDefinition, isGenericHead, isPlaceholder, placeholderValue } from "./aliases.js";
import { definesHead, firstOfEachName, paragraphsOf, type LaterDefinition } from "./paragraphs.js";
import { scanDocument, type DocumentFormat, type MathSegment } from "./scan.js";

/**
 * Checking a whole document: every formula is found, read, and either checked (each step of
 * every equality chain, against the step before it), recorded (a definition, a name for an
 * expression), set aside (an expression or a condition, which claims nothing) or skipped with the
 * reason it could not be read. Nothing is dropped silently.
 */
export interface CheckOptions {
  /** markdown ($…$, $$…$$) or latex (equation, align, \[…\] …); markdown by default. */
  readonly format?: DocumentFormat;
  /** Where names resolve before the document's own definitions; the catalog by default. */
  readonly scope?: Scope;
  /** Called after each paragraph (its definitions and claims read) with how many are done, of how many. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface CheckedClaim {
  /** 1-based line of the claimed side in the document. */
  readonly line: number;
  /** The claim as written (the step of a chain: the side before it and the side itself). */
  readonly text: string;
  readonly verdict: Verdict;
  readonly method: "symbolic" | "numeric" | "none";
  readonly detail: string;
  readonly counterexample?: Counterexample;
  readonly slip?: Slip;
  readonly hint?: string;
  /** Continuity and one-sided derivatives at the breakpoints of the function the claim is about. */
  readonly kinks?: readonly Kink[];
  readonly conventions?: readonly string[];
  /** How the formula was read where that took a decision (a name from the prose, an index …). */
  readonly notes?: readonly string[];
  /** For a chain of more than two sides: this is step `index` of `of`. */
  readonly step?: { readonly index: number; readonly of: number };
  /** The equation number, when the document gives one. */
  readonly label?: string;
}

export interface SkippedFormula { readonly line: number; readonly text: string; readonly reason: string }
export interface DocumentDefinition {
  readonly line: number;
  readonly name: string;
  readonly text: string;
  /** How it was read: a redefinition, the activation the text names and whether this is it. */
  readonly notes?: readonly string[];
}
export interface SetAside { readonly line: number; readonly text: string; readonly reason: string }

export interface CheckReport {
  readonly claims: readonly CheckedClaim[];
  readonly skipped: readonly SkippedFormula[];
  /** Functions and names the document defines, in order. */
  readonly definitions: readonly DocumentDefinition[];
  /** Formulas read but claiming nothing to check: expressions, conditions, relations between undefined symbols. */
  readonly ignored: readonly SetAside[];
  readonly summary: Readonly<Record<Verdict | "skipped", number>>;
}

/** Checks every formula of a Markdown or LaTeX document. */
export function checkDocument(text: string, options: CheckOptions = {}): CheckReport {
  const format = options.format ?? "markdown";
  const doc = new DocumentCheck(text, format, options.scope ?? catalogScope);
  const paragraphs = [...paragraphsOf(text, scanDocument(text, format), format)];
  paragraphs.forEach((paragraph, i) => {
    doc.paragraph(paragraph);
    options.onProgress?.(i + 1, paragraphs.length);
  });
  return doc.report();
}

/** The format a file name suggests: .tex is LaTeX, anything else Markdown. */
export const formatOf = (path: string): DocumentFormat => (/\.(tex|latex|ltx)$/i.test(path) ? "latex" : "markdown");

const squash = (s: string): string => s.replace(/\s+/g, " ").trim();


class DocumentCheck {
  private readonly lineStarts: number[] = [0];
  private readonly definitions: Definition[] = [];
  private scope: Scope;
  /** Names the document gives expressions: `y = \tanh(x)`. */
  private readonly bindings = new Map<string, Expr>();
  private readonly claims: CheckedClaim[] = [];
  private readonly skipped: SkippedFormula[] = [];
  private readonly defined: DocumentDefinition[] = [];
  private readonly ignored: SetAside[] = [];
  /** Generic names read as an activation in the current formula: g → sigmoid. */
  private readonly aliases = new Map<string, string>();
  /** Vectors and lengths the document declares (a and N of `S(a) : [a_1 … a_N] → …`) or defines functions of. */
  private readonly vectors = new Set<string>();
  private readonly lengths = new Map<string, string>();
  /** Maps the document declares, by name: S → its input a, until `S_j = …` defines S. */
  private readonly maps = new Map<string, string>();
  /** The last partial derivative by an element the document wrote (∂S_i/∂a_j): what a bare ∂ means after it. */
  private derivative: DocumentDerivative | undefined;
  /** Definitions later in the current paragraph (in the current formula too), found by reading ahead. */
  private later: readonly LaterDefinition[] = [];
  /** Formulas read while reading ahead, reused when what the reading depended on is unchanged (most paragraphs define nothing). */
  private readonly readings = new Map<MathSegment, AheadReading>();

  constructor(private readonly text: string, private readonly format: DocumentFormat, private readonly base: Scope) {
    for (let i = 0; i < text.length; i++) if (text[i] === "\n") this.lineStarts.push(i + 1);
    this.scope = base;
  }

  private lineAt(offset: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  /**
   * One paragraph: read ahead for the functions it defines, so that a claim before a definition
   * in the same paragraph ("…, where $g(x) = …$") is read with it; then each formula in order.
   */
  paragraph(segments: readonly MathSegment[]): void {
    const ahead = this.readAhead(segments);
    segments.forEach((seg, i) => {
      this.later = ahead.filter((f) => f.segment >= i);
      this.segment(seg);
    });
    this.later = [];
  }

  /**
   * The definitions of a paragraph's formulas of names not defined before it, and redefinitions
   * of those. A formula that cannot be read yet (it uses a function defined after it) is read
   * again once with what the first reading found.
   */
  private readAhead(segments: readonly MathSegment[]): LaterDefinition[] {
    const found: LaterDefinition[] = [];
    const done = new Set<number>();
    for (let round = 0; round < 2; round++) {
      const before = found.length;
      segments.forEach((seg, i) => {
        if (done.has(i) || !/=|\\equiv|\\coloneqq|\\triangleq|\\mapsto/.test(seg.content)) return;
        const scope = this.withLater(found);
        const named = new Set(found.map((f) => f.definition.name));
        try {
          const n = normalise(seg, { markdown: this.format === "markdown", scope, ...(this.derivative ? { derivative: this.derivative } : {}) });
          const reading = readLatexDisplay(n.source, scope, this.notation());
          this.readings.set(seg, { scope, derivative: this.derivative, notation: this.notationKey(), n, reading });
          done.add(i);
          if (reading.kind !== "equations") return;
          for (const eq of reading.equations) {
            const head = eq.sides[0]!;
            if (!definesHead(eq, n, named) || !("name" in head) || head.name === undefined || (head.value !== undefined && !named.has(head.name))) continue;
            const definition = definitionOf(eq, n.source);
            if (definition === undefined) continue;
            found.push({ definition, segment: i, line: this.lineAt(n.toDocument(head.span.offset)) });
            named.add(definition.name);
          }
        } catch {
          // read again in the next round; a formula that never reads is reported where it stands
        }
      });
      if (found.length === before) break;
    }
    return found.sort((a, b) => a.segment - b.segment);
  }

  /** The document's scope with the first of each of `later` whose name it does not define yet. */
  private withLater(later: readonly LaterDefinition[]): Scope {
    const fresh = this.laterInScope(later);
    return fresh.length === 0 ? this.scope : scopeOf(fresh.map((f) => f.definition), this.scope);
  }

  private laterInScope(later: readonly LaterDefinition[] = this.later): LaterDefinition[] {
    return firstOfEachName(later).filter((f) => this.scope.lookup(f.definition.name) === undefined);
  }

  /** Whether a head names a function defined nowhere before it (its value, if any, is from a definition later in the paragraph). */
  private isNew(name: string, value: Expr | undefined): boolean {
    return (value === undefined || this.later.some((f) => f.definition.name === name)) && !this.definitions.some((d) => d.name === name);
  }

  /** Names the document defines (a redefinition of one is a definition), those later in the paragraph too. */
  private ownNames(): Set<string> {
    return new Set([...this.definitions.map((d) => d.name), ...this.later.map((f) => f.definition.name)]);
  }

  segment(seg: MathSegment): void {
    const here = this.withLater(this.later);
    const whole = squash(seg.content);
    const line = this.lineAt(seg.offset + (seg.content.length - seg.content.trimStart().length));
    if (whole === "") return this.setAside(line, whole, "an empty formula");
    // `if $i \neq j$:` in the prose of a document with vectors: the case the derivation after it is claimed in (indexCaseBefore).
    const indexCase = this.vectors.size > 0 ? /^([A-Za-z])\s*(?:=|\\neq?(?![A-Za-z])|≠)\s*([A-Za-z])$/.exec(whole) : null;
    if (indexCase !== null) return this.setAside(line, whole, `a case of the indices ${indexCase[1]} and ${indexCase[2]}, for the formulas after it`);
    // "Let $f$ be defined by …": the name of a function, alone.
    const name = /^(?:\\(?:mathrm|operatorname|text)\s*\{\s*)?\\?([A-Za-z]+)\s*\}?$/.exec(whole)?.[1];
    if (name !== undefined && here.lookup(name) !== undefined && lookupFunction(name) === undefined) {
      return this.setAside(line, whole, `the name of the function ${name}, which the document defines`);
    }
    // "Define $f \colon \mathbb{R} \to \mathbb{R}$ by …": where f goes from and to.
    const declared = /^(\\?[A-Za-z]+)\s*(?::|\\colon)\s*\\mathbb\s*\{?\s*R\s*\}?(?:\^\s*\{?\s*\w+\s*\}?)?\s*\\(?:to|rightarrow)\s*\\mathbb\s*\{?\s*R\s*\}?$/.exec(whole);
    if (declared !== null) return this.setAside(line, whole, `declares the domain and codomain of ${declared[1]!.replace(/^\\/, "")}, for the definition after it`);
    // "the map $x \mapsto \tanh(x)$": a function without a name.
    if (/^[A-Za-z]\s*\\mapsto(?![A-Za-z])/.test(whole)) return this.setAside(line, whole, "a function without a name (x ↦ …): nothing to check");
    // "Let $\beta > 0$": a condition on a parameter, in the prose.
    const condition = /^(\\?[A-Za-z]+)\s*(?:[<>]=?|\\(?:geq?|leq?|geqslant|leqslant)(?![A-Za-z])|≥|≤)\s*-?\d+(?:\.\d+)?$/.exec(whole);
    if (condition !== null) return this.setAside(line, whole, `a condition on ${condition[1]!.replace(/^\\/, "")}, not an identity`);
    const ahead = this.readings.get(seg);
    this.readings.delete(seg);
    const same = ahead !== undefined && ahead.scope === here && ahead.derivative === this.derivative && ahead.notation === this.notationKey() ? ahead : undefined;
    let n: Normalised;
    try {
      n = same?.n ?? normalise(seg, { markdown: this.format === "markdown", scope: here, ...(this.derivative ? { derivative: this.derivative } : {}) });
    } catch (err) {
      return this.skip(line, whole, err);
    }
    let scope = here;
    let reading: LatexReading;
    try {
      reading = same?.reading ?? readLatexDisplay(n.source, scope, this.notation());
    } catch (err) {
      return this.skip(line, whole, err, n);
    }
    if (reading.kind === "map") return this.declareMap(reading.map, line, whole);
    if (reading.kind === "matrix") {
      return this.setAside(line, whole, "a matrix or vector written out element by element: notation, nothing to check (actdiff checks equations between its elements)");
    }
    let equations = [...reading.equations];
    const notes = [...n.notes];
    // A generic name (g, f, φ) that the text before names as one activation: `对于 sigmoid 激活函数 … g'(z) = …`.
    // Only a derivative of it: `g(z) = …` defines g, whatever the text calls it.
    const generic = equations.map((eq) => eq.sides[0]).find((s) => s !== undefined && isGenericHead(s));
    if (generic !== undefined && "name" in generic && generic.name !== undefined) {
      const activation = activationNamedBefore(seg, here);
      const alias = activation === undefined ? undefined : aliasDefinition(generic.name, activation);
      if (alias !== undefined) {
        scope = scopeOf([alias], here);
        this.aliases.set(generic.name, activation!);
        try {
          equations = readEquations(n.source, scope, this.notation());
          notes.push(`${generic.name} is read as ${activation}, which the text before the formula names`);
        } catch (err) {
          return this.skip(line, whole, err, n);
        }
      }
    }
    const label = equations.flatMap((eq) => eq.labels)[0] ?? this.numberAfter(seg);
    const stated = this.indexCaseBefore(seg);
    // `f(y_i) = …` under "## Leaky ReLU": a definition of f, which a note compares with leaky_relu.
    const placeholder = equations.some(({ sides: [s] }) => s?.form === "definition" && s.name !== undefined && isPlaceholder(s.name) && this.isNew(s.name, s.value));
    const named = placeholder ? activationNamedBefore(seg, here) : undefined;
    for (const eq of equations) this.equation(eq, n, scope, notes, label, stated, named);
    this.aliases.clear();
    this.rememberDerivative(equations, line);
  }

  private notation(): LatexNotation {
    return { vectors: this.vectors, lengths: this.lengths };
  }

  private notationKey(): string {
    return `${[...this.vectors].join(",")}|${[...this.lengths].map(([k, v]) => `${k}:${v}`).join(",")}`;
  }

  /** `S(a) : [a_1 … a_N] → [S_1 … S_N]`: a is a vector of length N, and S a function of it, defined by `S_j = …` next. */
  private declareMap(map: VectorMap, line: number, text: string): void {
    this.vectors.add(map.input);
    if (map.length !== undefined) this.lengths.set(map.length, map.input);
    this.maps.set(map.name, map.input);
    this.defined.push({ line, name: `${map.name}(${map.input})`, text });
  }

  /** After `\frac{\partial S_i}{\partial a_j}` (or D_j S_i), a bare `\partial` in a later formula means ∂/∂a_j. */
  private rememberDerivative(equations: readonly LatexEquation[], line: number): void {
    for (const eq of equations) {
      for (const side of eq.sides) {
        // by an element, a[j] (one letter each: what the document writes as a_{j})
        const d = side.value === undefined ? undefined : postorder(side.value).find((e) => e.kind === "derivative" && ELEMENT_OF_LETTER.test(e.wrt));
        const m = d?.kind === "derivative" ? ELEMENT_OF_LETTER.exec(d.wrt) : null;
        if (m !== null) this.derivative = { variable: `${m[1]}_{${m[2]}}`, line };
      }
    }
  }

  /**
   * The case of two indices the line before a formula states: `如果i等于j:`, `if i = j:`,
   * `for $i \neq j$`. A derivation written under it (seed 002's two cases of D_j S_i) is claimed
   * in that case only.
   */
  private indexCaseBefore(seg: MathSegment): StatedCase | undefined {
    // The text up to the formula's opening delimiter: `$$`, `\[` or `\begin{align}`.
    const before = this.text.slice(Math.max(0, seg.offset - 300), seg.offset).replace(/(?:\$+|\\\[|\\begin\{[^}]*\}(?:\{\d+\})?)\s*$/, "");
    const text = before.split("\n").map((l) => l.trim()).filter((l) => l !== "").at(-1);
    if (text === undefined) return undefined;
    const letter = "(?<![A-Za-z])([A-Za-z])(?![A-Za-z])";
    const plain = text.replace(/\$/g, "");
    for (const [op, words] of [["!=", String.raw`≠|!=|\\neq?(?![A-Za-z])|不等于|不等於|is not equal to|does not equal`], ["==", String.raw`==?|等于|等於|equals|is equal to`]] as const) {
      const m = new RegExp(`${letter}\\s*(?:${words})\\s*${letter}`).exec(plain);
      if (m !== null) return { condition: compare(op, idx(m[1]!), idx(m[2]!)), written: text, shown: `${m[1]} ${op === "==" ? "=" : "≠"} ${m[2]}` };
    }
    return undefined;
  }

  /** `$$…$$ (13)` or `$$…$$\n (13)`: the equation number written after the formula. */
  private numberAfter(seg: MathSegment): string | undefined {
    const after = this.text.slice(seg.offset + seg.content.length, seg.offset + seg.content.length + 60);
    const m = /^\$*\s*(?:[^\n$()]{0,20})?\((\d{1,3})\)/.exec(after);
    return m?.[1];
  }

  private equation(eq: LatexEquation, n: Normalised, scope: Scope, notes: readonly string[], label: string | undefined, stated?: StatedCase, named?: string): void {
    const { sides } = eq;
    // A side as the document writes it; a step as its two sides joined by `=` (no `&`, no row break).
    const sideText = (k: number): string => {
      const start = n.toDocument(sides[k]!.span.offset);
      const end = n.toDocumentEnd(sides[k]!.span.offset + sides[k]!.span.length);
      const body = squash(this.text.slice(start, Math.max(start, end)));
      if (k !== 0 || n.prefix === undefined) return body;
      return n.prefix.endsWith("=") ? n.prefix.slice(0, -1).trim() : `${n.prefix} ${body}`;
    };
    const quote = (from: number, to: number): string => sides.slice(from, to + 1).map((_, i) => sideText(from + i)).join(" = ");
    // A definition as written, its sign included (`:=`, `\coloneqq`), when its two sides are on one row.
    const quoteDefinition = (): string => {
      if (n.prefix !== undefined) return quote(0, 1);
      const written = squash(this.text.slice(n.toDocument(sides[0]!.span.offset), n.toDocumentEnd(sides[1]!.span.offset + sides[1]!.span.length)));
      return /&|\\\\/.test(written) ? quote(0, 1) : written;
    };
    const lineOf = (k: number): number => this.lineAt(n.toDocument(sides[k]!.span.offset));
    const first = sides[0]!;
    const wholeText = quote(0, sides.length - 1);
    if (sides.length === 1) {
      // ∂S_i/∂a_j is an expression to the reader (S_i an element, not a function's name), but a derivative all the same.
      const form = first.form === "expression" && first.value.kind === "derivative" ? "derivative" : first.form;
      const what = { expression: "an expression", definition: "a function applied to its input", derivative: "a derivative written alone" }[form];
      return this.setAside(lineOf(0), wholeText, `${what}, not an equation: nothing to check`);
    }
    let start = 1;
    let head: LatexSide = first;
    const values: (Expr | undefined)[] = sides.map((s) => this.valueOf(s));
    if (first.form === "definition" && (first.value === undefined || definesHead(eq, n, this.ownNames()))) {
      if (first.name === undefined) {
        this.setAside(lineOf(0), wholeText, "defines a function whose name is not given (neither in the formula nor right before it)");
      } else {
        const d = definitionOf(eq, n.source);
        if (d === undefined) return this.skipText(lineOf(0), wholeText, `defines ${first.name}, but its right side cannot be read as a formula of ${first.inputs.join(", ")}`);
        const previous = [...this.defined].reverse().find((p) => p.name === first.name);
        const definedNotes = previous === undefined ? [] : [`redefines ${first.name} (defined on line ${previous.line}): from here on, ${first.name} is this function`];
        if (first.value !== undefined && previous === undefined && !this.later.some((f) => f.definition.name === first.name)) {
          definedNotes.push(`defines ${first.written ?? first.name} here, as the sign of a definition says, instead of restating the function actdiff knows`);
        }
        if (named !== undefined && isPlaceholder(first.name) && this.isNew(first.name, first.value)) definedNotes.push(...this.comparedWith(named, d, eq.variable, quote(0, 1)));
        this.definitions.push(d);
        this.scope = scopeOf(this.definitions, this.base);
        this.defined.push({ line: lineOf(0), name: first.name, text: quoteDefinition(), ...(definedNotes.length ? { notes: definedNotes } : {}) });
      }
      start = 2;
      head = sides[1]!;
    } else if (first.form === "derivative" && values[0] === undefined) {
      return this.skipText(lineOf(0), wholeText, `the derivative of ${first.written}, which the document does not define`);
    } else if (first.form === "expression") {
      const v = first.value;
      const rhs = values[1];
      const element = v.kind === "sym" ? elementDefinitionOf(eq, n.source, this.maps.get(v.name.replace(/_[A-Za-z]$/, ""))) : undefined;
      if (v.kind === "sym" && element !== undefined) {
        // S_j = e^{a_j} / Σ_k e^{a_k}: S is the vector function of a with that element j; S_i elsewhere is its element i.
        this.definitions.push(element);
        this.scope = scopeOf(this.definitions, this.base);
        for (const input of element.vectors ?? []) this.vectors.add(input);
        this.maps.delete(element.name);
        this.defined.push({ line: lineOf(0), name: v.name, text: quote(0, 1) });
        start = 2;
        head = sides[1]!;
      } else if (v.kind === "sym") {
        if (rhs === undefined || !dependsOnVariable(rhs, eq.variable)) {
          return this.setAside(lineOf(0), wholeText, rhs !== undefined && freeSymbols(rhs).size === 0 ? `a condition on ${v.name}, not an identity` : `names ${v.name}, an expression the document does not check`);
        }
        this.bindings.set(v.name, rhs);
        this.defined.push({ line: lineOf(0), name: v.name, text: quote(0, 1) });
        start = 2;
        head = sides[1]!;
      } else if (!values.some((x) => x !== undefined && aboutFunctions(x, eq.variable))) {
        return this.setAside(lineOf(0), wholeText, "a relation between symbols the document does not define as functions of the variable");
      }
    }
    const headDefinition = "name" in head && head.name !== undefined ? scope.lookup(head.name) ?? builtinDefinition(head.name) : undefined;
    const headName = "name" in head && head.name !== undefined ? head.name : undefined;
    const displayName = headName !== undefined ? this.aliases.get(headName) ?? headName : undefined;
    for (let k = start; k < sides.length; k++) {
      const text = quote(k - 1, k);
      const line = lineOf(k);
      const left0 = values[k - 1];
      const right = values[k];
      const missing = [sides[k - 1]!, sides[k]!].find((s, i) => (i === 0 ? left0 : right) === undefined);
      if (left0 === undefined || right === undefined) {
        this.skipText(line, text, `${describeSide(missing!)} is not defined in the document`);
        continue;
      }
      const step = sides.length > 2 ? { step: { index: k - start + 1, of: sides.length - start } } : {};
      const common = { line, text, ...step, ...(label !== undefined ? { label } : {}) };
      const stepNotes = [...notes];
      // What the normalisation read at one place (an abbreviated sum, a bare ∂): said where the step contains it.
      const [from, to] = [n.toDocument(sides[k - 1]!.span.offset), n.toDocumentEnd(sides[k]!.span.offset + sides[k]!.span.length)];
      for (const p of n.placedNotes) if (p.offset >= from && p.offset < to && !stepNotes.includes(p.note)) stepNotes.push(p.note);
      let left = left0;
      let defaults: ReadonlyMap<string, Q.Rational> | undefined;
      if (k === 1 && headDefinition !== undefined) {
        const aliased = aliasParameters(left0, right, headDefinition, displayName ?? headDefinition.name, eq.variable, this.bindings);
        if ("undecided" in aliased) {
          this.claims.push({ ...common, verdict: "undecided", method: "none", detail: aliased.undecided, ...(stepNotes.length ? { notes: stepNotes } : {}) });
          continue;
        }
        left = aliased.left;
        stepNotes.push(...aliased.notes);
        defaults = aliased.defaults;
      }
      const where: Binding[] = [...this.bindings]
        .filter(([name]) => name !== eq.variable && (freeSymbols(left).has(name) || freeSymbols(right).has(name)))
        .map(([name, value]) => ({ name, value }));
      for (const b of where) stepNotes.push(`${b.name} is the document's name for an expression defined above`);
      for (const f of this.laterInScope()) {
        if (new RegExp(`(?<![A-Za-z\\\\])${f.definition.name}(?![A-Za-z])`).test(text)) stepNotes.push(`${f.definition.name} is defined after this formula, on line ${f.line}, in the same paragraph`);
      }
      // A derivation under "if i = j:" is claimed in that case, when its sides have both indices.
      const indices = new Set([...indicesOf(left), ...indicesOf(right)]);
      const inCase = stated !== undefined && [...freeIndices(stated.condition)].every((i) => indices.has(i)) ? stated : undefined;
      if (inCase !== undefined) stepNotes.push(`checked in the case ${inCase.shown}, which the text before the formula states ("${inCase.written}")`);
      try {
        const claim = { ...makeClaim(text, left, right, where, new Map(), eq.variable), ...(inCase ? { indexCase: inCase.condition } : {}) };
        // The name describes the left side only while the left side is the head (or its body).
        const r = verifyResolvedClaim(claim, k === start && displayName !== undefined ? { name: displayName, ...(defaults ? { defaults } : {}) } : {});
        if (r.holdsIn !== undefined) stepNotes.push(`it holds only in the case${r.holdsIn.length > 1 ? "s" : ""} ${r.holdsIn.join(", ")} (proved there), which the document does not state here`);
        const counterexample = r.counterexample && indices.size > 0 ? countedFromOne(r.counterexample, indices, eq.notation.vectors) : r.counterexample;
        if (counterexample !== r.counterexample) stepNotes.push("the counterexample counts indices and elements from 1, as the document does");
        this.claims.push({
          ...common, verdict: r.verdict, method: r.method, detail: r.detail,
          ...(counterexample ? { counterexample } : {}),
          ...(r.slip ? { slip: r.slip } : {}), ...(r.hint ? { hint: r.hint } : {}),
          ...(r.kinks ? { kinks: r.kinks } : {}), ...(r.conventions ? { conventions: r.conventions } : {}),
          ...(stepNotes.length ? { notes: stepNotes } : {}),
        });
      } catch (err) {
        this.skip(line, text, err);
      }
    }
  }

  /**
   * A definition under a placeholder name, compared with the activation the text before it names
   * (`f(y_i) = …` under "## Leaky ReLU"): what the reader would want to know, as a note. A
   * definition is never a claim, so this is never a verdict: "the scaled tanh k(x) = tanh(2x)" is
   * not tanh, and rightly so.
   */
  private comparedWith(activation: string, d: Definition, variable: string, text: string): string[] {
    const named = placeholderValue(d.name, activation, d.inputs);
    if (named === undefined) return [];
    const aliased = aliasParameters(named.value, d.body, named.definition, activation, variable, this.bindings);
    const intro = `the text before it names ${activation}`;
    if ("undecided" in aliased) return [`${intro}; ${aliased.undecided.replace(/^undecided: /, "")}`];
    try {
      const r = verifyResolvedClaim(makeClaim(text, aliased.left, d.body, [], new Map(), variable), { name: activation, ...(aliased.defaults ? { defaults: aliased.defaults } : {}) });
      if (r.verdict === "proved" || r.verdict === "verified") return [`${intro}, and ${d.name} is ${activation} (${[r.verdict, ...aliased.notes].join("; ")})`];
      const c = r.counterexample;
      if (r.verdict === "refuted" && c !== undefined) {
        const at = Object.entries(c.at).map(([k, v]) => `${k} = ${v}`).join(", ");
        return [`${intro}, but ${d.name} is not ${activation}${aliased.notes.length > 0 ? ` (${aliased.notes.join("; ")})` : ""}: at ${at}, ${activation} is ${c.lhs} and ${d.name} is ${c.rhs}`];
      }
      return [`${intro}; whether ${d.name} is ${activation} is undecided`];
    } catch {
      return [];
    }
  }

  /** A side's value; the derivative of a name the document gave an expression (`dy/dx` after `y = …`) too. */
  private valueOf(side: LatexSide): Expr | undefined {
    if (side.value !== undefined) return side.value;
    if (side.form === "derivative") {
      const bound = this.bindings.get(side.name);
      if (bound !== undefined) return derivative(bound, side.wrt, side.order);
    }
    return undefined;
  }

  private setAside(line: number, text: string, reason: string): void {
    this.ignored.push({ line, text, reason });
  }

  private skipText(line: number, text: string, reason: string): void {
    this.skipped.push({ line, text, reason });
  }

  /** An error becomes a skipped formula, reported at the line of the offending text when it is known. */
  private skip(line: number, text: string, err: unknown, n?: Normalised): void {
    if (err instanceof ActdiffError) {
      const at = err.span !== undefined && n !== undefined ? this.lineAt(n.toDocument(err.span.offset)) : line;
      const hint = err.hint !== undefined && err.code === "E_UNKNOWN_NAME" ? ` (${err.hint})` : "";
      return this.skipText(at, text, err.summary + hint);
    }
    this.skipText(line, text, `internal error while checking: ${err instanceof Error ? err.message : String(err)}`);
  }

  report(): CheckReport {
    const summary = { proved: 0, verified: 0, refuted: 0, undecided: 0, skipped: this.skipped.length };
    for (const c of this.claims) summary[c.verdict]++;
    const byLine = <T extends { line: number }>(xs: T[]): T[] => [...xs].sort((a, b) => a.line - b.line);
    return { claims: byLine(this.claims), skipped: byLine(this.skipped), definitions: this.defined, ignored: byLine(this.ignored), summary };
  }
}

/**
 * A counterexample as the document would write it: actdiff's vectors count from 0, a document's
 * (a_1 … a_N) from 1, so index values and element names move up by one.
 */
function countedFromOne(c: Counterexample, indices: ReadonlySet<string>, vectors: ReadonlySet<string>): Counterexample {
  const at = Object.fromEntries(Object.entries(c.at).map(([name, value]) => {
    if (indices.has(name)) return [name, value + 1];
    const m = /^(.+)_(\d+)$/.exec(name);
    return m !== null && vectors.has(m[1]!) ? [`${m[1]}_${Number(m[2]) + 1}`, value] : [name, value];
  }));
  return { ...c, at };
}

const ELEMENT_OF_LETTER = /^([A-Za-z])\[([A-Za-z])\]$/;

/** The indices a side depends on: its free indices, and the j of a derivative by a_j (∂S_i/∂a_j has i and j). */
function indicesOf(e: Expr): Set<string> {
  const found = new Set(freeIndices(e));
  for (const n of postorder(e)) {
    const m = n.kind === "derivative" ? /\[([A-Za-z][A-Za-z0-9]*)\]$/.exec(n.wrt) : null;
    if (m !== null) found.add(m[1]!);
  }
  return found;
}

/** A formula as read ahead, with what its reading depended on. */
interface AheadReading {
  readonly scope: Scope;
  readonly derivative: DocumentDerivative | undefined;
  readonly notation: string;
  readonly n: Normalised;
  readonly reading: LatexReading;
}

/** A case of two indices the prose states before a formula: the condition, the line it is in, `i = j`. */
interface StatedCase { readonly condition: Expr; readonly written: string; readonly shown: string }

/** The equations of a display read again (with an alias in scope): a display read once as equations stays so. */
function readEquations(source: string, scope: Scope, notation: LatexNotation): LatexEquation[] {
  const reading = readLatexDisplay(source, scope, notation);
  return reading.kind === "equations" ? [...reading.equations] : [];
}

function describeSide(s: LatexSide): string {
  if (s.form === "expression") return "a side";
  const name = s.written ?? s.name ?? "the function";
  return s.form === "derivative" ? `the function ${name} (differentiated here)` : `the function ${name}`;
}

const dependsOnVariable = (e: Expr, variable: string): boolean => freeSymbols(e).has(variable);

const aboutFunctions = (e: Expr, variable: string): boolean =>
  dependsOnVariable(e, variable) || postorder(e).some((n) => n.kind === "call" || n.kind === "derivative");
