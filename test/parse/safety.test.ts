import { describe, expect, test } from "vitest";
import { define } from "../../src/api/activation.js";
import { sym } from "../../src/ast/build.js";
import { print } from "../../src/ast/print.js";
import { ActdiffError } from "../../src/errors.js";
import { errorOf } from "../support/errors.js";

/**
 * Names are data. A name that happens to be a member of Object.prototype, a Node global or a
 * JavaScript keyword-ish identifier is an ordinary input or parameter: it must not pick up an
 * inherited property anywhere (lexer tables, constant tables, parameter objects), and it must
 * never reach the generated JavaScript.
 */
const DANGEROUS = ["constructor", "__proto__", "process", "toString", "eval", "hasOwnProperty", "valueOf", "require", "Function", "this"];

describe("dangerous names are plain names", () => {
  test("define(`f(x; constructor = 2, __proto__ = 3) = constructor * x + __proto__`) computes 2·1 + 3", () => {
    const f = define("f(x; constructor = 2, __proto__ = 3) = constructor * x + __proto__");
    expect(f.params.map((p) => p.name)).toEqual(["constructor", "__proto__"]);
    expect(f.compile()(1)).toBe(5);
    expect(f.evaluate(1)).toBe(5);
    expect(f.derivative().compile()(1)).toBe(2);
    expect(f.derivative("constructor").compile()(7)).toBe(7);
  });

  test("an empty params object does not read inherited members as parameter values", () => {
    const f = define("f(x; constructor = 2, __proto__ = 3, toString = 4) = constructor * x + __proto__ + toString");
    expect(f.compile()(1, {})).toBe(9);
  });

  test("own keys override, even the ones that are inherited members elsewhere", () => {
    const f = define("f(x; constructor = 2, __proto__ = 3) = constructor * x + __proto__");
    // JSON.parse makes `__proto__` an own key, as params read from a file or the command line would be.
    const params = JSON.parse('{"constructor": 10, "__proto__": 100}') as Record<string, number>;
    expect(f.compile()(1, params)).toBe(110);
    expect(f.compile()(1, { constructor: 10 })).toBe(13);
  });

  test.each(DANGEROUS)("%s as an input", (name) => {
    const f = define(`f(${name}; k = 3) = k * ${name}^2`);
    expect(f.inputs).toEqual([name]);
    expect(f.compile()(2)).toBe(12);
    expect(f.derivative().compile()(2)).toBe(12);
    expect(f.source()).not.toContain(name);
    expect(f.derivative().source()).not.toContain(name);
  });

  test.each(DANGEROUS)("%s as a parameter", (name) => {
    const f = define(`f(x; ${name} = 2) = ${name} * x + 1`);
    expect(f.compile()(5)).toBe(11);
    expect(f.compile()(5, { [name]: 3 } as Record<string, number>)).toBe(16);
    expect(f.source()).not.toContain(name);
  });

  test.each(DANGEROUS)("%s as a free name in a bare expression", (name) => {
    const f = define(`${name} * x`);
    expect(f.params.map((p) => p.name)).toEqual([name]);
    expect(f.expr).toBe(define(`x * ${name}`).expr);
    expect(print(f.expr).split(" * ").sort()).toEqual([name, "x"].sort());
    expect(f.expr.kind === "mul" && f.expr.factors.includes(sym(name))).toBe(true);
  });

  test.each(["constructor", "hasOwnProperty", "toString", "__proto__"])("%s(x) is an unknown function, not an inherited member", (name) => {
    const err = errorOf(() => define(`${name}(x)`));
    expect(err).toBeInstanceOf(ActdiffError);
    expect(err.code).toBe("E_UNKNOWN_NAME");
    expect(err.summary).toBe(`unknown function '${name}'`);
  });

  test("generated source uses only positional names, whatever the user called things", () => {
    const f = define("f(process; eval = 2, constructor = 3) = eval * process + constructor * exp(process) + (process > 0 ? sigmoid(process) : 0)");
    const source = [f.source(), f.derivative().source()].join("\n");
    const identifiers = new Set(source.match(/[A-Za-z_$][\w$]*/g));
    const allowed = /^(?:x\d+|p\d+|t\d+|h_[a-z0-9]+|Math|exp|log|sqrt|PI|E|function|return|const|let|if|else)$/;
    expect([...identifiers].filter((id) => !allowed.test(id))).toEqual([]);
    expect(identifiers).toContain("p1");
  });
});
