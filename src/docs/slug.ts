import { createHash } from "node:crypto";

/**
 * File names of the site come from here, never from a name directly: whatever a name holds (a
 * hand-built definition can hold anything), its slug is one path segment inside the output
 * folder — letters, digits and `_` of the name kept, every other character written as `-uXXXX`,
 * so it has no `/`, `\`, `.` or control character, is never empty and stays short.
 */
const KEPT = /[\p{L}\p{N}_]/u;

/** Names the site uses itself (the gallery, its stylesheet and folders) or that a file system reserves (Windows device names). */
const RESERVED = /^(?:index|style|katex|plots|con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

/** At most this many characters before a hash stands for the rest (file names are limited to 255 bytes). */
const MAX_LENGTH = 80;

export function slugOf(name: string): string {
  let slug = [...name].map((c) => (KEPT.test(c) ? c : `-u${c.codePointAt(0)!.toString(16).padStart(4, "0")}`)).join("");
  if (slug === "") slug = "-empty";
  // A hyphen never occurs in a name, so a renamed page cannot meet another page's name.
  if (RESERVED.test(slug)) slug = `${slug}-page`;
  if ([...slug].length > MAX_LENGTH) slug = `${[...slug].slice(0, MAX_LENGTH - 13).join("")}-${createHash("sha256").update(name).digest("hex").slice(0, 12)}`;
  return slug;
}
