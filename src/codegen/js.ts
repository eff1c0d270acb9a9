import { mul, num, pow, splitCoefficient } from "../ast/build.js";
import { assertNever, type Branch, type Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";
import { children } from "../ast/walk.js";
import { fnSpec, type FnName } from "../functions/table.js";

/**
 * JavaScript from the AST alone. Names the user wrote never reach the output: inputs become
 * x0, x1 …, parameters p0, p1 …, shared subexpressions t0, t1 …, and helper functions h_<builtin>.
 * A node used more than once is computed once; a piecewise node becomes if/else, so only the
 * taken branch is evaluated and an untaken branch can never produce NaN or Infinity.
 */
export interface Signature {
  readonly inputs: readonly string[];
  readonly params: readonly string[];
}

export interface EmittedFunction {
  /** Parameter list of the generated function, in order: inputs then parameters. */
  readonly args: readonly string[];
  /** Statements of the function body, ending in `return`. */
  readonly body: string;
  /** Builtins called through their `evaluate` helper, to be bound as h_<name>. */
  readonly helpers: readonly FnName[];
}

class Scope {
  readonly lines: string[] = [];
  private readonly names = new Map<number, string>();
  constructor(readonly parent?: Scope, readonly indent = "  ") {}
  lookup(e: Expr): string | undefined {
    return this.names.get(e.id) ?? this.parent?.lookup(e);
  }
  bind(e: Expr, name: string): void {
    this.names.set(e.id, name);
  }
}

/** Emits one function computing `roots` (returned as one value, or as an array when several). */
export function emitFunction(roots: readonly Expr[], signature: Signature): EmittedFunction {
  const uses = countUses(roots);
  const helpers = new Set<FnName>();
  let temps = 0;
  const fresh = (): string => `t${temps++}`;
  const root = new Scope();
  const args = [...signature.inputs.map((_, i) => `x${i}`), ...signature.params.map((_, i) => `p${i}`)];
  const symbols = new Map<string, string>();
  signature.inputs.forEach((n, i) => symbols.set(n, `x${i}`));
  signature.params.forEach((n, i) => symbols.set(n, `p${i}`));

  const emit = (e: Expr, scope: Scope): string => {
    const known = scope.lookup(e);
    if (known !== undefined) return known;
    if (e.kind === "piecewise") return emitPiecewise(e, scope);
    const code = render(e, scope);
    if ((uses.get(e.id) ?? 0) > 1 && !isTrivial(e)) {
      const t = fresh();
      scope.lines.push(`${scope.indent}const ${t} = ${code};`);
      scope.bind(e, t);
      return t;
    }
    return code;
  };

  const emitPiecewise = (e: Extract<Expr, { kind: "piecewise" }>, scope: Scope): string => {
    const target = fresh();
    scope.lines.push(`${scope.indent}let ${target};`);
    emitChain(e.branches, e.otherwise, target, scope);
    scope.bind(e, target);
    return target;
  };

  // Conditions are evaluated lazily too: the n-th only when the earlier ones were false.
  const emitChain = (branches: readonly Branch[], otherwise: Expr, target: string, scope: Scope): void => {
    const [first, ...rest] = branches;
    if (first === undefined) {
      const value = emit(otherwise, scope);
      scope.lines.push(`${scope.indent}${target} = ${value};`);
      return;
    }
    const test = emit(first.when, scope);
    const taken = new Scope(scope, scope.indent + "  ");
    const value = emit(first.then, taken);
    const untaken = new Scope(scope, scope.indent + "  ");
    emitChain(rest, otherwise, target, untaken);
    scope.lines.push(
      `${scope.indent}if (${test}) {`, ...taken.lines, `${taken.indent}${target} = ${value};`,
      `${scope.indent}} else {`, ...untaken.lines, `${scope.indent}}`,
    );
  };

  const render = (e: Expr, scope: Scope): string => {
    const sub = (c: Expr): string => emit(c, scope);
    switch (e.kind) {
      case "num": {
        const v = Q.toNumber(e.value);
        return v < 0 || Object.is(v, -0) ? `(${v})` : String(v);
      }
      case "sym": {
        const name = symbols.get(e.name);
        if (name === undefined) throw new Error(`internal error: '${e.name}' is neither an input nor a parameter`);
        return name;
      }
      case "const": return e.name === "pi" ? "Math.PI" : "Math.E";
      case "call": {
        const spec = fnSpec(e.fn);
        const a = e.args.map(sub);
        if (spec.js) return spec.js(a);
        helpers.add(e.fn);
        return `h_${e.fn}(${a.join(", ")})`;
      }
      case "add": {
        const parts = e.terms.map((t, i) => {
          const [c, rest] = splitCoefficient(t);
          if (i > 0 && Q.isNegative(c)) return ` - ${sub(mul(num(Q.neg(c)), rest))}`;
          return `${i > 0 ? " + " : ""}${sub(t)}`;
        });
        return `(${parts.join("")})`;
      }
      case "mul": {
        // One division instead of a multiplication by a reciprocal: one rounding fewer.
        const top: string[] = [];
        const bottom: string[] = [];
        for (const f of e.factors) {
          if (f.kind === "pow" && f.exponent.kind === "num" && Q.isNegative(f.exponent.value)) {
            bottom.push(sub(Q.equals(f.exponent.value, Q.fromInteger(-1)) ? f.base : pow(f.base, num(Q.neg(f.exponent.value)))));
          } else top.push(sub(f));
        }
        const numerator = top.length ? top.join(" * ") : "1";
        return bottom.length ? `(${numerator} / ${bottom.length > 1 ? `(${bottom.join(" * ")})` : bottom[0]})` : `(${numerator})`;
      }
      case "pow": return renderPow(sub(e.base), e.exponent, sub);
      case "compare": return `(${sub(e.left)} ${e.op === "==" ? "===" : e.op === "!=" ? "!==" : e.op} ${sub(e.right)})`;
      case "logic": return `(${e.args.map(sub).join(e.op === "and" ? " && " : " || ")})`;
      case "not": return `(!${sub(e.arg)})`;
      case "piecewise": return emitPiecewise(e, scope);
      case "derivative": throw new Error("internal error: derivatives must be evaluated before code generation");
      default: return assertNever(e);
    }
  };

  const values = roots.map((r) => emit(r, root));
  const result = values.length === 1 ? values[0]! : `[${values.join(", ")}]`;
  return { args, body: [...root.lines, `  return ${result};`].join("\n"), helpers: [...helpers].sort() };
}

function renderPow(base: string, exponent: Expr, sub: (e: Expr) => string): string {
  if (exponent.kind === "num") {
    const k = exponent.value;
    if (Q.equals(k, Q.rational(1n, 2n))) return `Math.sqrt(${base})`;
    if (Q.equals(k, Q.fromInteger(2)) && /^[\w.]+$/.test(base)) return `(${base} * ${base})`;
  }
  return `(${base} ** ${sub(exponent)})`;
}

const isTrivial = (e: Expr): boolean => e.kind === "num" || e.kind === "sym" || e.kind === "const";

function countUses(roots: readonly Expr[]): Map<number, number> {
  const uses = new Map<number, number>();
  const seen = new Set<number>();
  const visit = (e: Expr): void => {
    uses.set(e.id, (uses.get(e.id) ?? 0) + 1);
    if (seen.has(e.id)) return;
    seen.add(e.id);
    children(e).forEach(visit);
  };
  roots.forEach(visit);
  return uses;
}
