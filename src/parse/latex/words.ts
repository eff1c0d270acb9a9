/** Italic letters side by side: which runs are names and which are products of one-letter factors. */
import { functionNames } from "../../functions/table.js";
import { didYouMean } from "../suggest.js";
import { raise, type LowerContext } from "./context.js";
import { argumentGroup, knownFunction } from "./function-refs.js";
import type { LatexNode } from "./syntax.js";

/** Italic letters: a known name stays whole; `ax` and `ae^{x}` are products of letters. */
export function expandWords(items: readonly LatexNode[], ctx: LowerContext): LatexNode[] {
  const out: LatexNode[] = [];
  items.forEach((item, i) => {
    const word = innermostWord(item);
    if (word === undefined || word.text.length === 1 || word.text === "pi" || knownFunction(word.text, ctx.scope) !== undefined) {
      out.push(item);
      return;
    }
    const letters = /^[A-Za-z]*/.exec(word.text)![0].length;
    if (letters >= 3) {
      // Before parentheses an unknown word is a function's name (resolve.ts suggests a spelling).
      if (item === word && argumentGroup(items[i + 1], false) !== undefined) return void out.push(item);
      // `abx`, `axe^{x}`: single-letter factors, in a short run or when each letter is declared.
      const declared = [...word.text].every((c) => !/[A-Za-z]/.test(c) || ctx.variables?.has(c) === true);
      // A long word is a name, not a product of five letters: `Leaky` or a misspelt `sigmod`.
      if (letters > 4 && !declared) raise("E_UNKNOWN_NAME", `unknown name '${word.text}'`, word.span, ctx,
        didYouMean(word.text, [...functionNames(), ...ctx.scope.names()]) ?? "letters side by side multiply only in short runs: write a x, or a name as \\mathrm{name}");
    }
    const pieces = word.text.match(/[A-Za-z]|[0-9]+/g)!;
    let at = 0;
    const nodes = pieces.map((text): LatexNode => {
      const span = { ...word.span, offset: word.span.offset + at, column: word.span.column + at, length: text.length };
      at += text.length;
      return /^[0-9]/.test(text) ? { type: "number", text, span } : { type: "word", text, span };
    });
    out.push(...nodes.slice(0, -1), replaceInnermost(item, nodes[nodes.length - 1]!));
  });
  return out;
}

function innermostWord(node: LatexNode): Extract<LatexNode, { type: "word" }> | undefined {
  if (node.type === "word") return node;
  if (node.type === "power" || node.type === "prime" || node.type === "subscript") return innermostWord(node.base);
  return undefined;
}

/** `ae^{x}` → the power now applies to `e` alone. */
function replaceInnermost(node: LatexNode, piece: LatexNode): LatexNode {
  if (node.type === "power" || node.type === "prime" || node.type === "subscript") {
    const base = replaceInnermost(node.base, piece);
    return { ...node, base, span: { ...node.span, offset: piece.span.offset, column: piece.span.column, length: node.span.offset + node.span.length - piece.span.offset } };
  }
  return piece;
}
