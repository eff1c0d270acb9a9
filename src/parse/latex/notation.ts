import { fail } from "../../errors.js";
import { join, type Span } from "../syntax.js";
import type { LatexNode } from "./syntax.js";

/**
 * Index notation in LaTeX, before names are resolved: how far each `\sum` reaches, which letters
 * are vectors (a in `\sum_{k=1}^{N} e^{a_k}`) and which name is a length (N), and the map a
 * document declares, `S(a) : [a_1 … a_N] \rightarrow [S_1 … S_N]`.
 *
 * Documents count elements from 1 (a_1 … a_N); actdiff's vectors from 0. A sum over the whole
 * range 1 … N is the same sum either way, and a free index (the i of S_i) is a name for any
 * element, so only written numbers change: a_1 is element 0.
 */
export interface LatexNotation {
  /** Names whose subscripts are elements: `a_j` is element j of a. */
  readonly vectors: ReadonlySet<string>;
  /** Names of lengths: N → a, from `\sum_{k=1}^{N} e^{a_k}` or `[a_1 … a_N]`. */
  readonly lengths: ReadonlyMap<string, string>;
}

export const noNotation: LatexNotation = { vectors: new Set(), lengths: new Map() };

const raise = (summary: string, span: Span, source: string, hint?: string): never => fail("E_SYNTAX", summary, { span, source, hint });

// ---------------------------------------------------------------------------------------------
// How far a sum reaches

type Sum = Extract<LatexNode, { type: "sum" }>;

/**
 * A factor of a product as the grammar left it: side by side with the one before it, or after
 * `\cdot` or `/`. After `/` the grammar groups a whole juxtaposition (a / b c is a/(b·c)), so
 * that stays one entry; after `\cdot` its factors are entries of their own.
 */
interface Entry { readonly node: LatexNode; readonly op: "juxt" | "*" | "/" }

/** The product a node is, as a sequence of factors: `2 \sum_k x_k \cdot y_k` is 2, Σ, x_k, ·y_k. */
function productEntries(node: LatexNode): Entry[] {
  if (node.type === "juxt") return node.items.map((n) => ({ node: n, op: "juxt" }));
  if (node.type === "binary" && node.op === "*") {
    const [first, ...rest] = productEntries(node.right);
    return [...productEntries(node.left), { ...first!, op: "*" }, ...rest];
  }
  if (node.type === "binary" && node.op === "/") return [...productEntries(node.left), { node: node.right, op: "/" }];
  return [{ node, op: "juxt" }];
}

/** The entries as the product they were: runs side by side as a juxtaposition, joined by `\cdot` and `/`. */
function productOf(entries: readonly Entry[]): LatexNode {
  let result: LatexNode | undefined;
  let run: LatexNode[] = [];
  let op: "*" | "/" = "*";
  const close = (): void => {
    const node: LatexNode = run.length === 1 ? run[0]! : { type: "juxt", items: run, span: join(run[0]!, run[run.length - 1]!) };
    result = result === undefined ? node : { type: "binary", op, left: result, right: node, span: join(result, node) };
  };
  entries.forEach((e, i) => {
    if (i > 0 && e.op !== "juxt") {
      close();
      run = [];
      op = e.op;
    }
    run.push(e.node);
  });
  close();
  return result!;
}

const isOpenSum = (n: LatexNode): n is Sum => n.type === "sum" && n.body === undefined;

/**
 * Gives every `\sum` its body: the factors after it in the product it stands in, as `\frac{d}{dx}`
 * takes them (Σ_k x_k y_k + 1 is (Σ_k x_k·y_k) + 1). A sum with no factor after it is an error
 * here; a document that writes `\sum` alone for a sum it wrote before is rewritten first
 * (src/check/normalise.ts).
 */
export function bindSums(node: LatexNode, source: string): LatexNode {
  // Without a sum the tree stays the very object the grammar built.
  if (!hasSum(node)) return node;
  const entries = productEntries(node);
  const at = entries.findIndex((e) => e.op !== "/" && isOpenSum(e.node));
  if (at === -1) return entries.length === 1 ? bindChildren(node, source) : productOf(entries.map((e) => ({ ...e, node: bindSums(e.node, source) })));
  const sum = entries[at]!.node as Sum;
  const rest = entries.slice(at + 1);
  if (rest.length === 0 || rest[0]!.op === "/") {
    raise(`'${written(sum.limits, source)}' has nothing to sum`, sum.limits, source, "write what it sums after it: \\sum_{k=1}^{N} e^{a_{k}}");
  }
  const body = bindSums(productOf([{ ...rest[0]!, op: "juxt" }, ...rest.slice(1)]), source);
  const bound: LatexNode = { ...sum, body, span: join(sum, body) };
  const before = entries.slice(0, at).map((e) => ({ ...e, node: bindSums(e.node, source) }));
  return productOf([...before, { node: bound, op: entries[at]!.op }]);
}

const hasSum = (node: LatexNode): boolean => {
  for (const n of latexNodes(node)) if (n.type === "sum") return true;
  return false;
};

const written = (span: Span, source: string): string => source.slice(span.offset, span.offset + span.length);

/** The node with sums bound in each of its parts. */
function bindChildren(node: LatexNode, source: string): LatexNode {
  const b = (n: LatexNode): LatexNode => bindSums(n, source);
  switch (node.type) {
    case "number": case "word": case "greek": case "function": case "text": case "partial": case "dots": case "infinity": return node;
    case "sum":
      if (node.body === undefined) raise(`'${written(node.limits, source)}' has nothing to sum`, node.limits, source, "write what it sums after it: \\sum_{k=1}^{N} e^{a_{k}}");
      return node;
    case "group": return { ...node, items: node.items.map(b) };
    case "abs": return { ...node, arg: b(node.arg) };
    case "frac": return { ...node, numerator: b(node.numerator), denominator: b(node.denominator) };
    case "sqrt": return { ...node, arg: b(node.arg), ...(node.index && { index: b(node.index) }) };
    case "cases": return { ...node, rows: node.rows.map((r) => ({ ...r, value: b(r.value), ...(r.when && { when: b(r.when) }) })) };
    case "indicator": return { ...node, when: b(node.when) };
    case "power": return { ...node, base: b(node.base), exponent: b(node.exponent) };
    case "prime": return { ...node, base: b(node.base) };
    case "subscript": return { ...node, base: b(node.base) };
    case "juxt": return { ...node, items: node.items.map(b) };
    case "binary": return { ...node, left: b(node.left), right: b(node.right) };
    case "negate": return { ...node, arg: b(node.arg) };
    case "compare": return { ...node, operands: node.operands.map(b) };
    case "logic": return { ...node, left: b(node.left), right: b(node.right) };
    case "not": return { ...node, arg: b(node.arg) };
    case "matrix": return { ...node, rows: node.rows.map((r) => r.map(b)) };
  }
}

// ---------------------------------------------------------------------------------------------
// Vectors and lengths

/** Every node of a LaTeX tree, parents first. */
export function* latexNodes(node: LatexNode): Generator<LatexNode> {
  yield node;
  switch (node.type) {
    case "group": case "juxt": for (const n of node.items) yield* latexNodes(n); return;
    case "abs": case "negate": case "not": yield* latexNodes(node.arg); return;
    case "indicator": yield* latexNodes(node.when); return;
    case "frac": yield* latexNodes(node.numerator); yield* latexNodes(node.denominator); return;
    case "sqrt": yield* latexNodes(node.arg); if (node.index) yield* latexNodes(node.index); return;
    case "cases": for (const r of node.rows) { yield* latexNodes(r.value); if (r.when) yield* latexNodes(r.when); } return;
    case "power": yield* latexNodes(node.base); yield* latexNodes(node.exponent); return;
    case "prime": case "subscript": yield* latexNodes(node.base); return;
    case "binary": case "logic": yield* latexNodes(node.left); yield* latexNodes(node.right); return;
    case "compare": for (const n of node.operands) yield* latexNodes(n); return;
    case "sum": for (const n of [node.from, node.to, node.body]) if (n) yield* latexNodes(n); return;
    case "matrix": for (const r of node.rows) for (const n of r) yield* latexNodes(n); return;
    default: return;
  }
}

/** The letter a subscript is on, when it is a plain name: `a` of a_k, `\alpha` of \alpha_k. */
export function subscriptBase(node: LatexNode): string | undefined {
  if (node.type !== "subscript") return undefined;
  const base = node.base;
  if (base.type === "word") return base.text.length === 1 && base.text !== "e" ? base.text : undefined;
  if (base.type === "greek") return base.name === "pi" || base.name === "delta" ? undefined : base.name;
  return undefined;
}

/**
 * The vectors and lengths of a display: what the document declared (`known`), and in each sum
 * `\sum_{k=1}^{N} body` the letters read at k in the body (vectors) and N (their length).
 */
export function notationOf(nodes: readonly LatexNode[], known: LatexNotation = noNotation): LatexNotation {
  const vectors = new Set(known.vectors);
  const lengths = new Map(known.lengths);
  for (const root of nodes) {
    for (const n of latexNodes(root)) {
      if (n.type !== "sum" || n.index === undefined || n.body === undefined) continue;
      const read = [...latexNodes(n.body)].filter((m) => m.type === "subscript" && m.index === n.index!.name).map(subscriptBase);
      const first = read.find((v) => v !== undefined);
      for (const v of read) if (v !== undefined) vectors.add(v);
      const length = n.to?.type === "word" && n.to.text.length === 1 ? n.to.text : n.to?.type === "greek" ? n.to.name : undefined;
      if (first !== undefined && length !== undefined && !lengths.has(length)) lengths.set(length, first);
    }
  }
  return { vectors, lengths };
}

// ---------------------------------------------------------------------------------------------
// A map between vectors: S(a) : [a_1 … a_N] → [S_1 … S_N]

/** What `S(a) : [a_1 … a_N] \rightarrow [S_1 … S_N]` declares: S maps the vector a, N elements to N. */
export interface VectorMap {
  readonly name: string;
  readonly input: string;
  /** The length's name, N, when the vectors are written out to a_N. */
  readonly length?: string;
  readonly span: Span;
}

/**
 * Reads a map's declaration. The head is `S(a)` (a name applied to one letter), the domain the
 * column vector of a's elements (or `a` itself) and the codomain that of S's, of the same length:
 * actdiff's vector functions give one element per element of their input.
 */
export function readMap(head: LatexNode, from: LatexNode, to: LatexNode, source: string): VectorMap {
  const where = "write the map as S(a) : [a_1 … a_N] \\rightarrow [S_1 … S_N]";
  const items = head.type === "juxt" ? head.items : [];
  const [fn, group] = items;
  const name = fn?.type === "word" ? fn.text : fn?.type === "greek" ? fn.name : fn?.type === "text" ? fn.content : undefined;
  const argument = group?.type === "group" && group.delimiter === "(" && group.items.length === 1 ? group.items[0]! : undefined;
  const input = argument?.type === "word" && argument.text.length === 1 ? argument.text : argument?.type === "greek" ? argument.name : undefined;
  if (items.length !== 2 || name === undefined || input === undefined) raise("the head of a map is a function of one vector, as in S(a)", head.span, source, where);
  const domain = elementsOf(from, input!, source, where);
  const codomain = elementsOf(to, name!, source, where);
  if (domain !== undefined && codomain !== undefined && domain.last !== codomain.last) {
    raise(`${name} maps ${domain.last} elements to ${codomain.last}; actdiff reads maps that give one element per element of their input`, to.span, source);
  }
  const length = domain?.last ?? codomain?.last;
  return { name: name!, input: input!, ...(length !== undefined && /^[A-Za-z]$/.test(length) ? { length } : {}), span: join(head, to) };
}

/** `[v_1 … v_N]` written as a column: the last index, N. Or `v` alone: undefined. */
function elementsOf(node: LatexNode, vector: string, source: string, where: string): { last: string } | undefined {
  if ((node.type === "word" && node.text === vector) || (node.type === "greek" && node.name === vector)) return undefined;
  if (node.type !== "matrix" || node.rows.some((r) => r.length !== 1)) return raise(`expected the elements of ${vector} as a column vector`, node.span, source, where);
  const cells = node.rows.map((r) => r[0]!).map((c) => (c.type === "group" && c.items.length === 1 ? c.items[0]! : c));
  const elements = cells.filter((c) => c.type !== "dots");
  for (const c of elements) {
    if (subscriptBase(c) !== vector && !(c.type === "subscript" && c.base.type === "text" && c.base.content === vector)) {
      raise(`expected an element of ${vector}, as in ${vector}_{1}`, c.span, source, where);
    }
  }
  const indices = elements.map((c) => (c as Extract<LatexNode, { type: "subscript" }>).index);
  if (indices[0] !== "1") raise(`the elements are counted from 1: ${vector}_{1} first`, elements[0]?.span ?? node.span, source, where);
  return { last: indices[indices.length - 1]! };
}
