import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, test } from "vitest";
import { define } from "../../src/api/activation.js";
import { CHUNK } from "../../src/codegen/wasm/kernels.js";
import { GLUE_TEXT, glueText } from "../../scripts/glue-text.js";
import { actdiff, json, noStack } from "../support/cli.js";
import { strictlyTyped, stripTypes } from "../support/typescript.js";

/**
 * The standalone module's `simdKernels()`: the library's WebAssembly SIMD kernels, embedded — the
 * same bits as `{ simd: true }` and `{ simd: "float32" }`, over chunked arrays and rows longer
 * than a chunk, with the library's fallbacks; and still no eval, the same bytes for the same
 * definition, and glue printed from the code the library runs.
 */
const dir = mkdtempSync(join(tmpdir(), "actdiff-emit-simd-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Kernel = (...args: unknown[]) => void;
interface SimdKernels { readonly kernel: Kernel; readonly backward: Kernel; readonly fused: Kernel }
interface Emitted { simdKernels(lanes?: string): SimdKernels }

/** The module's code: no comments, and the embedded base64 strings emptied. */
const codeOf = (text: string): string => stripTypes(text, { removeComments: true }).replace(/"[A-Za-z0-9+/]{64,}={0,2}"/g, '""');

let counter = 0;
async function load(text: string, ext = "mjs"): Promise<Emitted> {
  const file = join(dir, `m${counter++}.${ext}`);
  writeFileSync(file, text);
  return (await import(/* @vite-ignore */ pathToFileURL(file).href)) as Emitted;
}

const LANES = [["float64", true], ["float32", "float32"]] as const;

function expectSame(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i])) expect.fail(`${what}, element ${i}: ${got[i]} vs ${want[i]}`);
  }
}

/** Inputs with the tails and specials the kernels branch on, over more than two chunks. */
function elementInputs(length: number): number[] {
  const specials = [0, -0, 1, -1, 20, -20, 40, -40, 710, -745, 1e-300, 1e308, -1e308, NaN, Infinity, -Infinity];
  return Array.from({ length }, (_, i) => (i < specials.length ? specials[i]! : Math.sin(i * 0.7) * (i % 7 === 0 ? 60 : 6)));
}

describe("elementwise: simdKernels() computes the library's { simd } kernels' bits", () => {
  const cases: readonly [string, Record<string, number> | undefined][] = [
    ["swish", undefined],
    ["swish", { beta: 1.7 }],
    ["gelu", undefined],
    ["f(x; a = 0.5) = x * tanh(softplus(a * x)) + (x > 1 ? log1p(x) : expm1(x) / 3)", { a: 0.25 }],
  ];
  test.each(cases)("%s with %o, float64 and float32 lanes, chunked", async (source, params) => {
    const a = define(source);
    const m = await load(a.emitModule({ simd: true }));
    const positional = params === undefined ? [] : a.params.map((p) => params[p.name]!);
    const xs = elementInputs(2 * CHUNK + 37);
    for (const [lanes, simd] of LANES) {
      const mine = m.simdKernels(lanes);
      const [kernel, backward, fused] = [a.kernel({ simd }), a.backward({ simd }), a.fusedKernel({ simd })];
      for (const Type of [Float64Array, Float32Array]) {
        const x = Type.from(xs);
        const g = Type.from(xs.map((_, i) => (i % 5) - 1.5));
        const fresh = () => new Type(xs.length);
        const [out, gradIn, out2, gradIn2, wantOut, wantGrad, wantOut2, wantGrad2] = Array.from({ length: 8 }, fresh);
        mine.kernel(x, out, ...positional);
        mine.backward(x, g, gradIn, ...positional);
        mine.fused(x, g, out2, gradIn2, ...positional);
        kernel(x, wantOut!, params);
        backward(x, g, wantGrad!, params);
        fused(x, g, wantOut2!, wantGrad2!, params);
        const what = `${lanes} lanes, ${Type.name}`;
        expectSame(out!, wantOut!, `${what} kernel`);
        expectSame(gradIn!, wantGrad!, `${what} backward`);
        expectSame(out2!, wantOut2!, `${what} fused out`);
        expectSame(gradIn2!, wantGrad2!, `${what} fused gradIn`);
        // In place, as the library allows: out aliases x.
        const inPlace = Type.from(xs);
        mine.kernel(inPlace, inPlace, ...positional);
        expectSame(inPlace, wantOut!, `${what} kernel in place`);
      }
    }
  });

  test("a function the library's SIMD kernels refuse: simdKernels() throws the library's reason", async () => {
    const a = define("f(x) = sin(x) * x");
    expect(() => a.kernel({ simd: true })).toThrow(/no WebAssembly SIMD form for sin/);
    const text = a.emitModule({ simd: true });
    expect(text).not.toContain("SIMD_MODULES");
    const m = await load(text);
    expect(() => m.simdKernels()).toThrow(/no WebAssembly SIMD form for sin/);
    const glu = await load(define("glu").emitModule({ simd: true }));
    expect(() => glu.simdKernels()).toThrow(/one input/);
  });

  test("parameters named as the SIMD code's own names are renamed; a parameter without a default must be passed", async () => {
    const a = define("f(x; forwardSimd = 2, lanes = 3, c) = x * sigmoid(forwardSimd * x) + lanes * c");
    const text = a.emitModule({ simd: true });
    expect(text).toContain("// Renamed in the code: forwardSimd is p0, lanes is p1.");
    expect(a.emitModule()).not.toContain("Renamed");
    const m = await load(text);
    const x = Float64Array.from(elementInputs(100));
    const [got, want] = [new Float64Array(100), new Float64Array(100)];
    m.simdKernels().kernel(x, got, 1.5, -2, 0.25);
    a.kernel({ simd: true })(x, want, { forwardSimd: 1.5, lanes: -2, c: 0.25 });
    expectSame(got, want, "renamed parameters");
    expect(() => m.simdKernels().kernel(x, got)).toThrow(/parameter 'c' has no default value/);
  });

  test("lanes other than float64 and float32 are refused", async () => {
    const m = await load(define("swish").emitModule({ simd: true }));
    expect(() => m.simdKernels("float16")).toThrow(TypeError);
  });
});

describe("rows: simdKernels() computes the library's { simd } row kernels' bits", () => {
  const sources = ["softmax", "log_softmax", "logsumexp", "sm(x[]) = exp(x) / sum(exp(x))", "maxout"];
  // Many short rows (chunks of whole rows), and rows longer than a chunk (the memory grows).
  const shapes = [[3000, 10], [2, 2 * CHUNK + 6]] as const;
  test.each(sources)("%s", async (source) => {
    const f = define(source);
    const m = await load(f.emitModule({ simd: true }));
    const outLength = (n: number): number => (source === "logsumexp" ? 1 : source === "maxout" ? n / 2 : n);
    for (const [lanes, simd] of LANES) {
      const mine = m.simdKernels(lanes);
      const [kernel, backward, fused] = [f.kernel({ simd }), f.backward({ simd }), f.fusedKernel({ simd })] as unknown as Kernel[];
      for (const [rows, n] of shapes) {
        for (const Type of [Float64Array, Float32Array]) {
          const x = Type.from(Array.from({ length: rows * n }, (_, i) => Math.sin(i * 1.7) * 40 + (i % 97 === 4 ? 800 : 0)));
          const g = Type.from(Array.from({ length: rows * outLength(n) }, (_, i) => Math.cos(i)));
          const outs = () => [new Type(rows * outLength(n)), new Type(rows * n), new Type(rows * outLength(n)), new Type(rows * n), new Type(rows * outLength(n))];
          const run = (k: SimdKernels) => {
            const [out, gx, out2, gx2, out3] = outs();
            k.kernel(x, out, n);
            k.backward(x, g, gx, n);
            k.fused(x, g, out2, gx2, n);
            k.kernel(x, out3, n);
            return [out!, gx!, out2!, gx2!];
          };
          const got = run(mine);
          const want = run({ kernel, backward, fused });
          const what = `${lanes} lanes, ${Type.name}, ${rows}×${n}`;
          ["kernel", "backward", "fused out", "fused gradX"].forEach((k, i) => expectSame(got[i]!, want[i]!, `${what} ${k}`));
        }
      }
    }
  });

  test("maxout falls back to its JavaScript row functions, as the library does, and says why", () => {
    const text = define("maxout").emitModule({ simd: true });
    expect(text).toMatch(/^\/\/ fused: no SIMD form \(.+\); simdKernels\(\) runs its JavaScript, as the library does\.$/m);
    expect(text).not.toContain("SIMD_MODULES");
    const softmax = define("softmax").emitModule({ simd: true });
    expect(softmax).toContain("SIMD_MODULES");
    expect(softmax).not.toMatch(/no SIMD form/);
  });
});

describe("the module as text", () => {
  const sources = ["swish", "gelu", "softmax", "maxout", "f(x; a = 0.5) = x * tanh(softplus(a * x))"];

  test("no eval, no new Function, no import in the code (the header names 'wasm-unsafe-eval'; base64 is no code)", () => {
    for (const s of sources) {
      for (const lang of ["js", "ts"] as const) {
        const text = define(s).emitModule({ lang, simd: true });
        expect(text).toContain("'wasm-unsafe-eval'");
        expect(codeOf(text)).not.toMatch(/\bimport\b|\brequire\b|\beval\b|\bFunction\b/);
      }
    }
  });

  test("without --simd (the default) the module has no WebAssembly; --lang torch and tfjs refuse --simd", () => {
    for (const s of ["swish", "softmax"]) {
      const text = define(s).emitModule();
      expect(text).not.toMatch(/simdKernels|SIMD_MODULES|WebAssembly/);
    }
    for (const lang of ["torch", "tfjs"] as const) expect(() => define("swish").emitModule({ lang, simd: true })).toThrow(/not --lang/);
  });

  test("actdiff emit --simd writes the module the library emits with simd", () => {
    const r = actdiff("emit", "swish", "--simd", "--json");
    expect(r.status).toBe(0);
    expect(json(r).source).toBe(define("swish").emitModule({ simd: true }));
    const torch = actdiff("emit", "swish", "--lang", "torch", "--simd");
    expect(torch.status).toBe(2);
    expect(torch.stderr).toContain("error[E_USAGE]");
    noStack(torch.stderr);
  });

  test("where there is no WebAssembly (node --jitless) the module loads, its JavaScript kernels run, and simdKernels() says why it cannot", () => {
    const file = join(dir, "jitless.mjs");
    writeFileSync(file, define("swish").emitModule({ simd: true }));
    const script = `import(${JSON.stringify(pathToFileURL(file).href)}).then((m) => { const o = new Float64Array(1); m.kernel(Float64Array.of(1), o); console.log(o[0]); try { m.simdKernels(); } catch (e) { console.log(e.message); } })`;
    const r = spawnSync(process.execPath, ["--jitless", "--no-warnings", "-e", script], { encoding: "utf8" });
    expect(r.stdout).toBe(`${define("swish").compile()(1)}\nWebAssembly is not available here: use the JavaScript kernels\n`);
  });

  test("two emits of one definition are byte-identical", () => {
    for (const s of sources) expect(define(s).emitModule({ simd: true })).toBe(define(s).emitModule({ simd: true }));
  });

  test("the glue printed is glue.ts as it is now (else run: node --import tsx scripts/glue-text.ts)", () => {
    expect(readFileSync(GLUE_TEXT, "utf8")).toBe(glueText());
  });

  test("--lang ts type-checks under strict settings, and once stripped computes the same SIMD bits", async () => {
    const defs = [define("swish"), define("softmax"), define("maxout"), define("glu"), define("f(x) = sin(x) * x"), define("f(x; a) = x * tanh(a * x)")];
    const { messages, javascript } = strictlyTyped(dir, defs.map((d) => d.emitModule({ lang: "ts", simd: true })));
    expect(messages).toEqual([]);
    const swish = await load(javascript[0]!);
    const x = Float32Array.from({ length: 1000 }, (_, i) => i / 50 - 10);
    const [got, want] = [new Float32Array(1000), new Float32Array(1000)];
    swish.simdKernels("float32").kernel(x, got);
    defs[0]!.kernel({ simd: "float32" })(x, want);
    expectSame(got, want, "swish, float32 lanes");
    const softmax = await load(javascript[1]!);
    const [rowsGot, rowsWant] = [new Float32Array(1000), new Float32Array(1000)];
    softmax.simdKernels().kernel(x, rowsGot, 100);
    (defs[1]!.kernel({ simd: true }) as unknown as Kernel)(x, rowsWant, 100);
    expectSame(rowsGot, rowsWant, "softmax, float64 lanes");
  });
});
