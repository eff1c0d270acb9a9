import { call, num, pow, splitCoefficient, sym } from "../ast/build.js";
import { assertNever, intern, sameNodes, shapeHash, type Add, type Expr, type Mul } from "../ast/nodes.js";
import { print } from "../ast/print.js";
import * as Q from "../ast/rational.js";
import { postorder } from "../ast/walk.js";
import { compileExpr, type NumericFunction } from "../codegen/compile.js";
import { fnSpec } from "../functions/table.js";
import { bigContext, type Big } from "../numeric/big.js";
import { evaluateBigShared } from "../numeric/evaluate.js";
import { toDouble } from "../numeric/reference.js";
import { FORMATS, ulpDistance, type Dtype } from "./ulps.js";

/**
 * Which subexpression's rounding causes an error: local-error localisation as Herbie does it
 * (Panchekha et al., PLDI 2015). At a point, every node the generated code evaluates gets its
 * operands exactly (BigNumber), rounded once to a double, as if everything below it were
 * correctly rounded; the node's own float operation is applied to them — the operation the
 * generated code performs, compiled by the one code generator (a node lowered with its operands
 * as inputs, so `a - 2·b`, `a / b²`, `sqrt(u)` are the subtraction, the division, the Math.sqrt
 * the code runs) — and compared with the node's exact value. The node whose local error is
 * largest over a region is the one to rewrite.
 *
 * One refinement over Herbie: a function call whose error is its argument's rounding amplified
 * (log(1 + x) near x = 0: log is exact enough, but 1 + x rounded has lost x's low digits) passes the
 * blame to the argument, which is what a rewrite must remove (log1p(x) never forms 1 + x). A sum
 * keeps the blame of its cancellation (1 + erf(u) near u = −6: the sum of two rounded operands).
 */
export interface Blame {
  /** The subexpression, in the formula language. */
  readonly expr: string;
  /** Its local error in ulps of the dtype (the largest over the points looked at). */
  readonly localUlps: number;
  /** Where that largest local error was seen. */
  readonly x: number;
}

interface LocalOp {
  readonly node: Expr;
  /** The operands, as the code evaluates them before this node's operation. */
  readonly operands: readonly Expr[];
  readonly run: NumericFunction;
}

/** Local errors of the nodes of one expression, with its float operations compiled once. */
export class Localizer {
  private readonly ops: LocalOp[] = [];

  constructor(
    readonly expr: Expr,
    private readonly variable: string,
    private readonly params: ReadonlyMap<string, Q.Rational>,
    /** Compile the float operations without `new Function` (an audit in a page or worker under a CSP). */
    csp = false,
  ) {
    const paramNames = [...params.keys()];
    for (const node of new Set(postorder(expr))) {
      const local = localForm(node);
      if (local === undefined) continue;
      const run = compileExpr(local.form, { inputs: local.operands.map((_, i) => operandName(i)), params: paramNames }, { stable: false, csp });
      this.ops.push({ node, operands: local.operands, run });
    }
  }

  /**
   * Local errors at x, largest first: for each node evaluated at x (the taken branches of
   * piecewise values only), its error in ulps of the dtype and the subexpression blamed.
   */
  at(x: number, precision: number, dtype: Dtype): { readonly expr: Expr; readonly ulps: number }[] {
    const env = new Map(this.params);
    env.set(this.variable, Q.fromNumber(x));
    const memo = new Map<number, Big>();
    const exact = (e: Expr): Big => evaluateBigShared(e, env, precision, memo);
    try {
      exact(this.expr);
    } catch {
      return [];
    }
    const paramValues = [...this.params.values()].map(Q.toNumber);
    const out: { expr: Expr; ulps: number }[] = [];
    for (const op of this.ops) {
      const truth = memo.get(op.node.id);
      if (truth === undefined || truth.isNaN()) continue; // not evaluated at x: an untaken branch
      let operands: Big[];
      try {
        operands = op.operands.map(exact);
      } catch {
        continue;
      }
      const rounded = operands.map(toDouble);
      const got = op.run(...rounded, ...paramValues);
      const ulps = distance(got, toDouble(truth), dtype);
      if (!(ulps > 0)) continue;
      // A call whose error is its argument's rounding: the blame goes to the argument.
      if (op.node.kind === "call" && op.node.args.length === 1 && op.operands[0] === op.node.args[0]) {
        const D = bigContext(precision);
        const atRounded = fnSpec(op.node.fn).evaluateBig(D, [new D(rounded[0]!)]);
        const fromArgument = distance(toDouble(atRounded), toDouble(truth), dtype);
        if (fromArgument >= ulps / 2 && fromArgument > 1) {
          out.push({ expr: op.operands[0]!, ulps: fromArgument });
          continue;
        }
      }
      out.push({ expr: op.node, ulps });
    }
    return out.sort((a, b) => b.ulps - a.ulps);
  }

  /** The node blamed over several points: the largest local error among them. */
  blame(xs: readonly number[], precisionAt: (x: number) => number, dtype: Dtype): Blame | undefined {
    let best: Blame | undefined;
    for (const x of xs) {
      const top = this.at(x, precisionAt(x), dtype)[0];
      if (top !== undefined && (best === undefined || top.ulps > best.localUlps)) best = { expr: print(top.expr), localUlps: top.ulps, x };
    }
    return best;
  }
}

/** Ulps between a float result and the truth, in the dtype; a non-finite result where the truth is finite counts as Infinity. */
function distance(got: number, truth: number, dtype: Dtype): number {
  const round = FORMATS[dtype].round;
  if (Number.isNaN(truth)) return 0;
  if (!Number.isFinite(got)) return got === round(truth) ? 0 : Infinity;
  return ulpDistance(round(got), round(truth), dtype);
}

const operandName = (i: number): string => `operand${i}`;

/**
 * A node as the code generator computes it from its operands: each child replaced by an input,
 * except where the lowering reaches through a child (a factor b^(−k) is a division by b^k, a term
 * −c·u is a subtraction of c·u). Sums and products are rebuilt in their order (the builders would
 * sort the new terms), so the operations run in the order the generated code runs them. Leaves and
 * control flow have no operation of their own.
 */
function localForm(node: Expr): { readonly form: Expr; readonly operands: readonly Expr[] } | undefined {
  const operands: Expr[] = [];
  const input = (e: Expr): Expr => {
    if (e.kind === "num" || e.kind === "const") return e;
    let i = operands.indexOf(e);
    if (i < 0) i = operands.push(e) - 1;
    return sym(operandName(i));
  };
  switch (node.kind) {
    case "num": case "const": case "sym": case "piecewise": case "compare": case "logic": case "not": case "derivative":
    case "idx": case "elem": case "len": case "reduce": case "vcall":
      return undefined;
    case "call": return { form: call(node.fn, node.args.map(input)), operands };
    case "pow": {
      const exponent = node.exponent.kind === "num" ? node.exponent : input(node.exponent);
      return { form: pow(input(node.base), exponent), operands };
    }
    case "mul": {
      const factors = node.factors.map((f) =>
        f.kind === "pow" && f.exponent.kind === "num" && Q.isNegative(f.exponent.value) ? pow(input(f.base), f.exponent) : input(f));
      return { form: productInOrder(factors), operands };
    }
    case "add": {
      const terms = node.terms.map((t) => {
        const [c, rest] = splitCoefficient(t);
        return Q.isNegative(c) ? productInOrder([num(c), input(rest)]) : input(t);
      });
      return { form: sumInOrder(terms), operands };
    }
    default: return assertNever(node);
  }
}

const productInOrder = (factors: readonly Expr[]): Expr =>
  intern<Mul>(shapeHash.mixIds(shapeHash.seed("mul"), factors), (e) => e.kind === "mul" && sameNodes(e.factors, factors), (id) => ({ kind: "mul", factors: Object.freeze([...factors]), id }));

const sumInOrder = (terms: readonly Expr[]): Expr =>
  intern<Add>(shapeHash.mixIds(shapeHash.seed("add"), terms), (e) => e.kind === "add" && sameNodes(e.terms, terms), (id) => ({ kind: "add", terms: Object.freeze([...terms]), id }));
