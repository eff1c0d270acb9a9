import fc from "fast-check";
import { describe, expect, test, vi } from "vitest";
import { define } from "../../src/api/activation.js";
import { audit } from "../../src/audit/audit.js";
import { simdMarkdown } from "../../src/audit/format.js";
import { ulpDistance } from "../../src/audit/ulps.js";
import { oneInputActivations } from "../../src/catalog/catalog.js";
import { compileKernel, type FloatArray, type KernelKind } from "../../src/codegen/kernels.js";
import { lower } from "../../src/codegen/program.js";
import { Bytes } from "../../src/codegen/wasm/encode.js";
import { VectorEmitter } from "../../src/codegen/wasm/emitter.js";
import { CHUNK, simdModule } from "../../src/codegen/wasm/kernels.js";
import { fnSpec, functions, type FnName } from "../../src/functions/table.js";
import { bigContext } from "../../src/numeric/big.js";
import { expressionArbitraries } from "../support/arbitraries.js";
import { errorOf } from "../support/errors.js";

/**
 * The WebAssembly SIMD kernels ({ simd: true }): valid modules; the same values as the
 * JavaScript kernels wherever both compute with correctly rounded operations only; vector
 * builtins within 2 ulps of a 50-digit reference; the tails, signed zeros, NaN and ±∞ of Math;
 * the chunked copy through the module's memory at every length; and the audit's targets.
 */
const SIGNATURE = { inputs: ["x"], params: ["beta"] };
const KINDS: readonly KernelKind[] = ["forward", "backward", "fused"];
const CATALOG = oneInputActivations().map((e) => e.name);
/**
 * Every catalog activation has SIMD kernels (xwish since atan and atan_tail have vector forms),
 * but snake: sin has no vector form yet, and is refused as the next test says.
 */
const WITHOUT_SIMD = ["snake"];
const WITH_SIMD = CATALOG.filter((name) => !WITHOUT_SIMD.includes(name));
const wasm = (globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } }).WebAssembly;

/** Runs the forward kernel of `source` over xs: float64 lanes, or float32 lanes for "float32". */
function forward(source: string, xs: readonly number[], simd: true | "float32" = true): number[] {
  const Type = simd === true ? Float64Array : Float32Array;
  const out = new Type(xs.length);
  define(source).kernel({ simd })(Type.from(xs), out);
  return [...out];
}

describe("the binary encoding", () => {
  test("LEB128: unsigned and signed, one byte and several", () => {
    const bytes = (b: Bytes): number[] => [...b.toUint8Array()];
    expect(bytes(new Bytes().u32(0).u32(127).u32(128).u32(624485))).toEqual([0, 127, 0x80, 1, 0xe5, 0x8e, 0x26]);
    expect(bytes(new Bytes().s32(-1).s32(63).s32(64).s32(-123456))).toEqual([0x7f, 63, 0xc0, 0, 0xc0, 0xbb, 0x78]);
  });

  test.each(WITH_SIMD)("%s: every module validates, in both lane formats", (name) => {
    const f = define(name);
    const programs = { forward: [f.expr], backward: [f.derivative().expr], fused: [f.expr, f.derivative().expr] };
    const signature = { inputs: f.inputs, params: f.params.map((p) => p.name) };
    for (const kind of KINDS) {
      for (const lanes of ["float64", "float32"] as const) expect(wasm.validate(simdModule(lower(programs[kind], signature), kind, lanes))).toBe(true);
    }
  });
});

describe("determinism and lanes", () => {
  test("the same Program gives the same bytes", () => {
    const program = lower([define("swish").derivative().expr], { inputs: ["x"], params: ["beta"] });
    expect(simdModule(program, "backward", "float32")).toEqual(simdModule(program, "backward", "float32"));
  });

  test("{ simd: \"float32\" } changes only Float32Array kernels: Float64Array ones keep float64 lanes", () => {
    const xs = Array.from({ length: 37 }, (_, i) => i / 3 - 6);
    expect(forward("sigmoid", xs, true)).toEqual((() => {
      const out = new Float64Array(xs.length);
      define("sigmoid").kernel({ simd: "float32" })(Float64Array.from(xs), out);
      return [...out];
    })());
  });
});

describe("branches", () => {
  /** How many branches (`if`s on any/all lanes) the float32-lane kernel of this kind emits. */
  function branchesIn(source: string, kind: KernelKind): number {
    const f = define(source);
    const roots = { forward: [f.expr], backward: [f.derivative().expr], fused: [f.expr, f.derivative().expr] }[kind];
    const spy = vi.spyOn(VectorEmitter.prototype, "branch");
    try {
      simdModule(lower(roots, { inputs: f.inputs, params: f.params.map((p) => p.name) }, { lanes: "vector" }), kind, "float32");
      return spy.mock.calls.length;
    } finally {
      spy.mockRestore();
    }
  }

  test.each(["relu", "leaky_relu", "relu6", "relu_softsign", "absval"])("%s: a kink between arithmetic sides is a select, with no branch", (name) => {
    for (const kind of KINDS) expect(branchesIn(name, kind)).toBe(0);
  });

  test("elu: the side with x is computed for every lane, so only exp's rare slow paths branch", () => {
    // One per function: the float64-lane function's exp, and the float32-lane function's.
    expect(branchesIn("elu", "backward")).toBe(2);
  });

  test("a kink inside the costly side of another is a select too: still only exp's rare slow paths branch", () => {
    expect(branchesIn("f(x) = x > 0 ? x : x < -2 ? -1 : exp(x) - 1", "forward")).toBe(2);
  });

  test("σ′: sides that both call exp keep the branch on the tail test, which lanes almost never take", () => {
    expect(branchesIn("elu", "backward")).toBeLessThan(branchesIn("sigmoid", "backward"));
  });
});

describe("what has a vector form", () => {
  test("every catalog activation has SIMD kernels of all three kinds", () => {
    for (const name of WITH_SIMD) {
      const f = define(name);
      expect(() => [f.kernel({ simd: true }), f.backward({ simd: true }), f.fusedKernel({ simd: "float32" })]).not.toThrow();
    }
    for (const name of WITHOUT_SIMD) expect(errorOf(() => define(name).kernel({ simd: true })).code).toBe("E_UNSUPPORTED");
  });

  test("a builtin without one is refused with E_UNSUPPORTED, its name and the way out", () => {
    for (const fn of ["erf", "sin", "cosh"]) {
      const e = errorOf(() => define(`f(x) = x * ${fn}(x)`).kernel({ simd: true }));
      expect(e.code).toBe("E_UNSUPPORTED");
      expect(e.message).toContain(`${fn}()`);
      expect(e.hint).toContain("{ simd: true }");
    }
  });

  test("so is a power with an exponent that is not an integer constant", () => {
    expect(errorOf(() => define("f(x; a = 2) = abs(x)^a").kernel({ simd: true })).code).toBe("E_UNSUPPORTED");
  });

  test("{ simd: true } with { csp: true } is a usage error", () => {
    expect(errorOf(() => define("relu").kernel({ simd: true, csp: true })).code).toBe("E_USAGE");
  });
});

describe("values", () => {
  const EXACT: readonly FnName[] = ["abs", "sqrt", "min", "max", "clip", "sign"];
  const { value } = expressionArbitraries(4, EXACT);
  const inputs = fc.array(fc.oneof(fc.double({ min: -8, max: 8 }), fc.double(), fc.constantFrom(0, -0, 1, -1, NaN, Infinity, -Infinity)), { minLength: 1, maxLength: 9 });

  test("property: without a transcendental call, the float64 SIMD kernels return the JavaScript kernels' bits", () => {
    // +, −, ×, ÷, √, min, max and comparisons are correctly rounded in both, so masks and
    // selects are all that differ: any difference is a branch taken wrongly.
    fc.assert(fc.property(value, inputs, fc.double({ min: -3, max: 3, noNaN: true }), (e, xs, beta) => {
      const program = lower([e], SIGNATURE);
      // e^u is exp(u) in canonical form; x ** k is V8's pow, not a product.
      fc.pre(program.calls.every((fn) => EXACT.includes(fn)) && !JSON.stringify(program).includes('"op":"**"'));
      const x = Float64Array.from(xs);
      const [js, simd] = [new Float64Array(xs.length), new Float64Array(xs.length)];
      compileKernel([e], SIGNATURE, "forward")(x, js, [beta]);
      compileKernel([e], SIGNATURE, "forward", { simd: true })(x, simd, [beta]);
      for (let i = 0; i < xs.length; i++) expect(Object.is(simd[i], js[i]), `x = ${xs[i]}: ${simd[i]} vs ${js[i]}`).toBe(true);
    }), { numRuns: 300 });
  });

  const D = bigContext(50);
  const RANGES: Record<string, readonly [number, number]> = {
    atan: [-1e6, 1e6], atan_tail: [-60, 60], exp: [-746, 710], expm1: [-40, 710], log: [-700, 700], log1p: [-0.999, 50], tanh: [-20, 20], sigmoid: [-750, 750], softplus: [-750, 750],
  };
  /** log takes e^u for u in its range, so that its inputs span the exponents. */
  const argument = (fn: string, u: number): number => (fn === "log" ? Math.exp(u) : fn === "log1p" && u > 1 ? Math.expm1(u) : u);

  /** 2 ulps, but 3 where the reductions round more often: atan in float32 lanes, atan_tail (as its scalar form). */
  const TOLERANCE: Record<string, Record<"float64" | "float32", number>> = { atan: { float64: 2, float32: 3 }, atan_tail: { float64: 3, float32: 3 } };

  test.each(Object.keys(RANGES))("property: %s within 2 ulps of a 50-digit reference, in float64 and in float32 lanes", (fn) => {
    const [lo, hi] = RANGES[fn]!;
    const spec = functions[fn as FnName];
    fc.assert(fc.property(fc.array(fc.oneof(fc.double({ min: lo, max: hi, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true })), { minLength: 1, maxLength: 16 }), (us) => {
      const xs = us.map((u) => argument(fn, u)).filter((x) => Number.isFinite(x) && (fn !== "log1p" || x > -1) && (fn !== "log" || x > 0));
      for (const simd of [true, "float32"] as const) {
        const dtype = simd === true ? "float64" : "float32";
        const round = simd === true ? (v: number) => v : Math.fround;
        const args = xs.map(round);
        const got = forward(`f(x) = ${fn}(x)`, args, simd);
        args.forEach((x, i) => {
          // 100 digits: exact for inputs near 1, where log's value is as small as the input's last digits.
          const truth = round(spec.evaluateBig(D, [new D(x.toPrecision(100))]).toNumber());
          if (!Number.isFinite(truth) || Math.abs(truth) < (dtype === "float64" ? 2 ** -1022 : 2 ** -126)) return;
          expect(ulpDistance(got[i]!, truth, dtype), `${fn}(${x}) in ${dtype} lanes: ${got[i]} vs ${truth}`).toBeLessThanOrEqual(TOLERANCE[fn]?.[dtype] ?? 2);
        });
      }
    }), { numRuns: 40 });
  });

  test("special values as Math has them: NaN, ±∞, signed zeros, and where exp overflows and underflows", () => {
    const cases: [string, number[]][] = [
      ["exp", [NaN, Infinity, -Infinity, 0, -0, 709.78, 709.79, -745.13, -745.14, 1e-300]],
      ["expm1", [NaN, Infinity, -Infinity, 0, -0, 709.78, 709.79, 1e-300, -1e-300, -40]],
      ["log", [NaN, Infinity, -Infinity, 0, -0, -1, 5e-324, 1e-310, 1, 1.7976931348623157e308]],
      ["log1p", [NaN, Infinity, -Infinity, 0, -0, -1, -2, 1e-300, -1e-300, 1e300]],
      ["tanh", [NaN, Infinity, -Infinity, 0, -0, 1e-300, -1e-300, 20, -20, 400]],
      ["sigmoid", [NaN, Infinity, -Infinity, 0, -0, 745, -745, 800, -800]],
      ["softplus", [NaN, Infinity, -Infinity, 0, -0, 745, -745, 1000, -1000]],
      ["sign", [NaN, Infinity, -Infinity, 0, -0, 5e-324, -5e-324]],
      ["atan", [NaN, Infinity, -Infinity, 0, -0, 1e-300, -1e-300, 1e300, -1e300, 1, -1]],
      ["atan_tail", [NaN, Infinity, -Infinity, 0, -0, -1, -2, 1e300, -1e300, -1e200]],
    ];
    for (const [fn, xs] of cases) {
      const got = forward(`f(x) = ${fn}(x)`, xs);
      xs.forEach((x, i) => {
        const want = fnSpec(fn as FnName).evaluate(x);
        const close = Object.is(got[i], want) || (Number.isFinite(want) && want !== 0 && ulpDistance(got[i]!, want, "float64") <= 2);
        expect(close, `${fn}(${x}) = ${got[i]}, Math: ${want}`).toBe(true);
      });
    }
  });

  test.each(WITH_SIMD)("%s: finite wherever the JavaScript kernels are, at the edges of the range", (name) => {
    const xs = [0, -0, 1e-300, -1e-300, 1e-8, -1e-8, 20, -20, 40, -40, 710, -710, 745, -745, 1000, -1000, 1e308, -1e308];
    const f = define(name);
    const run = (k: (...args: FloatArray[]) => void, arrays: FloatArray[]): FloatArray[] => {
      k(...arrays);
      return arrays;
    };
    const x = Float64Array.from(xs);
    const fresh = (): Float64Array => new Float64Array(xs.length);
    const ones = (): Float64Array => new Float64Array(xs.length).fill(1);
    const pairs: [FloatArray, FloatArray][] = [
      [run(f.kernel() as never, [x, fresh()])[1]!, run(f.kernel({ simd: true }) as never, [x, fresh()])[1]!],
      [run(f.backward() as never, [x, ones(), fresh()])[2]!, run(f.backward({ simd: true }) as never, [x, ones(), fresh()])[2]!],
    ];
    for (const [js, simd] of pairs) {
      xs.forEach((v, i) => {
        if (Number.isFinite(js[i])) expect(Number.isFinite(simd[i]), `${name} at ${v}: ${simd[i]} where JavaScript gives ${js[i]}`).toBe(true);
        if (js[i] === 0) expect(Math.abs(simd[i]!)).toBeLessThan(1e-300);
        else if (Number.isFinite(js[i])) expect(Math.abs(simd[i]! - js[i]!)).toBeLessThanOrEqual(1e-12 * Math.abs(js[i]!) + 1e-300);
      });
    }
  });
});

describe("the copy through the module's memory", () => {
  const lengths = [0, 1, 2, 3, 5, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 3];

  test.each(lengths)("n = %i: every element, none past the end, chunk by chunk", (n) => {
    const f = define("f(x; a = 1) = x > 0 ? a * x : expm1(x)");
    const xs = Array.from({ length: n }, (_, i) => Math.sin(i) * 4);
    for (const [Type, simd] of [[Float64Array, true], [Float32Array, true], [Float32Array, "float32"]] as const) {
      const x = Type.from(xs);
      const g = Type.from(xs.map((v) => v / 2));
      const guard = 12345;
      const out = new Type(n + 1).fill(guard);
      const gradIn = new Type(n + 1).fill(guard);
      f.fusedKernel({ simd })(x, g, out.subarray(0, n), gradIn.subarray(0, n), { a: 2 });
      const [vf, df] = [f.compile(), f.derivative().compile()];
      for (let i = 0; i < n; i++) {
        const round = Type === Float64Array ? (v: number) => v : Math.fround;
        const want = [round(vf(x[i]!, { a: 2 })), round(g[i]! * df(x[i]!, { a: 2 }))];
        const dtype = Type === Float64Array ? "float64" : "float32";
        expect(ulpDistance(out[i]!, want[0]!, dtype)).toBeLessThanOrEqual(2);
        expect(ulpDistance(gradIn[i]!, want[1]!, dtype)).toBeLessThanOrEqual(2);
      }
      expect([out[n], gradIn[n]]).toEqual([guard, guard]);
    }
  });

  test("in place: out may be x, and gradIn may be gradOut", () => {
    const f = define("sigmoid");
    const xs = Array.from({ length: CHUNK + 7 }, (_, i) => (i % 41) - 20);
    const [x, out] = [Float64Array.from(xs), new Float64Array(xs.length)];
    f.kernel({ simd: true })(x, out);
    f.kernel({ simd: true })(x, x);
    expect([...x]).toEqual([...out]);
    const [y, g, gradIn] = [Float32Array.from(xs), Float32Array.from(xs, () => 3), new Float32Array(xs.length)];
    f.backward({ simd: true })(y, g, gradIn);
    f.backward({ simd: true })(y, g, g);
    expect([...g]).toEqual([...gradIn]);
  });

  test("the element types are checked as for the JavaScript kernels", () => {
    const k = define("relu").kernel({ simd: true });
    expect(errorOf(() => k(new Float64Array(2), new Float32Array(2))).code).toBe("E_USAGE");
    expect(errorOf(() => k(new Float64Array(2), new Float64Array(3))).code).toBe("E_USAGE");
  });
});

describe("accuracy, by the audit", () => {
  test.each(["sigmoid", "swish", "elu", "softplus", "tanh", "softsign", "xwish"])("%s: the float64-lane SIMD kernels hold the targets", (name) => {
    const r = audit(define(name), { density: 12, orders: [0, 1], variants: ["stable", "simd", "simd32"] });
    const simd = r.functions.flatMap((f) => f.measurements.filter((m) => m.variant === "simd"));
    expect(simd.map((m) => m.dtype).sort()).toEqual(["float32", "float32", "float64", "float64"]);
    expect(simd.every((m) => m.target === "pass" && m.nonFiniteCount === 0)).toBe(true);
    expect(r.pass).toBe(true);
    // float32 lanes are reported, not held to the target: only float32 inputs, never NaN or ±∞.
    const lanes32 = r.functions.flatMap((f) => f.measurements.filter((m) => m.variant === "simd32"));
    expect(lanes32.every((m) => m.dtype === "float32" && m.nonFiniteCount === 0)).toBe(true);
  });

  test("a function without SIMD kernels has no SIMD column, and the report says why", () => {
    const r = audit(define("f(x) = x * erf(x)"), { density: 4, orders: [0], dtypes: ["float64"], variants: ["stable", "simd"] });
    expect(r.simdUnavailable).toContain("erf");
    expect(simdMarkdown([r])).toContain("erf");
  });
});
