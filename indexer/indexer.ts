// The indexer: start-up checks, the writer lock, a start-up reorg check, backfill up to the last final
// block, then live following, until stopped. A retryable fault (an endpoint down, a lost lock, the
// chain changing under a fetch) pauses the sync and resumes it from the store's checkpoint; a fatal
// one (wrong chain, missing contract, ABI mismatch, deep reorg) ends `run()` with that error.
//
// The store owns "exactly once": each range and its checkpoint commit in one transaction, and every
// resume starts from the committed checkpoint, so a crash at any moment loses or repeats nothing.
import type { Server } from "node:http";
import { type Manifest, readManifest } from "../contracts/manifest.ts";
import { parseTogether } from "../kernel/config.ts";
import { isRetryable } from "../kernel/errors.ts";
import { limitHeapGrowth } from "../kernel/heapGrowth.ts";
import { createLogger, type Logger } from "../kernel/logger.ts";
import { handleShutdownSignals, ShutdownSignal, sleep } from "../kernel/shutdown.ts";
import { type Config, parseConfig } from "./config.ts";
import { createMetrics, type Metrics, serveMetrics } from "./metrics.ts";
import { parseWebhookConfig, type WebhookConfig } from "./notify/config.ts";
import { type RunningWebhooks, startWebhooks } from "./notify/startWebhooks.ts";
import type { Database } from "./store/sql.ts";
import type { Checkpoint, CommitNotice, Store } from "./store/types.ts";
import { type ApplyRange, createApplyRange } from "./sync/applyRange.ts";
import { backfill } from "./sync/backfill.ts";
import { type BackoffOptions, backoffDelay } from "./sync/backoff.ts";
import { createChunker, INITIAL_BACKFILL_BLOCKS } from "./sync/chunker.ts";
import { createEnrichRange, type EnrichRange } from "./sync/enrichRange.ts";
import { createLeaderLock, leaderLockKey } from "./sync/leader.ts";
import { follow } from "./sync/live.ts";
import {
  type ContractProbe,
  firmAbiProbes,
  manifestAddresses,
  preflight,
  type SyncManifest,
} from "./sync/preflight.ts";
import { finalityDepthFor, reconcile } from "./sync/reorg.ts";
import { createRpc, type Rpc } from "./sync/rpc.ts";

export type IndexerConfig = Pick<
  Config,
  | "rpcUrl"
  | "databaseUrl"
  | "finalityDepth"
  | "pollIntervalMs"
  | "maxBlockRange"
  | "rpcConcurrency"
  | "rpcTimeoutMs"
  | "rpcMaxAttempts"
>;

export interface CreateIndexerParameters {
  config: IndexerConfig;
  store: Store;
  manifest: SyncManifest;
  logger: Logger;
  metrics?: Metrics;
  /** Start-up ABI checks; the firm's contract wiring by default (sync/preflight.ts). */
  probes?: readonly ContractProbe[];
  /** Called after each committed range (for the API's live feed). */
  onCommit?: (notice: CommitNotice) => void;
  /** Backoff of RPC retries; shortened in tests. */
  rpcBackoff?: BackoffOptions;
  /** Backoff of the resume-after-fault loop; shortened in tests. */
  resumeBackoff?: BackoffOptions;
  /**
   * Start-up checks already under way (openIndexer begins them): the first sync attempt takes their
   * answer instead of asking again; a resume after a fault checks afresh.
   */
  preflight?: EarlyPreflight;
}

/** Start-up's chain checks, begun before the indexer that uses them exists. */
export interface EarlyPreflight {
  /** The chain's head once every check has passed, or the first check's failure. */
  head: Promise<bigint>;
  /** Aborts the checks, requests in flight included; the head then fails with a ShutdownSignal. */
  cancel(): void;
}

type RpcSettings = Pick<IndexerConfig, "rpcUrl" | "rpcTimeoutMs" | "rpcMaxAttempts" | "rpcConcurrency">;

/** The indexer's RPC client, as every sync attempt (and an early preflight) makes it. */
function indexerRpc(
  config: RpcSettings,
  { metrics, logger, rpcBackoff }: Pick<CreateIndexerParameters, "metrics" | "logger" | "rpcBackoff">,
  signal: AbortSignal,
): Rpc {
  return createRpc({
    url: config.rpcUrl,
    timeoutMs: config.rpcTimeoutMs,
    maxAttempts: config.rpcMaxAttempts,
    concurrency: config.rpcConcurrency,
    backoff: rpcBackoff,
    metrics,
    logger: logger.child({ stage: "rpc" }),
    signal,
  });
}

/**
 * Opens the store and creates an indexer over it. The chain checks need no database, so they begin
 * first and their round trips run while the store opens (on PGlite, a template copy and a
 * WebAssembly start); the indexer's first sync attempt takes their answer. If the store cannot be
 * opened, the checks are cancelled, requests in flight included, and the store's error is thrown.
 *
 * @example
 * const { indexer } = await openIndexer({ config, manifest, logger, openStore: () => openStore(config) });
 * await indexer.run();
 */
export async function openIndexer<S extends Store>({
  openStore,
  ...parameters
}: Omit<CreateIndexerParameters, "store" | "preflight"> & { openStore: () => Promise<S> }): Promise<{
  store: S;
  indexer: Indexer;
  /** The checks begun before the store, as the indexer was handed them. */
  preflight: EarlyPreflight;
}> {
  const { config, manifest } = parameters;
  const cancelled = new AbortController();
  const rpc = indexerRpc(config, parameters, cancelled.signal);
  const head = preflight({ rpc, manifest, probes: parameters.probes ?? firmAbiProbes(manifest) });
  // A failure surfaces where the indexer awaits the head; until then it must not count as unhandled.
  head.catch(() => {});
  const early: EarlyPreflight = { head, cancel: () => cancelled.abort(new ShutdownSignal()) };
  let store: S;
  try {
    store = await openStore();
  } catch (error) {
    early.cancel();
    throw error;
  }
  return { store, indexer: createIndexer({ ...parameters, store, preflight: early }), preflight: early };
}

export type IndexerPhase =
  | "idle"
  | "starting"
  | "standby"
  | "backfill"
  | "live"
  | "paused"
  | "stopped"
  | "failed";

export interface IndexerStatus {
  phase: IndexerPhase;
  finalityDepth: number;
  /** The mirror's last block, as last committed or found at start. */
  checkpoint: Checkpoint | null;
  /** The chain's latest block number when last asked; null before the first answer. */
  headBlock: bigint | null;
}

export interface Indexer {
  /** Runs until `stop()` (resolves) or a fatal fault (rejects with it). */
  run(): Promise<void>;
  /** Asks `run()` to finish after the range being committed; resolves when it has. */
  stop(): Promise<void>;
  status(): IndexerStatus;
}

/** Block numbers go into logs as numbers (JSON has no bigint; every real chain's fit in 2^53). */
function toNumber(value: bigint | undefined): number | null {
  return value === undefined ? null : Number(value);
}

/** 1 s doubling to 30 s: a restarting node or a failover is back within seconds, an outage is not
 * hammered. There is no limit on attempts: an indexer outlives its provider's outages. */
const DEFAULT_RESUME_BACKOFF: BackoffOptions = { baseDelayMs: 1_000, maxDelayMs: 30_000 };
/** Live catch-up ranges fetch every header; 100 is one JSON-RPC batch. */
const MAX_LIVE_BLOCKS_PER_RANGE = 100;

/**
 * Creates an indexer for one firm deployment.
 *
 * @example
 * const indexer = createIndexer({ config, store, manifest, logger, metrics });
 * handleShutdownSignals({ logger, onShutdown: () => indexer.stop() });
 * await indexer.run();
 */
export function createIndexer(parameters: CreateIndexerParameters): Indexer {
  const { config, store, manifest, logger, metrics } = parameters;
  const finalityDepth = finalityDepthFor(manifest.chainId, config.finalityDepth);
  const addresses = manifestAddresses(manifest);
  const probes = parameters.probes ?? firmAbiProbes(manifest);
  const lock = createLeaderLock({
    databaseUrl: config.databaseUrl,
    key: leaderLockKey(manifest.chainId, addresses),
    logger: logger.child({ stage: "leader" }),
    metrics,
  });
  const stopping = new AbortController();
  let earlyPreflight = parameters.preflight?.head;
  if (parameters.preflight) {
    const { cancel } = parameters.preflight;
    stopping.signal.addEventListener("abort", cancel, { once: true });
  }
  const status: IndexerStatus = { phase: "idle", finalityDepth, checkpoint: null, headBlock: null };
  let running: Promise<void> | undefined;

  const setPhase = (phase: IndexerPhase) => {
    status.phase = phase;
    // Lag is the writer's measure. Any other phase (a standby, a pause, a stop) reports none rather
    // than a 0 or a stale value, which would hide a mirror that nobody writes from an alert on lag.
    if (phase !== "backfill" && phase !== "live") metrics?.lagBlocks.remove();
  };
  const setHead = (head: bigint) => {
    status.headBlock = head;
    metrics?.headBlock.set(Number(head));
  };
  const apply: ApplyRange = (() => {
    const commit = createApplyRange({ store, logger, metrics, onCommit: parameters.onCommit });
    return async (range, stage) => {
      const applied = await commit(range, stage);
      status.checkpoint = applied.checkpoint;
      if (status.headBlock !== null)
        metrics?.lagBlocks.set(Math.max(0, Number(status.headBlock - applied.checkpoint.blockNumber)));
      return applied;
    };
  })();

  /** Backfills final blocks until the final head is reached, then returns the checkpoint. */
  async function backfillToFinal(
    rpc: Rpc,
    enrich: EnrichRange,
    signal: AbortSignal,
    start: Checkpoint | null,
  ) {
    let checkpoint = start;
    const chunker = createChunker({
      maxBlocks: config.maxBlockRange,
      initialBlocks: Math.min(config.maxBlockRange, INITIAL_BACKFILL_BLOCKS),
    });
    for (;;) {
      const head = await rpc.blockNumber();
      setHead(head);
      const fromBlock = checkpoint ? checkpoint.blockNumber + 1n : BigInt(manifest.startBlock);
      const toBlock = head - BigInt(finalityDepth);
      // Another pass while the chain outran the last one; live following takes the rest.
      if (fromBlock > toBlock) return checkpoint;
      setPhase("backfill");
      // Every block of this pass is final: telling the store first lets it skip the undo records
      // it would otherwise write for a possible rollback (a large share of the backfill's writes).
      await store.pruneBelow(toBlock);
      const result = await backfill({
        rpc,
        apply,
        addresses,
        fromBlock,
        toBlock,
        chunker,
        concurrency: config.rpcConcurrency,
        maxApplyBlocks: config.maxBlockRange,
        enrich,
        logger: logger.child({ stage: "backfill" }),
        signal,
      });
      checkpoint = result.checkpoint;
      // The pass's block headers are all final by now: the store may forget them (the checkpoint's
      // own header stays, as the oldest possible common ancestor).
      const finalBelow = checkpoint.blockNumber - BigInt(finalityDepth);
      if (finalBelow > 0n) await store.pruneBelow(finalBelow);
    }
  }

  /** One attempt: from the checkpoint to live following, until stopped or a fault. */
  async function sync(signal: AbortSignal): Promise<void> {
    const rpc = indexerRpc(config, parameters, signal);
    setPhase("starting");
    const early = earlyPreflight;
    earlyPreflight = undefined;
    const head = await (early ?? preflight({ rpc, manifest, probes }));
    logger.info({
      msg: "Connected to the chain",
      chainId: manifest.chainId,
      headBlock: Number(head),
      finalityDepth,
    });
    const enrich = createEnrichRange({
      call: rpc.call,
      books: manifest.contracts.books,
      logger: logger.child({ stage: "enrich" }),
    });
    setPhase("standby");
    await lock.acquire(signal);
    const work = AbortSignal.any([signal, lock.lost]);
    const reorgLogger = logger.child({ stage: "reorg" });
    // A reorg while the indexer was stopped (or paused) shows up here, before anything is applied.
    status.checkpoint = await reconcile({ rpc, store, finalityDepth, logger: reorgLogger, metrics });
    status.checkpoint = await backfillToFinal(rpc, enrich, work, status.checkpoint);
    setPhase("live");
    await follow({
      rpc,
      store,
      apply,
      addresses,
      startBlock: BigInt(manifest.startBlock),
      finalityDepth,
      pollIntervalMs: config.pollIntervalMs,
      maxBlocksPerRange: Math.min(config.maxBlockRange, MAX_LIVE_BLOCKS_PER_RANGE),
      enrich,
      logger: logger.child({ stage: "live" }),
      metrics,
      signal: work,
      onHead: setHead,
    });
  }

  async function runLoop(): Promise<void> {
    let failures = 0;
    try {
      for (;;) {
        const progressBefore = status.checkpoint?.blockNumber;
        try {
          await sync(stopping.signal);
          return;
        } catch (error) {
          // Work cut short by a lost lock ends with a ShutdownSignal; the lock's reason is the real fault.
          const lostLock = error instanceof ShutdownSignal && lock.lost.aborted && !stopping.signal.aborted;
          const fault: unknown = lostLock ? lock.lost.reason : error;
          if (stopping.signal.aborted && (fault instanceof ShutdownSignal || isRetryable(fault))) return;
          if (!isRetryable(fault)) throw fault;
          await lock.release();
          // Progress since the last fault means the fault was passing: start the backoff over.
          failures = status.checkpoint?.blockNumber !== progressBefore ? 1 : failures + 1;
          const delayMs = Math.round(
            backoffDelay(failures, parameters.resumeBackoff ?? DEFAULT_RESUME_BACKOFF),
          );
          setPhase("paused");
          logger.warn({
            msg: "Sync paused by a transient fault; resuming from the checkpoint",
            err: fault,
            delayMs,
          });
          await sleep(delayMs, stopping.signal);
        }
      }
    } catch (error) {
      if (error instanceof ShutdownSignal) return;
      setPhase("failed");
      logger.fatal({ msg: "Indexer stopped by a fatal fault", err: error });
      throw error;
    } finally {
      await lock.release();
      if (status.phase !== "failed") {
        setPhase("stopped");
        logger.info({ msg: "Indexer stopped", checkpoint: toNumber(status.checkpoint?.blockNumber) });
      }
    }
  }

  return {
    run() {
      running ??= runLoop();
      return running;
    },
    async stop() {
      stopping.abort(new ShutdownSignal());
      await running?.catch(() => {});
    },
    status: () => ({ ...status }),
  };
}

// ---------------------------------------------------------------------------------------------
// The process around an indexer: what `firm index` and the tests' child runner share.

export interface RunIndexerProcessParameters {
  /** The environment to read the configuration from. */
  env?: NodeJS.ProcessEnv;
  /**
   * Opens the mirror: PostgreSQL at `config.databaseUrl`, else PGlite in `config.dataDir`. A store
   * with its `db` gets the webhooks (WEBHOOKS_FILE applied, a delivery worker unless WEBHOOKS_WORKER=0)
   * on that database: on PGlite no other process may open it.
   */
  createStore: (
    config: Readonly<Config>,
    manifest: Manifest,
    logger: Logger,
  ) => Promise<Store & { db?: Database }>;
  /** Start-up ABI checks; the firm's by default. */
  probes?: readonly ContractProbe[];
  onCommit?: (notice: CommitNotice) => void;
}

/**
 * Runs an indexer as the process's main task: validated config, manifest, logger, metrics (served
 * on METRICS_PORT when set), store, SIGINT/SIGTERM handling. Resolves with the exit code: 0 after a
 * graceful stop, 1 after a fatal fault (already logged), 2 for bad configuration.
 *
 * @example
 * process.exitCode = await runIndexerProcess({ createStore: (config, manifest) => openMirror(config, manifest) });
 */
export async function runIndexerProcess({
  env = process.env,
  createStore,
  probes,
  onCommit,
}: RunIndexerProcessParameters): Promise<number> {
  let parsed: ReturnType<typeof parseConfig>;
  let webhookConfig: WebhookConfig;
  let manifest: Manifest;
  try {
    // The webhooks' variables are checked with the indexer's, every bad one reported at once. The
    // worker is on by default here: this process owns the mirror (see notify/config.ts).
    [parsed, { config: webhookConfig }] = parseTogether(
      () => parseConfig(env),
      () => parseWebhookConfig(env, { workerByDefault: true }),
    );
    manifest = readManifest(parsed.config.deploymentPath);
  } catch (error) {
    createLogger({ level: "info" }).fatal({ msg: "Cannot start the indexer", err: error });
    return 2;
  }
  const { config, warnings } = parsed;
  // This process is the indexer's alone; `npm start` shares one with the API and keeps V8's factor.
  limitHeapGrowth(config.heapGrowthPercent);
  const logger = createLogger({ level: config.logLevel });
  for (const warning of warnings) logger.warn({ msg: warning });
  const metrics = createMetrics();
  let metricsServer: Server | undefined;
  let store: Store & { db?: Database };
  let indexer: Indexer;
  let webhooks: RunningWebhooks | undefined;
  try {
    if (config.metricsPort) metricsServer = await serveMetrics(metrics.registry, config.metricsPort);
    ({ store, indexer } = await openIndexer({
      config,
      manifest,
      logger,
      metrics,
      probes,
      onCommit,
      openStore: () => createStore(config, manifest, logger.child({ stage: "store" })),
    }));
  } catch (error) {
    // A port in use or a database that cannot be opened: nothing has run yet, so nothing to undo.
    logger.fatal({ msg: "Cannot start the indexer", err: error });
    metricsServer?.close();
    return 1;
  }
  // Before the webhooks start and say so: a signal from then on stops everything cleanly (a stop
  // before run() makes run() return at once).
  const removeSignalHandlers = handleShutdownSignals({ logger, onShutdown: () => indexer.stop() });
  try {
    if (store.db)
      webhooks = await startWebhooks({
        db: store.db,
        config: webhookConfig,
        logger: logger.child({ stage: "webhooks" }),
        registry: metrics.registry,
        env,
      });
  } catch (error) {
    // A bad WEBHOOKS_FILE: said with every problem, before any block is indexed.
    logger.fatal({ msg: "Cannot start the indexer", err: error });
    // Before run(), a stop only cancels the chain checks still under way.
    await indexer.stop();
    removeSignalHandlers();
    await store.close();
    metricsServer?.close();
    return 2;
  }
  try {
    await indexer.run();
    return 0;
  } catch {
    // Already logged by the indexer, with its hints.
    return 1;
  } finally {
    removeSignalHandlers();
    // Before the store closes: the worker's last settles (or releases) need the database.
    await webhooks?.stop();
    await store.close();
    metricsServer?.close();
  }
}
