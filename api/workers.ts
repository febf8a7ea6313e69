// `firm serve` with API_WORKERS > 1: one primary process and that many workers (node:cluster), each a
// whole API (its own connection pool, response cache and commit bus) accepting on the one port. An API
// process is CPU-bound long before PostgreSQL is (parsing, executing and serializing GraphQL): one
// process uses one core, workers use them all.
//
// The primary serves nothing. It starts the workers, replaces one that dies after it listened (a crash
// loop, more than MAX_RESTARTS in RESTART_WINDOW_MS, stops the API instead), stops them all on SIGTERM
// or SIGINT, and a worker that fails before listening (a database or chain it cannot reach) stops the
// API with that worker's error, as one process would. It also sums the workers' metrics for /metrics
// (prom-client's AggregatorRegistry): whichever worker is asked, it answers for all of them.
//
// What workers must share goes through Redis, which config.ts therefore requires: the rate limit, the
// presence challenges and the commit notices. Only worker 0 runs the webhook worker (WEBHOOKS_WORKER=1).
import cluster, { type Worker } from "node:cluster";
import type { Logger } from "pino";
import { AggregatorRegistry, type Registry } from "prom-client";

/** The variable the primary gives each worker: its place, 0 to API_WORKERS - 1, kept by a replacement. */
const WORKER_INDEX = "FIRM_API_WORKER_INDEX";
/** More deaths than this within RESTART_WINDOW_MS is a crash loop, not bad luck. */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;
/** How long a worker has to close its connections on SIGTERM before it is killed. */
const STOP_GRACE_MS = 10_000;
/** How long /metrics waits for every worker's numbers. */
const METRICS_TIMEOUT_MS = 5_000;

const ASK_METRICS = "firm:api-metrics";
const METRICS = "firm:api-metrics-answer";

/** This process's place among the workers; undefined outside a cluster. */
export function workerIndex(): number | undefined {
  return cluster.isWorker ? Number(process.env[WORKER_INDEX]) : undefined;
}

/**
 * Runs the primary: starts `count` workers (each runs this same command) and supervises them until a
 * signal stops them; resolves once they have all exited.
 *
 * @example
 * if (cluster.isPrimary && config.workers > 1) return superviseWorkers({ count: config.workers, logger });
 */
export function superviseWorkers({ count, logger }: { count: number; logger: Logger }): Promise<number> {
  const aggregator = new AggregatorRegistry();
  /** The workers alive, and their places. (cluster.workers may still list one that exited, until its
   * IPC channel closes too.) */
  const indexOf = new Map<Worker, number>();
  const listening = new WeakSet<Worker>();
  const deaths: number[] = [];
  let stopping = false;
  let exitCode = 0;
  let finished: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => {
    finished = resolve;
  });

  const start = (index: number) => {
    const worker = cluster.fork({ [WORKER_INDEX]: String(index) });
    indexOf.set(worker, index);
    worker.on("message", (message: { type?: string; id?: number }) => {
      if (message?.type !== ASK_METRICS) return;
      aggregator.clusterMetrics().then(
        (text) => worker.isConnected() && worker.send({ type: METRICS, id: message.id, text }),
        (error: Error) =>
          worker.isConnected() && worker.send({ type: METRICS, id: message.id, error: error.message }),
      );
    });
  };
  const stop = (signal: NodeJS.Signals, code: number) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    if (indexOf.size === 0) finished(exitCode);
    for (const worker of indexOf.keys()) worker.process.kill(signal);
    setTimeout(() => {
      for (const worker of indexOf.keys()) worker.process.kill("SIGKILL");
    }, STOP_GRACE_MS).unref();
  };

  cluster.on("listening", (worker) => {
    if (listening.has(worker)) return;
    listening.add(worker);
    logger.info({ msg: "API worker listening", worker: indexOf.get(worker), pid: worker.process.pid });
  });
  cluster.on("exit", (worker, code, signal) => {
    const index = indexOf.get(worker) ?? -1;
    indexOf.delete(worker);
    if (stopping) {
      if (indexOf.size === 0) finished(exitCode);
      return;
    }
    if (!listening.has(worker)) {
      // It said why on its own output (server.ts logs "API failed to start").
      logger.fatal({ msg: "An API worker failed to start: stopping the API", worker: index, code, signal });
      stop("SIGTERM", 1);
      return;
    }
    const now = Date.now();
    deaths.push(now);
    while (deaths.length > 0 && deaths[0]! < now - RESTART_WINDOW_MS) deaths.shift();
    if (deaths.length > MAX_RESTARTS) {
      logger.fatal({
        msg: `API workers died ${deaths.length} times within ${RESTART_WINDOW_MS / 1000} s: stopping the API`,
        worker: index,
        code,
        signal,
      });
      stop("SIGTERM", 1);
      return;
    }
    logger.error({ msg: "An API worker died: starting another", worker: index, code, signal });
    start(index);
  });
  process.once("SIGTERM", () => stop("SIGTERM", 0));
  process.once("SIGINT", () => stop("SIGTERM", 0));

  logger.info({ msg: "API starting workers", workers: count });
  for (let index = 0; index < count; index++) start(index);
  return done;
}

/**
 * In a worker: /metrics' text, every worker's metrics summed by the primary. Undefined outside a
 * cluster, where the app serves its own registry.
 *
 * @example
 * const renderMetrics = clusterMetrics(metrics.registry);
 * buildApp({ …, renderMetrics });
 */
export function clusterMetrics(registry: Registry): (() => Promise<string>) | undefined {
  if (!cluster.isWorker) return undefined;
  // Answers the primary's requests for this worker's numbers (prom-client's cluster protocol).
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
  let next = 0;
  const waiting = new Map<number, { resolve: (text: string) => void; reject: (error: Error) => void }>();
  process.on("message", (message: { type?: string; id?: number; text?: string; error?: string }) => {
    if (message?.type !== METRICS || message.id === undefined) return;
    const waiter = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.error !== undefined) waiter?.reject(new Error(message.error));
    else waiter?.resolve(message.text ?? "");
  });
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = next++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error(`The workers' metrics did not arrive within ${METRICS_TIMEOUT_MS} ms.`));
      }, METRICS_TIMEOUT_MS);
      waiting.set(id, {
        resolve: (text) => {
          clearTimeout(timer);
          resolve(text);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      process.send?.({ type: ASK_METRICS, id });
    });
}
