// The dev stack's mirror on a worker thread: PGlite, the indexer and the API all run there, started
// at once, while the main thread starts the chain, deploys and seeds.
//
// Why a thread: creating a PGlite folder and migrating it holds the thread it runs on for seconds
// (PostgreSQL in WebAssembly), and so does loading the API's modules. On a worker that work overlaps
// the chain's; and the mirror, once open, stays open where it was made (a PGlite database cannot
// move between threads), so it is never opened twice.
import { Worker } from "node:worker_threads";
import type { Manifest } from "../../contracts/manifest.ts";
import type { AuditMirrorReturnType } from "../../indexer/audit/audit.ts";
import { BaseError } from "../../kernel/errors.ts";
import type { LogLevel } from "../../kernel/logger.ts";
import type { WantedPort } from "./ports.ts";

export interface MirrorThreadParameters {
  /** The PGlite folder, new or empty: the worker creates and migrates the mirror there. */
  dataDir: string;
  logLevel: LogLevel;
  /** Human log lines (on a terminal) rather than JSON. */
  prettyLogs: boolean;
}

export interface ServeParameters {
  manifest: Manifest;
  manifestPath: string;
  rpcUrl: string;
  api: WantedPort;
  pollIntervalMs: number;
}

export interface MirrorThread {
  /** Resolves once the mirror is created and migrated. */
  opened: Promise<void>;
  /** Starts the indexer and the API; resolves with the API's origin (http://host:port). */
  serve(parameters: ServeParameters): Promise<{ origin: string }>;
  /** Resolves once the mirror holds `blockNumber`. */
  waitForBlock(blockNumber: bigint): Promise<void>;
  /** Compares the mirror with the chain (indexer/audit) at the mirror's checkpoint. */
  audit(): Promise<AuditMirrorReturnType>;
  /** Rejects when the worker fails outside a request: a fatal indexer fault, a crash. */
  failure: Promise<never>;
  /** Stops the API and the indexer, closes the mirror and ends the thread; safe to call twice. */
  stop(): Promise<void>;
}

/** What crosses the thread boundary for an error: enough to rebuild one that reads the same. */
export interface ThreadError {
  name: string;
  shortMessage: string;
  hints: readonly string[];
  /** Whether it says what to fix (a BaseError), as opposed to a bug. */
  actionable: boolean;
}

export type WorkerRequest =
  | { id: number; type: "serve"; parameters: ServeParameters }
  | { id: number; type: "waitForBlock"; blockNumber: bigint }
  | { id: number; type: "audit" }
  | { id: number; type: "stop" };

/** A request before it is given its id. */
type WorkerRequestBody = WorkerRequest extends infer R ? (R extends unknown ? Omit<R, "id"> : never) : never;

export type WorkerMessage =
  | { type: "opened" }
  | { type: "reply"; id: number; result?: unknown; error?: ThreadError }
  | { type: "failed"; error: ThreadError };

export function toThreadError(error: unknown): ThreadError {
  if (error instanceof BaseError)
    return { name: error.name, shortMessage: error.shortMessage, hints: error.hints, actionable: true };
  const message = error instanceof Error ? error.message : String(error);
  return {
    name: error instanceof Error ? error.name : "Error",
    shortMessage: message,
    hints: [],
    actionable: false,
  };
}

function fromThreadError({ name, shortMessage, hints, actionable }: ThreadError): Error {
  const error = actionable ? new BaseError(shortMessage, { hints }) : new Error(shortMessage);
  error.name = name;
  return error;
}

/**
 * Starts the worker, which creates and migrates the mirror in `dataDir` straight away.
 *
 * @example
 * const mirror = startMirrorThread({ dataDir, logLevel: "warn", prettyLogs: false });
 * // … start the chain, deploy, seed …
 * const { origin } = await mirror.serve({ manifest, manifestPath, rpcUrl, api, pollIntervalMs: 250 });
 * await mirror.waitForBlock(lastBlock);
 */
export function startMirrorThread(parameters: MirrorThreadParameters): MirrorThread {
  const worker = new Worker(new URL("./mirrorThread.worker.ts", import.meta.url), { workerData: parameters });
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 1;
  let exited = false;
  let isOpened = false;
  let stopRequested = false;
  let rejectFailure: (error: Error) => void = () => {};
  const failure = new Promise<never>((_, reject) => {
    rejectFailure = reject;
  });
  // Observed here so a failure nobody waits for is not an unhandled rejection.
  failure.catch(() => {});
  let resolveOpened: () => void = () => {};
  let rejectOpened: (error: Error) => void = () => {};
  const opened = new Promise<void>((resolve, reject) => {
    resolveOpened = resolve;
    rejectOpened = reject;
  });
  opened.catch(() => {});

  const failAll = (error: Error) => {
    rejectOpened(error);
    rejectFailure(error);
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  worker.on("message", (message: WorkerMessage) => {
    if (message.type === "opened") {
      isOpened = true;
      resolveOpened();
    } else if (message.type === "failed") failAll(fromThreadError(message.error));
    else {
      const request = pending.get(message.id);
      pending.delete(message.id);
      if (message.error) request?.reject(fromThreadError(message.error));
      else request?.resolve(message.result);
    }
  });
  worker.on("error", (error) => failAll(error));
  worker.on("exit", (code) => {
    exited = true;
    const error = new Error(`The mirror's thread ended (exit code ${code}).`);
    if (!stopRequested) failAll(error);
    else for (const { reject } of pending.values()) reject(error);
    pending.clear();
  });

  const call = <T>(request: WorkerRequestBody): Promise<T> => {
    if (exited) return Promise.reject(new Error("The mirror's thread has ended."));
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ ...request, id });
    });
  };

  let stopping: Promise<void> | undefined;
  return {
    opened,
    serve: (serveParameters) => call({ type: "serve", parameters: serveParameters }),
    waitForBlock: (blockNumber) => call({ type: "waitForBlock", blockNumber }),
    audit: () => call({ type: "audit" }),
    failure,
    stop() {
      stopRequested = true;
      stopping ??= (async () => {
        if (exited) return;
        const ended = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
        // Before the worker has opened the mirror it is busy in PGlite: end it (the next start resets
        // the half-made folder); after, let it close the mirror cleanly.
        if (isOpened) await call({ type: "stop" }).catch(() => {});
        else await worker.terminate();
        await ended;
      })();
      return stopping;
    },
  };
}
