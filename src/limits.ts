/**
 * actdiff's limits on the size of its input, and the checks that enforce them before any stage
 * runs. Each stage handles inputs within these limits in time about linear in their size (see
 * BENCHMARKS.md, "Input size"); beyond them the input is refused with a positioned E_TOO_LARGE,
 * never a stack overflow or an exhausted heap. README.md documents the same numbers.
 */
import { ActdiffError, fail, type SourceSpan } from "./errors.js";

export const LIMITS = {
  /** Characters of one formula, definition or claim (a flat sum of 100,000 terms is about 1.2 MB). */
  sourceLength: 4_000_000,
  /** Bytes read from a file or standard input (`--file`, `-`): a formula or a whole document. */
  inputBytes: 8 * 1024 * 1024,
  /** Nesting: calls, parentheses, unary signs, powers of powers and conditionals inside one another. */
  depth: 1_000,
  /** Digits of a number literal's significand, and the size of its decimal exponent. */
  literalDigits: 1_000,
  literalExponent: 1_000,
  /** The order of a derivative (`--order`, `diff(f, x, n)`). */
  order: 30,
  /**
   * A result written out as a tree (what `diff` prints) has at most this many nodes, or the square
   * of the input's size times 4 if that is more: a derivative of a nesting n deep is n²/2 long in
   * textbook form, but one of x^x grows sevenfold every two orders.
   */
  resultNodes: 200_000,
} as const;

/** The size a result written out may reach, for an input of `inputNodes` nodes written out. */
export const resultBudget = (inputNodes: number): number => Math.max(LIMITS.resultNodes, 4 * inputNodes * inputNodes);

/** Refuses a derivative order beyond the limit, before any work is done. */
export function checkOrder(order: number): void {
  if (order > LIMITS.order) {
    fail("E_TOO_LARGE", `derivatives of order up to ${LIMITS.order} are computed, not ${order}`, {
      hint: "each order multiplies the size of the result; take a lower order",
    });
  }
}

/** A span for the characters at `offset … offset + length` of `source`. */
export function spanAt(source: string, offset: number, length = 1): SourceSpan {
  let line = 1;
  let lineStart = 0;
  for (let i = source.indexOf("\n"); i !== -1 && i < offset; i = source.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { offset, length, line, column: offset - lineStart + 1 };
}

/**
 * The checks that need no parse: the length of the text and the depth of its brackets. A deeper
 * nesting that brackets do not show (a run of unary minus signs, x^x^…^x) is found in the
 * syntax tree (see `checkSyntaxDepth` in src/parse/parse.ts).
 */
export function checkSourceSize(source: string): void {
  if (source.length > LIMITS.sourceLength) {
    fail("E_TOO_LARGE", `the input is ${source.length.toLocaleString("en-US")} characters long; actdiff reads at most ${LIMITS.sourceLength.toLocaleString("en-US")}`, {
      hint: "split the formula into definitions that call one another",
    });
  }
  // Brackets, and the nestings the grammar builds by right recursion — runs of signs (- - x),
  // towers of powers (x^x^x), conditionals in else branches (a ? b : c ? d : e) — which the
  // Earley parser reads in time quadratic in their length: counted here, before it runs.
  let depth = 0;
  const open: { signs: number; powers: number; conditionals: number }[] = [{ signs: 0, powers: 0, conditionals: 0 }];
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    const level = open[open.length - 1]!;
    if (c === 40 || c === 91 || c === 123) { // ( [ {
      if (++depth > LIMITS.depth) tooDeep(source, i);
      open.push({ signs: 0, powers: 0, conditionals: 0 });
      continue;
    }
    if (c === 41 || c === 93 || c === 125) {
      depth--;
      if (open.length > 1) open.pop();
      continue;
    }
    if (c === 32 || c === 9 || c === 10 || c === 13) continue;
    if (c === 45 || c === 43 || c === 0x2212 || c === 33) { // - + − !
      // After an operand, + and − are binary and end a tower of powers (x^2 + x^2 + … is flat);
      // after ^ they are signs inside it (x^-x^-x … is a tower).
      if (c !== 33 && level.signs === 0 && endsOperand(source, i)) {
        level.powers = 0;
        continue;
      }
      if (++level.signs + depth > LIMITS.depth) tooDeep(source, i);
      continue;
    }
    level.signs = 0;
    if (c === 94 || (c === 42 && source.charCodeAt(i + 1) === 42)) { // ^ **
      if (++level.powers + depth > LIMITS.depth) tooDeep(source, i);
      if (c === 42) i++;
    } else if (c === 63) { // ?
      if (++level.conditionals + depth > LIMITS.depth) tooDeep(source, i);
    } else if (c === 44 || c === 59 || c === 61) { // , ; = start another expression
      level.powers = 0;
      level.conditionals = 0;
    } else if (c === 42 || c === 47 || c === 60 || c === 62) level.powers = 0; // * / < > end a tower of powers
  }
}

/** Whether the last character before `i` that is not a space ends an operand (a name, a number, a bracket). */
function endsOperand(source: string, i: number): boolean {
  let j = i - 1;
  while (j >= 0 && /\s/.test(source[j]!)) j--;
  return j >= 0 && /[\w.)\]}\u00b2\u00b3']/u.test(source[j]!);
}

export function tooDeep(source: string, offset: number, length = 1): never {
  return fail("E_TOO_LARGE", `the input nests more than ${LIMITS.depth.toLocaleString("en-US")} levels deep here`, {
    span: spanAt(source, offset, length), source,
    hint: "name an inner part as a definition of its own, or write a long sum or product flat (a + b + c …), which has no limit but the input's length",
  });
}

/** A number literal's text, checked before its exact value is built (10^9999999 would take seconds and megabytes). */
export function checkLiteral(text: string, span: SourceSpan | undefined, source: string | undefined): void {
  const m = /^(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (m === null) return;
  const digits = ((m[1] ?? "") + (m[2] ?? "")).replace(/^0+/, "").length;
  const exponent = m[3] === undefined ? 0 : Number(m[3]);
  if (digits > LIMITS.literalDigits || !(Math.abs(exponent) <= LIMITS.literalExponent)) {
    fail("E_TOO_LARGE", `the number ${text.length > 24 ? `${text.slice(0, 20)}…` : text} is too large to write exactly`, {
      ...(span && { span }), ...(source !== undefined && { source }),
      hint: `a number has at most ${LIMITS.literalDigits} digits and an exponent between -${LIMITS.literalExponent} and ${LIMITS.literalExponent}`,
    });
  }
}

/** Whether an error is the engine running out of stack (the one RangeError the engine throws for depth). */
export const isStackOverflow = (err: unknown): boolean =>
  err instanceof RangeError && /call stack size|too much recursion/i.test(err.message);

/**
 * The last-resort conversion at the library's and the CLI's boundary: a stack overflow that got
 * past the limits above becomes an E_TOO_LARGE, with the limits as its hint. Within the limits
 * no stage recurses that deep; this is for an input shaped in a way the checks did not foresee.
 */
export function asTooLarge(err: unknown): unknown {
  if (!isStackOverflow(err)) return err;
  return new ActdiffError("E_TOO_LARGE", "the input is nested too deeply for actdiff to process", undefined, undefined,
    `actdiff handles nesting up to ${LIMITS.depth.toLocaleString("en-US")} levels; name an inner part as a definition of its own`);
}

/** Runs `f`, converting a stack overflow into an E_TOO_LARGE (see `asTooLarge`). */
export function withinLimits<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    throw asTooLarge(err);
  }
}
