import { assertNever } from "../ast/nodes.js";
import type { FnName } from "../functions/names.js";
import { cspClosures, isCondition, type Num, type Run } from "./csp.js";
import { printBody, printValue, type Naming } from "./js.js";
import type { Program } from "./program.js";

/**
 * A row function as data: the loops, reductions, reads and writes rows.ts decides on, with the
 * scalar work in between as lowered Programs. One plan, two readers: `printRowPlan` writes it as
 * JavaScript (or TypeScript) for `new Function` and for emitted modules, and `interpretRowPlan`
 * runs it as closures for pages whose Content-Security-Policy forbids `unsafe-eval`. The
 * interpreter performs each operation the printed code performs, in the same order, on the same
 * doubles (scalar Programs through csp.ts, which the scalar path property-tests against the
 * printed code), so the two agree bit for bit.
 */

/** Scalar work: a Program whose inputs are plan variables, its temps named `${block}_${i}`. */
export interface ScalarCode {
  readonly program: Program;
  readonly inputs: readonly string[];
  readonly block: string;
}

/** A number the plan uses: a variable, a literal, or the result of scalar code run before it. */
export type Operand =
  | { readonly kind: "var"; readonly name: string }
  | { readonly kind: "lit"; readonly value: number }
  | { readonly kind: "code"; readonly code: ScalarCode };

export type Step =
  /** The statements of scalar code (its result is read where an operand names it). */
  | { readonly kind: "code"; readonly code: ScalarCode }
  | { readonly kind: "const"; readonly name: string; readonly value: Operand }
  /** `let a = …, b = …;` */
  | { readonly kind: "let"; readonly vars: readonly { readonly name: string; readonly init: Operand }[] }
  | { readonly kind: "set"; readonly name: string; readonly value: Operand }
  /** `const name = array[offset + at];` (no offset for scratch rows). */
  | { readonly kind: "read"; readonly name: string; readonly array: string; readonly offset?: string; readonly at: Operand }
  | { readonly kind: "write"; readonly array: string; readonly offset?: string; readonly at: Operand; readonly value: Operand }
  /** `for (let index = from; index < to; index++) { body }` */
  | { readonly kind: "loop"; readonly index: string; readonly from: Operand; readonly to: Operand; readonly body: readonly Step[] }
  /**
   * `if (start < to) { body }`: a max or min inside an outer loop starts from the first element
   * of its range, when there is one (maxout's group of k = 2 then takes one comparison, not two).
   */
  | { readonly kind: "ifNonEmpty"; readonly start: string; readonly to: Operand; readonly body: readonly Step[] }
  /** `if (key !== last) { body }`: a group's reduction, recomputed when its key changes. */
  | { readonly kind: "whenChanged"; readonly key: Operand; readonly last: string; readonly body: readonly Step[] }
  | { readonly kind: "sum"; readonly acc: string; readonly value: string }
  /**
   * A max or min (or its position) takes the value at `index` when it is strictly better than the
   * best so far, or a NaN that no NaN came before (torch.max propagates NaN and gives the gradient
   * to the first maximal element). The best starts at −∞ for a max (+∞ for a min), so the first
   * element needs no test of its own: a loop that only ever meets −∞ leaves the position unset,
   * which `firstWhenUnset` mends once after the loop instead of on every element.
   */
  | { readonly kind: "better"; readonly op: ">" | "<"; readonly index: string; readonly value: string; readonly best: string; readonly position?: string }
  /**
   * `if (position < 0 && start < to) position = start;`: a non-empty range whose elements were all
   * −∞ (+∞ for a min) has its first element as the first maximal one; an empty range keeps −1.
   */
  | { readonly kind: "firstWhenUnset"; readonly position: string; readonly start: string; readonly to: Operand };

export interface RowPlan {
  /** How many vector inputs (arrays v0, v1, …), outputs (out0, …) and scalars (p0, …). */
  readonly vectors: number;
  readonly outputs: number;
  readonly scalars: number;
  /** Row lengths, before the rows: L0 = n, L1 …, then M0 … for the outputs. */
  readonly lengths: readonly { readonly name: string; readonly value: Operand }[];
  /** Float64Array scratch rows, allocated once per call. */
  readonly scratch: readonly { readonly name: string; readonly length: string }[];
  /** `r * length` for each array's row offset, at the top of each row. */
  readonly offsets: readonly { readonly name: string; readonly length: string }[];
  readonly body: readonly Step[];
  readonly helpers: readonly FnName[];
}

const naming = (code: ScalarCode): Naming => ({ input: (i) => code.inputs[i]!, param: (i) => `p${i}`, temp: (i) => `${code.block}_${i}` });

// ---------------------------------------------------------------------------------------------
// Printing

export interface PrintRowOptions {
  /** TypeScript: typed parameters (`v0: FloatArray`, a type the module declares), `!` on reads. */
  readonly types?: boolean;
}

export function printRowPlan(name: string, plan: RowPlan, options: PrintRowOptions = {}): string {
  const types = options.types ?? false;
  const typed = (arg: string, type: string): string => (types ? `${arg}: ${type}` : arg);
  const arrays = [...range(plan.vectors).map((i) => `v${i}`), ...range(plan.outputs).map((i) => `out${i}`)];
  const scalars = ["rows", "n", ...range(plan.scalars).map((i) => `p${i}`)];
  return [
    `function ${name}(${[...arrays.map((a) => typed(a, "FloatArray")), ...scalars.map((a) => typed(a, "number"))].join(", ")})${types ? ": void" : ""} {`,
    ...plan.lengths.map((l) => `  const ${l.name} = ${operand(l.value)};`),
    ...plan.scratch.map((w) => `  const ${w.name} = new Float64Array(${w.length});`),
    "  for (let r = 0; r < rows; r++) {",
    `    const ${plan.offsets.map((o) => `${o.name} = r * ${o.length}`).join(", ")};`,
    ...steps(plan.body, "    ", types),
    "  }",
    "}",
  ].join("\n");
}

function operand(o: Operand): string {
  switch (o.kind) {
    case "var": return o.name;
    case "lit": return Object.is(o.value, -0) ? "-0" : String(o.value);
    case "code": return printValue(o.code.program.results[0]!, naming(o.code));
    default: return assertNever(o, "operand");
  }
}

function steps(list: readonly Step[], indent: string, types: boolean): string[] {
  const read = types ? "!" : "";
  const at = (offset: string | undefined, index: Operand): string => (offset === undefined ? operand(index) : `${offset} + ${operand(index)}`);
  return list.flatMap((s): string[] => {
    switch (s.kind) {
      case "code": return printBody(s.code.program, { naming: naming(s.code), indent, types });
      case "const": return [`${indent}const ${s.name} = ${operand(s.value)};`];
      case "let": return [`${indent}let ${s.vars.map((v) => `${v.name} = ${operand(v.init)}`).join(", ")};`];
      case "set": return [`${indent}${s.name} = ${operand(s.value)};`];
      case "read": return [`${indent}const ${s.name} = ${s.array}[${at(s.offset, s.at)}]${read};`];
      case "write": return [`${indent}${s.array}[${at(s.offset, s.at)}] = ${operand(s.value)};`];
      case "loop": return [
        `${indent}for (let ${s.index} = ${operand(s.from)}; ${s.index} < ${operand(s.to)}; ${s.index}++) {`,
        ...steps(s.body, `${indent}  `, types),
        `${indent}}`,
      ];
      case "ifNonEmpty": return [`${indent}if (${s.start} < ${operand(s.to)}) {`, ...steps(s.body, `${indent}  `, types), `${indent}}`];
      case "whenChanged": return [`${indent}if (${operand(s.key)} !== ${s.last}) {`, ...steps(s.body, `${indent}  `, types), `${indent}}`];
      case "sum": return [`${indent}${s.acc} += ${s.value};`];
      case "better": {
        const wins = `${s.value} ${s.op} ${s.best} || (${s.value} !== ${s.value} && ${s.best} === ${s.best})`;
        const take = s.position === undefined ? `${s.best} = ${s.value};` : `{ ${s.best} = ${s.value}; ${s.position} = ${s.index}; }`;
        return [`${indent}if (${wins}) ${take}`];
      }
      case "firstWhenUnset": return [`${indent}if (${s.position} < 0 && ${s.start} < ${operand(s.to)}) ${s.position} = ${s.start};`];
      default: return assertNever(s, "row step");
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Running without generated code

/** Float64Array or Float32Array: what row kernels read and write. */
type Row = Float64Array | Float32Array;

/**
 * The plan as a function of (arrays…, rows, n, scalars…), built from closures. Like the scalar
 * CSP machine it owns its storage, so one function must not be re-entered while it runs (kernels
 * are not called from inside themselves).
 */
export function interpretRowPlan(plan: RowPlan): (...args: unknown[]) => void {
  const slots = new Map<string, number>();
  const flagSlots = new Map<string, number>();
  const slot = (name: string): number => {
    let k = slots.get(name);
    if (k === undefined) slots.set(name, (k = slots.size));
    return k;
  };
  const flagSlot = (name: string): number => {
    let k = flagSlots.get(name);
    if (k === undefined) flagSlots.set(name, (k = flagSlots.size));
    return k;
  };
  // Every variable gets its slot before the storage exists: collect them in a first pass.
  const names = new Set<string>(["rows", "n", "r", ...range(plan.scalars).map((i) => `p${i}`)]);
  const arrayNames = [...range(plan.vectors).map((i) => `v${i}`), ...range(plan.outputs).map((i) => `out${i}`), ...plan.scratch.map((w) => w.name)];
  const arraySlot = new Map(arrayNames.map((a, i) => [a, i] as const));
  const codes: ScalarCode[] = [];
  const collectOperand = (o: Operand): void => {
    if (o.kind === "var") names.add(o.name);
    if (o.kind === "code") codes.push(o.code);
  };
  const collect = (list: readonly Step[]): void => {
    for (const s of list) {
      switch (s.kind) {
        case "code": codes.push(s.code); break;
        case "const": case "set": names.add(s.name); collectOperand(s.value); break;
        case "let": s.vars.forEach((v) => { names.add(v.name); collectOperand(v.init); }); break;
        case "read": names.add(s.name); collectOperand(s.at); break;
        case "write": collectOperand(s.at); collectOperand(s.value); break;
        case "loop": names.add(s.index); collectOperand(s.from); collectOperand(s.to); collect(s.body); break;
        case "ifNonEmpty": names.add(s.start); collectOperand(s.to); collect(s.body); break;
        case "whenChanged": names.add(s.last); collectOperand(s.key); collect(s.body); break;
        case "sum": names.add(s.acc); names.add(s.value); break;
        case "better": [s.index, s.value, s.best, ...(s.position === undefined ? [] : [s.position])].forEach((v) => names.add(v)); break;
        case "firstWhenUnset": names.add(s.position); names.add(s.start); collectOperand(s.to); break;
        default: assertNever(s, "row step");
      }
    }
  };
  plan.lengths.forEach((l) => { names.add(l.name); collectOperand(l.value); });
  plan.offsets.forEach((o) => names.add(o.name));
  collect(plan.body);
  for (const code of codes) {
    code.inputs.forEach((v) => names.add(v));
    code.program.temps.forEach((type, t) => (type === "number" ? names.add(`${code.block}_${t}`) : flagSlot(`${code.block}_${t}`)));
  }
  names.forEach(slot);
  const values = new Float64Array(slots.size);
  const flags: boolean[] = new Array<boolean>(flagSlots.size).fill(false);
  const arrays: Row[] = new Array<Row>(arrayNames.length);

  const scalar = (code: ScalarCode) => cspClosures(code.program, {
    values, flags,
    input: (i) => slot(code.inputs[i]!),
    param: () => { throw new Error("internal error: row code reads parameters through its inputs"); },
    temp: (t) => slot(`${code.block}_${t}`),
    flag: (t) => flagSlot(`${code.block}_${t}`),
  });
  const num = (o: Operand): Num => {
    switch (o.kind) {
      case "var": {
        const k = slot(o.name);
        return () => values[k]!;
      }
      case "lit": {
        const c = o.value;
        return () => c;
      }
      case "code": {
        const [closures, result] = [scalar(o.code), o.code.program.results[0]!];
        // A condition hoisted out of a loop is kept as 1 or 0, and read back as one (csp.ts).
        if (!isCondition(o.code.program, result)) return closures.num(result);
        const test = closures.bool(result);
        return () => (test() ? 1 : 0);
      }
      default: return assertNever(o, "operand");
    }
  };
  const position = (offset: string | undefined, at: Operand): Num => {
    const index = num(at);
    if (offset === undefined) return index;
    const base = slot(offset);
    return () => values[base]! + index();
  };
  const run = (list: readonly Step[]): Run => {
    const parts = list.map((s): Run => {
      switch (s.kind) {
        case "code": {
          const { block } = scalar(s.code);
          return block(s.code.program.body);
        }
        case "const": case "set": {
          const [k, f] = [slot(s.name), num(s.value)];
          return () => { values[k] = f(); };
        }
        case "let": {
          const sets = s.vars.map((v) => [slot(v.name), num(v.init)] as const);
          return () => { for (const [k, f] of sets) values[k] = f(); };
        }
        case "read": {
          const [k, a, at] = [slot(s.name), arraySlot.get(s.array)!, position(s.offset, s.at)];
          return () => { values[k] = arrays[a]![at()]!; };
        }
        case "write": {
          const [a, at, f] = [arraySlot.get(s.array)!, position(s.offset, s.at), num(s.value)];
          return () => { arrays[a]![at()] = f(); };
        }
        case "loop": {
          const [k, from, to, body] = [slot(s.index), num(s.from), num(s.to), run(s.body)];
          return () => {
            // The bound is read before each test, as `k < to` does.
            for (values[k] = from(); values[k]! < to(); values[k]!++) body();
          };
        }
        case "ifNonEmpty": {
          const [start, to, body] = [slot(s.start), num(s.to), run(s.body)];
          return () => { if (values[start]! < to()) body(); };
        }
        case "whenChanged": {
          const [key, last, body] = [num(s.key), slot(s.last), run(s.body)];
          return () => { if (key() !== values[last]) body(); };
        }
        case "sum": {
          const [acc, v] = [slot(s.acc), slot(s.value)];
          return () => { values[acc] += values[v]!; };
        }
        case "better": {
          const [k, v, best] = [slot(s.index), slot(s.value), slot(s.best)];
          const at = s.position === undefined ? -1 : slot(s.position);
          const greater = s.op === ">";
          return () => {
            const value = values[v]!;
            const current = values[best]!;
            const wins = (greater ? value > current : value < current) || (value !== value && current === current);
            if (!wins) return;
            values[best] = value;
            if (at >= 0) values[at] = values[k]!;
          };
        }
        case "firstWhenUnset": {
          const [position, start, to] = [slot(s.position), slot(s.start), num(s.to)];
          return () => { if (values[position]! < 0 && values[start]! < to()) values[position] = values[start]!; };
        }
        default: return assertNever(s, "row step");
      }
    });
    return () => { for (const part of parts) part(); };
  };

  const lengths = plan.lengths.map((l) => [slot(l.name), num(l.value)] as const);
  const scratch = plan.scratch.map((w) => [arraySlot.get(w.name)!, slot(w.length)] as const);
  const offsets = plan.offsets.map((o) => [slot(o.name), slot(o.length)] as const);
  const body = run(plan.body);
  const given = plan.vectors + plan.outputs;
  const [rowsSlot, nSlot, rSlot] = [slot("rows"), slot("n"), slot("r")];
  const scalarSlots = range(plan.scalars).map((i) => slot(`p${i}`));
  return (...args: unknown[]): void => {
    for (let a = 0; a < given; a++) arrays[a] = args[a] as Row;
    values[rowsSlot] = args[given] as number;
    values[nSlot] = args[given + 1] as number;
    scalarSlots.forEach((k, i) => { values[k] = args[given + 2 + i] as number; });
    for (const [k, f] of lengths) values[k] = f();
    for (const [a, length] of scratch) arrays[a] = new Float64Array(values[length]!);
    for (values[rSlot] = 0; values[rSlot]! < values[rowsSlot]!; values[rSlot]!++) {
      for (const [k, length] of offsets) values[k] = values[rSlot]! * values[length]!;
      body();
    }
  };
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
