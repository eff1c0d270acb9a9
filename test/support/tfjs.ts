import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/**
 * TensorFlow.js for the export tests: the cpu and wasm backends, and emitted modules imported from
 * files. A module imports "@tensorflow/tfjs", so its file is written inside the repository (under
 * the git-ignored test-artifacts/), where node resolves that to the same package the test holds.
 */
export type Tf = typeof import("@tensorflow/tfjs");
export type Tensor = import("@tensorflow/tfjs").Tensor;

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export const BACKENDS = ["cpu", "wasm"] as const;

let loaded: Promise<Tf> | undefined;

/** tfjs with both backends initialised (its "install tfjs-node" greeting silenced). */
export function loadTf(): Promise<Tf> {
  loaded ??= (async () => {
    const log = console.log;
    console.log = () => {};
    try {
      const tf = await import("@tensorflow/tfjs");
      const wasm = await import("@tensorflow/tfjs-backend-wasm");
      wasm.setWasmPaths(join(ROOT, "node_modules/@tensorflow/tfjs-backend-wasm/dist/"));
      for (const backend of BACKENDS) {
        if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend ${backend} did not initialise`);
        await tf.ready();
      }
      return tf;
    } finally {
      console.log = log;
    }
  })();
  return loaded;
}

/** A directory for emitted modules, removed by the returned function. */
export function moduleDir(name: string): { dir: string; remove: () => void } {
  const dir = join(ROOT, "test-artifacts", `${name}-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

let counter = 0;

/** Writes the module's text to a file in dir and imports it. */
export async function importModule<T>(dir: string, text: string): Promise<T> {
  const file = join(dir, `m${counter++}.mjs`);
  writeFileSync(file, text);
  return (await import(/* @vite-ignore */ pathToFileURL(file).href)) as T;
}
