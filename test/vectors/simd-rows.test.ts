import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { define, type Activation } from "../../src/api/activation.js";
import { rowSpec, type RowKind } from "../../src/api/vector-activation.js";
import { OUTPUT_INDEX } from "../../src/ast/definition.js";
import * as Q from "../../src/ast/rational.js";
import { rowPlan, rowSimdFallback } from "../../src/codegen/rows.js";
import { simdRowModule } from "../../src/codegen/wasm/row-kernels.js";
import { reliableValue } from "../../src/numeric/evaluate.js";

/**
 * WebAssembly SIMD row kernels (`{ simd: true }` / `{ simd: "float32" }` on the kernels of a
 * function of vectors), printed from the same row plan as the JavaScript row kernels. They are
 * not the JavaScript kernels' bits: exp and log are actdiff's vector ones (within 2 ulps,
 * test/codegen/simd.test.ts) and a sum adds its lanes separately. The bound they are held to,
 * element by element, with ε the lanes' machine epsilon, g the incoming gradient and w the
 * softmax of the row (of −x for softmin), the weight the VJP gives Σ|g|:
 *
 *   |simd − js| ≤ (16 + N + D) · ε · (|js| + w · Σ|g|)   (the second term for backward only)
 *
 * 16 for exp and log (2 ulps each) and the operations after them; N for the two orders of
 * summation (either sum of N positive terms is within (N − 1)·ε/2 of the exact one); D, in
 * float32 lanes only, the spread of the finite inputs (max − min): there x − max rounds to
 * float32, and exp(x − max) carries that rounding times |x − max| (0 in float64 lanes, where
 * the JavaScript kernel rounds x − max the same way). Seen: 7.4ε in float64 lanes (N = 1000),
 * 34ε in float32 lanes (rows spread over 80). What is exact: a max (and the position of the first maximal element) is the
 * JavaScript kernel's bit for bit; chunks of rows give the whole's bits; NaN where, and only
 * where, the JavaScript kernel has NaN.
 */
const NAMES = ["softmax", "log_softmax", "softmin", "logsumexp"] as const;
const KINDS: readonly RowKind[] = ["forward", "backward", "fused"];
type Dtype = "float64" | "float32";
type Simd = true | "float32";
type Arr = Float64Array | Float32Array;
/** The cases: each element type and its lanes. */
const LANES: readonly { dtype: Dtype; simd: Simd; epsilon: number }[] = [
  { dtype: "float64", simd: true, epsilon: 2 ** -52 },
  { dtype: "float32", simd: true, epsilon: 2 ** -52 },
  { dtype: "float32", simd: "float32", epsilon: 2 ** -23 },
];
/** The bound's factor of ε at row length N (for float32 lanes, given the inputs x). */
const bound = (n: number, float32Lanes = false, x: ArrayLike<number> = []): number => {
  const finite = Array.from(x).filter(Number.isFinite);
  return 16 + n + (float32Lanes && finite.length > 0 ? Math.max(...finite) - Math.min(...finite) : 0);
};

const wasm = (globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } }).WebAssembly;
const outLength = (f: Activation, n: number): number => (f.definition.output === undefined ? 1 : f.name === "maxout" ? n / 2 : n);

type Call = (...args: unknown[]) => void;
const built = new WeakMap<Activation, Map<string, Call>>();
/** The kernel of this kind and options, built once per activation (each build compiles a module). */
function kernelOf(f: Activation, kind: RowKind, options: { simd?: Simd }): Call {
  const kernels = built.get(f) ?? new Map<string, Call>();
  built.set(f, kernels);
  const key = `${kind} ${String(options.simd)}`;
  let k = kernels.get(key);
  if (k === undefined) {
    k = (kind === "forward" ? f.kernel(options) : kind === "backward" ? f.backward(options) : f.fusedKernel(options)) as unknown as Call;
    kernels.set(key, k);
  }
  return k;
}

/** One kernel call over the rows of x; out and gradX as the kind writes them (the other left zero). */
function run(f: Activation, kind: RowKind, options: { simd?: Simd }, x: Arr, g: Arr, n: number): { out: Arr; gradX: Arr } {
  const make = (length: number): Arr => (x instanceof Float64Array ? new Float64Array(length) : new Float32Array(length));
  const rows = x.length / n;
  const [out, gradX] = [make(rows * outLength(f, n)), make(x.length)];
  const k = kernelOf(f, kind, options);
  if (kind === "forward") k(x, out, n);
  if (kind === "backward") k(x, g, gradX, n);
  if (kind === "fused") k(x, g, out, gradX, n);
  return { out, gradX };
}

const softmax = define("softmax");
/** Each row's softmax in float64 (of −x for softmin): the weights of the bound. */
function weights(name: string, x: Arr, n: number): Float64Array {
  const w = Float64Array.from(x, (v) => (name === "softmin" ? -v : v));
  const out = new Float64Array(w.length);
  (softmax.kernel() as unknown as (...a: unknown[]) => void)(w, out, n);
  return out;
}

/** The largest |simd − js| / (ε · (|js| + w · Σ|g|)) over both outputs (NaN-for-NaN required). */
function excess(name: string, kind: RowKind, js: { out: Arr; gradX: Arr }, simd: { out: Arr; gradX: Arr }, x: Arr, g: Arr, n: number, epsilon: number): number {
  let worst = 0;
  const compare = (a: Arr, b: Arr, scale: (i: number) => number, what: string): void => {
    for (let i = 0; i < a.length; i++) {
      const [want, got] = [a[i]!, b[i]!];
      if (want === got || (want !== want && got !== got)) continue;
      expect(Number.isNaN(got), `${what}[${i}]: ${got} where the JavaScript kernel has ${want}`).toBe(Number.isNaN(want));
      expect(Number.isFinite(got), `${what}[${i}]: ${got} where the JavaScript kernel has ${want}`).toBe(Number.isFinite(want));
      if (!Number.isFinite(want)) expect(got).toBe(want);
      else worst = Math.max(worst, Math.abs(got - want) / (epsilon * scale(i)));
    }
  };
  compare(js.out, simd.out, (i) => Math.abs(js.out[i]!), "out");
  if (kind !== "forward") {
    const w = weights(name, x, n);
    const m = g.length / (x.length / n);
    const gSum = (row: number): number => Array.from(g.subarray(row * m, row * m + m)).reduce((s, v) => s + Math.abs(v), 0);
    // A weight is at most 1 (NaN where a row holds ±∞ in float32).
    const weight = (i: number): number => (w[i]! <= 1 ? w[i]! : 1);
    compare(js.gradX, simd.gradX, (i) => Math.abs(js.gradX[i]!) + weight(i) * gSum(Math.floor(i / n)), "gradX");
  }
  return worst;
}

/** Rows of the kinds the issue names: random, one huge entry (±1e308), all equal, and with NaN. */
const ROW_KINDS = {
  random: fc.double({ min: -40, max: 40, noNaN: true }),
  huge: fc.oneof(fc.double({ min: -5, max: 5, noNaN: true }), fc.constantFrom(1e308, -1e308, 745, -745)),
  nan: fc.oneof(fc.double({ min: -5, max: 5, noNaN: true }), fc.constant(NaN)),
} as const;
const rowsOf = (n: number, element: fc.Arbitrary<number>) => fc.array(element, { minLength: 3 * n, maxLength: 3 * n });
const grads = (length: number) => fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: length, maxLength: length });

describe("agreement with the JavaScript row kernels", () => {
  for (const { dtype, simd, epsilon } of LANES) {
    const lanes = simd === true ? "float64 lanes" : "float32 lanes";
    test.each(NAMES)(`%s in ${dtype} rows, ${lanes}: N = 1, 2, 3, 10, 1000; random, huge, all-equal and NaN rows`, (name) => {
      const f = define(name);
      const Type = dtype === "float64" ? Float64Array : Float32Array;
      for (const n of [1, 2, 3, 10, 1000]) {
        const m = outLength(f, n);
        for (const [rowKind, element] of Object.entries(ROW_KINDS)) {
          fc.assert(fc.property(rowsOf(n, element), grads(3 * m), (xs, gs) => {
            const [x, g] = [Type.from(xs), Type.from(gs)];
            for (const kind of KINDS) {
              const e = excess(name, kind, run(f, kind, {}, x, g, n), run(f, kind, { simd }, x, g, n), x, g, n, epsilon);
              expect(e, `${kind}, N = ${n}, ${rowKind} rows`).toBeLessThanOrEqual(bound(n, simd === "float32", x));
            }
          }), { numRuns: n === 1000 ? 3 : 15, seed: 13 });
        }
        // All equal: softmax is 1/N, log_softmax −log N, with no rounding of a sum of equal terms to tell them apart.
        const x = new Type(3 * n).fill(2.5);
        const g = new Type(3 * m).map((_, i) => Math.fround(Math.sin(i)));
        for (const kind of KINDS) expect(excess(name, kind, run(f, kind, {}, x, g, n), run(f, kind, { simd }, x, g, n), x, g, n, epsilon)).toBeLessThanOrEqual(bound(n, simd === "float32", x));
      }
    });
  }

  test("a user's exp(x)/sum(exp(x)) and a temperature parameter get SIMD kernels too (no catalog name involved)", { timeout: 60_000 }, () => {
    for (const source of ["mysoftmax(x[]) = exp(x) / sum(exp(x))", "tsoftmax(x[]; t = 2) = exp(x / t) / sum(exp(x / t))"]) {
      const f = define(source);
      for (const kind of KINDS) expect(rowSimdFallback(rowSpec(f, kind)), `${source} ${kind}`).toBeUndefined();
      const n = 37;
      const x = Float64Array.from({ length: 2 * n }, (_, i) => 30 * Math.sin(1.3 * i));
      const g = Float64Array.from({ length: 2 * n }, (_, i) => Math.cos(i));
      for (const kind of KINDS) {
        for (const options of [{ simd: true as const }, { simd: true as const, t: 0.5 }]) {
          if (options.t !== undefined && f.params.length === 0) continue;
          const params = options.t === undefined ? [] : [{ t: options.t }];
          const call = (o: { simd?: Simd }): { out: Float64Array; gradX: Float64Array } => {
            const [out, gradX] = [new Float64Array(x.length), new Float64Array(x.length)];
            const k = kernelOf(f, kind, o);
            if (kind === "forward") k(x, out, n, ...params);
            else if (kind === "backward") k(x, g, gradX, n, ...params);
            else k(x, g, out, gradX, n, ...params);
            return { out, gradX };
          };
          const scaled = options.t === undefined ? x : x.map((v) => v / options.t!);
          expect(excess("softmax", kind, call({}), call({ simd: true }), scaled, g, n, 2 ** -52)).toBeLessThanOrEqual(bound(n));
        }
      }
    }
  });
});

describe("exact parts", () => {
  /** Ties, signed zeros and NaN: the first maximal (minimal) element and NaN propagation, as torch.max. */
  const tieRows = (n: number) => fc.array(fc.constantFrom(-0, 0, 1, 1, -1, 2, NaN, -Infinity, Infinity), { minLength: 4 * n, maxLength: 4 * n });

  test.each(["mx(x[]) = max(x)", "mn(x[]) = min(x)", "shifted(x[]) = x - max(x)"])("%s: the max and its arg max (backward) equal the JavaScript kernel's bits, N = 1 … 13", (source) => {
    const f = define(source);
    for (let n = 1; n <= 13; n++) {
      const m = outLength(f, n);
      fc.assert(fc.property(tieRows(n), fc.array(fc.constantFrom(1, -2, 0.5), { minLength: 4 * m, maxLength: 4 * m }), (xs, gs) => {
        for (const Type of [Float64Array, Float32Array]) {
          const [x, g] = [Type.from(xs), Type.from(gs)];
          for (const kind of KINDS) {
            const [js, simd] = [run(f, kind, {}, x, g, n), run(f, kind, { simd: true }, x, g, n)];
            const exact = kind === "forward" || source.startsWith("m");
            if (exact) {
              expect([...simd.out].map((v) => Object.is(v, -0) ? "-0" : v), `${kind} N = ${n}`).toEqual([...js.out].map((v) => Object.is(v, -0) ? "-0" : v));
              expect([...simd.gradX], `${kind} N = ${n}`).toEqual([...js.gradX]);
            }
          }
        }
      }), { numRuns: 20, seed: 13 });
    }
  });

  test.each(NAMES)("%s: chunks of rows give the bits of the whole (and the memory grows for long rows)", (name) => {
    const f = define(name);
    for (const [n, rows] of [[3, 12000], [1000, 40], [40000, 2]] as const) {
      const m = outLength(f, n);
      const x = Float64Array.from({ length: rows * n }, (_, i) => 20 * Math.sin(0.7 * i + 0.1 * (i % 7)));
      const g = Float64Array.from({ length: rows * m }, (_, i) => Math.cos(1.1 * i));
      for (const kind of KINDS) {
        const whole = run(f, kind, { simd: true }, x, g, n);
        const cut = Math.floor(rows / 3);
        const parts = [[0, cut], [cut, rows]].map(([a, b]) => run(f, kind, { simd: true }, x.subarray(a! * n, b! * n), g.subarray(a! * m, b! * m), n));
        expect(Buffer.from(new Uint8Array(Float64Array.from([...parts[0]!.out, ...parts[1]!.out]).buffer)).equals(Buffer.from(new Uint8Array(Float64Array.from(whole.out).buffer))), `${kind} out N = ${n}`).toBe(true);
        expect(Buffer.from(new Uint8Array(Float64Array.from([...parts[0]!.gradX, ...parts[1]!.gradX]).buffer)).equals(Buffer.from(new Uint8Array(Float64Array.from(whole.gradX).buffer))), `${kind} gradX N = ${n}`).toBe(true);
      }
    }
  });

  test.each(NAMES)("%s: the SIMD backward is Jᵀg, with J from the symbolic Jacobian at 30 digits", (name) => {
    const f = define(name);
    const n = 7;
    const J = f.derivative(f.definition.vectors![0]!).expr;
    const m = outLength(f, n);
    const vector = fc.array(fc.oneof(fc.double({ min: -30, max: 30, noNaN: true }), fc.constantFrom(0, 745, -745)), { minLength: n, maxLength: n });
    fc.assert(fc.property(vector, grads(m), (xs, gs) => {
      const { gradX } = run(f, "backward", { simd: true }, Float64Array.from(xs), Float64Array.from(gs), n);
      const vectors = new Map([[f.definition.vectors![0]!, xs.map(Q.fromNumber)]]);
      const scale = gs.reduce((a, b) => a + Math.abs(b), 0);
      for (let j = 0; j < n; j++) {
        let want = 0;
        for (let i = 0; i < m; i++) {
          const indices = new Map(Object.entries({ [OUTPUT_INDEX]: i, j }));
          want += gs[i]! * reliableValue(J, new Map(), 30, { vectors, indices })!.value.toNumber();
        }
        expect(Math.abs(gradX[j]! - want), `grad[${j}] at ${xs}`).toBeLessThanOrEqual(1e-14 * Math.max(1, scale));
      }
    }), { numRuns: 6, seed: 13 });
  });
});

describe("what runs where", () => {
  test("every pass of softmax, log_softmax, softmin and logsumexp is WebAssembly SIMD; its modules validate", () => {
    for (const name of NAMES) {
      for (const kind of KINDS) {
        const spec = rowSpec(define(name), kind);
        expect(rowSimdFallback(spec), `${name} ${kind}`).toBeUndefined();
        for (const lanes of ["float64", "float32"] as const) expect(wasm.validate(simdRowModule(rowPlan(spec), lanes))).toBe(true);
      }
    }
  });

  test("maxout's group loops have no SIMD form: { simd: true } runs its JavaScript row kernels, the same bits", () => {
    const f = define("maxout");
    for (const kind of KINDS) expect(rowSimdFallback(rowSpec(f, kind))).toMatch(/loop|group/);
    const n = 8;
    const x = Float64Array.from({ length: 3 * n }, (_, i) => Math.sin(i));
    const g = Float64Array.from({ length: 3 * n / 2 }, (_, i) => Math.cos(i));
    for (const kind of KINDS) expect(run(f, kind, { simd: true }, x, g, n)).toEqual(run(f, kind, {}, x, g, n));
  });

  test("{ simd } with { csp } is refused, as for the elementwise kernels", () => {
    expect(() => define("softmax").kernel({ simd: true, csp: true })).toThrow(/do not combine/);
  });
});
