/**
 * The page's side of the worker (worker.ts): loads the worker's code on first need — a script
 * of the page's folder, PLAYGROUND_ENGINE, that holds it as a string — and starts workers from a
 * Blob URL of it, since Chromium starts none from a file:// URL. Nothing leaves the folder.
 *
 * Two kinds of worker: one that stays, for claims and property sheets (a newer request of a kind
 * replaces one still waiting), and one per audit, terminated to cancel it.
 */
import { ENGINE_GLOBAL, PLAYGROUND_ENGINE } from "../../docs/playground-page.js";
import type { EngineRequest, EngineView } from "../engine.js";
import type { WorkerReply, WorkerRequest } from "../worker.js";

export type Progress = (done: number, total: number) => void;

export interface Running {
  readonly result: Promise<EngineView | undefined>;
  /** Stops the work; its result is then undefined. */
  cancel(): void;
}

export class EngineClient {
  private url: Promise<string> | undefined;
  private resident: Promise<Worker> | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (v: EngineView | undefined) => void; kind: EngineRequest["kind"] }>();
  /** Per kind, the newest request not yet answered: an older one's answer is dropped. */
  private readonly newest = new Map<EngineRequest["kind"], number>();

  constructor(private readonly doc: Document) {}

  /** The Blob URL of the worker's code, made once; the script that holds the code is loaded on first call. */
  private workerUrl(): Promise<string> {
    this.url ??= new Promise<string>((resolve, reject) => {
      const win = this.doc.defaultView as unknown as Record<string, unknown> & typeof globalThis;
      const made = (): void => {
        const source = win[ENGINE_GLOBAL];
        if (typeof source !== "string") return reject(new Error(`${PLAYGROUND_ENGINE} did not load`));
        resolve(URL.createObjectURL(new Blob([source], { type: "text/javascript" })));
      };
      if (typeof win[ENGINE_GLOBAL] === "string") return made();
      const script = this.doc.createElement("script");
      script.src = PLAYGROUND_ENGINE;
      script.onload = made;
      script.onerror = () => reject(new Error(`${PLAYGROUND_ENGINE} is missing beside the page`));
      this.doc.body.append(script);
    });
    return this.url;
  }

  private async spawn(onReply: (reply: WorkerReply) => void, onError: (message: string) => void): Promise<Worker> {
    const worker = new Worker(await this.workerUrl());
    worker.onmessage = (e: MessageEvent<WorkerReply>) => onReply(e.data);
    worker.onerror = (e) => onError(e.message || "the worker failed");
    return worker;
  }

  /** Starts the resident worker ahead of need (after the first view is on screen). */
  warmUp(): void {
    void this.residentWorker().catch(() => undefined);
  }

  private residentWorker(): Promise<Worker> {
    this.resident ??= this.spawn((reply) => {
      if (reply.kind !== "done") return;
      const entry = this.waiting.get(reply.id);
      if (!entry) return;
      this.waiting.delete(reply.id);
      entry.resolve(this.newest.get(entry.kind) === reply.id ? reply.view : undefined);
    }, (message) => {
      for (const [id, entry] of this.waiting) {
        this.waiting.delete(id);
        entry.resolve({ kind: "error", message: `The worker failed: ${message}` });
      }
    });
    return this.resident;
  }

  /** A claim or a property sheet; resolves undefined when a newer request of its kind superseded it. */
  async ask(request: EngineRequest): Promise<EngineView | undefined> {
    const id = this.nextId++;
    this.newest.set(request.kind, id);
    let worker: Worker;
    try {
      worker = await this.residentWorker();
    } catch (err) {
      return { kind: "error", message: err instanceof Error ? err.message : String(err) };
    }
    return new Promise((resolve) => {
      this.waiting.set(id, { resolve, kind: request.kind });
      worker.postMessage({ id, request } satisfies WorkerRequest);
    });
  }

  /** Work of its own worker (the audit): progress as it goes, cancelled by terminating the worker. */
  run(request: EngineRequest, onProgress: Progress): Running {
    let worker: Worker | undefined;
    let finish: (v: EngineView | undefined) => void = () => undefined;
    let cancelled = false;
    const result = new Promise<EngineView | undefined>((resolve) => {
      finish = resolve;
      this.spawn((reply) => {
        if (reply.kind === "progress") onProgress(reply.done, reply.total);
        else {
          worker?.terminate();
          resolve(reply.view);
        }
      }, (message) => {
        worker?.terminate();
        resolve({ kind: "error", message: `The worker failed: ${message}` });
      }).then((w) => {
        if (cancelled) return w.terminate();
        worker = w;
        w.postMessage({ id: 0, request } satisfies WorkerRequest);
      }, (err: unknown) => resolve({ kind: "error", message: err instanceof Error ? err.message : String(err) }));
    });
    return {
      result,
      cancel() {
        cancelled = true;
        worker?.terminate();
        finish(undefined);
      },
    };
  }
}
