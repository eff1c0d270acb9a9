import { describe, expect, test } from "vitest";
import { define } from "../../src/api/activation.js";
import { call, sym } from "../../src/ast/build.js";
import * as Q from "../../src/ast/rational.js";
import { postorder, substitute } from "../../src/ast/walk.js";
import { availableActivations, CATALOG, catalogDefinition, catalogEntry, catalogScope, vectorActivations } from "../../src/catalog/catalog.js";
import { diff } from "../../src/diff/diff.js";
import { evaluateBig } from "../../src/numeric/evaluate.js";
import { allParses } from "../../src/parse/parse.js";
import { verifyClaim } from "../../src/verify/verify.js";
import { agreeTo, decimal } from "../support/numeric.js";
import { errorOf } from "../support/errors.js";
import { print } from "../../src/ast/print.js";

const AVAILABLE = availableActivations();
/** The gated units, functions of the two inputs a (the value) and b (the gate). */
const GATES = ["glu", "swiglu", "geglu"];
/** Functions of a vector: test/vectors covers them. */
const VECTORS = vectorActivations().map((e) => e.name);

describe("the catalog", () => {
  test("names are unique identifiers, and every entry says what it is and where it comes from", () => {
    const names = CATALOG.map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
    for (const e of CATALOG) {
      expect(e.name).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(e.summary.length, e.name).toBeGreaterThan(5);
      expect(e.reference.length, e.name).toBeGreaterThan(3);
    }
  });

  test("the available activations", () => {
    expect(AVAILABLE.map((e) => e.name)).toEqual([
      "sigmoid", "tanh", "relu", "noisy_relu", "leaky_relu", "prelu", "rrelu", "relu6", "elu", "trelu", "softplus", "bnll",
      "softsign", "relu_softplus", "relu_softsign", "swish", "silu", "xwish", "absval", "glu", "swiglu", "geglu",
      "softmax", "log_softmax", "softmin", "logsumexp", "maxout",
      // PyTorch's, then widely used ones beyond it (issue 14)
      "selu", "celu", "gelu", "gelu_tanh", "mish", "hardtanh", "hardsigmoid", "hardswish", "hardshrink", "softshrink", "tanhshrink", "threshold",
      "logsigmoid", "quick_gelu", "squared_relu", "star_relu", "smelu", "elish", "squareplus", "softclip", "snake", "logistic_pdf",
    ]);
  });

  test("planned entries have no definition", () => {
    for (const e of CATALOG.filter((c) => c.status === "planned")) {
      expect(e.source).toBe("");
      expect(catalogDefinition(e.name)).toBeUndefined();
    }
  });

  describe.each(AVAILABLE)("$name: $source", (entry) => {
    test("parses exactly once, to a definition of that name", () => {
      expect(allParses(entry.source)).toHaveLength(1);
      const d = catalogDefinition(entry.name)!;
      expect(d.name).toBe(entry.name);
      expect(d.inputs).toEqual(GATES.includes(entry.name) ? ["a", "b"] : entry.name === "maxout" ? ["z"] : ["x"]);
      expect(d.source).toBe(entry.source);
      expect(catalogEntry(entry.name)).toBe(entry);
    });

    test("every parameter has a numeric default", () => {
      for (const p of catalogDefinition(entry.name)!.params) expect(p.defaultValue?.kind, p.name).toBe("num");
    });

    test.skipIf(VECTORS.includes(entry.name))("its value and gradient compile and are finite across the line (the plane, for two inputs)", () => {
      const a = define(entry.name);
      const f = a.compile();
      const gradient = a.gradient().map((d) => d.compile());
      const line = [-50, -3, -1, -0.25, 0, 0.25, 1, 3, 6, 50];
      const points = a.inputs.length === 1 ? line.map((x) => [x]) : line.flatMap((x) => line.map((y) => [x, y]));
      for (const p of points) {
        expect(Number.isFinite(f(...p)), `${entry.name}(${p})`).toBe(true);
        gradient.forEach((df, i) => expect(Number.isFinite(df(...p)), `∂${entry.name}/∂${a.inputs[i]}(${p})`).toBe(true));
      }
    });

    test("a definition that is not smooth documents its kink convention", () => {
      const body = catalogDefinition(entry.name)!.body;
      const kinked = postorder(body).some((n) => n.kind === "piecewise" || (n.kind === "call" && ["abs", "sign", "min", "max", "clip"].includes(n.fn)));
      if (kinked) expect(entry.kink, entry.name).toMatch(/'\(/);
    });
  });

  test("a catalog entry may call an earlier one: user formulas resolve catalog names", () => {
    expect(catalogScope.lookup("swish")?.name).toBe("swish");
    expect(define("2 * relu(x) - swish(x; beta = 2)").compile()(1)).toBeCloseTo(2 - 1 / (1 + Math.exp(-2)), 15);
  });

  test("builtin-backed entries stay out of the scope: there the builtin is meant", () => {
    for (const name of ["sigmoid", "tanh", "softplus", "tanhshrink", "logistic_pdf"]) {
      expect(catalogEntry(name)?.builtin).toBe(true);
      expect(catalogScope.lookup(name)).toBeUndefined();
      expect(define(`${name}(x)`).expr).toBe(call(name as "sigmoid", [sym("x")]));
    }
  });
});

describe("softplus's torch parameters: beta, and threshold whose default is none", () => {
  test("softplus(x; beta) is softplus(beta·x)/beta; without threshold nothing switches", () => {
    expect(print(define("softplus(x; beta = 2)").expr)).toBe("softplus(2 * x) / 2");
    expect(print(define("softplus(x, 3)").expr)).toBe("softplus(3 * x) / 3");
    expect(define("softplus(x; beta = 1)").expr).toBe(call("softplus", [sym("x")]));
  });

  test("with threshold it is torch's: x where beta·x > threshold, the smooth branch (and its derivative) at the switch", () => {
    const f = define("softplus(x; beta = 2, threshold = 20)");
    expect(print(f.expr)).toBe("2 * x > 20 ? x : softplus(2 * x) / 2");
    expect(print(f.derivative().expr)).toBe("2 * x > 20 ? 1 : sigmoid(2 * x)");
    expect(f.derivative().compile()(10)).toBe(1 / (1 + Math.exp(-20)));
  });

  test("a misspelt or extra parameter is an error with a hint", () => {
    expect(errorOf(() => define("softplus(x; bta = 2)")).hint).toMatch(/beta/);
    expect(errorOf(() => define("softplus(x, 1, 2, 3)")).code).toBe("E_PARAM");
  });
});

/**
 * sigmoid, tanh and softplus have rules of their own (derivative, stable evaluation, printing);
 * they earn them only if they are the functions their exp-form definitions say.
 */
describe.each(AVAILABLE.filter((e) => e.builtin && !VECTORS.includes(e.name)))("builtin $name equals its definition $source", (entry) => {
  const name = entry.name as "sigmoid" | "tanh" | "softplus" | "tanhshrink" | "logistic_pdf";
  const definition = catalogDefinition(name)!;
  // The exp form, as parsed (never simplified), at the parameter defaults (softplus's beta = 1).
  const written = substitute(definition.body, new Map(definition.params.map((p) => [p.name, p.defaultValue!] as const)));
  const builtin = call(name, [sym("x")]);
  const body = entry.source.slice(entry.source.indexOf(") =") + 3).trim();
  // The builtin called with its parameters as symbols: softplus(x; beta = beta) against the definition for every beta.
  const call_ = `${name}(x${definition.params.length ? `; ${definition.params.map((p) => `${p.name} = ${p.name}`).join(", ")}` : ""})`;

  test("verify: the builtin equals the exp form, and their derivatives are equal", () => {
    const value = verifyClaim(`${call_} = ${body}`, catalogScope);
    expect(value.status).toBe("holds");
    const derivative = verifyClaim(`diff(${call_}, x) = diff(${body}, x)`, catalogScope);
    expect(derivative.status).toBe("holds");
  });

  test("independently of simplify: the same values and the same derivative, in 60-digit BigNumber", () => {
    for (const x of ["-40", "-7.5", "-1", "-0.001", "0", "0.3", "2", "12", "40"].map(decimal)) {
      const env = new Map([["x", x]]);
      expect(agreeTo(evaluateBig(builtin, env, 60), evaluateBig(written, env, 60), 50, 1e-55), `${name}(${Q.toString(x)})`).toBe(true);
      expect(agreeTo(evaluateBig(diff(builtin, "x"), env, 60), evaluateBig(diff(written, "x"), env, 60), 45, 1e-55), `${name}'(${Q.toString(x)})`).toBe(true);
    }
  });

  test("the float64 evaluation of the builtin is correctly rounded or nearly, also in the tails", () => {
    const f = define(`${name}(x)`).compile();
    for (const x of [-700, -40, -7.5, -1, -1e-8, 0, 1e-8, 0.3, 2, 12, 40, 700]) {
      // log(1 + e^-700) needs over 300 digits before the 1 stops swallowing e^-700.
      const reference = evaluateBig(written, new Map([["x", Q.fromNumber(x)]]), 400).toNumber();
      const got = f(x);
      expect(Math.abs(got - reference), `${name}(${x}) = ${got}, reference ${reference}`).toBeLessThanOrEqual(4 * Number.EPSILON * Math.abs(reference));
    }
  });
});
