/**
 * What a name is, in one place for the lexer, the library's entry points and the CLI: a letter or
 * `_` by Unicode's own properties (XID_Start, then XID_Continue: the identifier syntax of UAX #31,
 * which JavaScript and Python use, closed under NFKC), without the characters that are letters
 * or marks to Unicode but look like operators or punctuation (`·` U+0387 looks like the middle
 * dot of a product, `ʹ` U+02B9 like a prime).
 */

/** Identifier characters that a reader would take for an operator or punctuation, each with what it looks like. */
export const LOOKALIKES: ReadonlyMap<string, string> = new Map([
  ["\u00B7", "·"], // MIDDLE DOT: the product dot, an operator here
  ["\u0387", "·"], // GREEK ANO TELEIA
  ["\u02B9", "'"], // MODIFIER LETTER PRIME
  ["\u02BA", "''"], // MODIFIER LETTER DOUBLE PRIME
  ["\u02BB", "'"], // MODIFIER LETTER TURNED COMMA
  ["\u02BC", "'"], // MODIFIER LETTER APOSTROPHE
  ["\u02BD", "'"], // MODIFIER LETTER REVERSED COMMA
  ["\u02C8", "'"], // MODIFIER LETTER VERTICAL LINE
  ["\u02CA", "'"], // MODIFIER LETTER ACUTE ACCENT
  ["\u02CB", "'"], // MODIFIER LETTER GRAVE ACCENT
  ["\u02D0", ":"], // MODIFIER LETTER TRIANGULAR COLON
  ["\u02D1", "·"], // MODIFIER LETTER HALF TRIANGULAR COLON
  ["\u01C0", "|"], // LATIN LETTER DENTAL CLICK
  ["\u01C1", "||"], // LATIN LETTER LATERAL CLICK
  ["\u01C3", "!"], // LATIN LETTER RETROFLEX CLICK
  ["\u1427", "·"], // CANADIAN SYLLABICS FINAL MIDDLE DOT
  ["\u30FB", "·"], // KATAKANA MIDDLE DOT
  ["\uFF65", "·"], // HALFWIDTH KATAKANA MIDDLE DOT
  ["\u2E31", "·"], // WORD SEPARATOR MIDDLE DOT
]);

const EXCLUDED = [...LOOKALIKES.keys()].map((c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, "0")}`).join("");

/** The source of a regular expression (flag `u`) matching one name, for the lexer. */
export const NAME_PATTERN = `(?![${EXCLUDED}])[\\p{XID_Start}_](?:(?![${EXCLUDED}])\\p{XID_Continue})*`;

const NAME = new RegExp(`^${NAME_PATTERN}$`, "u");
const NAME_START = new RegExp(`^(?![${EXCLUDED}])[\\p{XID_Start}_]`, "u");

/** Whether `text` is a name of the formula language (before folding: see `foldName`). */
export const isName = (text: string): boolean => NAME.test(text);

/** Whether `text` begins with a character a name may begin with. */
export const startsName = (text: string): boolean => NAME_START.test(text);

/**
 * The name as the language knows it: compatibility forms folded (NFKC: `𝑥` is x, `ﬁ` is fi, as
 * Python folds identifiers), so that two names that look alike are one name.
 */
export const foldName = (text: string): string => text.normalize("NFKC");

/**
 * For a character the language does not use: what it looks like when it passes for an ASCII
 * operator or punctuation mark (`;` U+037E, the Greek question mark, looks like `;`), else undefined.
 */
export function lookalikeOf(char: string): string | undefined {
  const listed = LOOKALIKES.get(char);
  if (listed !== undefined) return listed;
  const folded = char.normalize("NFKC");
  return folded !== char && /^[\x21-\x7e]+$/.test(folded) && !/^[A-Za-z0-9_]+$/.test(folded) ? folded : undefined;
}

/** `U+037E`: how a hint names a character that may not show. */
export const codePointLabel = (char: string): string => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
