/**
 * The playground's state in the URL's fragment, so that a link reproduces the view:
 * `#f=swish(x%3B%20beta%20%3D%201)%20%3D%20x%20*%20sigmoid(beta%20*%20x)&beta=1.5` — the formula
 * under `f`, each parameter value under its name. A fragment never leaves the browser.
 */
export interface PlaygroundState {
  readonly formula: string;
  readonly params: Readonly<Record<string, number>>;
}

/** A parameter named `f` is not kept in the URL (it would be read as the formula); it starts at its default. */
const FORMULA_KEY = "f";

export function encodeState(state: PlaygroundState): string {
  const query = new URLSearchParams({ [FORMULA_KEY]: state.formula });
  for (const [name, value] of Object.entries(state.params)) {
    if (name !== FORMULA_KEY) query.set(name, String(value));
  }
  // URLSearchParams writes a space as `+`; %20 reads the same everywhere a link is pasted.
  return "#" + query.toString().replace(/\+/g, "%20");
}

/** The state a fragment holds; undefined when it holds no formula. Values that are not numbers are dropped. */
export function decodeState(hash: string): PlaygroundState | undefined {
  const query = new URLSearchParams(hash.replace(/^#/, ""));
  const formula = query.get(FORMULA_KEY);
  if (formula === null) return undefined;
  const params: Record<string, number> = {};
  for (const [name, text] of query) {
    const value = Number(text);
    if (name !== FORMULA_KEY && text.trim() !== "" && Number.isFinite(value)) params[name] = value;
  }
  return { formula, params };
}
