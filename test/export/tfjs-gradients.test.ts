import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { define, defaultOf } from "../../src/api/activation.js";
import { availableActivations, inputCount, vectorActivations } from "../../src/catalog/catalog.js";
import type { Expr } from "../../src/ast/nodes.js";
import { lower, type Program, type Stmt, type Value } from "../../src/codegen/program.js";
import { TENSOR_LOWERING } from "../../src/codegen/tfjs/print.js";
import { errorBound, FLOAT32, type Bounded } from "../support/error-bound.js";
import { BACKENDS, importModule, loadTf, moduleDir, type Tensor, type Tf } from "../support/tfjs.js";

/**
 * `actdiff emit --lang tfjs`: on the cpu and on the wasm backend, the op computes f and its
 * gradient — by the inputs and by every parameter — as actdiff's float64 closures do, to float32
 * precision: within SLACK times the float32 rounding error bound of the very Program the module
 * is printed from (lowered as for vector lanes; its float64 value is the closures' to 1e-13) (support/error-bound.ts: a few ulps of the result, more only where the Program
 * itself cancels), or where the result is subnormal (a backend may flush it) within the smallest
 * normal float32. The grid holds both sides of every kink and branch of the catalog (0, 6 and the
 * switch points of the stable forms), the kinks themselves (where the gradient must be the one
 * actdiff's JavaScript takes: relu′(0) = 0, relu6′(6) = 0) and the tails. Inputs are normal
 * float32s: the wasm backend flushes subnormal inputs to zero. The gradient of the gradient is
 * actdiff's second derivative the same way (the gradient is an op whose own gradient is ∂²f).
 */
const SLACK = 2;
const MIN_NORMAL = 2 ** -126;

/**
 * tfjs's wasm backend computes sin and cos to an absolute, not a relative, accuracy. Measured
 * against float64 Math.sin/Math.cos (on every float32 k/10⁴ in [−10, 10], k/10³ in [−100, 100],
 * ±10^(e/100) for e in [−1200, 100], ±88, ±100, ±10⁴): its float32 sin is off by up to 2.45e−7
 * (4.1·2⁻²⁴; sin(−0.125) = −0.12467457 for −0.12467473, 22 ulps; sin(−1e−6) = −7.79e−7) and cos by
 * up to 3.30e−7 (at −89.672), where the cpu backend's sin is within 0.5 ulp. The CALL_ROUNDINGS
 * ulps of the result that errorBound allows a builtin do not cover that, so on the wasm backend
 * each sin and cos call may be off by WASM_TRIG_ABS: the Program is evaluated (float64) with that
 * call moved by ±WASM_TRIG_ABS, and the larger change of each result is added to its bound, summed
 * over the calls (trigSlack). Moved, not linearised: snake's ∂f/∂a = (2ax·cos(ax) − sin²(ax))/a²
 * is first-order insensitive to sin(ax) near 0, but an error δ there changes it by δ² (4.9e−14 at
 * x = −1e−6, where the value is 1e−12).
 */
const WASM_TRIG_ABS = 3.5e-7;
const TRIG = new Set(["sin", "cos"]);

/** For each result, at one point: Σ over the Program's sin and cos calls of the change when that call is moved by ±WASM_TRIG_ABS. */
function trigSlack(program: Program, inputs: readonly number[], params: readonly number[]): number[] {
  let calls = 0;
  const count = (v: Value): void => {
    if (v.op === "call") { if (TRIG.has(v.fn)) calls++; v.args.forEach(count); }
    else if ("arg" in v) count(v.arg);
    else if ("args" in v) v.args.forEach(count);
    else if ("left" in v) { count(v.left); count(v.right); }
  };
  const stmts = (ss: readonly Stmt[], f: (v: Value) => void): void => ss.forEach((s) => {
    if (s.kind === "const" || s.kind === "assign") f(s.value);
    else if (s.kind === "if") { f(s.test); stmts(s.then, f); stmts(s.otherwise, f); }
  });
  stmts(program.body, count);
  program.results.forEach(count);
  const slack = program.results.map(() => 0);
  if (calls === 0) return slack;
  const base = errorBound(program, inputs, params, FLOAT32);
  for (let k = 0; k < calls; k++) {
    // The Program with the k-th sin or cos call moved by δ.
    const moved = (delta: number): Program => {
      let seen = 0;
      const map = (v: Value): Value => {
        switch (v.op) {
          case "call": {
            const call: Value = { ...v, args: v.args.map(map) };
            return TRIG.has(v.fn) && seen++ === k ? { op: "+", left: call, right: { op: "num", value: delta } } : call;
          }
          case "neg": case "indicator": case "!": return { ...v, arg: map(v.arg) };
          case "&&": case "||": return { ...v, args: v.args.map(map) };
          case "num": case "const": case "input": case "param": case "temp": return v;
          default: return { ...v, left: map(v.left), right: map(v.right) };
        }
      };
      const body = (ss: readonly Stmt[]): Stmt[] => ss.map((s) => {
        if (s.kind === "const" || s.kind === "assign") return { ...s, value: map(s.value) };
        if (s.kind === "if") return { ...s, test: map(s.test), then: body(s.then), otherwise: body(s.otherwise) };
        return s;
      });
      return { ...program, body: body(program.body), results: program.results.map(map) };
    };
    const [up, down] = [WASM_TRIG_ABS, -WASM_TRIG_ABS].map((d) => errorBound(moved(d), inputs, params, FLOAT32));
    program.results.forEach((_, r) => {
      const change = Math.max(Math.abs(up![r]!.value - base[r]!.value), Math.abs(down![r]!.value - base[r]!.value));
      slack[r]! += Number.isFinite(change) ? change : 0;
    });
  }
  return slack;
}

/** errorBound, with the wasm backend's sin and cos error added there. */
function backendBound(backend: string, program: Program, inputs: readonly number[], params: readonly number[]): Bounded[] {
  const rows = errorBound(program, inputs, params, FLOAT32);
  if (backend !== "wasm") return rows;
  const slack = trigSlack(program, inputs, params);
  return rows.map((r, k) => ({ value: r.value, bound: r.bound + slack[k]! }));
}

type Op = (...args: unknown[]) => Tensor;
let tf: Tf;
const { dir, remove } = moduleDir("tfjs-gradients");
beforeAll(async () => { tf = await loadTf(); });
afterAll(remove);

const bits = new Float32Array(1);
const words = new Int32Array(bits.buffer);
/** The float32 n steps away from x (a nonzero float32). */
function stepFloat32(x: number, n: number): number {
  bits[0] = x;
  words[0]! += x > 0 ? n : -n;
  return bits[0]!;
}

const POINTS = [0, 6, -6, 1, -1, 0.55, -0.55, -0.7, 0.7, -40, 40, 0.46875, -0.46875, 2, -2];
const SINGLE = [...new Set([
  ...Array.from({ length: 16 * 16 + 1 }, (_, i) => -8 + i / 16),
  ...POINTS.flatMap((p) => (p === 0 ? [0, MIN_NORMAL, -MIN_NORMAL] : [p, stepFloat32(p, -1), stepFloat32(p, 1)])),
  ...POINTS.flatMap((p) => [Math.fround(p - 1e-3), Math.fround(p + 1e-3)]),
  1e-6, -1e-6, 1e-20, -1e-20, 12, -12, 20, -20, 30, -30, 50, -50, 88, -88, 100, -100, 1e4, -1e4,
].map(Math.fround))];
const COARSE = [...new Set([...Array.from({ length: 33 }, (_, i) => -8 + i / 2), ...[0, 1e-6, -1e-6, 20, -20, 50, -50, MIN_NORMAL, -MIN_NORMAL]].map(Math.fround))];

/** The grid for n inputs: every input on SINGLE, or every pair of COARSE. */
function grid(n: number): number[][] {
  if (n === 1) return [SINGLE];
  if (n !== 2) throw new Error("grid: one or two inputs");
  return [COARSE.flatMap((a) => COARSE.map(() => a)), COARSE.flatMap(() => COARSE)];
}

/** Each element of got against the Program's float64 value and its float32 error bound at that point. */
function expectClose(got: ArrayLike<number>, want: readonly Bounded[], closure: readonly number[], what: (i: number) => string): void {
  for (let i = 0; i < want.length; i++) {
    const [g, { value: w, bound }] = [got[i]!, want[i]!];
    // The Program of the module (lowered for lanes: every side computed) is the closures' function, to float64 rounding.
    const c = closure[i]!;
    if (!(Object.is(w, c) || Math.abs(w - c) <= 1e-13 * Math.abs(c) + 1e-300)) expect.fail(`${what(i)}: the Program gives ${w}, the closure ${c}`);
    if (Number.isNaN(w) && Number.isNaN(g)) continue;
    if (Object.is(Math.fround(w), g)) continue;
    if (!(Math.abs(g - w) <= Math.max(SLACK * bound, MIN_NORMAL))) expect.fail(`${what(i)}: ${g}, want ${w} ± ${SLACK * bound}`);
  }
}

const scalarEntries = availableActivations().filter((e) => !vectorActivations().includes(e));
/** User definitions that reach the builtins the catalog does not: erf, min/max ties, clip, floor, pow, atan_tail's tail. */
const USER = [
  "gelu(x) = x * (1 + erf(x / sqrt(2))) / 2",
  "mish(x) = x * tanh(softplus(x))",
  "f(x; lo = -1, hi = 2) = clip(x, lo, hi) + max(x, 0) * min(x, 1)",
  "g(x; a = 3) = abs(x)^1.5 + floor(x) + sign(x) * a",
  "h(x; beta = 1.5) = x * (atan(beta * x) + pi / 2) / pi",
];

describe.each(BACKENDS)("on the %s backend", (backend) => {
  beforeAll(async () => { await tf.setBackend(backend); });

  test.each([...scalarEntries.map((e) => e.name), ...USER])("%s: f, the gradient by each input and by each parameter", async (source) => {
    const a = define(source);
    const name = a.name;
    const m = await importModule<Record<string, Op>>(dir, a.emitModule({ lang: "tfjs" }));
    const op = m[name]!;
    const columns = grid(a.inputs.length);
    const defaults = a.params.map((p) => Math.fround(defaultOf(p)!));
    const paramRecord = Object.fromEntries(a.params.map((p, k) => [p.name, defaults[k]!]));
    const signature = { inputs: a.inputs, params: a.params.map((p) => p.name) };
    const gradient = a.gradient().map((d) => d.expr);
    const byParams = a.params.map((p) => a.derivative(p.name).expr);
    const bounded = (roots: readonly Expr[]): Bounded[][] => {
      const program = lower(roots, signature, TENSOR_LOWERING);
      const rows = columns[0]!.map((_, i) => backendBound(backend, program, columns.map((c) => c[i]!), defaults));
      return roots.map((_, k) => rows.map((r) => r[k]!));
    };
    const want = { f: bounded([a.expr])[0]!, gradient: bounded(gradient), all: bounded([...gradient, ...byParams]) };
    const closures = {
      f: refColumns(a.compile(), columns, paramRecord),
      inputs: a.inputs.map((x) => refColumns(a.derivative(x).compile(), columns, paramRecord)),
      params: a.params.map((p) => refColumns(a.derivative(p.name).compile(), columns, paramRecord)),
    };
    const where = (i: number) => `${name} at (${columns.map((c) => c[i]).join(", ")})`;
    tf.tidy(() => {
      const xs = columns.map((c) => tf.tensor1d(c));
      // Number parameters: the gradient by the inputs alone (the `gradient` Program).
      const byInputs = tf.grads((...ts: Tensor[]) => op(...ts, paramRecord))(xs);
      expectClose(op(...xs, paramRecord).dataSync(), want.f, closures.f, (i) => `f ${where(i)}`);
      byInputs.forEach((g, k) => expectClose(g.dataSync(), want.gradient[k]!, closures.inputs[k]!, (i) => `∂/∂${a.inputs[k]} ${where(i)}`));
      if (a.params.length === 0) return;
      // Tensor parameters, one value per element: each element's gradient is its own ∂f/∂p (`gradientAll`).
      const ps = defaults.map((d) => tf.fill([columns[0]!.length], d));
      const all = tf.grads((...ts: Tensor[]) => op(...ts.slice(0, xs.length), Object.fromEntries(a.params.map((p, k) => [p.name, ts[xs.length + k]]))))([...xs, ...ps]);
      all.forEach((g, k) => expectClose(g.dataSync(), want.all[k]!, [...closures.inputs, ...closures.params][k]!,
        (i) => `∂/∂${[...a.inputs, ...a.params.map((p) => p.name)][k]} (tensor parameters) ${where(i)}`));
    });
  });

  test.each([...scalarEntries.filter((e) => inputCount(e) === 1).map((e) => e.name), ...USER])("%s: the gradient of the gradient is actdiff's f″, and ∂²f/∂x∂p by tensor parameters", async (source) => {
    const a = define(source);
    const m = await importModule<Record<string, Op>>(dir, a.emitModule({ lang: "tfjs" }));
    const op = m[a.name]!;
    const x = SINGLE;
    const defaults = a.params.map((p) => Math.fround(defaultOf(p)!));
    const paramRecord = Object.fromEntries(a.params.map((p, k) => [p.name, defaults[k]!]));
    const signature = { inputs: a.inputs, params: a.params.map((p) => p.name) };
    const byX = a.derivative(a.inputs[0]!);
    const seconds = [byX.derivative(a.inputs[0]!), ...a.params.map((p) => byX.derivative(p.name))];
    const program = lower(seconds.map((d) => d.expr), signature, TENSOR_LOWERING);
    const rows = x.map((v) => backendBound(backend, program, [v], defaults));
    const want = seconds.map((_, k) => rows.map((r) => r[k]!));
    const closures = seconds.map((d) => refColumns(d.compile(), [x], paramRecord));
    tf.tidy(() => {
      const xt = tf.tensor1d(x);
      const d2 = tf.grad(tf.grad((t: Tensor) => op(t, paramRecord)))(xt);
      expectClose(d2.dataSync(), want[0]!, closures[0]!, (i) => `${a.name}″ at ${x[i]}`);
      a.params.forEach((p, k) => {
        const others = (b: Tensor) => ({ ...paramRecord, [p.name]: b });
        const mixed = tf.grad((b: Tensor) => tf.sum(tf.grad((t: Tensor) => op(t, others(b)))(xt)))(tf.fill([x.length], defaults[k]!));
        expectClose(mixed.dataSync(), want[1 + k]!, closures[1 + k]!, (i) => `∂²${a.name}/∂x∂${p.name} at ${x[i]}`);
      });
    });
  });
});

function refColumns(fn: (...args: never[]) => number, columns: number[][], params: Record<string, number>): number[] {
  const call = fn as unknown as (...args: unknown[]) => number;
  return columns[0]!.map((_, i) => call(...columns.map((c) => c[i]!), params));
}

test("the op leaves no tensors behind: forward, gradient, number and tensor parameters", async () => {
  await tf.setBackend("cpu");
  const m = await importModule<Record<string, Op>>(dir, define("swish").emitModule({ lang: "tfjs" }));
  const x = tf.tensor1d([-2, 0, 3]);
  const beta = tf.variable(tf.scalar(1.5));
  const before = tf.memory().numTensors;
  for (let k = 0; k < 3; k++) {
    m.swish!(x, { beta: 2 }).dispose();
    tf.grad((t: Tensor) => m.swish!(t, { beta: 2 }))(x).dispose();
    const { value, grads } = tf.variableGrads(() => tf.sum(m.swish!(x, { beta })) as import("@tensorflow/tfjs").Scalar);
    tf.dispose([value, grads[beta.name]!]);
  }
  expect(tf.memory().numTensors).toBe(before);
});
