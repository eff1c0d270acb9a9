import { div, mul, neg, pow, sub, sym, TWO, ZERO } from "../ast/build.js";
import type { Expr } from "../ast/nodes.js";
import { print } from "../ast/print.js";
import * as Q from "../ast/rational.js";
import { freeSymbols, postorder, substitute, transform } from "../ast/walk.js";
import { catalogDefinition, availableActivations } from "../catalog/catalog.js";
import { diff, expandDerivatives } from "../diff/diff.js";
import { evaluateBig, agree } from "../numeric/evaluate.js";
import { simplify } from "../simplify/simplify.js";
import type { Binding } from "./claims.js";
import { decideEquality } from "./exp-rational.js";
import { exactBreakpoints, isPiecewise, piecesOf, specialise } from "./pieces.js";

/**
 * The likely slip behind a refuted claim. Each candidate repairs the claimed side in one way
 * (read its x as the output y, flip its sign, add the chain-rule factor …) and asks whether the
 * repaired side equals the true one; the first repair that works names the slip. The questions
 * are answered by the exp-rational decision procedure where it applies, else at sample points
 * to 30 digits: a hint is a diagnosis, not a verdict.
 */
export type Slip =
  | "output-form" // right in terms of the output y = f(x), but written in x (or with y undefined)
  | "input-form" // right in terms of the input, but the where clause says the letter is the output
  | "mislabelled-derivative" // the claimed f′ is f itself, or the claimed f is f′
  | "wrong-order" // the claimed f″ is f′, or the claimed f′ is f″
  | "chain-rule" // a factor u′ of the chain rule is missing
  | "factor" // off by a constant (or parameter) factor
  | "sign" // the whole right side has the wrong sign
  | "argument-sign" // f(−x) written for f(x)
  | "term-sign" // one term of a sum has the wrong sign
  | "dropped-square" // u written for u²
  | "extra-square" // u² written for u
  | "other-function"; // the right side is another catalog function

export interface Diagnosis { readonly slip: Slip; readonly hint: string }

export interface DiagnosisInput {
  /** The side taken as true, as written: a Derivative node for a derivative claim. */
  readonly truth: Expr;
  /** The claimed side with `where` names substituted, and as written. */
  readonly claimed: Expr;
  readonly writtenClaimed: Expr;
  readonly where: readonly Binding[];
  readonly variable: string;
  /** The counterexample: piecewise sides are diagnosed on the piece that contains it. */
  readonly at?: Readonly<Record<string, number>>;
  readonly piece?: string;
  /** The function's name as the writer wrote it, for messages. */
  readonly name?: string;
}

export function diagnose(input: DiagnosisInput): Diagnosis | undefined {
  const { variable: x } = input;
  const ctx: Same = { x, params: paramsAt(input) };
  const eq = (a: Expr, b: Expr): boolean => same(a, b, ctx);
  const whole = (e: Expr): Expr => simplify(expandDerivatives(e));
  const d = input.truth.kind === "derivative" ? input.truth : undefined;
  // How to call the function in messages: the builtin call as written (tanh(2 * x)), else its name.
  const written = d?.expr ?? input.truth;
  const name = input.name ?? (written.kind === "call" ? written.fn : undefined);
  const fName = written.kind === "call" ? print(written) : name === undefined ? "f" : d !== undefined && freeSymbols(d.expr).size > 1 ? name : `${name}(${x})`;

  // Slips of the whole claim first, on the whole function (every piece at once) …
  const T = whole(input.truth);
  const R = whole(input.claimed);
  const f = d ? whole(d.expr) : undefined;
  const global = wholeClaimSlips({ T, R, W: whole(input.writtenClaimed), f, d, x, fName, name, where: input.where, eq, whole });
  if (global) return global;

  // … then local slips: on the whole function, else on the piece where the counterexample lies.
  const everywhere = localSlips({ T, R, f, d, x, fName, eq });
  if (everywhere) return everywhere;
  if (input.at === undefined || (!isPiecewise(T) && !isPiecewise(R))) return undefined;
  const at = new Map(Object.entries(input.at));
  const focus = (e: Expr): Expr => specialise(whole(e), at);
  const local = localSlips({ T: focus(input.truth), R: focus(input.claimed), f: d ? focus(d.expr) : undefined, d, x, fName, eq });
  return local ? { slip: local.slip, hint: `on the piece ${pieceLabel([T, R], x, input)}: ${local.hint}` } : undefined;
}

interface Parts {
  readonly T: Expr;
  readonly R: Expr;
  readonly f: Expr | undefined;
  readonly d: Extract<Expr, { kind: "derivative" }> | undefined;
  readonly x: string;
  readonly fName: string;
  readonly eq: (a: Expr, b: Expr) => boolean;
}

function wholeClaimSlips(p: Parts & { W: Expr; name: string | undefined; where: readonly Binding[]; whole: (e: Expr) => Expr }): Diagnosis | undefined {
  const { T, R, W, f, d, x, fName, name, eq, whole } = p;
  const say = (slip: Slip, hint: string): Diagnosis => ({ slip, hint });
  if (eq(R, neg(T))) return say("sign", `the sign is wrong: the right side is −1 times ${d ? `the derivative of ${fName}` : "the left side"}`);
  if (d !== undefined && f !== undefined) {
    // A derivative claim: is the claimed side the function, or a derivative of another order?
    const n = d.order;
    if (eq(R, f)) return say("mislabelled-derivative", `the right side is ${fName} itself, not its ${ordinal(n)} derivative: a function labelled as its derivative`);
    if (eq(R, whole(diff(f, d.wrt, n + 1)))) return say("wrong-order", `the right side is the ${ordinal(n + 1)} derivative of ${fName}, not the ${ordinal(n)}`);
    if (n > 1 && eq(R, whole(diff(f, d.wrt, n - 1)))) return say("wrong-order", `the right side is the ${ordinal(n - 1)} derivative of ${fName}, not the ${ordinal(n)}`);
    if (n === 1) {
      const output = outputForm(p);
      if (output) return output;
    }
    return undefined;
  }
  // An identity `f(x) = …`: is the claimed side f′ under f's name, or another function?
  const fPrime = whole(diff(T, x));
  if (fPrime !== ZERO && eq(R, fPrime)) {
    return say("mislabelled-derivative", `the right side is the derivative of ${name ? fName : "the left side"}, labelled as ${name ? fName : "the function"} itself: a derivative mislabelled as the function`);
  }
  if (name !== undefined) {
    for (const entry of availableActivations()) {
      const g = catalogDefinition(entry.name);
      if (g === undefined || g.inputs.length !== 1 || entry.name === name) continue;
      const gx = substitute(g.body, new Map([[g.inputs[0]!, sym(x)]]));
      const gDefaults = substitute(gx, new Map(g.params.flatMap((q) => (q.defaultValue ? [[q.name, q.defaultValue] as const] : []))));
      if (eq(R, whole(gDefaults))) return say("other-function", `the right side is ${entry.name}(${x}), not ${fName}`);
    }
  }
  return undefined;
}

/** y = f(x) written as x, y left undefined, or the where clause the wrong way round. */
function outputForm(p: Parts & { W: Expr; where: readonly Binding[]; whole: (e: Expr) => Expr }): Diagnosis | undefined {
  const { T, R, W, f, x, eq, whole } = p;
  if (f === undefined) return undefined;
  const yOf = print(f);
  for (const b of p.where) {
    const value = whole(b.value);
    if (!eq(value, f) && eq(substitute(W, new Map([[b.name, f]])), T)) {
      return { slip: "output-form", hint: `right in output form with ${b.name} = ${yOf}, but the where clause says ${b.name} = ${print(value)}` };
    }
    if (eq(substitute(W, new Map([[b.name, sym(x)]])), T)) {
      return {
        slip: "input-form",
        hint: `right in input form, wrong in output form: ${print(W)} is the derivative when ${b.name} is the input ${x}, but ${b.name} is the output ${print(value)} here; in terms of ${x} the derivative is ${print(T)}`,
      };
    }
  }
  const truthNames = freeSymbols(T);
  for (const s of [...freeSymbols(R)].filter((s) => s !== x && !truthNames.has(s))) {
    if (eq(substitute(R, new Map([[s, f]])), T)) {
      return { slip: "output-form", hint: `right in output form, reading ${s} as the output ${yOf}; but ${s} is never defined: add \`where ${s} = ${yOf}\`` };
    }
  }
  if (freeSymbols(R).has(x) && !freeSymbols(R).has("y") && eq(substitute(R, new Map([[x, f]])), T)) {
    const asOutput = print(substitute(R, new Map([[x, sym("y")]])));
    return {
      slip: "output-form",
      hint: `right in output form, wrong in input form: ${asOutput} with y = ${yOf} is the derivative, but it is written in the input ${x}; in terms of ${x} it is ${print(T)}`,
    };
  }
  return undefined;
}

function localSlips(p: Parts): Diagnosis | undefined {
  const { T, R, f, d, x, fName, eq } = p;
  const say = (slip: Slip, hint: string): Diagnosis => ({ slip, hint });
  if (eq(R, neg(T))) return say("sign", `the sign is wrong: the right side is −1 times ${d ? `the derivative of ${fName}` : "the left side"}`);
  if (d !== undefined && eq(R, simplify(substitute(T, new Map([[x, neg(sym(x))]]))))) {
    return say("argument-sign", `the right side is the true one at −${x} instead of ${x}`);
  }
  // A missing factor: the chain rule's u′, or a constant.
  if (f !== undefined && d?.order === 1) {
    for (const u of innerArguments(f, d.wrt)) {
      const du = simplify(diff(u, d.wrt));
      if (eq(mul(R, du), T)) {
        const inner = `d(${print(u)})/d${d.wrt}`;
        return say("chain-rule", `a chain-rule factor is missing: the derivative of ${fName} is the outer derivative at ${print(u)} times ${inner} = ${print(du)}, and the right side lacks the factor ${print(du)}`);
      }
    }
  }
  // T/R free of x is a constant (or parameter) factor: simplify is sound, so T = ratio·R wherever R ≠ 0.
  const ratio = simplify(div(T, R));
  if (!freeSymbols(ratio).has(x) && !(ratio.kind === "num" && (Q.isZero(ratio.value) || Q.isOne(ratio.value)))) {
    return say("factor", `off by a factor: the true value is ${print(ratio)} times the right side`);
  }
  // One local slip inside the right side.
  for (const s of candidates(R)) {
    if (eq(replace(R, s, pow(s, TWO)), T)) return say("dropped-square", `a square is missing: ${print(s)} should be (${print(s)})^2`);
  }
  for (const q of postorder(R)) {
    if (q.kind === "pow" && q.exponent === TWO && eq(replace(R, q, q.base), T)) return say("extra-square", `${print(q)} should not be squared: ${print(q.base)}`);
  }
  for (const a of postorder(R)) {
    if (a.kind !== "add") continue;
    for (const t of a.terms) {
      const flipped = sub(a, mul(TWO, t));
      if (eq(replace(R, a, flipped), T)) return say("term-sign", `the sign of the term ${print(t)} is wrong: ${print(a)} should be ${print(flipped)}`);
    }
  }
  return undefined;
}

/** `x < 0` for the exact piece that holds the counterexample, else the piece the verifier named. */
function pieceLabel(sides: readonly Expr[], x: string, input: DiagnosisInput): string {
  const v = input.at?.[x];
  const bps = v === undefined ? undefined : exactBreakpoints(sides, x);
  const piece = bps && piecesOf(bps, x).find((p) => (p.lo === undefined || Q.toNumber(p.lo) < v!) && (p.hi === undefined || v! < Q.toNumber(p.hi)));
  return piece?.label ?? input.piece ?? `around ${x} = ${v}`;
}

const ordinal = (n: number): string => (n === 1 ? "first" : n === 2 ? "second" : n === 3 ? "third" : `${n}th`);

/** Arguments of calls inside f that depend on the variable and are not the variable itself. */
function innerArguments(f: Expr, x: string): Expr[] {
  const out = new Map<number, Expr>();
  for (const n of postorder(f)) {
    if (n.kind !== "call") continue;
    for (const a of n.args) if (a.kind !== "sym" && freeSymbols(a).has(x)) out.set(a.id, a);
  }
  return [...out.values()];
}

/** Subexpressions where a square may have been dropped: calls, symbols and sums, at most 40. */
function candidates(e: Expr): Expr[] {
  return postorder(e).filter((n) => n.kind === "call" || n.kind === "sym" || n.kind === "add").slice(0, 40);
}

const replace = (e: Expr, target: Expr, by: Expr): Expr => transform(e, (n) => (n === target ? by : n));

function paramsAt(input: DiagnosisInput): Map<string, Q.Rational> {
  const out = new Map<string, Q.Rational>();
  for (const [k, v] of Object.entries(input.at ?? {})) if (k !== input.variable) out.set(k, Q.fromNumber(v));
  return out;
}

// ---------------------------------------------------------------------------------------------
// "Is a the same function as b?" — cheaply, for diagnosis only.

interface Same { readonly x: string; readonly params: ReadonlyMap<string, Q.Rational> }

const POINTS = [-3.5, -1.7, -0.6, -0.15, 0.35, 0.8, 1.3, 2.2, 4.1].map(Q.fromNumber);
const PARAM_DEFAULTS = [Q.rational(3n, 2n), Q.rational(7n, 10n)];

function same(a: Expr, b: Expr, ctx: Same): boolean {
  const A = simplify(expandDerivatives(a));
  const B = simplify(expandDerivatives(b));
  if (A === B) return true;
  try {
    const decision = decideEquality(A, B);
    if (decision.verdict === "proved-equal") return true;
    if (decision.verdict === "proved-different") return false;
  } catch {
    // the decision procedure is an accelerator here; sampling below decides
  }
  if (simplify(sub(A, B)) === ZERO) return true;
  const names = [...new Set([...freeSymbols(A), ...freeSymbols(B)])].filter((n) => n !== ctx.x);
  const sets = PARAM_DEFAULTS.map((d) => new Map(names.map((n) => [n, ctx.params.get(n) ?? d])));
  let compared = 0;
  for (const params of sets) {
    for (const p of POINTS) {
      const env = new Map([...params, [ctx.x, p]]);
      let va;
      let vb;
      try {
        va = evaluateBig(A, env, 60);
        vb = evaluateBig(B, env, 60);
      } catch {
        return false;
      }
      if (va.isNaN() && vb.isNaN()) continue;
      if (va.isZero() && vb.abs().lt(1e-40)) { compared++; continue; }
      if (vb.isZero() && va.abs().lt(1e-40)) { compared++; continue; }
      if (!agree(va, vb, 30)) return false;
      compared++;
    }
  }
  return compared >= 6;
}

