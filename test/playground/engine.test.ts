import { describe, expect, test } from "vitest";
import { runRequest, type AuditView, type PropertiesView, type VerifyView } from "../../src/playground/engine.js";
import { verify, define } from "../../src/index.js";
import { verifyFields } from "../../src/verify/describe.js";
import { analyze } from "../../src/analyze/analyze.js";
import { propertyTables } from "../../src/docs/properties.js";
import { audit } from "../../src/audit/audit.js";

/** What the playground's worker answers: the same library calls, and the same words, as the CLI. */
const MISH = "mish(x) = x * tanh(softplus(x))";

describe("the worker's answers", () => {
  test("a true claim about the current definition, by its name: proved, with the fields `actdiff verify` prints", () => {
    const claim = "mish'(x) = tanh(softplus(x)) + x * sigmoid(x) * (1 - tanh(softplus(x))^2)";
    const view = runRequest({ kind: "verify", formula: MISH, claim }) as VerifyView;
    expect(view.kind).toBe("verify");
    expect(view.holds).toBe(true);
    expect(view.fields[0]).toEqual(["verdict", view.verdict]);
    expect(["proved", "verified"]).toContain(view.verdict);
    // The same verdict and words as the CLI's verify on the catalog's mish.
    expect(view.fields).toEqual(verifyFields(verify(claim)));
  }, 30_000);

  test("a false claim: refuted, with a counterexample", () => {
    const view = runRequest({ kind: "verify", formula: "swish(x; beta = 1) = x * sigmoid(beta * x)", claim: "swish'(x) = sigmoid(x)" }) as VerifyView;
    expect(view.verdict).toBe("refuted");
    expect(view.holds).toBe(false);
    expect(view.fields.map(([label]) => label)).toEqual(expect.arrayContaining(["verdict", "method", "at", "lhs there", "rhs there"]));
  }, 30_000);

  test("a name the claim misspells: the error with its caret under the claim", () => {
    const view = runRequest({ kind: "verify", formula: MISH, claim: "mihs'(x) = 1" });
    expect(view.kind).toBe("error");
    if (view.kind !== "error") return;
    expect(view.excerpt?.text).toBe("mihs'(x) = 1");
    expect(view.excerpt?.carets).toMatch(/^\^+$/);
  });

  test("the property sheet: the docs pages' rows, at the parameter values on screen", () => {
    const view = runRequest({ kind: "props", formula: "swish(x; beta = 1) = x * sigmoid(beta * x)", params: { beta: 2, other: 3 } }) as PropertiesView;
    expect(view.tables.map((t) => t.title)).toEqual(["Properties", "Checklist (survey §2)"]);
    const expected = propertyTables(analyze(define("swish(x; beta = 1) = x * sigmoid(beta * x)"), { params: { beta: 2 } }));
    expect(view.tables[0]!.rows).toEqual(expected.properties);
    expect(view.tables[0]!.rows.every((r) => r.method !== "")).toBe(true);
  }, 30_000);

  test("a function of two inputs has its own sheet", () => {
    const view = runRequest({ kind: "props", formula: "glu(a, b) = a * sigmoid(b)", params: {} }) as PropertiesView;
    expect(view.kind).toBe("props");
    expect(view.tables[0]!.rows.length).toBeGreaterThan(2);
  }, 30_000);

  test("the audit: compiled without eval, with progress to the last point, `actdiff audit`'s report", () => {
    const seen: [number, number][] = [];
    const view = runRequest({ kind: "audit", formula: "relu", params: {}, density: 8 }, (done, total) => seen.push([done, total])) as AuditView;
    expect(view.kind).toBe("audit");
    expect(view.pass).toBe(true);
    expect(view.text).toMatch(/^relu: PASS/);
    expect(seen.length).toBeGreaterThan(10);
    const total = seen[0]![1];
    expect(seen.at(-1)).toEqual([total, total]);
    expect(seen.every(([d], i) => i === 0 || d > seen[i - 1]![0])).toBe(true);
  }, 60_000);

  test("the audit compiled without eval measures the same bits as with it", () => {
    const strip = (r: ReturnType<typeof audit>) => ({ ...r, seconds: 0 });
    const swish = define("swish");
    expect(strip(audit(swish, { density: 8, orders: [0, 1], csp: true }))).toEqual(strip(audit(swish, { density: 8, orders: [0, 1] })));
  }, 60_000);

  test("the audit of a function of two inputs: said to be the command line's", () => {
    const view = runRequest({ kind: "audit", formula: "glu(a, b) = a * sigmoid(b)", params: {}, density: 8 });
    expect(view.kind).toBe("error");
    expect(view.kind === "error" && view.hint).toContain("npx actdiff audit");
  });
});
