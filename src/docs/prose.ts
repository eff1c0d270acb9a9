/** Sentences both page formats share, so that HTML and Markdown say the same thing. */
import type { VerifyResult } from "../verify/verify.js";
import type { ActivationDoc, ParamDoc } from "./model.js";
import type { PageDoc } from "./page.js";
import { formatNumber, listInWords, symbolName } from "./text.js";

export const FORMULA_CAPTIONS = ["The function", "Its first derivative", "Its second derivative"] as const;

/** `holds: proved symbolically (lhs − rhs simplifies to 0)`, or the counterexample. */
export function verificationStatus(r: VerifyResult): { readonly ok: boolean; readonly headline: string; readonly detail: string } {
  switch (r.verdict) {
    case "refuted": {
      const c = r.counterexample;
      const at = c ? Object.entries(c.at).map(([k, v]) => `${k} = ${formatNumber(v)}`).join(", ") : "";
      return {
        ok: false, headline: "Refuted",
        detail: c ? `At ${at}${c.piece ? ` (the piece where ${c.piece})` : ""} ours is ${c.lhs} and the other side ${c.rhs}` : sentence(r.detail),
      };
    }
    case "undecided": return { ok: false, headline: "Undecided", detail: sentence(r.detail) };
    case "proved": return { ok: true, headline: "Proved", detail: sentence(r.detail) };
    case "verified": return { ok: true, headline: "Verified numerically", detail: sentence(r.detail) };
  }
}

const sentence = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** `β (beta) = 1, the default; the plots also show 0.5 and 2`. */
export function paramSentence(p: ParamDoc): string {
  const name = symbolName(p.name) === p.name ? p.name : `${symbolName(p.name)} (${p.name})`;
  const value = `${name} = ${formatNumber(p.value)}${p.hasDefault ? ", the default" : " (it has no default; the page is stated for this value)"}`;
  return p.variants.length ? `${value}; the plots also show ${listInWords(p.variants.map((v) => formatNumber(v)))}` : value;
}

/** Where f is not smooth, for the text next to the plots. */
export function breakpointSentence(doc: ActivationDoc): string | undefined {
  if (doc.breakpoints.length === 0) return undefined;
  const where = listInWords(doc.breakpoints.map((b) => `x = ${formatNumber(b)}`));
  return `Breakpoints (where a condition of the definition switches): ${where}. A filled dot marks the value the definition gives there, an open circle a one-sided limit it does not take.`;
}

export const domainText = (doc: ActivationDoc): string => `[${formatNumber(doc.domain[0])}, ${formatNumber(doc.domain[1])}]`;

/** What the pages say they give: f, f′ and f″, and partial derivatives or a Jacobian when some page has them. */
export function derivativesText(docs: readonly PageDoc[]): string {
  return docs.every((d) => d.kind === "one") ? "f, f′ and f″" : "f and its derivatives (f′ and f″; each partial derivative; the Jacobian and its vector–Jacobian product)";
}
