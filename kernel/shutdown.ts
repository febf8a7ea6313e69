// Graceful shutdown, for the indexer and every long-running process. SIGINT or SIGTERM asks the indexer to stop: it finishes the range it is
// committing (a range is one transaction, so stopping mid-way would lose nothing either, but
// finishing keeps the log honest), releases its lock and exits 0. A second signal exits at once.
// Every wait in the indexer goes through `sleep`, which a shutdown cuts short.
import type { Logger } from "./logger.ts";

/** The exit code of a process ended by a second SIGINT: 128 + 2, as shells report it. */
const FORCED_EXIT_CODE = 130;

export interface HandleSignalsParameters {
  logger: Logger;
  /** Called once, on the first signal. */
  onShutdown: (signal: NodeJS.Signals) => Promise<void> | void;
  /** Replaced in tests; exits the process on the second signal. */
  exit?: (code: number) => void;
  /** Where signals arrive; replaced in tests, which must not signal the test runner itself. */
  target?: Pick<NodeJS.Process, "on" | "off">;
}

/**
 * Installs SIGINT and SIGTERM handlers and returns a function that removes them.
 *
 * @example
 * const removeHandlers = handleShutdownSignals({ logger, onShutdown: () => indexer.stop() });
 */
export function handleShutdownSignals({
  logger,
  onShutdown,
  exit = (code) => process.exit(code),
  target = process,
}: HandleSignalsParameters): () => void {
  let shuttingDown = false;
  const handler = (signal: NodeJS.Signals) => {
    if (shuttingDown) {
      logger.warn({ msg: "Received a second signal, exiting now", signal });
      exit(FORCED_EXIT_CODE);
      return;
    }
    shuttingDown = true;
    logger.info({ msg: "Shutting down", signal });
    Promise.resolve(onShutdown(signal)).catch((error: unknown) =>
      logger.error({ msg: "Shutdown failed", err: error }),
    );
  };
  target.on("SIGINT", handler);
  target.on("SIGTERM", handler);
  return () => {
    target.off("SIGINT", handler);
    target.off("SIGTERM", handler);
  };
}

/** Thrown by `sleep` and checks when the indexer is stopping; never logged as a failure. */
export class ShutdownSignal extends Error {
  override name = "ShutdownSignal";
  constructor() {
    super("The indexer is stopping.");
  }
}

/** Waits `ms`, or rejects with {@link ShutdownSignal} as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(new ShutdownSignal());
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new ShutdownSignal());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Throws {@link ShutdownSignal} when `signal` has aborted: a check between two steps of work. */
export function throwIfStopping(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ShutdownSignal();
}
