/**
 * The Web Worker's entry (scripts/bundle.ts builds it as a bundle of its own, with all of
 * mathjs): it answers the page's requests (engine.ts) one at a time, by id. An audit reports its
 * progress at most every PROGRESS_MS; the page cancels one by terminating the worker.
 */
import { runRequest, type EngineRequest } from "./engine.js";

export interface WorkerRequest { readonly id: number; readonly request: EngineRequest }
export type WorkerReply =
  | { readonly id: number; readonly kind: "progress"; readonly done: number; readonly total: number }
  | { readonly id: number; readonly kind: "done"; readonly view: ReturnType<typeof runRequest> };

const PROGRESS_MS = 100;

const scope = globalThis as unknown as { onmessage: ((e: { data: WorkerRequest }) => void) | null; postMessage(reply: WorkerReply): void };

scope.onmessage = ({ data: { id, request } }) => {
  let last = 0;
  const onProgress = (done: number, total: number): void => {
    const now = performance.now();
    if (now - last < PROGRESS_MS && done < total) return;
    last = now;
    scope.postMessage({ id, kind: "progress", done, total });
  };
  scope.postMessage({ id, kind: "done", view: runRequest(request, onProgress) });
};
