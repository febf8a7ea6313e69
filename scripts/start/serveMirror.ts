// The indexer and the API in one process over one mirror database: how `npm start` serves a PGlite
// mirror (PGlite admits one process, so `firm index` and `firm serve` cannot share it). The indexer's
// commits feed the API's subscriptions through an in-process bus, and the API's view of the chain
// head is the indexer's, so nothing polls the node twice. The webhooks run here too (WEBHOOKS_FILE
// applied before the first block, then the delivery worker), on the same database: on PGlite no other
// process may open it, and the worker's metrics join the API's /metrics.
import type { PublicClient } from "viem";
import type { AppOptions } from "../../api/app.ts";
import { createCommitBus } from "../../api/createCommitBus.ts";
import { type ApiServer, listenApi } from "../../api/listenApi.ts";
import { createApiMetrics } from "../../api/metrics.ts";
import type { Manifest } from "../../contracts/manifest.ts";
import { createIndexer, type Indexer, type IndexerConfig } from "../../indexer/indexer.ts";
import type { WebhookConfig } from "../../indexer/notify/config.ts";
import { type RunningWebhooks, startWebhooks } from "../../indexer/notify/startWebhooks.ts";
import type { Database } from "../../indexer/store/db.ts";
import { createStore } from "../../indexer/store/store.ts";
import type { Logger } from "../../kernel/logger.ts";
import { portError, type WantedPort } from "./ports.ts";

export interface ServeMirrorParameters {
  /** The migrated mirror; its owner closes it after `stop()`. */
  db: Database;
  manifest: Manifest;
  config: IndexerConfig;
  /** For verifyMembership's live check. */
  publicClient: PublicClient;
  api: WantedPort;
  apiOptions?: Partial<AppOptions>;
  /** The webhooks' settings (notify/config.ts); none run without them. */
  webhooks?: WebhookConfig | undefined;
  logger: Logger;
}

export interface ServedMirror {
  indexer: Indexer;
  api: ApiServer;
  /** Resolves once the mirror holds `blockNumber`; rejects if the indexer stops with a fatal fault. */
  waitForBlock(blockNumber: bigint, signal?: AbortSignal): Promise<void>;
  /** Rejects when the indexer stops by itself with a fatal fault (never resolves otherwise). */
  failure: Promise<never>;
  /** Stops the API, the indexer (after the range it is committing), then the webhook worker (its
   * requests in flight finished or released); leaves the database open. */
  stop(): Promise<void>;
}

const WAIT_POLL_MS = 25;

/**
 * Starts the indexer, then the API over the same database.
 *
 * @example
 * const served = await serveMirror({ db, manifest, config, publicClient, logger,
 *   api: { port: 4000, host: "127.0.0.1", purpose: "the API", setting: "PORT" } });
 * await served.waitForBlock(head);
 */
export async function serveMirror(parameters: ServeMirrorParameters): Promise<ServedMirror> {
  const { db, manifest, config, publicClient, logger } = parameters;
  const store = await createStore({ db, chainId: manifest.chainId, manifest });
  const apiMetrics = createApiMetrics();
  // Before the indexer: the file's endpoints are there for the first notification it writes.
  const webhooks: RunningWebhooks | undefined = parameters.webhooks
    ? await startWebhooks({
        db,
        config: parameters.webhooks,
        logger: logger.child({ stage: "webhooks" }),
        registry: apiMetrics.registry,
      })
    : undefined;
  const bus = await createCommitBus({ logger });
  const indexer = createIndexer({
    config,
    store,
    manifest,
    logger: logger.child({ stage: "indexer" }),
    onCommit: (notice) => void bus.publish(notice),
  });
  const running = indexer.run();
  let stopped = false;
  const failure = running.then(
    () => new Promise<never>(() => {}),
    (error: unknown) => {
      throw error;
    },
  );
  // Observed here so an early fault is not an unhandled rejection; callers race `failure` as needed.
  failure.catch(() => {});

  let api: ApiServer;
  try {
    api = await listenApi({
      db,
      manifest,
      publicClient,
      bus,
      head: async () => {
        const { headBlock } = indexer.status();
        return headBlock === null ? null : { blockNumber: Number(headBlock) };
      },
      logger: logger.child({ stage: "api" }),
      metrics: apiMetrics,
      options: parameters.apiOptions,
      port: parameters.api.port,
      host: parameters.api.host,
    });
  } catch (error) {
    await indexer.stop();
    await webhooks?.stop();
    await store.close();
    await bus.close();
    throw portError(parameters.api, error);
  }

  return {
    indexer,
    api,
    failure,
    async waitForBlock(blockNumber, signal) {
      for (;;) {
        signal?.throwIfAborted();
        const checkpoint = indexer.status().checkpoint;
        if (checkpoint && checkpoint.blockNumber >= blockNumber) return;
        await Promise.race([failure, new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS))]);
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await api.close();
      await indexer.stop();
      await webhooks?.stop();
      await store.close();
      await bus.close();
    },
  };
}
