import { BOUND_PREFIX, idx, len, sym, vcall } from "./build.js";
import type { Elem, Expr, Len, Reduce, VCall } from "./nodes.js";
import { indexName, printInner, printsWhole } from "./print.js";
import { freeIndices, freeSymbols, postorder, transform } from "./walk.js";

/**
 * Vectors in the formula language, as people write them and so that they parse back: numpy
 * style where a reduction runs over whole vectors (`sum(exp(x))`, `softmax(-x)_i`), index
 * style where it does not (`sum(x_k * y_k, k)`, `max(z[2 * i + k], k, 0, 2)`).
 */
export type IndexNames = ReadonlyMap<string, string>;

const LETTERS = ["k", "l", "m", "n", "p", "q", "r", "s", "t", "u", "v", "w"];

/** Letters for the bound indices §n of e, avoiding every free index and symbol name of e. */
export function boundIndexNames(e: Expr): IndexNames {
  const bound = new Set<string>();
  const taken = new Set<string>([...freeIndices(e), ...freeSymbols(e)]);
  for (const n of postorder(e)) {
    if (n.kind === "idx" && n.name.startsWith(BOUND_PREFIX)) bound.add(n.name);
    if (n.kind === "reduce" || n.kind === "vcall") bound.add(n.index);
  }
  const free = LETTERS.filter((l) => !taken.has(l));
  // Inner binders have smaller numbers: k for the innermost, then l, m, …
  return new Map([...bound].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1))).map((name, i) => [name, free[i] ?? `k${i + 1}`]));
}

export function renderIndexed(e: Elem | Len | Reduce | VCall): string {
  switch (e.kind) {
    case "elem": return `${e.vector}${subscript(e.index)}`;
    case "len": return `len(${e.vector})`;
    case "reduce": return renderReduce(e);
    case "vcall": {
      const vector = wholeVector(e.body, e.index, e.length) ?? `${printInner(e.body)}, ${indexName(e.index)}`;
      return `${e.fn}(${vector})${e.at === undefined ? "" : subscript(e.at)}`;
    }
  }
}

/** `_i` after a plain index, `[expr]` after anything else. */
const subscript = (index: Expr): string =>
  index.kind === "idx" && printsWhole(index.name) ? ""
    : index.kind === "idx" && /^[A-Za-z]+$/.test(indexName(index.name)) ? `_${indexName(index.name)}` : `[${printInner(index)}]`;

function renderReduce(e: Reduce): string {
  const whole = e.from.kind === "num" && e.from.value.n === 0n ? wholeVector(e.body, e.index, e.to) : undefined;
  if (whole !== undefined) return `${e.op}(${whole})`;
  const group = groupForm(e);
  if (group !== undefined) return group;
  const range = e.from.kind === "num" && e.from.value.n === 0n && e.to.kind === "len" ? "" : `, ${printInner(e.from)}, ${printInner(e.to)}`;
  return `${e.op}(${printInner(e.body)}, ${indexName(e.index)}${range})`;
}

/**
 * The body over index k as a whole-vector expression, when k occurs only as the index of
 * elements and of vector functions of that length: exp(x_k − m) over k < len(x) is `exp(x - m)`.
 */
function wholeVector(body: Expr, index: string, length: Expr): string | undefined {
  const k = idx(index);
  let fits = true;
  const replaced = transform(body, (n) => {
    // Vectors read at k run over the whole range: they are as long as it (a definition's vectors share one length).
    if (n.kind === "elem" && n.index === k) return sym(n.vector);
    // softmax(v)_k over k: the vector softmax(v), printed without its subscript.
    if (n.kind === "vcall" && n.at === k) {
      if (length !== n.length) fits = false;
      return vcall(n.fn, n.index, n.length, n.body, undefined);
    }
    return n;
  });
  if (!fits || freeIndices(replaced).has(index)) return undefined;
  return printInner(replaced);
}

/** max(z[K·g + t], t, 0, K): the groupmax (groupmin) of z in groups of K, at group g. */
function groupForm(e: Reduce): string | undefined {
  if ((e.op !== "max" && e.op !== "min") || e.from.kind !== "num" || e.from.value.n !== 0n || e.body.kind !== "elem") return undefined;
  const size = e.to;
  const at = e.body.index;
  if (at.kind !== "add" || at.terms.length !== 2) return undefined;
  const t = idx(e.index);
  const [offset, start] = at.terms[0] === t ? [at.terms[0], at.terms[1]!] : at.terms[1] === t ? [at.terms[1], at.terms[0]!] : [undefined, undefined];
  if (offset === undefined || start.kind !== "mul" || start.factors.length !== 2) return undefined;
  const group = start.factors.find((f) => f !== size && f.kind === "idx");
  if (group === undefined || !start.factors.includes(size) || freeIndices(size).size > 0) return undefined;
  return `group${e.op}(${e.body.vector}, ${printInner(size)})${subscript(group)}`;
}

