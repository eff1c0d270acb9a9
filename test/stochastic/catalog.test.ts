import { describe, expect, test } from "vitest";
import { define } from "../../src/api/activation.js";
import { print } from "../../src/ast/print.js";
import { catalogDefinition, catalogEntry } from "../../src/catalog/catalog.js";
import { PY_DUMP, runTorch } from "../support/torch.js";

/**
 * The catalog's random activations: rrelu (a slope a ~ U(lower, upper) per element) and
 * noisy_relu (noise y ~ N(0, sigma²) added where x >= 0). Evaluation mode is each variable's
 * mean in its place — for rrelu exactly the function and derivative the catalog had before it
 * could draw — and training mode is checked against PyTorch's rrelu given the same slopes.
 */

/** rrelu as the catalog defined it before random variables: its evaluation form, written out. */
const RRELU_EVAL = "rrelu(x; lower = 1/8, upper = 1/3) = x > 0 ? x : (lower + upper) / 2 * x";
const bits = (a: Float64Array | Float32Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("hex");
const POINTS = [-1e300, -50, -3, -1, -0.25, -1e-300, -0, 0, 1e-300, 0.25, 1, 3, 50, 1e300, NaN, Infinity, -Infinity];

describe("rrelu: the random form in the catalog, today's function in evaluation mode", () => {
  const rrelu = define("rrelu");
  const before = define(RRELU_EVAL);

  test("the entry draws a ~ uniform(lower, upper) where x <= 0", () => {
    expect(catalogEntry("rrelu")!.source).toBe("rrelu(x; lower = 1/8, upper = 1/3) = x > 0 ? x : a * x where a ~ uniform(lower, upper)");
    expect(rrelu.train().toString()).toBe(catalogEntry("rrelu")!.source);
  });

  test("the evaluation form is the same tree as before, and so are its derivatives by x and by lower", () => {
    expect(catalogDefinition("rrelu")!.body).toBe(before.written);
    expect(rrelu.expr).toBe(before.expr);
    expect(rrelu.derivative().expr).toBe(before.derivative().expr);
    expect(rrelu.derivative("lower").expr).toBe(before.derivative("lower").expr);
    expect(print(rrelu.derivative().expr)).toBe("x > 0 ? 1 : lower / 2 + upper / 2");
  });

  test("bit for bit: closures, value and gradient, and kernels, at defaults and other parameters", () => {
    for (const params of [undefined, { lower: 0.5 }, { lower: 0.1, upper: 0.9 }] as (Record<string, number> | undefined)[]) {
      const [f, g] = [rrelu.compileValueAndGrad(), before.compileValueAndGrad()];
      for (const x of POINTS) expect(f(x, params).map(String), `${x}`).toEqual(g(x, params).map(String));
      const xs = Float64Array.from(POINTS);
      const [out1, out2, g1, g2] = [0, 0, 0, 0].map(() => new Float64Array(xs.length));
      rrelu.fusedKernel()(xs, Float64Array.from(xs, () => 1.5), out1!, g1!, params);
      before.fusedKernel()(xs, Float64Array.from(xs, () => 1.5), out2!, g2!, params);
      expect(bits(out1!)).toBe(bits(out2!));
      expect(bits(g1!)).toBe(bits(g2!));
    }
  });

  test("the kink: rrelu'(0) = (lower + upper)/2 in evaluation mode, the drawn slope in training", () => {
    expect(rrelu.derivative().compile()(0)).toBe(11 / 48);
    const t = rrelu.train();
    const [a, out, gradIn] = [new Float64Array(1), new Float64Array(1), new Float64Array(1)];
    t.fusedKernel()(Float64Array.of(0), a, Float64Array.of(1), out, gradIn, { seed: 3 });
    expect(gradIn[0]).toBe(a[0]);
    expect(a[0]).not.toBe(11 / 48);
  });

  test("training draws every slope in [lower, upper)", () => {
    const [a] = rrelu.train().draw({ seed: 1 }, 10000, { lower: 0.2, upper: 0.25 });
    expect(a!.every((s) => s >= 0.2 && s < 0.25)).toBe(true);
  });
});

describe("noisy_relu: survey eq. 6 in its x >= 0 form", () => {
  const noisy = define("noisy_relu");

  test("evaluation mode is relu with the survey's convention noisy_relu'(0) = 1", () => {
    expect(print(noisy.expr)).toBe("x >= 0 ? x : 0");
    expect(print(noisy.derivative().expr)).toBe("x >= 0 ? 1 : 0");
    expect(noisy.derivative().compile()(0)).toBe(1);
    expect(catalogEntry("noisy_relu")!.stated).toMatchObject({ derivative: "x >= 0 ? 1 : 0" });
  });

  test("training adds the noise where x >= 0 and passes the gradient there unchanged", () => {
    const t = noisy.train();
    const x = Float64Array.of(-2, -1e-9, 0, 1e-9, 3);
    const [y, out, gradIn] = [new Float64Array(5), new Float64Array(5), new Float64Array(5)];
    t.fusedKernel()(x, y, Float64Array.from(x, () => 2), out, gradIn, { seed: 9 }, { sigma: 0.5 });
    expect([...out]).toEqual([0, 0, y[2]!, 1e-9 + y[3]!, 3 + y[4]!]);
    expect([...gradIn]).toEqual([0, 0, 2, 2, 2]);
    expect(new Set(y).size).toBe(5);
  });

  test("sigma is the noise's standard deviation: sigma = 0 draws no noise", () => {
    const [y] = noisy.train().draw({ seed: 2 }, 100, { sigma: 0 });
    expect(y!.every((v) => v === 0)).toBe(true);
  });
});

/**
 * PyTorch's rrelu in training mode (torch.ops.aten.rrelu_with_noise, which
 * torch.nn.functional.rrelu calls) draws its slopes with its own generator and keeps them in a
 * noise tensor: the slope where x <= 0, 1 elsewhere. Its random stream is not ours; its
 * formula must be: given torch's slopes, actdiff's forward and backward give torch's output and
 * autograd gradient, and given actdiff's draws, torch's rrelu_with_noise_backward gives
 * actdiff's backward.
 */
describe("rrelu in training mode against PyTorch, given the same slopes", () => {
  const x = [-30, -4.5, -1, -0.3, -1e-8, 0, 1e-8, 0.3, 1, 4.5, 30, -2, -7.25, 2.5];
  const gradOut = x.map((_, i) => 0.5 + i / 4);
  const cases = [{ lower: 1 / 8, upper: 1 / 3 }, { lower: 0.05, upper: 0.6 }];

  interface TorchResult { readonly f: number[]; readonly noise: number[]; readonly grad: number[]; readonly backwardOfOurs: number[]; readonly evalF: number[]; readonly evalGrad: number[] }
  const t = define("rrelu").train();
  const ours = cases.map((p) => t.draw({ seed: 7 }, x.length, p)[0]!);
  const torch = runTorch<TorchResult[]>(`${PY_DUMP}
data = json.load(sys.stdin)
out = []
torch.manual_seed(0)
for case, ours in zip(data["cases"], data["ours"]):
    lower, upper = case["lower"], case["upper"]
    x = torch.tensor(data["x"], requires_grad=True)
    g = torch.tensor(data["g"])
    noise = torch.empty_like(x)
    f = torch.ops.aten.rrelu_with_noise(x, noise, lower, upper, True)
    f.backward(g)
    xd = x.detach()
    # torch's noise layout, from actdiff's draws: the slope where x <= 0, 1 elsewhere
    theirs = torch.where(xd <= 0, torch.tensor(ours), torch.ones_like(xd))
    backward = torch.ops.aten.rrelu_with_noise_backward(g, xd, theirs, lower, upper, True, False)
    xe = torch.tensor(data["x"], requires_grad=True)
    fe = torch.nn.functional.rrelu(xe, lower, upper, training=False)
    fe.backward(g)
    out.append({"f": f.tolist(), "noise": noise.tolist(), "grad": x.grad.tolist(), "backwardOfOurs": backward.tolist(),
                "evalF": fe.tolist(), "evalGrad": xe.grad.tolist()})
dump(out)
`, { x, g: gradOut, cases, ours: ours.map((a) => [...a]) });

  test.each(cases.map((p, k) => [p, k] as const))("lower = $0.lower, upper = $0.upper", (params, k) => {
    const theirs = torch[k]!;
    const xs = Float64Array.from(x);
    const g = Float64Array.from(gradOut);
    // torch's slopes lie in [lower, upper] where x <= 0 and are 1 elsewhere
    x.forEach((xi, i) => {
      if (xi > 0) expect(theirs.noise[i]).toBe(1);
      else expect(theirs.noise[i]! >= params.lower && theirs.noise[i]! <= params.upper).toBe(true);
    });
    // given torch's slopes: torch's forward and autograd backward, bit for bit
    const slopes = Float64Array.from(theirs.noise);
    const [out, gradIn] = [new Float64Array(x.length), new Float64Array(x.length)];
    const f = t.compile();
    x.forEach((xi, i) => { out[i] = f(xi, slopes[i]!, params); });
    t.backward()(xs, slopes, g, gradIn, params);
    expect([...out]).toEqual(theirs.f);
    expect([...gradIn]).toEqual(theirs.grad);
    // given our draws: torch's rrelu_with_noise_backward is our backward, and our forward writes those draws
    const [a, ourOut, ourGrad] = [new Float64Array(x.length), new Float64Array(x.length), new Float64Array(x.length)];
    t.fusedKernel()(xs, a, g, ourOut, ourGrad, { seed: 7 }, params);
    expect(bits(a)).toBe(bits(ours[k]!));
    expect([...ourGrad]).toEqual(theirs.backwardOfOurs);
    // evaluation mode against torch's eval-mode rrelu
    const valueAndGrad = define("rrelu").compileValueAndGrad();
    x.forEach((xi, i) => {
      const [v, d] = valueAndGrad(xi, params);
      expect(v).toBe(theirs.evalF[i]);
      expect(g[i]! * d!).toBe(theirs.evalGrad[i]);
    });
  });
});
