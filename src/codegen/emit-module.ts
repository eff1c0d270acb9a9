import type { Expr } from "../ast/nodes.js";
import { glueSource, lanesParameter, modulesConstant, namesByLanes, SIMD_NAMES, simdBytes, simdEntryPoint, simdHeader } from "./emit-simd.js";
import { helperSource } from "./helpers.js";
import { functionBody, helpersOf, printValue, type Naming } from "./js.js";
import { arrayOrder, KERNEL_ARRAYS, kernelArrays, loopSource, type KernelArrays, type KernelKind } from "./kernels.js";
import { lower, type Program } from "./program.js";
import { bothLanesNames, CHUNK, simdLayout, simdModuleOfBothLanes } from "./wasm/kernels.js";

/**
 * A standalone ES module (JavaScript or TypeScript) for one activation: f, df, valueAndGrad and
 * the three batch kernels, with the helpers it needs inlined — no imports, no `new Function`, so
 * it can be vendored or run under a Content-Security-Policy that forbids eval. Its bodies are
 * printed from the same Programs as `compile()` and the kernels, so it computes the same bits.
 * With `simd`, `simdKernels()` runs the same kernels as WebAssembly SIMD: the bytes and glue of
 * the library's `{ simd }` kernels (emit-simd.ts), so it computes their bits.
 *
 * User text reaches the module in two places only, both made inert: the formula, in `//`
 * comments with line terminators, a star-slash and control or format characters escaped; and names that
 * are plain safe identifiers (`beta`), used for readability — anything else (a keyword, a global,
 * `__proto__`, a name the module uses itself) falls back to a positional name (p0). Error messages
 * quote names through JSON.stringify. The output is a function of the input alone: the same
 * definition gives the same bytes.
 */
export type Lang = "js" | "ts" | "tfjs";

export interface ModuleParam {
  readonly name: string;
  /** The default value (as `compile()` uses it), or undefined when a value must be passed. */
  readonly defaultValue: number | undefined;
}

export interface ModuleSpec {
  /** `swish(x; beta = 1) = x * sigmoid(beta * x)`, printed from the AST. */
  readonly definition: string;
  /** `swish'(x) = …`, printed from the AST; one line per input (`∂/∂a glu(a, b) = …`). */
  readonly derivatives: readonly string[];
  readonly inputs: readonly string[];
  readonly params: readonly ModuleParam[];
  readonly f: Expr;
  /** ∂f/∂ each input, in order. */
  readonly gradient: readonly Expr[];
}

export interface ModuleOptions {
  readonly lang?: Lang;
  /** Embed the WebAssembly SIMD kernels (`simdKernels()`, emit-simd.ts). */
  readonly simd?: boolean;
}

// Words that can never be a binding in a module (strict mode), and globals the module refers to.
const RESERVED = new Set([
  "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else", "enum", "export",
  "extends", "false", "finally", "for", "function", "if", "import", "in", "instanceof", "new", "null", "return", "super",
  "switch", "this", "throw", "true", "try", "typeof", "var", "void", "while", "with", "yield", "let", "static",
  "implements", "interface", "package", "private", "protected", "public", "await", "arguments", "eval",
  "undefined", "NaN", "Infinity", "Math", "Float64Array", "Float32Array", "TypeError", "Object", "Array", "Number", "String",
  "globalThis", "constructor", "prototype",
]);

const MODULE_NAMES = ["f", "df", "grad", "valueAndGrad", "kernel", "backward", "fused", "dtypeOf", "FloatArray"];
const LOOP_NAMES = ["forward64", "forward32", "backward64", "backward32", "fused64", "fused32"];
/** Names a kernel or dispatcher body refers to, which a parameter must not shadow. */
const KERNEL_LOCALS = [...MODULE_NAMES, ...LOOP_NAMES, ...Object.values(KERNEL_ARRAYS).flat(), "n", "i", "g", "xi", "ps", "arrays"];

const SAFE = /^[A-Za-z][A-Za-z0-9_]*$/;
const GENERATED = /^(?:[xpt]\d+|h_.*)$/;

/**
 * `name` when it is a plain identifier that is safe as a binding here (not a keyword, a global,
 * a generated name or one in `taken`), `fallback` otherwise. Shared by the module emitters.
 */
export function bindingName(name: string, fallback: string, taken: ReadonlySet<string>): string {
  return SAFE.test(name) && !GENERATED.test(name) && !RESERVED.has(name) && !taken.has(name) ? name : fallback;
}

/**
 * Text that is safe in a `//` comment and reads the same: line terminators (which would end
 * the comment) and control, format (bidi overrides) and unassigned characters become \u{…}
 * escapes, and a star-slash becomes `*\/` (harmless in a line comment, but the text stays safe
 * in a block comment too). Letters, digits, marks, symbols and punctuation stay as they are.
 */
export function commentSafe(text: string): string {
  return text
    .replace(/[^\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}]|[\u2028\u2029]/gu, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`)
    .replace(/\p{Zs}/gu, (c) => (c === " " ? c : `\\u{${c.codePointAt(0)!.toString(16)}}`))
    .replaceAll("*/", "*\\/");
}

export function emitModule(spec: ModuleSpec, options: ModuleOptions = {}): string {
  const ts = options.lang === "ts";
  const one = spec.inputs.length === 1;
  // Without --simd the module's names are as they were: SIMD_NAMES are taken only with it.
  const taken = new Set<string>([...KERNEL_LOCALS, ...(options.simd ? SIMD_NAMES : [])]);
  const claim = (name: string, fallback: string): string => {
    const js = bindingName(name, fallback, taken);
    taken.add(js);
    return js;
  };
  // Inputs first (x0 … as fallbacks), then what the kernels name after them, then parameters.
  // One input is only ever a scalar function's argument (its kernels read x into xi), so it may
  // be called x or out; several name their kernels' arrays too.
  const inputs = one
    ? [bindingName(spec.inputs[0]!, "x0", new Set())]
    : spec.inputs.map((name, i) => claim(name, `x${i}`));
  taken.add(inputs[0]!);
  const elements = one ? ["xi"] : inputs.map((js) => claim(`${js}_i`, `x${inputs.indexOf(js)}_i`));
  const arrays: KernelArrays = one
    ? kernelArrays(1)
    : { inputs, gradOut: "gradOut", out: "out", gradIns: inputs.map((js, i) => claim(`grad_${js}`, `grad_x${i}`)) };
  const params = spec.params.map((p, i) => ({ ...p, js: claim(p.name, `p${i}`) }));
  const signature = { inputs: spec.inputs, params: spec.params.map((p) => p.name) };
  const scalarNaming: Naming = { input: (i) => inputs[i]!, param: (i) => params[i]!.js, temp: (i) => `t${i}` };
  const kernelNaming: Naming = { ...scalarNaming, input: (i) => elements[i]! };
  const programs = {
    f: lower([spec.f], signature),
    df: lower(spec.gradient, signature),
    both: lower([spec.f, ...spec.gradient], signature),
  };
  const helpers = [...new Set([...helpersOf(programs.f), ...helpersOf(programs.df), ...helpersOf(programs.both)])].sort();
  // The library's { simd } kernels: lowered for lanes, one module per kind with the functions of both lanes choices (wasm/kernels.ts).
  const simd = !options.simd ? undefined : one
    ? simdBytes((kind) => simdModuleOfBothLanes(lower(kind === "forward" ? [spec.f] : kind === "backward" ? spec.gradient : [spec.f, ...spec.gradient], signature, { lanes: "vector" }), kind))
    : { unsupported: `SIMD kernels take functions of one input; this one has ${spec.inputs.length}` };

  const num = ts ? ": number" : "";
  const paramWith = (type: string) => params.map((p) => `${p.js}${type}${p.defaultValue === undefined ? "" : ` = ${printValue({ op: "num", value: p.defaultValue })}`}`);
  const paramList = paramWith(num);
  const callParams = params.map((p) => p.js);
  const required = (fn: string): string[] => params.filter((p) => p.defaultValue === undefined).map((p) =>
    `  if (${p.js} === undefined) throw new TypeError(${JSON.stringify(`${fn}: parameter '${p.name}' has no default value; pass one`)});`);
  const usage = (fn: string, args: readonly string[]): string => `${fn}(${[...args, ...paramWith("")].join(", ")})`;

  const scalar = (name: string, program: Program, doc: string, returns: string): string => [
    `/** ${doc} */`,
    `export function ${name}(${[...inputs.map((js) => `${js}${num}`), ...paramList].join(", ")})${ts ? `: ${returns}` : ""} {`,
    ...required(name),
    functionBody(program, { naming: scalarNaming, types: ts }),
    "}",
  ].join("\n");

  const arrayType = ts ? "FloatArray" : undefined;
  const kernel = (name: string, kind: KernelKind, program: Program, doc: string): string => {
    const ordered = arrayOrder(kind, arrays);
    const loop = kind === "forward" ? "forward" : kind === "backward" ? "backward" : "fused";
    const cast = (bits: 64 | 32) => ordered.map((a) => (ts ? `${a} as Float${bits}Array` : a)).join(", ");
    const rest = [`${ordered[0]}.length`, ...callParams].join(", ");
    const loopOptions = { naming: kernelNaming, arrays, params: "positional" } as const;
    return [
      `/** ${doc} */`,
      `export function ${name}(${[...ordered.map((a) => (ts ? `${a}: ${arrayType}` : a)), ...paramList].join(", ")})${ts ? ": void" : ""} {`,
      ...required(name),
      `  if (dtypeOf(${JSON.stringify(name)}, [${ordered.join(", ")}]) === 64) ${loop}64(${cast(64)}, ${rest});`,
      `  else ${loop}32(${cast(32)}, ${rest});`,
      "}",
      "",
      loopSource(program, kind, { name: `${loop}64`, ...loopOptions, ...(ts && { arrayType: "Float64Array" }) }),
      "",
      loopSource(program, kind, { name: `${loop}32`, ...loopOptions, ...(ts && { arrayType: "Float32Array" }) }),
    ].join("\n");
  };

  const simdParts = (): string[] => {
    if (simd === undefined) return [];
    if ("unsupported" in simd) {
      return [[
        `/** No WebAssembly SIMD kernels: the library's { simd } kernels refuse this function too (${commentSafe(simd.unsupported)}). */`,
        `export function simdKernels(${lanesParameter(ts)})${ts ? ": never" : ""} {`,
        `  throw new Error(${JSON.stringify(`simdKernels: ${simd.unsupported}`)});`,
        "}",
      ].join("\n")];
    }
    const method = (name: string, kind: KernelKind, loop: string): string[] => {
      const ordered = KERNEL_ARRAYS[kind];
      return [
        `    ${name}(${[...ordered.map((a) => (ts ? `${a}: FloatArray` : a)), ...paramList].join(", ")})${ts ? ": void" : ""} {`,
        ...required(name).map((line) => `    ${line}`),
        `      ${loop}[dtypeOf(${JSON.stringify(name)}, [${ordered.join(", ")}]) === 64 ? 0 : 1]([${ordered.join(", ")}], x.length, [${callParams.join(", ")}]);`,
        "    },",
      ];
    };
    const loops = (name: string, kind: KernelKind): string => {
      const { regions, inputs } = simdLayout(KERNEL_ARRAYS[kind]);
      return `  const ${name} = loops(${JSON.stringify(kind)}, ${namesByLanes(bothLanesNames(kind))}, [${regions.join(", ")}], ${inputs});`;
    };
    return [
      ...simdEntryPoint(ts, "the library's kernels"),
      [
        "/** The kernels of one lanes choice: each kind's module holds both choices' functions; chunks go through its memory (glue below). */",
        `function simdKernelsOf(${ts ? 'lanes: "float64" | "float32"' : "lanes"}) {`,
        `  const loops = (${ts ? 'kind: "forward" | "backward" | "fused", names: readonly [string, string], regions: readonly number[], inputs: number' : "kind, names, regions, inputs"}) => {`,
        "    const instance = wasmInstance(base64Bytes(SIMD_MODULES[kind]));",
        `    return [simdChunks(instance, names[0], true, regions, inputs, ${CHUNK}), simdChunks(instance, names[1], false, regions, inputs, ${CHUNK})]${ts ? " as const" : ""};`,
        "  };",
        loops("forwardSimd", "forward"),
        loops("backwardSimd", "backward"),
        loops("fusedSimd", "fused"),
        "  return {",
        ...method("kernel", "forward", "forwardSimd"),
        ...method("backward", "backward", "backwardSimd"),
        ...method("fused", "fused", "fusedSimd"),
        "  };",
        "}",
      ].join("\n"),
      ...glueSource(["wasmInstance", "base64Bytes", "simdChunks"], ts),
      modulesConstant(simd, ts),
    ];
  };

  const point = one ? "x[i]" : inputs.map((array) => `${array}[i]`).join(", ");
  const header = [
    "// Generated by actdiff (`actdiff emit`). Do not edit: regenerate from the definition instead.",
    "//",
    `//   ${commentSafe(spec.definition)}`,
    ...spec.derivatives.map((line) => `//   ${commentSafe(line)}`),
    "//",
    "// Exports:",
    `//   ${commentSafe(usage("f", inputs))}: the activation`,
    ...(one
      ? [
        `//   ${commentSafe(usage("df", inputs))}: its derivative`,
        `//   ${commentSafe(usage("valueAndGrad", inputs))}: [f, df], shared subexpressions computed once`,
        `//   ${commentSafe(usage("kernel", KERNEL_ARRAYS.forward))}: out[i] = f(x[i])`,
        `//   ${commentSafe(usage("backward", KERNEL_ARRAYS.backward))}: gradIn[i] = gradOut[i] * df(x[i])`,
      ]
      : [
        `//   ${commentSafe(usage("grad", inputs))}: [${spec.inputs.map((x) => `∂f/∂${commentSafe(x)}`).join(", ")}]`,
        `//   ${commentSafe(usage("valueAndGrad", inputs))}: [f, ...grad], shared subexpressions computed once`,
        `//   ${commentSafe(usage("kernel", arrayOrder("forward", arrays)))}: out[i] = f(${point})`,
        `//   ${commentSafe(usage("backward", arrayOrder("backward", arrays)))}: ${arrays.gradIns.map((g, k) => `${g}[i] = gradOut[i] * ∂f/∂${commentSafe(spec.inputs[k]!)}`).join(", ")}`,
      ]),
    `//   ${commentSafe(usage("fused", arrayOrder("fused", arrays)))}: kernel and backward in one pass`,
    ...(simd === undefined ? [] : simdHeader("kernel, backward, fused", "unsupported" in simd ? commentSafe(simd.unsupported) : undefined)),
    "// The arrays of one kernel call are all Float64Array or all Float32Array, of one length; outputs",
    "// may alias inputs. Float32Array kernels compute in float64 and round once, when storing.",
  ];
  const renamed = [...spec.inputs.map((name, i) => ({ name, js: inputs[i]! })), ...params].filter((p) => p.js !== p.name);
  if (renamed.length > 0) header.push(`// Renamed in the code: ${renamed.map((p) => `${commentSafe(p.name)} is ${p.js}`).join(", ")}.`);

  const parts = [
    header.join("\n"),
    ...(ts ? ["export type FloatArray = Float64Array | Float32Array;"] : []),
    ...helpers.map((h) => helperSource(h, ts)),
    scalar("f", programs.f, "The activation.", "number"),
    one
      ? scalar("df", programs.df, "Its derivative.", "number")
      : scalar("grad", programs.df, "Its partial derivatives, one per input.", `[${spec.inputs.map(() => "number").join(", ")}]`),
    one
      ? scalar("valueAndGrad", programs.both, "The activation and its derivative together.", "[value: number, grad: number]")
      : scalar("valueAndGrad", programs.both, "The activation and its partial derivatives together.", `[${["number", ...spec.inputs.map(() => "number")].join(", ")}]`),
    kernel("kernel", "forward", programs.f, one ? "out[i] = f(x[i])." : `out[i] = f(${point}).`),
    kernel("backward", "backward", programs.df, one ? "gradIn[i] = gradOut[i] * df(x[i])." : "Each input's gradient: gradOut[i] times the partial derivative."),
    kernel("fused", "fused", programs.both, one ? "out[i] = f(x[i]) and gradIn[i] = gradOut[i] * df(x[i]), in one pass." : "kernel and backward in one pass."),
    [
      "/** 64 or 32: the element type shared by all the arrays, which must also share x's length. */",
      `function dtypeOf(name${ts ? ": string" : ""}, arrays${ts ? ": readonly FloatArray[]" : ""})${ts ? ": 64 | 32" : ""} {`,
      "  const n = arrays[0]!.length;".replace("!", ts ? "!" : ""),
      "  if (arrays.every((a) => a instanceof Float64Array && a.length === n)) return 64;",
      "  if (arrays.every((a) => a instanceof Float32Array && a.length === n)) return 32;",
      "  throw new TypeError(name + \": the arrays must be all Float64Array or all Float32Array, of one length\");",
      "}",
    ].join("\n"),
    ...simdParts(),
  ];
  return parts.join("\n\n") + "\n";
}
