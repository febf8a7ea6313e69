// The webhooks side of a long-running process (`npm start`, `firm index`, `firm serve`): applies the
// WEBHOOKS_FILE, if any, then runs a delivery worker if WEBHOOKS_WORKER says so, on the database handle
// the process already has. On PGlite that is the only way: the folder belongs to the one process that
// opened it (store/folderLock.ts), so the worker must live inside it. On PostgreSQL any number of
// processes may run one each (deliveryWorker.ts's claims skip each other's rows).
import type { Registry } from "prom-client";
import type { Logger } from "../../kernel/logger.ts";
import type { Database } from "../store/sql.ts";
import { applyWebhooksFile } from "./applyWebhooksFile.ts";
import type { WebhookConfig } from "./config.ts";
import { createDeliveryWorker } from "./deliveryWorker.ts";
import { createWebhookMetrics } from "./metrics.ts";
import { readWebhooksFile } from "./webhooksFile.ts";

export interface StartWebhooksParameters {
  db: Database;
  config: WebhookConfig;
  logger: Logger;
  /** The process's /metrics registry: the worker's firm_webhook_* metrics join it. */
  registry?: Registry | undefined;
  /** Where a WEBHOOKS_FILE's `{ "env": … }` secrets are read. */
  env?: NodeJS.ProcessEnv;
}

export interface RunningWebhooks {
  /** Whether a delivery worker runs. */
  worker: boolean;
  /** Stops the worker (requests in flight finish or are released); safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Applies WEBHOOKS_FILE and starts the worker, as `config` says.
 *
 * @throws {WebhooksFileInvalidError} when the file has problems (nothing applied, no worker started).
 * @example
 * const webhooks = await startWebhooks({ db, config: parseWebhookConfig(env, { workerByDefault: true }).config, logger, registry });
 * // on shutdown, before closing db:
 * await webhooks.stop();
 */
export async function startWebhooks({
  db,
  config,
  logger,
  registry,
  env = process.env,
}: StartWebhooksParameters): Promise<RunningWebhooks> {
  if (config.file) {
    const { endpoints, warnings } = await readWebhooksFile({
      file: config.file,
      allowPrivate: config.allowPrivate,
      env,
    });
    for (const warning of warnings) logger.warn({ msg: warning });
    const plan = await applyWebhooksFile(db, { endpoints });
    // Names and what changed, never a URL's path or a secret.
    logger.info({
      msg: "Applied the webhooks file",
      file: config.file,
      endpoints: plan.map(({ name, change, fields }) => ({ name, change, ...(fields ? { fields } : {}) })),
    });
  }
  if (!config.worker) {
    logger.info({ msg: "Webhook delivery worker off (WEBHOOKS_WORKER=0)" });
    return { worker: false, stop: async () => {} };
  }
  const worker = createDeliveryWorker({
    db,
    config,
    logger,
    metrics: registry ? createWebhookMetrics({ registry }) : undefined,
  });
  worker.start();
  logger.info({
    msg: "Webhook delivery worker started",
    batchSize: config.batchSize,
    pollIntervalMs: config.pollIntervalMs,
    timeoutMs: config.timeoutMs,
    leaseMs: config.leaseMs,
    maxAttempts: config.maxAttempts,
    allowPrivate: config.allowPrivate,
  });
  let stopping: Promise<void> | undefined;
  return {
    worker: true,
    stop() {
      stopping ??= worker.stop().then(() => logger.info({ msg: "Webhook delivery worker stopped" }));
      return stopping;
    },
  };
}
