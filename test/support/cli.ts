import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

/**
 * The CLI as a user meets it: a subprocess, its exit status, stdout and stderr. Each spawn costs
 * about half a second (node + tsx), so cases that share a command share a spawn.
 */
export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface Run { readonly status: number | null; readonly stdout: string; readonly stderr: string }

export function actdiff(...args: string[]): Run {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    cwd: ROOT, encoding: "utf8", env: { ...process.env, ACTDIFF_DEBUG: "" },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** --json output must be exactly one JSON value: JSON.parse rejects anything after it. */
export const json = (r: Run): any => JSON.parse(r.stdout);

export const squash = (s: string): string => s.replace(/\s+/g, " ").trim();

export const noStack = (text: string): void => expect(text).not.toMatch(/^\s+at /m);
