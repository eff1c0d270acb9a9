import { accessSync, constants, existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fail } from "../errors.js";

const codeOf = (err: unknown): string => (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));

/**
 * The folder a site is written into, checked before anything is written: `/dev/null` or a file
 * is not a folder, a folder that cannot be written to is said so, and missing folders are made
 * one level at a time (Node's recursive mkdir loops forever under /proc). Every failure is an
 * E_USAGE error naming the path, never a half-written site.
 */
export function prepareOutputFolder(out: string): string {
  const path = resolve(out);
  const missing: string[] = [];
  let existing = path;
  while (!existsSync(existing)) {
    missing.unshift(existing);
    const parent = dirname(existing);
    if (parent === existing) break;
    existing = parent;
  }
  let isFolder: boolean;
  try {
    isFolder = statSync(existing).isDirectory();
  } catch (err) {
    return fail("E_USAGE", `cannot use ${out} as the output folder: ${existing}: ${codeOf(err)}`);
  }
  if (!isFolder) {
    fail("E_USAGE", existing === path ? `${out} is not a folder` : `cannot make the folder ${out}: ${existing} is not a folder`, { hint: "--out names a folder to write the site into (created if missing)" });
  }
  try {
    accessSync(existing, constants.W_OK);
  } catch {
    fail("E_USAGE", `cannot write into ${existing}: permission denied`, { hint: "choose a folder you can write to" });
  }
  for (const folder of missing) {
    try {
      mkdirSync(folder);
    } catch (err) {
      fail("E_USAGE", `cannot make the folder ${folder}: ${codeOf(err)}`, { hint: "choose a folder you can write to" });
    }
  }
  return path;
}

/** Writes one file of the site (its folder made if missing); a failure is E_USAGE naming the file. */
export function writeSiteFile(path: string, content: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  } catch (err) {
    fail("E_USAGE", `cannot write ${path}: ${codeOf(err)}`);
  }
}
