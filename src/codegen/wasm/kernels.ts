import { fail } from "../../errors.js";
import { fnSpec } from "../../functions/table.js";
import { FLOAT32_LANES, FLOAT64_LANES, type Vec } from "../../functions/vector.js";
import { assertNever } from "../../ast/nodes.js";
import { someValue, type Program, type Stmt, type Value } from "../program.js";
import { Bytes, F64, I32, moduleBytes, Op, Simd, type FunctionDef, type ValType } from "./encode.js";
import { VectorEmitter } from "./emitter.js";
import { simdChunks, wasmInstance } from "./glue.js";

/**
 * Batch kernels as WebAssembly SIMD: the same Program as the JavaScript kernels, a vector at a
 * time, with the vector builtins of src/functions/vector.ts in place of Math.exp and friends.
 * They compute in two float64 lanes, Float32Array elements widened on the load and rounded once
 * on the store, as the JavaScript kernels do. On request (`float32Lanes`), Float32Array kernels
 * compute in four float32 lanes instead, as TensorFlow.js and PyTorch do: about twice the
 * throughput, but every operation rounds to float32, a subnormal intermediate loses digits and
 * one beyond 3.4e38 overflows. Neither gives the JavaScript kernels' bits; their accuracy is
 * audited on its own (`actdiff audit --simd`).
 *
 * Piecewise values: an `if` with a side of plain arithmetic (a kink) computes both sides for
 * every lane and selects; any other runs a branch when any lane takes it. Either way a lane keeps
 * a side's value only where its own condition holds (a select or a mask), so an untaken side's
 * NaN or ∞ never reaches a result.
 *
 * The arrays are copied through the module's own memory in chunks of CHUNK elements: one
 * region per array, so outputs may alias inputs.
 */
export type SimdDtype = "float64" | "float32";
export type SimdKind = "forward" | "backward" | "fused";

export const CHUNK = 16384;
/** Memory regions, by array name; each holds CHUNK float64 values (or float32 in its first half). */
const REGION = { x: 0, gradOut: 1, out: 2, gradIn: 3 } as const;
type ArrayName = keyof typeof REGION;
const REGION_BYTES = CHUNK * 8;
/** Each function's constants follow the arrays, in a slot of this many bytes. */
const CONSTANT_SLOT = 8192;
/** The pages for the arrays and the constants of this many functions. */
const pages = (functions: number): number => Math.ceil((4 * REGION_BYTES + functions * CONSTANT_SLOT) / 65536);

const isInput = (name: ArrayName): boolean => name === "x" || name === "gradOut";

const unsupported = (what: string): never =>
  fail("E_UNSUPPORTED", `no WebAssembly SIMD form for ${what}`, {
    hint: "the JavaScript kernels compute every builtin: drop { simd: true }",
  });

/**
 * Ifs this deep get paths without masks for vectors whose lanes all go one way (the usual case:
 * σ's tail test, or a chunk of inputs on one side of a kink); deeper ones, and vectors whose
 * lanes differ, run both branches under masks. Each level emits its branches up to three times.
 */
const UNIFORM_DEPTH = 2;

/**
 * Values and statements of a Program, as vector code under a lane mask (undefined: all lanes).
 * Exported for the row kernels (rows.ts here), whose scalar code has several inputs.
 */
export class Translation {
  private readonly temps: Vec[] = [];
  private depth = 0;
  constructor(private readonly v: VectorEmitter, private readonly inputs: readonly Vec[], private readonly params: readonly Vec[]) {}

  value(x: Value): Vec {
    const v = this.v;
    switch (x.op) {
      case "num": return v.num(x.value);
      case "const": return v.num(x.name === "pi" ? Math.PI : Math.E);
      case "input": return this.inputs[x.index]!;
      case "param": return this.params[x.index]!;
      case "temp": return this.temps[x.index]!;
      case "call": {
        const form = fnSpec(x.fn).simd;
        if (form === undefined) return unsupported(`${x.fn}()`);
        return form(v, x.args.map((a) => this.value(a)));
      }
      case "neg": return v.neg(this.value(x.arg));
      case "indicator": return v.select(this.value(x.arg), v.num(1), v.num(0));
      case "+": return v.add(this.value(x.left), this.value(x.right));
      case "-": return v.sub(this.value(x.left), this.value(x.right));
      case "*": return v.mul(this.value(x.left), this.value(x.right));
      case "/": return v.div(this.value(x.left), this.value(x.right));
      case "**": return this.power(x.left, x.right);
      case "<": return v.lt(this.value(x.left), this.value(x.right));
      case "<=": return v.le(this.value(x.left), this.value(x.right));
      case ">": return v.gt(this.value(x.left), this.value(x.right));
      case ">=": return v.ge(this.value(x.left), this.value(x.right));
      case "===": return v.eq(this.value(x.left), this.value(x.right));
      case "!==": return v.ne(this.value(x.left), this.value(x.right));
      case "&&": return x.args.map((a) => this.value(a)).reduce((a, b) => v.and(a, b));
      case "||": return x.args.map((a) => this.value(a)).reduce((a, b) => v.or(a, b));
      case "!": return v.not(this.value(x.arg));
      default: return assertNever(x);
    }
  }

  /** Integer powers by squaring; a power with another exponent has no vector form here. */
  private power(base: Value, exponent: Value): Vec {
    if (exponent.op !== "num" || !Number.isInteger(exponent.value) || Math.abs(exponent.value) > 64) {
      return unsupported("a power whose exponent is not an integer constant up to 64 (write exp(y·log(x)) for x > 0)");
    }
    const v = this.v;
    let k = Math.abs(exponent.value);
    let square = this.value(base);
    let acc: Vec | undefined;
    while (k > 0) {
      if (k & 1) acc = acc === undefined ? square : v.mul(acc, square);
      k >>= 1;
      if (k > 0) square = v.mul(square, square);
    }
    const positive = acc ?? v.num(1);
    return exponent.value < 0 ? v.div(v.num(1), positive) : positive;
  }

  /**
   * The values a branch assigns to targets declared outside it, computed for every lane: its
   * consts, and the targets it declares itself, bound on the way; a nested if's targets are a
   * select between the values of its two branches.
   */
  private everyLane(stmts: readonly Stmt[]): Map<number, Vec> {
    const own = new Set<number>();
    const assigned = new Map<number, Vec>();
    const assign = (temp: number, value: Vec): void => {
      if (own.has(temp)) this.temps[temp] = value;
      else assigned.set(temp, value);
    };
    for (const s of stmts) {
      if (s.kind === "const") this.temps[s.temp] = this.value(s.value);
      else if (s.kind === "let") own.add(s.temp);
      else if (s.kind === "assign") assign(s.temp, this.value(s.value));
      else for (const [temp, value] of this.selected(s)) assign(temp, value);
    }
    return assigned;
  }

  /** An if computed without a branch: both sides for every lane, and one select per target. */
  private selected(s: IfStmt, test = this.value(s.test)): Map<number, Vec> {
    const [taken, untaken] = [this.everyLane(s.then), this.everyLane(s.otherwise)];
    const merged = new Map<number, Vec>();
    // Both branches of a lowered if assign the same targets (src/codegen/program.ts).
    for (const [temp, value] of taken) {
      const other = untaken.get(temp);
      if (other === undefined) throw new Error(`internal error: t${temp} is assigned in one branch only`);
      merged.set(temp, this.v.select(test, value, other));
    }
    return merged;
  }

  private assign(temp: number, value: Vec, mask: Vec | undefined): void {
    const target = this.temps[temp]!;
    this.v.assign(target, mask === undefined ? value : this.v.select(mask, value, target));
  }

  statements(stmts: readonly Stmt[], mask: Vec | undefined): void {
    const v = this.v;
    for (const s of stmts) {
      switch (s.kind) {
        case "const": this.temps[s.temp] = this.value(s.value); break;
        case "let": this.temps[s.temp] = v.variable(); break;
        case "assign": this.assign(s.temp, this.value(s.value), mask); break;
        case "if": {
          if (branchless(s)) {
            for (const [temp, value] of this.selected(s)) this.assign(temp, value, mask);
            break;
          }
          const test = this.value(s.test);
          const masked = (): void => {
            const taken = mask === undefined ? test : v.and(mask, test);
            const untaken = mask === undefined ? v.not(test) : v.andNot(mask, test);
            v.whenAny(taken, () => this.statements(s.then, taken));
            if (s.otherwise.length > 0) v.whenAny(untaken, () => this.statements(s.otherwise, untaken));
          };
          if (mask !== undefined || this.depth >= UNIFORM_DEPTH) {
            masked();
            break;
          }
          // Lanes that differ: both branches, each under its mask (both have lanes, so no test),
          // or, when neither branch has an if of its own, both computed and one select per target.
          const mixed = (): void => {
            if (!hasIf(s.then) && !hasIf(s.otherwise)) {
              for (const [temp, value] of this.selected(s, test)) this.assign(temp, value, undefined);
              return;
            }
            this.statements(s.then, test);
            this.statements(s.otherwise, v.not(test));
          };
          this.depth++;
          v.branch("all", test, () => this.statements(s.then, undefined), () =>
            v.branch("any", test, mixed, () => this.statements(s.otherwise, undefined)));
          this.depth--;
          break;
        }
        default: assertNever(s);
      }
    }
  }
}

type IfStmt = Extract<Stmt, { kind: "if" }>;

const callsIn = (x: Value): boolean => someValue(x, (v) => v.op === "call");
const callFree = (stmts: readonly Stmt[]): boolean =>
  stmts.every((s) => s.kind === "let" || (s.kind === "if" ? !callsIn(s.test) && callFree(s.then) && callFree(s.otherwise) : !callsIn(s.value)));
const hasIf = (stmts: readonly Stmt[]): boolean => stmts.some((s) => s.kind === "if");

/**
 * Whether an if is computed for every lane, without a branch: when one side is a few arithmetic
 * operations (a kink: relu's x, elu's x, a constant) and every if in the other side is of this
 * kind too (`x > 0 ? x : x < -2 ? -1 : exp(x) - 1`, a kink inside the costly side). The branch would
 * skip the costly side only for vectors whose lanes all take the cheap one, and inputs of both
 * signs, which activations see, make it mispredict more often than it saves: measured, relu's
 * kernels ran 1.4–6× and elu's 1.1–1.4× faster without it. Ifs whose sides both call builtins
 * (σ′'s tail test, which lanes almost never take) keep the branch.
 */
function branchless(s: IfStmt): boolean {
  if (callsIn(s.test)) return false;
  const [thenCheap, otherwiseCheap] = [callFree(s.then), callFree(s.otherwise)];
  return (thenCheap && (otherwiseCheap || ifsBranchless(s.otherwise))) || (otherwiseCheap && ifsBranchless(s.then));
}

const ifsBranchless = (stmts: readonly Stmt[]): boolean => stmts.every((s) => s.kind !== "if" || branchless(s));

/** The exported function `<kind>_<dtype>(n, ...params)` over the arrays in memory. */
function kernelFunction(program: Program, kind: SimdKind, dtype: SimdDtype, lanes: SimdDtype, slot: number): FunctionDef {
  const params: ValType[] = [I32, ...Array.from({ length: program.params }, (): ValType => F64)];
  const constantBase = 4 * REGION_BYTES + slot * CONSTANT_SLOT;
  const v = new VectorEmitter(lanes === "float64" ? FLOAT64_LANES : FLOAT32_LANES, params.length, constantBase);
  const i = v.local(I32);
  const end = v.local(I32);
  const size = dtype === "float64" ? 8 : 4;
  // float32 elements in float64 lanes: two a step, widened on the load and rounded on the store.
  const widened = dtype === "float32" && lanes === "float64";
  const step = widened ? 8 : 16;
  const offset = (array: ArrayName): number => REGION[array] * REGION_BYTES;
  const load = (array: ArrayName): Vec => {
    v.get(i).simd(widened ? Simd.load64Zero : Simd.load).code.u32(3).u32(offset(array));
    if (widened) v.simd(Simd.f64x2PromoteLowF32x4);
    return v.result();
  };
  const store = (array: ArrayName, value: Vec): void => {
    v.get(i).get(value.vec);
    if (widened) v.simd(Simd.f32x4DemoteF64x2Zero).simd(Simd.store64Lane).code.u32(3).u32(offset(array)).byte(0);
    else v.simd(Simd.store).code.u32(3).u32(offset(array));
  };

  const x = load("x");
  const gradOut = kind === "forward" ? undefined : load("gradOut");
  const t = new Translation(v, [x], Array.from({ length: program.params }, (_, k) => v.splat(1 + k)));
  t.statements(program.body, undefined);
  const results = program.results.map((r) => t.value(r));
  switch (kind) {
    case "forward": store("out", results[0]!); break;
    case "backward": store("gradIn", v.mul(gradOut!, results[0]!)); break;
    case "fused": store("out", results[0]!); store("gradIn", v.mul(gradOut!, results[1]!)); break;
  }

  // end = n·size; for (i = 0; i < end; i += step) { the code above }: a vector a step, so an n
  // that is not a multiple of the lanes computes up to three lanes past it, in memory not copied out.
  const body = new Bytes().append(v.prologue);
  body.byte(Op.localGet).u32(0).byte(Op.i32Const).s32(size).byte(Op.i32Mul).byte(Op.localSet).u32(end);
  body.byte(Op.block, 0x40, Op.loop, 0x40);
  body.byte(Op.localGet).u32(i).byte(Op.localGet).u32(end).byte(Op.i32GeU).byte(Op.brIf).u32(1);
  body.append(v.code);
  body.byte(Op.localGet).u32(i).byte(Op.i32Const).s32(step).byte(Op.i32Add).byte(Op.localSet).u32(i);
  body.byte(Op.br).u32(0).byte(Op.end, Op.end);
  if (v.constantData.length > CONSTANT_SLOT) throw new Error(`internal error: ${v.constantData.length / 16} constants do not fit their slot`);
  return { name: `${kind}_${dtype}`, params, locals: v.locals, body, data: { address: constantBase, bytes: v.constantData } };
}

/** The module with both element types' functions of one kind of kernel. */
export function simdModule(program: Program, kind: SimdKind, float32Lanes: SimdDtype): Uint8Array {
  if (program.inputs !== 1) throw new Error(`internal error: a kernel needs a program of one input, not ${program.inputs}`);
  return moduleBytes([kernelFunction(program, kind, "float64", "float64", 0), kernelFunction(program, kind, "float32", float32Lanes, 1)], pages(2));
}

/**
 * The module with the functions of both lanes choices, for a standalone module to embed once:
 * `<kind>_float64`, `<kind>_float32` (float64 lanes) and `<kind>_float32_lanes` (float32 lanes),
 * the functions simdModule holds for either choice (their constants in a slot of their own).
 */
export function simdModuleOfBothLanes(program: Program, kind: SimdKind): Uint8Array {
  if (program.inputs !== 1) throw new Error(`internal error: a kernel needs a program of one input, not ${program.inputs}`);
  const names = bothLanesNames(kind);
  const functions = [kernelFunction(program, kind, "float64", "float64", 0), kernelFunction(program, kind, "float32", "float64", 1), kernelFunction(program, kind, "float32", "float32", 2)];
  return moduleBytes(functions.map((f, i) => ({ ...f, name: i === 2 ? names.float32[1] : f.name })), pages(3));
}

/** The functions of a module of both lanes choices each choice runs: [Float64Array's, Float32Array's]. */
export const bothLanesNames = (prefix: string): Record<SimdDtype, readonly [string, string]> => ({
  float64: [`${prefix}_float64`, `${prefix}_float32`],
  float32: [`${prefix}_float64`, `${prefix}_float32_lanes`],
});

export type SimdLoop = (...arraysThenCountThenParams: unknown[]) => void;

/** Where a kernel's arrays go in memory, in the kernel's order, and how many of them are inputs (they come first). */
export function simdLayout(arrayNames: readonly string[]): { readonly regions: readonly number[]; readonly inputs: number } {
  const names = arrayNames as readonly ArrayName[];
  const inputs = names.filter(isInput).length;
  if (names.slice(0, inputs).some((a) => !isInput(a))) throw new Error("internal error: a kernel's inputs come before its outputs");
  return { regions: names.map((a) => REGION[a] * REGION_BYTES), inputs };
}

/**
 * The loops for each element type, with the signature of the JavaScript kernels' loops:
 * (arrays…, n, params). Each copies a chunk of its inputs into the module's memory, runs, and
 * copies the outputs back (glue.ts: the same function the standalone modules print).
 */
export function simdLoops(program: Program, kind: SimdKind, arrayNames: readonly string[], float32Lanes: SimdDtype): Record<SimdDtype, () => SimdLoop> {
  const instance = wasmInstance(simdModule(program, kind, float32Lanes));
  const { regions, inputs } = simdLayout(arrayNames);
  const count = arrayNames.length;
  const loop = (dtype: SimdDtype): SimdLoop => {
    const run = simdChunks(instance, `${kind}_${dtype}`, dtype === "float64", regions, inputs, CHUNK);
    type Arrays = Float64Array | Float32Array;
    return (...args: unknown[]) => run(args.slice(0, count) as Arrays[], args[count] as number, args[count + 1] as readonly number[]);
  };
  const cache: Partial<Record<SimdDtype, SimdLoop>> = {};
  return { float64: () => (cache.float64 ??= loop("float64")), float32: () => (cache.float32 ??= loop("float32")) };
}
