import { describe, expect, test } from "vitest";
import { checkDocument, formatOf } from "../../src/check/check.js";

/** A LaTeX document: environments, aligned derivations over several lines, \[ … \], comments. */
const TEX = String.raw`\documentclass{article}
\begin{document}
\section{Swish}
% a comment: $x = 2$ is not a claim
The Swish activation is
\begin{equation}
  \mathrm{swish}(x) = x \, \sigma(\beta x) \label{eq:swish}
\end{equation}
and its derivative follows by the product rule:
\begin{align*}
  \frac{d}{dx}\,\mathrm{swish}(x)
    &= \sigma(\beta x) + \beta x \, \sigma(\beta x) (1 - \sigma(\beta x)) \\
    &= \sigma(\beta x) \bigl(1 + \beta x (1 - \sigma(\beta x))\bigr) \\
    &= \sigma(\beta x) + x \, \sigma(\beta x) (1 - \sigma(\beta x))
\end{align*}
The last step drops a $\beta$. Also \[ \tanh(x) = 2\sigma(2x) - 1, \] and \(\sigma(-x) = 1 - \sigma(x)\).
\end{document}
`;

describe("checking a LaTeX document", () => {
  const report = checkDocument(TEX, { format: "latex" });

  test("every claim on its line, an aligned derivation step by step", () => {
    expect(report.claims.map((c) => [c.line, c.verdict, c.step ? `${c.step.index}/${c.step.of}` : ""])).toEqual([
      [7, "proved", ""],
      [12, "proved", "1/3"],
      [13, "proved", "2/3"],
      [14, "refuted", "3/3"],
      [16, "proved", ""],
      [16, "proved", ""],
    ]);
  });

  test("the refuted step: its text, counterexample and slip", () => {
    const step = report.claims.find((c) => c.verdict === "refuted")!;
    expect(step.text).toBe(String.raw`\sigma(\beta x) \bigl(1 + \beta x (1 - \sigma(\beta x))\bigr) = \sigma(\beta x) + x \, \sigma(\beta x) (1 - \sigma(\beta x))`);
    expect(step.counterexample?.at).toBeDefined();
  });

  test("nothing in a comment, and nothing dropped", () => {
    expect(report.claims.some((c) => c.line === 4)).toBe(false);
    expect(report.skipped).toEqual([]);
    expect(report.ignored.map((i) => [i.line, i.reason])).toEqual([[16, "an expression, not an equation: nothing to check"]]);
  });

  test("the format follows the file name", () => {
    expect(formatOf("paper.tex")).toBe("latex");
    expect(formatOf("notes.md")).toBe("markdown");
    expect(formatOf("seed.txt")).toBe("markdown");
  });
});
