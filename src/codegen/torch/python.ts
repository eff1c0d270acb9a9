import { commentSafe } from "../emit-module.js";

/**
 * Python lexical safety for generated modules: which user names may become Python identifiers,
 * and how user text is written so that it is inert (comments and string literals). Nothing a user
 * typed is ever printed as Python code except a name that passes `pythonName`.
 */

// Keywords and soft keywords (Python 3.11 keyword.kwlist and softkwlist).
const KEYWORDS = [
  "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif",
  "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or",
  "pass", "raise", "return", "try", "while", "with", "yield", "match", "case", "type",
];

// Builtins and module names the generated code uses, names a parameter would shadow, and the
// public attributes of torch.nn.Module (a parameter is an attribute of the module).
const MODULE_NAMES = [
  "torch", "math", "self", "ctx", "super", "float", "int", "tuple", "len", "range", "isinstance", "print", "object",
  "learnable", "grad_out", "shape", "dtype", "device", "like", "value", "gradient", "grads", "hessian", "grad_rows", "grad_grads",
  "variables", "k", "n", "any", "sum", "zip", "enumerate", "None", "module", "name", "tensor",
  "T_destination", "add_module", "apply", "bfloat16", "buffers", "children", "cpu", "cuda", "double", "dump_patches", "eval",
  "extra_repr", "forward", "backward", "get_buffer", "get_extra_state", "get_parameter", "get_submodule", "half", "ipu",
  "load_state_dict", "modules", "named_buffers", "named_children", "named_modules", "named_parameters", "parameters",
  "register_backward_hook", "register_buffer", "register_forward_hook", "register_forward_pre_hook",
  "register_full_backward_hook", "register_load_state_dict_post_hook", "register_module", "register_parameter",
  "requires_grad_", "set_extra_state", "share_memory", "state_dict", "to", "to_empty", "train", "training", "type", "xpu",
  "zero_grad",
];

const RESERVED = new Set([...KEYWORDS, ...MODULE_NAMES]);
/** ASCII identifiers only: Python normalises other letters (NFKC), so two spellings could be one name. */
const SAFE = /^[A-Za-z][A-Za-z0-9_]*$/;
/**
 * Names the printers generate: a letter and digits, maybe a second letter and digits, maybe _digits
 * (temps t3, branch values t3_1, conditions c2 and their sides s2, block temps b4t1, row indices
 * i3, k8, lengths L6, positional fallbacks x0, p0).
 */
const GENERATED = /^[A-Za-z]\d+(?:[A-Za-z]\d+)?(?:_\d+)?$/;

/** The name itself when it is a safe Python identifier not taken, else the fallback. */
export function pythonName(name: string, fallback: string, taken: ReadonlySet<string> = new Set()): string {
  return SAFE.test(name) && !GENERATED.test(name) && !RESERVED.has(name) && !taken.has(name) ? name : fallback;
}

/** `relu_softsign` → `ReluSoftsign`: the class names of an activation. */
export function camelCase(name: string): string {
  return name.split("_").filter((part) => part.length > 0).map((part) => part[0]!.toUpperCase() + part.slice(1)).join("");
}

/** Text for a `#` comment: one line, control and format characters escaped (see commentSafe). */
export const pyComment = (text: string): string => commentSafe(text);

/**
 * A Python string literal `"…"` holding exactly `text`: backslash and quote escaped, and every
 * character that is not a printable letter, mark, number, punctuation, symbol or plain space
 * written as \x, \u or \U escape — so it cannot end the literal, the line or the docstring.
 */
export function pyString(text: string): string {
  return `"${pyStringBody(text)}"`;
}

/** The inside of a string literal (for a docstring, whose quotes the caller writes). */
export function pyStringBody(text: string): string {
  let out = "";
  for (const c of text) {
    if (c === "\\") out += "\\\\";
    else if (c === "\"") out += "\\\"";
    else if (c === " " || (/[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(c) && c !== "\u2028" && c !== "\u2029")) out += c;
    else {
      const code = c.codePointAt(0)!;
      out += code < 0x100 ? `\\x${hex(code, 2)}` : code < 0x10000 ? `\\u${hex(code, 4)}` : `\\U${hex(code, 8)}`;
    }
  }
  return out;
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, "0");

/** A float64 as a Python float literal that reads back as the same double: 2.0, 0.1, 1e-07, math.inf. */
export function pyFloat(n: number): string {
  if (Number.isNaN(n)) return "math.nan";
  if (n === Infinity) return "math.inf";
  if (n === -Infinity) return "-math.inf";
  if (Object.is(n, -0)) return "-0.0";
  const s = String(n);
  return /[.e]/.test(s) ? s : `${s}.0`;
}
