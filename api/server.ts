// Starts the API: reads the environment, opens the mirror, the chain client and the commit bus, then
// listens. Everything else is buildApp's (app.ts). With WEBHOOKS_WORKER=1 it also runs a webhook
// delivery worker (off by default: the indexer, which owns the mirror, runs one; see
// indexer/notify/config.ts). It never applies WEBHOOKS_FILE: the indexer does, so one file has one owner.
//
//   DATABASE_URL=postgres://… RPC_URL=http://… DEPLOYMENT=deployments/dev.json node api/server.ts
import cluster from "node:cluster";
import { Redis } from "ioredis";
import { createPublicClient, http, type PublicClient } from "viem";
import { readManifest } from "../contracts/manifest.ts";
import { deploymentRedisNamespace } from "../indexer/config.ts";
import { parseWebhookConfig } from "../indexer/notify/config.ts";
import { type RunningWebhooks, startWebhooks } from "../indexer/notify/startWebhooks.ts";
import { createDatabase } from "../indexer/store/db.ts";
import { isSchemaCurrent } from "../indexer/store/migrate.ts";
import { parseTogether } from "../kernel/config.ts";
import { BaseError, redactUrl } from "../kernel/errors.ts";
import { createLogger } from "../kernel/logger.ts";
import { parseApiConfig } from "./config.ts";
import { createCommitBus } from "./createCommitBus.ts";
import { createHeadTracker } from "./createHeadTracker.ts";
import { listenApi } from "./listenApi.ts";
import { createApiMetrics } from "./metrics.ts";
import { clusterMetrics, superviseWorkers, workerIndex } from "./workers.ts";

async function main(): Promise<void> {
  const [{ config, warnings }, webhookSettings] = parseTogether(
    () => parseApiConfig(process.env),
    () => parseWebhookConfig(process.env),
  );
  const logger = createLogger({ level: config.logLevel });
  // Said once, by the primary when there are workers.
  if (!cluster.isWorker) {
    for (const warning of [...warnings, ...webhookSettings.warnings]) logger.warn({ msg: warning });
    if (webhookSettings.config.file)
      logger.warn({
        msg: "WEBHOOKS_FILE is not applied by the API: `firm index` (or `npm start`) applies it.",
      });
  }
  if (cluster.isPrimary && config.workers > 1) {
    process.exit(await superviseWorkers({ count: config.workers, logger }));
  }
  const worker = workerIndex();

  const manifest = readManifest(config.deploymentPath);
  const publicClient = createPublicClient({ transport: http(config.rpcUrl) }) as PublicClient;
  const chainId = await publicClient.getChainId();
  if (chainId !== manifest.chainId) {
    throw new BaseError(`RPC_URL serves chain ${chainId}; the deployment is on chain ${manifest.chainId}.`, {
      hints: ["Point RPC_URL at a node of the deployment's chain, or DEPLOYMENT at this chain's manifest."],
    });
  }
  const db = await createDatabase({ databaseUrl: config.databaseUrl, poolSize: config.dbPoolSize });
  if (!(await isSchemaCurrent(db))) {
    await db.close();
    throw new BaseError("The mirror's schema is missing or older than this code.", {
      hints: ["Start the indexer against this DATABASE_URL first: it applies the migrations."],
    });
  }
  const tracker = createHeadTracker({ publicClient, logger: logger.child({ stage: "head" }) });
  // The indexer derives the same namespace, so the two meet on one channel, apart from other deployments.
  const redisNamespace = deploymentRedisNamespace(manifest, config.redisNamespace);
  const bus = await createCommitBus({ redisUrl: config.redisUrl, namespace: redisNamespace, logger });
  const redis = config.redisUrl ? new Redis(config.redisUrl) : undefined;
  const metrics = createApiMetrics();
  let webhooks: RunningWebhooks | undefined;
  // One delivery worker per API, not per API process.
  if (webhookSettings.config.worker && (worker ?? 0) === 0)
    webhooks = await startWebhooks({
      db,
      config: { ...webhookSettings.config, file: undefined },
      logger: logger.child({ stage: "webhooks" }),
      registry: metrics.registry,
    });

  const api = await listenApi({
    port: config.port,
    db,
    manifest,
    publicClient,
    bus,
    head: tracker.head,
    redis,
    redisNamespace,
    logger: logger.child({ stage: "api", ...(worker === undefined ? {} : { worker }) }),
    metrics,
    renderMetrics: clusterMetrics(metrics.registry),
    options: {
      graphiql: !config.production,
      corsOrigins: config.corsOrigins,
      readyMaxLagBlocks: config.readyMaxLagBlocks,
      rateLimitPerMinute: config.rateLimitPerMinute,
      requestTimeoutMs: config.requestTimeoutMs,
      trustProxy: config.trustProxy,
      publicOrigin: config.publicOrigin,
      presenceChallengesPerMinute: config.presenceChallengesPerMinute,
      responseCache: config.responseCache,
      responseCacheMaxEntries: config.responseCacheMaxEntries,
    },
  });
  // Installed before "API listening" is said: whoever waits for that line may signal at once.
  const shutdown = async (signal: string) => {
    logger.info({ msg: "API stopping", signal });
    tracker.stop();
    // The worker first: its last settles (or releases) need the database that closes next.
    await Promise.allSettled([api.close(), bus.close(), redis?.quit(), webhooks?.stop()]);
    await db.close().catch(() => {});
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  logger.info({
    msg: "API listening",
    port: api.port,
    chainId,
    rpcUrl: redactUrl(config.rpcUrl),
    bus: bus.transport,
    responseCache: config.responseCache,
    graphiql: !config.production,
    ...(worker === undefined ? {} : { worker, workers: config.workers }),
  });
}

main().catch((error: unknown) => {
  // Before the logger exists (a bad LOG_LEVEL, say) this is the only way to say what went wrong.
  createLogger({ level: "fatal" }).fatal({ msg: "API failed to start", err: error });
  process.exit(1);
});
