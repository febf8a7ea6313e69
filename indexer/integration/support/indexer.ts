// The real sync engine in this process, with the settings the integration tests share.
import type { Manifest } from "../../../contracts/manifest.ts";
import { createIndexer, type Indexer, type IndexerConfig } from "../../indexer.ts";
import type { Metrics } from "../../metrics.ts";
import type { CommitNotice, Store } from "../../store/types.ts";
import { FAST_BACKOFF, quietLogger } from "../../testing/fixtures.ts";

export interface RunningIndexer {
  indexer: Indexer;
  /** Settles when `run()` does: undefined after a graceful stop, else the fatal error. */
  outcome: Promise<unknown>;
  /** Stops it (if still running) and returns the outcome. */
  stop(): Promise<unknown>;
}

export interface StartIndexerParameters {
  rpcUrl: string;
  store: Store;
  manifest: Manifest;
  config?: Partial<IndexerConfig>;
  metrics?: Metrics;
  onCommit?: (notice: CommitNotice) => void;
}

/**
 * Starts createIndexer().run() with the firm's own start-up checks (real contracts: the ABI probes
 * apply), quick polls and quick retries. No writer lock unless `config.databaseUrl` is given.
 */
export function startIndexer({
  rpcUrl,
  store,
  manifest,
  config,
  metrics,
  onCommit,
}: StartIndexerParameters): RunningIndexer {
  const indexer = createIndexer({
    config: {
      rpcUrl,
      databaseUrl: undefined,
      finalityDepth: 5,
      pollIntervalMs: 20,
      maxBlockRange: 1_000,
      rpcConcurrency: 4,
      rpcTimeoutMs: 5_000,
      rpcMaxAttempts: 6,
      ...config,
    },
    store,
    manifest,
    logger: quietLogger(),
    metrics,
    onCommit,
    rpcBackoff: FAST_BACKOFF,
    resumeBackoff: FAST_BACKOFF,
  });
  const outcome = indexer.run().then(
    () => undefined,
    (error: unknown) => error,
  );
  return {
    indexer,
    outcome,
    async stop() {
      await indexer.stop();
      return outcome;
    },
  };
}
