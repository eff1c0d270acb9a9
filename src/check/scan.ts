/**
 * Finding the formulas of a document, with where they are and the prose around them. Markdown:
 * `$$…$$` (over several lines too), `$…$` (Pandoc's rule: no space inside the dollars, no digit
 * right after the closing one), and formula images whose alt text is LaTeX (zhihu's
 * `![\sigma](…/equation?tex=…)`); code blocks and inline code are not math. LaTeX: equation,
 * align, gather, multline, eqnarray, displaymath and math environments, `\[…\]`, `\(…\)`, `$$…$$`
 * and `$…$`, with comments removed.
 */
export interface MathSegment {
  /** Offset of `content` in the document. */
  readonly offset: number;
  /** The LaTeX between the delimiters, exactly as in the document. */
  readonly content: string;
  readonly display: boolean;
  /** For an align-like LaTeX environment: its name (its rows are read as an aligned block). */
  readonly environment?: string;
  /** The document text since the previous formula (at most 600 characters). */
  readonly proseBefore: string;
  /** The nearest heading above it. */
  readonly heading?: string;
}

export type DocumentFormat = "markdown" | "latex";

export function scanDocument(text: string, format: DocumentFormat): MathSegment[] {
  return format === "latex" ? scanLatex(text) : scanMarkdown(text);
}

interface Found { readonly start: number; readonly end: number; readonly content: number; readonly contentEnd: number; readonly display: boolean; readonly environment?: string }

/** Turns delimiter matches into segments, adding the prose between them and the headings. */
function segments(text: string, found: readonly Found[], headingAt: (offset: number) => string | undefined): MathSegment[] {
  let previousEnd = 0;
  return [...found].sort((a, b) => a.start - b.start).map((f) => {
    const prose = text.slice(previousEnd, f.start);
    previousEnd = f.end;
    const heading = headingAt(f.start);
    return {
      offset: f.content, content: text.slice(f.content, f.contentEnd), display: f.display,
      ...(f.environment ? { environment: f.environment } : {}),
      proseBefore: prose.length > 600 ? prose.slice(-600) : prose,
      ...(heading !== undefined ? { heading } : {}),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Markdown

function scanMarkdown(text: string): MathSegment[] {
  const found: Found[] = [];
  const headings: { offset: number; text: string }[] = [];
  let i = 0;
  let lineStart = true;
  while (i < text.length) {
    if (lineStart) {
      const rest = text.slice(i, text.indexOf("\n", i) === -1 ? text.length : text.indexOf("\n", i));
      const fence = /^ {0,3}(`{3,}|~{3,})/.exec(rest);
      if (fence) {
        // skip to the closing fence (or the end)
        const closing = new RegExp(`\\n {0,3}${fence[1]![0] === "`" ? "`" : "~"}{${fence[1]!.length},}[ \\t]*(?=\\n|$)`, "g");
        closing.lastIndex = i + rest.length;
        const m = closing.exec(text);
        i = m ? m.index + m[0].length : text.length;
        continue;
      }
      const heading = /^ {0,3}#{1,6}\s+(.*)$/.exec(rest);
      if (heading) headings.push({ offset: i, text: heading[1]!.replace(/[*_`]/g, "").replace(/\s+#+\s*$/, "").trim() });
    }
    const c = text[i]!;
    lineStart = c === "\n";
    if (c === "\\") {
      // MathJax in Markdown (Jupyter, many static sites) reads LaTeX's display environments as they are.
      const env = environmentAt(text, i);
      if (env !== undefined) {
        found.push(env);
        i = env.end;
        continue;
      }
      i += 2; // an escaped character, `\$` included
      continue;
    }
    if (c === "`") {
      const run = /^`+/.exec(text.slice(i))![0];
      const close = text.indexOf(run, i + run.length);
      i = close === -1 ? i + run.length : close + run.length;
      continue;
    }
    if (c === "!" && text[i + 1] === "[") {
      const image = formulaImage(text, i);
      if (image) {
        found.push({ start: i, end: image.end, content: i + 2, contentEnd: image.altEnd, display: false });
        i = image.end;
        continue;
      }
    }
    if (c === "$") {
      if (text[i + 1] === "$") {
        const close = findClosing(text, "$$", i + 2);
        if (close !== -1) {
          found.push({ start: i, end: close + 2, content: i + 2, contentEnd: close, display: true });
          i = close + 2;
          continue;
        }
        i += 2;
        continue;
      }
      const close = inlineClosing(text, i);
      if (close !== -1) {
        found.push({ start: i, end: close + 1, content: i + 1, contentEnd: close, display: false });
        i = close + 1;
        continue;
      }
    }
    i++;
  }
  return segments(text, found, headingBefore(headings));
}

/** `![alt](…equation?tex=…)`, its alt text with balanced brackets (`C^{n}[0,1]`): a formula image. */
function formulaImage(text: string, start: number): { altEnd: number; end: number } | undefined {
  let depth = 0;
  for (let j = start + 2; j < text.length && text[j] !== "\n"; j++) {
    const c = text[j];
    if (c === "\\") {
      j++;
      continue;
    }
    if (c === "[") depth++;
    else if (c === "]") {
      if (depth > 0) {
        depth--;
        continue;
      }
      const url = /^\(([^)\s]*equation\?tex=[^)\s]*)\)/.exec(text.slice(j + 1));
      return url ? { altEnd: j, end: j + 1 + url[0].length } : undefined;
    }
  }
  return undefined;
}

/** The next unescaped `delimiter` from `from`, or -1. */
function findClosing(text: string, delimiter: string, from: number): number {
  for (let j = from; j < text.length; j++) {
    if (text.startsWith(delimiter, j)) return j; // first: `\]` and `\)` begin with a backslash
    if (text[j] === "\\") j++;
  }
  return -1;
}

/** Pandoc's inline rule: `$x$` but not `$ x$`, `$x $` or `$5 and $6`. The closing `$` is on the same line. */
function inlineClosing(text: string, open: number): number {
  const first = text[open + 1];
  if (first === undefined || /\s/.test(first)) return -1;
  for (let j = open + 1; j < text.length; j++) {
    const c = text[j]!;
    if (c === "\n") return -1;
    if (c === "\\") {
      j++;
      continue;
    }
    if (c === "$") {
      if (/\s/.test(text[j - 1]!) || /\d/.test(text[j + 1] ?? "")) return -1;
      return j;
    }
  }
  return -1;
}

const headingBefore = (headings: readonly { offset: number; text: string }[]) => (offset: number): string | undefined =>
  headings.filter((h) => h.offset < offset).at(-1)?.text;

// ---------------------------------------------------------------------------------------------
// LaTeX

const ENVIRONMENTS = ["equation", "align", "gather", "multline", "eqnarray", "displaymath", "math", "flalign", "alignat"];

/** `\begin{align}…\end{align}` starting at `start`: a display, an align-like one with its name. */
function environmentAt(text: string, start: number): Found | undefined {
  const m = new RegExp(`^\\\\begin\\{((?:${ENVIRONMENTS.join("|")})\\*?)\\}(?:\\{\\d+\\})?`).exec(text.slice(start, start + 40));
  if (m === null) return undefined;
  const name = m[1]!;
  const endTag = `\\end{${name}}`;
  const close = text.indexOf(endTag, start + m[0].length);
  if (close === -1) return undefined;
  const base = name.replace(/\*$/, "");
  return {
    start, end: close + endTag.length, content: start + m[0].length, contentEnd: close, display: base !== "math",
    ...(base === "equation" || base === "displaymath" || base === "math" ? {} : { environment: base }),
  };
}

function scanLatex(source: string): MathSegment[] {
  // Comments become spaces, so that offsets and lines stay those of the file.
  const text = source.replace(/(^|[^\\])%[^\n]*/g, (m, before: string) => before + " ".repeat(m.length - before.length));
  const found: Found[] = [];
  const headings: { offset: number; text: string }[] = [];
  for (const m of text.matchAll(/\\(?:sub)*section\*?\s*\{([^}]*)\}/g)) headings.push({ offset: m.index, text: m[1]! });
  const taken = (start: number, end: number): boolean => found.some((f) => start < f.end && end > f.start);
  const env = new RegExp(`\\\\begin\\{((?:${ENVIRONMENTS.join("|")})\\*?)\\}(?:\\{\\d+\\})?`, "g");
  for (const m of text.matchAll(env)) {
    const environment = environmentAt(text, m.index);
    if (environment !== undefined && !taken(environment.start, environment.contentEnd)) found.push(environment);
  }
  const pairs: [RegExp, string, boolean][] = [[/\\\[/g, "\\]", true], [/\$\$/g, "$$", true], [/\\\(/g, "\\)", false]];
  for (const [open, close, display] of pairs) {
    for (const m of text.matchAll(open)) {
      if (taken(m.index, m.index + m[0].length) || text[m.index - 1] === "\\") continue;
      const end = findClosing(text, close, m.index + m[0].length);
      if (end === -1) continue;
      found.push({ start: m.index, end: end + close.length, content: m.index + m[0].length, contentEnd: end, display });
    }
  }
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "\\") {
      i++;
      continue;
    }
    if (text[i] !== "$" || taken(i, i + 1)) continue;
    const end = findClosing(text, "$", i + 1);
    if (end === -1) break;
    if (!taken(end, end + 1)) found.push({ start: i, end: end + 1, content: i + 1, contentEnd: end, display: false });
    i = end;
  }
  return segments(text, found, headingBefore(headings));
}
