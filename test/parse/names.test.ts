import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { Activation, define } from "../../src/api/activation.js";
import { num } from "../../src/ast/build.js";
import { renderMath } from "../../src/docs/html.js";
import { ActdiffError } from "../../src/errors.js";
import { foldName, isName, lookalikeOf } from "../../src/parse/identifiers.js";
import { errorOf } from "../support/errors.js";

/**
 * Names are letters by Unicode's properties (XID_Start, XID_Continue), not a range of code
 * points; characters that pass for an operator are refused with a hint; and whatever the lexer
 * accepts as a name typesets with KaTeX (issue 17 §5).
 */
const codePoint = fc.integer({ min: 0x21, max: 0x2ffff }).map((c) => String.fromCodePoint(c));

describe("names", () => {
  test("letters of any script are names; NFKC forms fold (𝑥 is x, ﬁ is fi)", () => {
    for (const n of ["жук", "変数", "अक्ष", "α", "x_é", "_k", "λ2"]) expect(isName(n), n).toBe(true);
    expect(define("f(x; жук = 2) = жук * x").evaluate(3)).toBe(6);
    expect(define("𝑥^2").toString()).toBe("f(x) = x^2");
    expect(define("f(x; ﬁ = 2) = ﬁ * x").params.map((p) => p.name)).toEqual(["fi"]);
  });

  test("characters that look like operators are refused with a hint naming the code point", () => {
    const cases: [string, string, string][] = [
      ["f(x; \u037E = 1) = \u037E * x", "unexpected character '\u037E' (U+037E), which looks like \";\" but is not", "type \";\" itself"],
      ["x\u0387y", "unexpected character '\u0387' (U+0387), which looks like \"·\" but is not", "write * for a product"],
      ["x\u02B9", "unexpected character 'ʹ' (U+02B9), which looks like \"'\" but is not", "type \"'\" itself"],
      ["x \uFF0B 1", "unexpected character '＋' (U+FF0B), which looks like \"+\" but is not", "type \"+\" itself"],
    ];
    for (const [source, summary, hint] of cases) {
      const err = errorOf(() => define(source));
      expect([err.code, err.summary, err.hint]).toEqual(["E_CHAR", summary, hint]);
    }
    // U+00B7, the middle dot, is the product operator, not part of a name.
    expect(define("a·x").toString()).toBe("f(x; a) = a * x");
  });

  test("law: any text is a definition that typesets with KaTeX, or an ActdiffError; never anything else", () => {
    fc.assert(fc.property(fc.array(codePoint, { minLength: 1, maxLength: 4 }).map((cs) => cs.join("")), (name) => {
      let f: Activation;
      try {
        f = define(`f(x; ${name} = 1) = ${name} * x + 1`);
      } catch (err) {
        expect(err).toBeInstanceOf(ActdiffError);
        return;
      }
      expect(() => renderMath(f.toLatex(), name)).not.toThrow();
      for (const p of f.params) expect(isName(p.name)).toBe(true);
    }), { numRuns: 400, seed: 17 });
  });

  test("law: every name by Unicode's properties is read as that name (folded), and typesets", () => {
    const letters = codePoint.filter((c) => isName(c) && isName(`a${c}`));
    fc.assert(fc.property(letters, fc.array(codePoint.filter((c) => isName(`a${c}`)), { maxLength: 3 }), (first, rest) => {
      const name = [first, ...rest].join("");
      if (["and", "or", "not", "if", "otherwise", "x"].includes(foldName(name))) return;
      const f = define(`f(x; ${name} = 2) = ${name} * x`);
      expect(f.params).toHaveLength(1);
      expect(f.evaluate(3)).toBe(6);
      expect(() => renderMath(f.toLatex(), name)).not.toThrow();
    }), { numRuns: 300, seed: 3 });
  });

  test("a lookalike is reported whenever NFKC turns a character into ASCII punctuation", () => {
    fc.assert(fc.property(codePoint, (c) => {
      const folded = c.normalize("NFKC");
      // `_` aside: it is part of names, and ﹍ folds to it inside one.
      if (folded !== c && /^[!-/:-@[-^`{-~]+$/.test(folded)) expect(lookalikeOf(c)).toBe(folded);
    }), { numRuns: 2000 });
  });
});

describe("names are checked where definitions enter the library", () => {
  const body = num(1);
  test.each([
    ["a name that would break out of an attribute", { name: "z\" onload=\"alert(11)\" x=\"", inputs: ["x"] }],
    ["a name that is a path", { name: "../../x", inputs: ["x"] }],
    ["an input that is not a name", { name: "f", inputs: ["x y"] }],
    ["an empty name", { name: "", inputs: ["x"] }],
  ])("%s: E_DEFINITION", (_what, d) => {
    const err = errorOf(() => new Activation({ ...d, params: [], body, source: "" }));
    expect(err.code).toBe("E_DEFINITION");
    expect(err.summary).toMatch(/is not a name$/);
  });

  test("a parameter named twice", () => {
    expect(errorOf(() => new Activation({ name: "f", inputs: ["x"], params: [{ name: "x" }], body, source: "" })).code).toBe("E_DEFINITION");
  });
});
