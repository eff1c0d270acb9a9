/** Text for markup: escaping, and numbers and names as a reader expects them. */

const XML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Safe inside element content and double- or single-quoted attributes, in HTML and SVG alike. */
export const escapeXml = (text: string): string => text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);

const GREEK: Readonly<Record<string, string>> = {
  alpha: "α", beta: "β", gamma: "γ", delta: "δ", epsilon: "ε", zeta: "ζ", eta: "η", theta: "θ", iota: "ι", kappa: "κ",
  lambda: "λ", mu: "μ", nu: "ν", xi: "ξ", pi: "π", rho: "ρ", sigma: "σ", tau: "τ", upsilon: "υ", phi: "φ", chi: "χ",
  psi: "ψ", omega: "ω", Gamma: "Γ", Delta: "Δ", Theta: "Θ", Lambda: "Λ", Xi: "Ξ", Pi: "Π", Sigma: "Σ", Phi: "Φ", Psi: "Ψ", Omega: "Ω",
};

/** A parameter's name as it reads in prose and legends: `beta` is β, `negative_slope` stays. */
export const symbolName = (name: string): string => (Object.hasOwn(GREEK, name) ? GREEK[name]! : name);

/**
 * A number for people: up to 4 significant digits, no trailing zeros, a true minus sign
 * (−0.5), and ±∞ for the infinities.
 */
export function formatNumber(v: number, digits = 4): string {
  if (Number.isNaN(v)) return "undefined";
  if (!Number.isFinite(v)) return v > 0 ? "∞" : "−∞";
  if (v === 0) return "0";
  const abs = Math.abs(v);
  const text = abs >= 1e-4 && abs < 1e6
    ? String(Number(abs.toPrecision(digits)))
    : abs.toExponential(digits - 1).replace(/\.?0+e/, "e").replace("e+", "e");
  return (v < 0 ? "−" : "") + text;
}

/** `a, b and c`. */
export function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}
