import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import fc from "fast-check";
import { afterAll, describe, expect, test } from "vitest";
import { define, type Activation } from "../../src/api/activation.js";
import { oneInputActivations } from "../../src/catalog/catalog.js";
import { commentSafe } from "../../src/codegen/emit-module.js";
import { helperSource } from "../../src/codegen/helpers.js";
import { strictlyTyped } from "../support/typescript.js";
import { FN_NAMES } from "../../src/functions/names.js";
import { fnSpec } from "../../src/functions/table.js";

/**
 * `actdiff emit`: a standalone module, imported from a temp dir, computes the same bits as the
 * compiled closures and kernels; its bytes depend on the definition alone; user text cannot
 * escape the comments, and names cannot reach the code unless they are plain identifiers.
 */
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "actdiff-emit-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface EmittedModule {
  f(x: number, ...params: number[]): number;
  df(x: number, ...params: number[]): number;
  valueAndGrad(x: number, ...params: number[]): [number, number];
  kernel(x: ArrayLike<number>, out: ArrayLike<number>, ...params: number[]): void;
  backward(x: ArrayLike<number>, gradOut: ArrayLike<number>, gradIn: ArrayLike<number>, ...params: number[]): void;
  fused(x: ArrayLike<number>, gradOut: ArrayLike<number>, out: ArrayLike<number>, gradIn: ArrayLike<number>, ...params: number[]): void;
}

let counter = 0;
async function load(text: string, ext = "mjs"): Promise<EmittedModule> {
  const file = join(dir, `m${counter++}.${ext}`);
  writeFileSync(file, text);
  return (await import(/* @vite-ignore */ pathToFileURL(file).href)) as EmittedModule;
}

const SPECIAL = [
  0, -0, 1, -1, 1000, -1000, 1e-300, -1e-300, 5e-324, 1e-8, -1e-8, 20, -20, 40, -40, 710, -710, 745, -745,
  6, 1e308, -1e308, NaN, Infinity, -Infinity, 0.46875, 4, 4.0000001, 27,
];
const xs = [...SPECIAL, ...fc.sample(fc.oneof(fc.double({ min: -8, max: 8 }), fc.double()), { numRuns: 300, seed: 21 })];

function expectSame(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i])) expect.fail(`${what}, element ${i} (x = ${xs[i]}): ${got[i]} vs ${want[i]}`);
  }
}

/** The module against compile(), derivative().compile() and the kernels, with the given positional parameters. */
function compareWith(m: EmittedModule, a: Activation, positional: number[]): void {
  const params = positional.length ? Object.fromEntries(a.params.map((p, i) => [p.name, positional[i]!])) : undefined;
  const [fn, dfn] = [a.compile(), a.derivative().compile()];
  expectSame(xs.map((v) => m.f(v, ...positional)), xs.map((v) => fn(v, params)), "f");
  expectSame(xs.map((v) => m.df(v, ...positional)), xs.map((v) => dfn(v, params)), "df");
  expectSame(xs.map((v) => m.valueAndGrad(v, ...positional)[0]), xs.map((v) => fn(v, params)), "valueAndGrad[0]");
  expectSame(xs.map((v) => m.valueAndGrad(v, ...positional)[1]), xs.map((v) => dfn(v, params)), "valueAndGrad[1]");
  for (const Type of [Float64Array, Float32Array]) {
    const x = Type.from(xs);
    const g = Type.from(xs.map((_, i) => (i % 5) - 1.5));
    const fresh = () => new Type(xs.length);
    const [out, gradIn, out2, gradIn2, wantOut, wantGrad] = [fresh(), fresh(), fresh(), fresh(), fresh(), fresh()];
    m.kernel(x, out, ...positional);
    m.backward(x, g, gradIn, ...positional);
    m.fused(x, g, out2, gradIn2, ...positional);
    a.kernel()(x, wantOut, params);
    a.backward()(x, g, wantGrad, params);
    expectSame(out, wantOut, `${Type.name} kernel`);
    expectSame(gradIn, wantGrad, `${Type.name} backward`);
    expectSame(out2, wantOut, `${Type.name} fused out`);
    expectSame(gradIn2, wantGrad, `${Type.name} fused gradIn`);
  }
}

describe("helpers: the standalone sources compute what the table's evaluate computes", () => {
  const names = FN_NAMES.filter((fn) => fnSpec(fn).source !== undefined);
  // Each of erf's intervals and their ends, tiny and huge values, and random doubles.
  const inputs = [
    ...SPECIAL, 0.4687499, 0.46875000001, 3.9999999, 5.9, 26.5, 9007199254740992, -9007199254740991,
    ...fc.sample(fc.oneof(fc.double(), fc.double({ min: -6, max: 6 }), fc.double({ min: -1e-3, max: 1e-3 })), { numRuns: 20000, seed: 8 }),
  ];
  test.each(names)("h_%s", (name) => {
    const spec = fnSpec(name);
    const h = new Function(`${helperSource(name, false)}\nreturn h_${name};`)() as (...a: number[]) => number;
    for (let i = 0; i < inputs.length; i++) {
      const args = Array.from({ length: spec.arity }, (_, k) => inputs[(i + k * 7919) % inputs.length]!);
      const [got, want] = [h(...args), spec.evaluate(...args)];
      if (!Object.is(got, want)) expect.fail(`h_${name}(${args.join(", ")}) = ${got}, evaluate gives ${want}`);
    }
  });
});

describe("the emitted module gives the same bits as compile() and the kernels", () => {
  test.each(oneInputActivations().map((e) => e.name))("%s", async (name) => {
    const a = define(name);
    const m = await load(a.emitModule());
    compareWith(m, a, []);
    if (a.params.length) compareWith(m, a, a.params.map((_, i) => [-0.7, 2.5, 1 / 3][i % 3]!));
  });

  test("erf (inlined helper), a parameter without a default, and several parameters", async () => {
    const a = define("gelu(x; s, t = 2) = t * x / 2 * (1 + erf(x / sqrt(s)))");
    const m = await load(a.emitModule());
    compareWith(m, a, [2, 1]);
    compareWith(m, a, [0.5, -3]);
    expect(() => m.f(1)).toThrow(new TypeError("f: parameter 's' has no default value; pass one"));
  });

  test("kernels refuse mixed or mismatched arrays with a TypeError", async () => {
    const m = await load(define("elu").emitModule());
    expect(() => m.kernel(new Float64Array(2), new Float32Array(2))).toThrow(new TypeError("kernel: the arrays must be all Float64Array or all Float32Array, of one length"));
    expect(() => m.fused(new Float32Array(2), new Float32Array(2), new Float32Array(1), new Float32Array(2))).toThrow(TypeError);
    expect(() => m.backward([1, 2], new Float64Array(2), new Float64Array(2))).toThrow(TypeError);
  });
});

describe("emitted source", () => {
  test("is deterministic: the same bytes in-process, from the CLI, and from another process", () => {
    const text = define("swish").emitModule();
    // Other work in between changes node ids and intern tables, never the output.
    define("x * tanh(softplus(x)) + swish(x; beta = 2)").derivative().compile();
    expect(define("swish").emitModule()).toBe(text);
    const cli = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "emit", ...args], { cwd: ROOT, encoding: "buffer" });
    const [r1, r2] = [cli("swish"), cli("swish")];
    expect(r1.status).toBe(0);
    expect(Buffer.compare(r1.stdout, r2.stdout)).toBe(0);
    expect(r1.stdout.toString("utf8")).toBe(text);
    // --out writes the same bytes.
    const file = join(dir, "out.js");
    const r3 = cli("swish", "--out", file);
    expect(r3.status).toBe(0);
    expect(r3.stdout.length).toBe(0);
    expect(readFileSync(file, "utf8")).toBe(text);
  });

  test("the CLI refuses an unknown --lang with exit status 2", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "emit", "swish", "--lang", "rust"], { cwd: ROOT, encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("Allowed choices are js, ts");
  });

  test("has the formula in a comment, imports nothing and never evaluates strings", () => {
    const text = define("softsign").emitModule();
    expect(text).toContain("//   softsign(x) = x / (1 + abs(x))\n");
    expect(text).toContain("//   softsign'(x) = 1 / (1 + abs(x))^2\n");
    expect(text).not.toMatch(/\bimport\b|\brequire\b|\beval\b|\bFunction\b/);
  });

  test("runs where eval and new Function are disallowed", () => {
    const file = join(dir, "nocodegen.mjs");
    writeFileSync(file, define("relu_softplus").emitModule());
    const script = `import(${JSON.stringify(pathToFileURL(file).href)}).then((m) => { const o = new Float32Array(2); m.fused(Float32Array.of(-1, 1), Float32Array.of(1, 1), o, new Float32Array(2)); console.log(m.f(-1), o[0]); })`;
    const r = spawnSync(process.execPath, ["--disallow-code-generation-from-strings", "-e", script], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    const f = define("relu_softplus").compile();
    expect(r.stdout).toBe(`${f(-1)} ${Math.fround(f(-1))}\n`);
  });
});

describe("user text cannot inject code", () => {
  test("names such as constructor, __proto__, eval, default and the module's own names become positional", async () => {
    const a = define("f(x; constructor = 2, __proto__ = 3, eval = 5, kernel = 7, t0 = 11, beta = 13) = constructor * x + __proto__ + eval * kernel + t0 * beta");
    const text = a.emitModule();
    expect(text).toContain("export function f(x, p0 = 2, p1 = 3, p2 = 5, p3 = 7, p4 = 11, beta = 13) {");
    expect(text).toContain("// Renamed in the code: constructor is p0, __proto__ is p1, eval is p2, kernel is p3, t0 is p4.");
    const m = await load(text);
    expect(m.f(1)).toBe(2 + 3 + 35 + 11 * 13);
    compareWith(m, a, [1.5, -2, 0.25, 3, 7, -1]);
  });

  test("an input that is not a plain identifier, and Greek names", async () => {
    const a = define("f(__proto__; δ = 2) = δ * __proto__^2");
    const text = a.emitModule();
    expect(text).toContain("export function f(x0, p0 = 2) {");
    expect(text).toContain("// Renamed in the code: __proto__ is x0, δ is p0.");
    compareWith(await load(text), a, [3]);
  });

  test("commentSafe escapes line terminators, */ and invisible characters, and keeps letters", () => {
    expect(commentSafe("a */ alert(1) /*")).toBe("a *\\/ alert(1) /*");
    expect(commentSafe("x\nalert(1)")).toBe("x\\u{a}alert(1)");
    expect(commentSafe("x\r\u2028\u2029y")).toBe("x\\u{d}\\u{2028}\\u{2029}y");
    expect(commentSafe("\u202Eevil\u200B")).toBe("\\u{202e}evil\\u{200b}");
    expect(commentSafe("σ(β·x) ≤ 1 − δ′")).toBe("σ(β·x) ≤ 1 − δ′");
  });

  test("no text that survives parsing can end a comment early or add a line", async () => {
    // The formula in the header is printed from the AST; whatever the names, each comment line stays one comment.
    const a = define("f(x; αβγ = 1, _a = 2) = αβγ * x / _a");
    const text = a.emitModule();
    for (const line of text.split("\n").filter((l) => l.startsWith("//"))) expect(line).not.toMatch(/[\r\u2028\u2029]/);
    compareWith(await load(text), a, [2, 3]);
  });
});

describe("--lang ts", () => {
  test("type-checks under strict settings, and runs with the same bits once its types are stripped", async () => {
    const sources = ["swish", "relu6", "gelu(x; s) = x / 2 * (1 + erf(x / sqrt(s)))", "rrelu", "softsign"];
    const { messages, javascript } = strictlyTyped(dir, sources.map((s) => define(s).emitModule({ lang: "ts" })));
    expect(messages).toEqual([]);
    for (const [i, s] of sources.entries()) {
      const a = define(s);
      compareWith(await load(javascript[i]!), a, a.params.map(() => 1.25));
    }
  });
});
