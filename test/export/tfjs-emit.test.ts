import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { define } from "../../src/api/activation.js";
import { availableActivations } from "../../src/catalog/catalog.js";
import { camelCaseName } from "../../src/codegen/tfjs/emit.js";
import { actdiff, ROOT } from "../support/cli.js";
import { importModule, loadTf, moduleDir, type Tensor, type Tf } from "../support/tfjs.js";

/**
 * The text of `actdiff emit --lang tfjs`: the same bytes for the same definition (in this process
 * and from the CLI), and user text inert — the formula only in comments, names only as plain
 * identifiers or JSON strings.
 */
type Module = Record<string, ((...args: unknown[]) => Tensor) & { new (config?: object): import("@tensorflow/tfjs").layers.Layer; className: string }>;
let tf: Tf;
const { dir, remove } = moduleDir("tfjs-emit");
beforeAll(async () => { tf = await loadTf(); await tf.setBackend("cpu"); });
afterAll(remove);

describe("byte-determinism", () => {
  test("each catalog activation gives the same bytes from two separate definitions", () => {
    for (const { name } of availableActivations()) expect(define(name).emitModule({ lang: "tfjs" }), name).toBe(define(name).emitModule({ lang: "tfjs" }));
  });

  test("the CLI prints the library's module, in another process; --out writes the same bytes", () => {
    const r = actdiff("emit", "swish", "--lang", "tfjs");
    expect(r.status).toBe(0);
    const text = define("swish").emitModule({ lang: "tfjs" });
    expect(r.stdout).toBe(text);
    const file = join(dir, "swish-out.js");
    expect(actdiff("emit", "swish", "--lang", "tfjs", "--out", file).status).toBe(0);
    expect(createHash("sha256").update(readFileSync(file)).digest("hex")).toBe(createHash("sha256").update(text).digest("hex"));
  });
});

describe("the module's shape", () => {
  test("README shows the head of swish's module as it is", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8").split("\n");
    const at = readme.indexOf("$ head -14 swish.js");
    expect(at).toBeGreaterThan(0);
    expect(readme.slice(at + 1, at + 15).join("\n")).toBe(define("swish").emitModule({ lang: "tfjs" }).split("\n").slice(0, 14).join("\n"));
  });

  test("relu_softsign exports relu_softsign(x, params?) and the layer ReluSoftsign, registered as actdiff.ReluSoftsign", async () => {
    expect(camelCaseName("relu_softsign")).toBe("ReluSoftsign");
    const text = define("relu_softsign").emitModule({ lang: "tfjs" });
    expect(text).toContain('import * as tf from "@tensorflow/tfjs";');
    expect(text).toContain("export function relu_softsign(x, params = {}) {");
    expect(text).toContain("export class ReluSoftsign extends tf.layers.Layer {");
    expect(text).toContain('static className = "actdiff.ReluSoftsign";');
    // Conditionals are tf.where with the JavaScript's test: relu_softsign′(0) = 1, from x >= 0.
    expect(text).toContain("tf.where(tf.greaterEqual(x, 0), ");
    const m = await importModule<Module>(dir, text);
    expect(Array.from(tf.grad((x: Tensor) => m.relu_softsign!(x))(tf.tensor1d([0, -0])).dataSync())).toEqual([1, 1]);
    expect(m.ReluSoftsign!.className).toBe("actdiff.ReluSoftsign");
  });

  test("the derivatives by the inputs and the parameters are in the header, one line each", () => {
    const text = define("elu").emitModule({ lang: "tfjs" });
    expect(text).toContain("//   elu(x; alpha = 1) = x > 0 ? x : alpha * (exp(x) - 1)\n");
    expect(text).toMatch(/\n\/\/ {3}elu'\(x\) = .*\n\/\/ {3}∂\/∂alpha elu\(x\) = /);
  });
});

describe("user text cannot inject code", () => {
  test("names such as constructor, __proto__, tf, the module's own names and Greek letters become positional", async () => {
    const a = define("f(x; constructor = 2, tf = 3, forward = 5, t0 = 7, δ = 11, beta = 13) = constructor * x + tf + forward * t0 + δ * beta");
    const text = a.emitModule({ lang: "tfjs" });
    expect(text).toContain("function forward(x, p0, p1, p2, p3, p4, beta) {");
    expect(text).toContain("// Renamed in the code: constructor is p0, tf is p1, forward is p2, t0 is p3, δ is p4.");
    // Names reach the code otherwise only as JSON strings: the parameter table.
    expect(text).toContain('{ name: "δ", keys: ["param4", "δ"], weight: "p4", defaultValue: 11 },');
    const m = await importModule<Module>(dir, text);
    const params = { constructor: 1.5, tf: -2, forward: 0.25, t0: 3, δ: 7, beta: -1 };
    const x = tf.tensor1d([-1, 0, 2]);
    const f = a.compile();
    expect(Array.from(m.f!(x, params).dataSync())).toEqual([-1, 0, 2].map((v) => Math.fround(f(v, params))));
    // The layer takes the Greek parameter by its config key or its name.
    expect(new m.F!({ δ: 4 }).getConfig().param4).toBe(4);
  });

  test("no text that survives parsing can end a comment early or add a line", () => {
    const text = define("f(x; αβγ = 1, _a = 2) = αβγ * x / _a").emitModule({ lang: "tfjs" });
    for (const line of text.split("\n").filter((l) => l.startsWith("//"))) expect(line).not.toMatch(/[\r\u2028\u2029]/);
    expect(text).not.toMatch(/\/\*\*[^\n]*\*\/[^\n]*\*\//);
  });
});
