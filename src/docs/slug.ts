/**
 * File names of the site come from here, never from a name directly: whatever a name holds (a
 * hand-built definition can hold anything), its slug is one path segment inside the output
 * folder — letters, digits and `_` of the name kept, every other character written as `-uXXXX`,
 * so it has no `/`, `\`, `.` or control character, is never empty and stays short.
 */
const KEPT = /[\p{L}\p{N}_]/u;

/** Names the site uses itself (the gallery, its stylesheet and folders) or that a file system reserves (Windows device names). */
const RESERVED = /^(?:index|style|katex|plots|playground|con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

/** At most this many characters before a hash stands for the rest (file names are limited to 255 bytes). */
const MAX_LENGTH = 80;

export function slugOf(name: string): string {
  let slug = [...name].map((c) => (KEPT.test(c) ? c : `-u${c.codePointAt(0)!.toString(16).padStart(4, "0")}`)).join("");
  if (slug === "") slug = "-empty";
  // A hyphen never occurs in a name, so a renamed page cannot meet another page's name.
  if (RESERVED.test(slug)) slug = `${slug}-page`;
  if ([...slug].length > MAX_LENGTH) slug = `${[...slug].slice(0, MAX_LENGTH - 13).join("")}-${fnv1a48(name)}`;
  return slug;
}

/**
 * 48 bits of the 64-bit FNV-1a hash of the name's UTF-8 bytes, as 12 hex digits: a long name's
 * tail, kept apart from other tails. Not a cryptographic hash — none is needed to tell file names
 * apart — and the same in Node and in the browser bundle (no node:crypto).
 */
function fnv1a48(name: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(name)) hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return (hash >> 16n).toString(16).padStart(12, "0");
}
