/**
 * Text from the input, made safe to show in a terminal: control characters (ESC starts the
 * sequences that retitle a window or draw an OSC 8 link, BEL rings), format characters (the
 * bidi overrides such as U+202E reorder what follows), line and paragraph separators, and
 * unassigned or private code points become `\u{…}`, as the emitted module writes them in its
 * comments. Letters, marks, digits, punctuation, symbols and spaces pass as they are.
 */
const UNSAFE = /[^\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}\n\t]|[\u2028\u2029]/gu;
const UNSAFE_IN_LINE = /[^\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}]|[\u2028\u2029]/gu;

const visible = (c: string): string => `\\u{${c.codePointAt(0)!.toString(16)}}`;

/** Multi-line text (a report): newlines and tabs kept, everything unsafe escaped. */
export const escapeControls = (text: string): string => text.replace(UNSAFE, visible);

/** One line of text (a source line under a caret): newlines and tabs escaped too. */
export const escapeLine = (text: string): string => text.replace(UNSAFE_IN_LINE, visible);

/**
 * A JSON document with the same characters escaped as \uXXXX: still the same JSON value, but a
 * terminal showing it is not told to do anything. JSON.stringify escapes only U+0000–U+001F.
 */
export const escapeJson = (json: string): string =>
  json.replace(UNSAFE, (c) => Array.from({ length: c.length }, (_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, "0")}`).join(""));
