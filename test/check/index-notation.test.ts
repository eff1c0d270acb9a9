import { describe, expect, test } from "vitest";
import { checkDocument } from "../../src/check/check.js";

/**
 * A document in index notation, as seed 002 writes its softmax: a map between vectors declared
 * with column vectors, S defined element by element, the derivative written as ∂S_i/∂a_j and as
 * D_j S_i, a derivation under "if i = j" with the sum abbreviated, the Jacobian written out, the
 * Kronecker form, and two slips. Every formula is on the line given; nothing is dropped.
 */
const DOC = String.raw`# Softmax

The softmax maps a vector to a vector:
$$
S(a) : \left[ \begin{array}{c}{a_{1}} \\\\ {\dots} \\\\ {a_{N}}\end{array}\right] \rightarrow \left[ \begin{array}{c}{S_{1}} \\\\ {\dots} \\\\ {S_{N}}\end{array}\right]
$$
Each element:
$$
S_{j}=\frac{e^{a_{j}}}{\sum_{k=1}^{N} e^{a_{k}}} \quad \forall j \in 1 \ldots N
$$
We want the partial derivative
$$
\frac{\partial S_{i}}{\partial a_{j}}
$$
whose matrix is the Jacobian:
$$
D S = \begin{pmatrix} D_{1} S_{1} & \cdots \\ \vdots & \ddots \end{pmatrix}
$$
If i = j:
$$
\begin{aligned} \partial \frac{e^{a_{i}}}{\sum_{k=1}^{N} e^{a_{k}}} &=\frac{e^{a_{i}} \sum-e^{a_{j}} e^{a_{i}}}{\sum_{i}^{2}} \\\\ &=S_{i}\left(1-S_{j}\right) \end{aligned}
$$
A slip: the same result, with no case stated.
$$
D_{j} S_{i}=S_{i}\left(1-S_{j}\right)
$$
The Kronecker delta gives both cases at once:
$$
D_{j} S_{i}=S_{i}\left(\delta_{i j}-S_{j}\right)
$$
A sum with nothing to sum:
$$
T = \sum_{k=1}^{N}
$$
`;

describe("a softmax derivation in index notation", () => {
  const report = checkDocument(DOC);

  test("the map and S's elements are definitions", () => {
    expect(report.definitions.map((d) => [d.line, d.name])).toEqual([[5, "S(a)"], [9, "S_j"]]);
  });

  test("every claim, on its line", () => {
    expect(report.claims.map((c) => [c.line, c.verdict, c.step ? `${c.step.index}/${c.step.of}` : ""])).toEqual([
      [21, "proved", "1/2"],
      [21, "proved", "2/2"],
      [25, "refuted", ""],
      [29, "proved", ""],
    ]);
  });

  test("the derivation under 'If i = j:' is proved in that case, and the reading of its shorthand is said", () => {
    const [first, second] = report.claims.filter((c) => c.line === 21);
    expect(first!.detail).toBe("proved for every length N in the case i = j (exp-rational), with the rest of every sum and max an unknown");
    expect(first!.notes).toEqual([
      String.raw`a \sum with nothing to sum is read as \sum_{k=1}^{N} e^{a_{k}}, the sum written out before it in this formula`,
      String.raw`\sum_{i}^{2} is read as (\sum_{k=1}^{N} e^{a_{k}})^{2}, the square of that sum: as written it sums nothing over i`,
      String.raw`the bare \partial is read as \frac{\partial}{\partial a_{j}}, the partial derivative the document writes on line 13`,
      `checked in the case i = j, which the text before the formula states ("If i = j:")`,
    ]);
    // the second step starts where the first ends: no bare ∂ in it
    expect(second!.notes).toEqual([
      String.raw`a \sum with nothing to sum is read as \sum_{k=1}^{N} e^{a_{k}}, the sum written out before it in this formula`,
      String.raw`\sum_{i}^{2} is read as (\sum_{k=1}^{N} e^{a_{k}})^{2}, the square of that sum: as written it sums nothing over i`,
      `checked in the case i = j, which the text before the formula states ("If i = j:")`,
    ]);
  });

  test("the slip is refuted at i ≠ j, counted as the document counts, and said to hold at i = j", () => {
    const slip = report.claims.find((c) => c.line === 25)!;
    expect(slip.text).toBe(String.raw`D_{j} S_{i} = S_{i}\left(1-S_{j}\right)`);
    const at = slip.counterexample!.at;
    expect(at.i).not.toBe(at.j);
    expect(Math.min(at.i!, at.j!)).toBeGreaterThanOrEqual(1);
    expect(Object.keys(at).filter((k) => k.startsWith("a_")).sort()[0]).toBe("a_1");
    expect(slip.notes).toEqual([
      "it holds only in the case i = j (proved there), which the document does not state here",
      "the counterexample counts indices and elements from 1, as the document does",
    ]);
  });

  test("what is read but claims nothing, and what cannot be read", () => {
    expect(report.ignored.map((i) => [i.line, i.reason])).toEqual([
      [13, "a derivative written alone, not an equation: nothing to check"],
      [17, "a matrix or vector written out element by element: notation, nothing to check (actdiff checks equations between its elements)"],
    ]);
    expect(report.skipped.map((s) => [s.line, s.reason])).toEqual([[33, String.raw`'\sum_{k=1}^{N}' has nothing to sum`]]);
  });
});

/** The same in a LaTeX document: S defined inline, the cases stated in inline math. */
const TEX = String.raw`\documentclass{article}
\begin{document}
The softmax, $S_j = \frac{e^{a_j}}{\sum_{k=1}^{N} e^{a_k}}$, and its derivative $\frac{\partial S_i}{\partial a_j}$.
For $i \neq j$:
\begin{align*}
\frac{\partial S_i}{\partial a_j} &= -\frac{e^{a_i} e^{a_j}}{\left(\sum_{k=1}^{N} e^{a_k}\right)^2} \\
  &= -S_i S_j
\end{align*}
and for $i = j$,
\[ \frac{\partial S_i}{\partial a_j} = S_i (1 - S_i). \]
\end{document}
`;

describe("the cases in a LaTeX document's inline math", () => {
  const report = checkDocument(TEX, { format: "latex" });

  test("each derivation is proved in the case stated before it", () => {
    expect(report.claims.map((c) => [c.line, c.verdict, c.notes])).toEqual([
      [6, "proved", [`checked in the case i ≠ j, which the text before the formula states ("For $i \\neq j$:")`]],
      [7, "proved", [`checked in the case i ≠ j, which the text before the formula states ("For $i \\neq j$:")`]],
      [10, "proved", [`checked in the case i = j, which the text before the formula states ("and for $i = j$,")`]],
    ]);
  });

  test("the conditions themselves claim nothing", () => {
    expect(report.skipped).toEqual([]);
    expect(report.ignored.map((i) => [i.line, i.reason])).toEqual([
      [3, "a derivative written alone, not an equation: nothing to check"],
      [4, "a case of the indices i and j, for the formulas after it"],
      [9, "a case of the indices i and j, for the formulas after it"],
    ]);
    expect(report.definitions.map((d) => [d.line, d.name])).toEqual([[3, "S_j"]]);
  });
});
