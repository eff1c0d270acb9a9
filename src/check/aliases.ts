import { call, sym } from "../ast/build.js";
import type { Definition, Scope } from "../ast/definition.js";
import type { Expr } from "../ast/nodes.js";
import type * as Q from "../ast/rational.js";
import { freeSymbols, substitute } from "../ast/walk.js";
import { catalogDefinition, catalogEntry } from "../catalog/catalog.js";
import { lookupFunction } from "../functions/table.js";
import type { LatexSide } from "../parse/latex/read.js";
import { knownFunction } from "../parse/latex/function-refs.js";
import type { MathSegment } from "./scan.js";

/**
 * Names a document uses for an activation it names in words: a placeholder (g, f, φ) under
 * "sigmoid 激活函数" or "## Leaky ReLU", and a known function's parameter under another name.
 */

/**
 * A derivative of a placeholder the document does not define: an unknown name of at most two
 * letters, or a Greek letter. (`g(z) = …` is a definition of g, not a placeholder.)
 */
export function isGenericHead(s: LatexSide): boolean {
  return s.form === "derivative" && s.value === undefined && isPlaceholder(s.name);
}

/** An unknown name of at most two letters, or one of the Greek letters used for "some activation". */
export const isPlaceholder = (name: string): boolean => name.length <= 2 || /^(?:phi|varphi|psi|chi|rho)$/.test(name);

/**
 * The activation `name` stands for, as a function of the document's inputs, to compare a
 * definition under a placeholder name with: `f(y_i) = …` under "## Leaky ReLU" against
 * leaky_relu(y_i). Undefined when the activation has no catalog definition or another arity.
 */
export function placeholderValue(name: string, activation: string, inputs: readonly string[]): { value: Expr; definition: Definition } | undefined {
  const definition = aliasDefinition(name, activation);
  if (definition === undefined || definition.inputs.length !== inputs.length) return undefined;
  const renamed = new Map(definition.inputs.map((input, i) => [input, sym(inputs[i]!)]));
  return { value: substitute(definition.body, renamed), definition };
}

/**
 * The one activation the text right before a formula names (its last line of prose, else the
 * section heading): `对于 sigmoid 激活函数, 其求导展开式为`, `## Leaky ReLU`. Two-word and
 * hyphenated names are tried first (`Leaky ReLU`, `relu-softplus`). None, or several: undefined.
 */
export function activationNamedBefore(seg: MathSegment, scope: Scope): string | undefined {
  const lastLine = seg.proseBefore.split("\n").map((l) => l.trim()).filter((l) => l !== "" && !/^!\[/.test(l)).at(-1);
  for (const text of [lastLine, seg.heading]) {
    if (text === undefined) continue;
    const found = activationsIn(text, scope);
    if (found.size === 1) return [...found][0];
    if (found.size > 1) return undefined;
  }
  return undefined;
}

function activationsIn(text: string, scope: Scope): Set<string> {
  const words = [...text.matchAll(/[A-Za-z][A-Za-z0-9]*(?:\s*[-–—]\s*[A-Za-z][A-Za-z0-9]*)*/g)];
  const found = new Set<string>();
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const next = words[i + 1];
    const gap = next ? text.slice(w.index + w[0].length, next.index) : "";
    if (next && /^ +$/.test(gap)) {
      const pair = knownActivation(`${w[0]} ${next[0]}`, scope);
      if (pair) {
        found.add(pair);
        i++;
        continue;
      }
    }
    const one = knownActivation(w[0], scope);
    if (one) found.add(one);
  }
  return found;
}

function knownActivation(name: string, scope: Scope): string | undefined {
  const known = knownFunction(name, scope);
  return known !== undefined && catalogEntry(known)?.status === "available" ? known : undefined;
}

/** `g` standing for the activation: its catalog definition, the builtin call for sigmoid, tanh, softplus. */
export function aliasDefinition(name: string, activation: string): Definition | undefined {
  const d = catalogDefinition(activation);
  if (d === undefined) return undefined;
  const builtin = catalogEntry(activation)?.builtin ? lookupFunction(activation) : undefined;
  const body = builtin !== undefined ? call(builtin, d.inputs.map((i) => sym(i))) : d.body;
  return { ...d, name, body, source: `${name} = ${activation}` };
}

/** sigmoid, tanh and softplus have no scope entry (the builtin is meant): their parameters are none. */
export function builtinDefinition(name: string): Definition | undefined {
  return lookupFunction(name) !== undefined ? catalogDefinition(name) : undefined;
}

/**
 * A document may call a known function's parameter by another name: the survey writes ELU with
 * `a` where the catalog says `alpha`. When the left side uses exactly one parameter of the
 * function that the right side does not, and the right side exactly one name the left does not,
 * they are the same parameter. Several on either side cannot be matched: undecided.
 */
export function aliasParameters(left: Expr, right: Expr, head: Definition, name: string, variable: string, bindings: ReadonlyMap<string, Expr>):
  { left: Expr; notes: string[]; defaults?: ReadonlyMap<string, Q.Rational> } | { undecided: string } {
  const params = new Set(head.params.map((p) => p.name));
  const l = freeSymbols(left);
  const r = freeSymbols(right);
  const missing = [...l].filter((s) => params.has(s) && !r.has(s) && s !== variable);
  const extra = [...r].filter((s) => !l.has(s) && !params.has(s) && s !== variable && !bindings.has(s));
  if (missing.length === 0 || extra.length === 0) return { left, notes: [] };
  if (missing.length === 1 && extra.length === 1) {
    const value = head.params.find((p) => p.name === missing[0])?.defaultValue;
    return {
      left: substitute(left, new Map([[missing[0]!, sym(extra[0]!)]])), notes: [`${name}'s parameter ${missing[0]} is called ${extra[0]} here`],
      ...(value?.kind === "num" ? { defaults: new Map([[extra[0]!, value.value]]) } : {}),
    };
  }
  return {
    undecided: `undecided: the formula's parameter${extra.length > 1 ? "s" : ""} ${extra.join(", ")} do${extra.length > 1 ? "" : "es"} not correspond one to one to ${name}'s parameter${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`,
  };
}
