/**
 * The playground's state in the URL's fragment, so that a link reproduces the view:
 * `#f=swish(x%3B%20beta%20%3D%201)%20%3D%20x%20*%20sigmoid(beta%20*%20x)&beta=1.5` — the formula
 * under `f`, each parameter value under its name, and how it is viewed under `view.…` keys (a
 * dot is in no parameter's name): the zoomed x range, f″ shown, the code tab. A fragment never
 * leaves the browser.
 */
export interface PlaygroundState {
  readonly formula: string;
  readonly params: Readonly<Record<string, number>>;
  /** The plot's x range when zoomed or panned; the default range otherwise. */
  readonly xRange?: readonly [number, number];
  /** f″ shown and plotted. */
  readonly second?: boolean;
  /** The code tab shown, when not the first. */
  readonly code?: string;
}

/** A parameter named `f` is not kept in the URL (it would be read as the formula); it starts at its default. */
const FORMULA_KEY = "f";
const VIEW = { xmin: "view.xmin", xmax: "view.xmax", second: "view.f2", code: "view.code" } as const;

export function encodeState(state: PlaygroundState): string {
  const query = new URLSearchParams({ [FORMULA_KEY]: state.formula });
  for (const [name, value] of Object.entries(state.params)) {
    if (name !== FORMULA_KEY) query.set(name, String(value));
  }
  if (state.xRange) {
    query.set(VIEW.xmin, String(state.xRange[0]));
    query.set(VIEW.xmax, String(state.xRange[1]));
  }
  if (state.second) query.set(VIEW.second, "1");
  if (state.code !== undefined) query.set(VIEW.code, state.code);
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
    if (name !== FORMULA_KEY && !name.startsWith("view.") && text.trim() !== "" && Number.isFinite(value)) params[name] = value;
  }
  const number = (key: string): number => {
    const text = query.get(key);
    return text === null || text.trim() === "" ? NaN : Number(text);
  };
  const [lo, hi] = [number(VIEW.xmin), number(VIEW.xmax)];
  const code = query.get(VIEW.code);
  return {
    formula, params,
    ...(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi && { xRange: [lo, hi] as const }),
    ...(query.get(VIEW.second) === "1" && { second: true }),
    ...(code !== null && code !== "" && { code }),
  };
}
