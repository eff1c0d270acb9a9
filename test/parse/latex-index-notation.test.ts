import { describe, expect, test } from "vitest";
import { scopeOf, type Scope } from "../../src/ast/definition.js";
import type { Expr } from "../../src/ast/nodes.js";
import { derivative } from "../../src/ast/build.js";
import { catalogScope } from "../../src/catalog/catalog.js";
import { toLatex } from "../../src/codegen/latex.js";
import { elementVariable, expandDerivatives } from "../../src/diff/diff.js";
import { simplify } from "../../src/simplify/simplify.js";
import type { ErrorCode } from "../../src/errors.js";
import { parseTopLevel } from "../../src/parse/parse.js";
import { resolveTopLevel } from "../../src/parse/resolve.js";
import { allLatexParses } from "../../src/parse/latex/parse.js";
import { readLatexDisplay, readLatexEquation, readLatexExpression } from "../../src/parse/latex/read.js";
import { readClaim } from "../../src/verify/claims.js";
import { errorOf } from "../support/errors.js";

/**
 * Index notation as documents write it in LaTeX (seed 002's softmax), as a table: the LaTeX, then
 * the formula language that says the same, written as the body of a definition whose vector
 * inputs are declared (`f(a[]) = …`), so that a_j there is an element too. Nodes are
 * hash-consed: `toBe` compares whole trees. Every input has exactly one parse.
 */
const tex = String.raw;
const body = (src: string, scope: Scope = catalogScope): Expr => resolveTopLevel(parseTopLevel(src), src, scope).body;

function expectReads(latex: string, expected: string, scope: Scope = catalogScope): void {
  expect(allLatexParses(latex)).toHaveLength(1);
  expect(readLatexExpression(latex, scope)).toBe(body(expected, scope));
}

/** S, as seed 002 defines it elementwise: S_j = e^{a_j} / Σ_k e^{a_k}. */
const withS = scopeOf([resolveTopLevel(parseTopLevel("S(a[]) = exp(a) / sum(exp(a))"), "", catalogScope)], catalogScope);

describe("\\sum over the elements of a vector", () => {
  test.each([
    [tex`\sum_{k=1}^{N} e^{a_{k}}`, "f(a[]) = sum(exp(a))"], // 1 … N in the document is the whole vector
    [tex`\frac{e^{a_{j}}}{\sum_{k=1}^{N} e^{a_{k}}}`, "f(a[]) = exp(a_j) / sum(exp(a))"],
    [tex`\sum_{k=1}^N e^{a_k}`, "f(a[]) = sum(exp(a))"],
    [tex`\sum^{N}_{k=1} e^{a_k}`, "f(a[]) = sum(exp(a))"], // limits in either order
    [tex`\sum_{k} x_k`, "f(x[]) = sum(x)"],
    [tex`\sum_k x_k y_k`, "f(x[], y[]) = sum(x * y)"],
    [tex`\sum_k x_k y_k + 1`, "f(x[], y[]) = sum(x * y) + 1"], // the body ends at + …
    [tex`2 \sum_{k=1}^{N} x_k \cdot y_k`, "f(x[], y[]) = 2 * sum(x * y)"], // … and runs over \cdot
    [tex`\frac{1}{N} \sum_{k=1}^{N} x_k`, "f(x[]) = mean(x)"], // N is the length of what the sum reads
    [tex`\sum_{k=1}^{3} x_k`, "f(x[]) = sum(x_k, k, 0, 3)"], // the first three elements
    [tex`\sum_{k=1}^{N} a_k - a_{1}`, "f(a[]) = sum(a) - a[0]"], // a written number counts from 1
    [tex`\log \sum_{k=1}^{N} e^{a_{k}}`, "f(a[]) = log(sum(exp(a)))"], // logsumexp once simplified,
    [tex`\sum_{j=1}^{N} \sum_{k=1}^{N} x_j x_k`, "f(x[]) = sum(sum(x_j * x_k, k), j)"], // the inner sum is in the outer one's body
    [tex`∑_{k} x_k`, "f(x[]) = sum(x)"],
  ])("%s", (latex, expected) => expectReads(latex, expected));
});

describe("what toLatex prints for a vector function, read back", () => {
  test.each([
    [tex`\operatorname{softmax}\left(x\right)_{i}`, "f(x[]) = softmax(x)_i"],
    [tex`\mathrm{softmax}(x)_{j}`, "f(x[]) = softmax(x)_j"],
    [tex`\operatorname{softmax}\left(x\right)_{i} (\delta_{ij} - \operatorname{softmax}\left(x\right)_{j})`, "f(x[]) = softmax(x)_i * (delta(i, j) - softmax(x)_j)"],
  ])("%s", (latex, expected) => expectReads(latex, expected));

  test("softmax's body and its Jacobian, the very same nodes", () => {
    const e = body("f(x[]) = exp(x) / sum(exp(x))");
    const jacobian = simplify(expandDerivatives(derivative(e, elementVariable("x", "j"))));
    for (const tree of [e, jacobian]) expect(readLatexExpression(toLatex(tree))).toBe(tree);
  });
});

describe("the Kronecker delta", () => {
  test.each([
    [tex`\delta_{ij}`, "delta(i, j)"],
    [tex`\delta_{i j}`, "delta(i, j)"],
    [tex`δ_{ij}`, "delta(i, j)"],
    [tex`\delta_{ji}`, "delta(j, i)"], // as written (the simplifier orders the indices)
  ])("%s", (latex, expected) => expectReads(latex, `f(x[]) = ${expected}`));
});

describe("elements of a vector function the scope defines", () => {
  test.each([
    [tex`S_{i}`, "f(a[]) = S(a)_i"],
    [tex`S_{i}\left(1-S_{j}\right)`, "f(a[]) = S(a)_i * (1 - S(a)_j)"],
    [tex`-S_{j} S_{i}`, "f(a[]) = -S(a)_j * S(a)_i"],
    [tex`S_{i}\left(\delta_{i j}-S_{j}\right)`, "f(a[]) = S(a)_i * (delta(i, j) - S(a)_j)"],
    [tex`D_{j} S_{i}`, "f(a[]) = diff(S(a)_i, a_j)"], // D_j S_i: ∂S_i/∂a_j
    [tex`\frac{\partial S_{i}}{\partial a_{j}}`, "f(a[]) = diff(S(a)_i, a_j)"],
    [tex`\frac{\partial}{\partial a_{j}} \frac{e^{a_{i}}}{\sum_{k=1}^{N} e^{a_{k}}}`, "f(a[]) = diff(exp(a_i) / sum(exp(a)), a_j)"],
    [tex`\frac{\partial \frac{e^{a_{i}}}{\sum_{k=1}^{N} e^{a_{k}}}}{\partial a_{j}}`, "f(a[]) = diff(exp(a_i) / sum(exp(a)), a_j)"],
    [tex`S_{1}`, "f(a[]) = S(a)[0]"],
  ])("%s", (latex, expected) => expectReads(latex, expected, withS));

  test("without S in scope, D_j S_i is a product of two names, as before", () => {
    expect(readLatexExpression(tex`D_{j} S_{i}`)).toBe(body("D_j * S_i"));
  });
});

describe("conditions on indices compare indices", () => {
  // The formula language's claims read i == j between indices the same way (test/verify/index-claims.test.ts).
  const claimSides = (claim: string, scope: Scope = catalogScope): Expr[] => {
    const c = readClaim(claim, scope);
    return [c.left, c.right];
  };

  test("the Kronecker delta's definition: i = j on one side, δ_ij on the other", () => {
    const eq = readLatexEquation(tex`\delta_{i j}=\begin{cases}{1} & {i=j} \\ {0} & {i \neq j}\end{cases}`);
    expect(eq.sides.map((s) => s.value)).toEqual(claimSides("delta(i, j) = {1 if i == j, 0 otherwise}"));
  });

  test("the cases form of D_j S_i", () => {
    const eq = readLatexEquation(tex`D_{j} S_{i}=\begin{cases}{S_{i}\left(1-S_{j}\right)} & {i=j} \\ {-S_{j} S_{i}} & {i \neq j}\end{cases}`, withS);
    expect(eq.sides.map((s) => s.value)).toEqual(claimSides("diff(S(a)_i, a_j) = {S(a)_i * (1 - S(a)_j) if i == j, -S(a)_j * S(a)_i otherwise}", withS));
  });
});

describe("what a display declares", () => {
  test("a map between vectors, written as column vectors", () => {
    const reading = readLatexDisplay(tex`S(a) : \left[ \begin{array}{c}{a_{1}} \\ {a_{2}} \\ {\dots} \\ {a_{N}}\end{array}\right] \rightarrow \left[ \begin{array}{c}{S_{1}} \\ {S_{2}} \\ {\dots} \\ {S_{N}}\end{array}\right]`);
    expect(reading).toMatchObject({ kind: "map", map: { name: "S", input: "a", length: "N" } });
  });

  test.each([
    tex`S(a) : \begin{pmatrix} a_1 \\ \vdots \\ a_N \end{pmatrix} \to \begin{pmatrix} S_1 \\ \vdots \\ S_N \end{pmatrix}`,
    tex`S(a) : \left( \begin{array}{c} a_1 \\ \cdots \\ a_N \end{array} \right) \mapsto \left( \begin{array}{c} S_1 \\ \cdots \\ S_N \end{array} \right)`,
    tex`S(a) : a \rightarrow \left[ \begin{array}{c} S_1 \\ \dots \\ S_N \end{array} \right]`,
  ])("%s", (latex) => {
    expect(allLatexParses(latex)).toHaveLength(1);
    expect(readLatexDisplay(latex)).toMatchObject({ kind: "map", map: { name: "S", input: "a" } });
  });

  test("an equation's quantifier names its index", () => {
    const reading = readLatexDisplay(tex`S_{j}=\frac{e^{a_{j}}}{\sum_{k=1}^{N} e^{a_{k}}} \quad \forall j \in 1 \ldots N`);
    expect(reading.kind === "equations" && reading.equations.map((e) => e.forall)).toEqual(["j"]);
    expect(readLatexDisplay(tex`x_j = 1, \forall j \in \{1, \dots, N\}`)).toMatchObject({ kind: "equations", equations: [{ forall: "j" }] });
  });
});

interface Expected { code: ErrorCode; line: number; column: number; length: number; message: string }

describe("malformed index notation: code, position and reason", () => {
  const expression = (latex: string, scope: Scope = catalogScope) => () => readLatexExpression(latex, scope);
  const display = (latex: string) => () => readLatexDisplay(latex);
  test.each<[string, () => unknown, Expected]>([
    ["\\sum with nothing after it", expression(tex`\frac{1}{\sum}`), { code: "E_SYNTAX", line: 1, column: 10, length: 4, message: tex`'\sum' has nothing to sum` }],
    ["\\sum with limits and no body", expression(tex`1 + \sum_{k=1}^{N}`), { code: "E_SYNTAX", line: 1, column: 5, length: 14, message: tex`'\sum_{k=1}^{N}' has nothing to sum` }],
    ["\\sum without its index", expression(tex`\sum e^{a_k}`), { code: "E_SYNTAX", line: 1, column: 1, length: 4, message: tex`'\sum' needs the index it runs over` }],
    ["a sum from 0", expression(tex`\sum_{k=0}^{N} a_k`), { code: "E_UNSUPPORTED", line: 1, column: 9, length: 1, message: "a sum from k = 0: actdiff reads sums over the elements counted from 1" }],
    ["an upper limit that is no length", expression(tex`\sum_{k=1}^{N-1} a_k`), { code: "E_UNSUPPORTED", line: 1, column: 13, length: 3, message: "the upper limit of a sum is the vector's length (N) or a number of elements, not 'N-1'" }],
    ["a sum that reads no vector at its index", expression(tex`\sum_{k=1}^{N} k`), { code: "E_TYPE", line: 1, column: 1, length: 14, message: "the sum over k reads no element of a vector at k" }],
    ["a subscript on a number", expression(tex`2_{i}`), { code: "E_SYNTAX", line: 1, column: 1, length: 5, message: "a subscript is read only on a letter, as in y_{i}" }],
    ["element 0, where elements count from 1", expression(tex`\sum_{k} a_k - a_{0}`), { code: "E_SYNTAX", line: 1, column: 16, length: 5, message: "'a_{0}': elements are counted from 1 here, as in a_1 … a_N" }],
    ["two indices on a vector", expression(tex`\sum_{k} a_k + a_{ij}`), { code: "E_SYNTAX", line: 1, column: 16, length: 6, message: "'a_{ij}': an element of a vector has one index, a letter or a number" }],
    ["a matrix as a value", expression(tex`\left[\begin{array}{c} a_1 \\ a_2 \end{array}\right]`), { code: "E_UNSUPPORTED", line: 1, column: 1, length: 52, message: "a matrix or a vector written out is not a value here" }],
    ["an ellipsis as a value", expression(tex`a_1 + \dots + a_N`), { code: "E_SYNTAX", line: 1, column: 7, length: 5, message: tex`unexpected '\dots'` }],
    ["a map's head that is not S(a)", display(tex`S(a, b) : a \to a`), { code: "E_SYNTAX", line: 1, column: 1, length: 7, message: "the head of a map is a function of one vector, as in S(a)" }],
    ["a map's domain with another vector's elements", display(tex`S(a) : \left[\begin{array}{c} b_1 \\ \dots \\ b_N \end{array}\right] \to a`), { code: "E_SYNTAX", line: 1, column: 31, length: 3, message: "expected an element of a, as in a_{1}" }],
    ["a map that changes the length", display(tex`S(a) : \left[\begin{array}{c} a_1 \\ \dots \\ a_N \end{array}\right] \to \left[\begin{array}{c} S_1 \\ \dots \\ S_M \end{array}\right]`),
      { code: "E_SYNTAX", line: 1, column: 74, length: 61, message: "S maps N elements to M; actdiff reads maps that give one element per element of their input" }],
    ["a quantifier over something else", display(tex`x_j = 1 \quad \forall j \in 0 \ldots N`), { code: "E_UNSUPPORTED", line: 1, column: 15, length: 24, message: tex`'\forall j \in 0 \ldots N': an index runs over the elements, 1 … N` }],
    ["a map read as an expression", expression(tex`S(a) : a \to a`), { code: "E_SYNTAX", line: 1, column: 1, length: 14, message: "expected an expression, not a map's declaration" }],
  ])("%s", (_, run, expected) => {
    const e = errorOf(run);
    expect({ code: e.code, line: e.span?.line, column: e.span?.column, length: e.span?.length, message: e.summary }).toEqual(expected);
  });
});
