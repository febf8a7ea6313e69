// The webhook delivery worker as a child process, for the SIGKILL test: DATABASE_URL names the
// PostgreSQL mirror, WEBHOOKS_* configure the worker (indexer/notify/config.ts). Logs JSON to stdout.
import { createLogger } from "../../kernel/logger.ts";
import { parseWebhookConfig } from "../notify/config.ts";
import { createDeliveryWorker } from "../notify/deliveryWorker.ts";
import { createDatabase } from "../store/db.ts";

const logger = createLogger({ level: "debug", pretty: false });
const { config } = parseWebhookConfig(process.env);
const db = await createDatabase({ databaseUrl: process.env.DATABASE_URL });
logger.info({ msg: "Delivery worker started" });
const worker = createDeliveryWorker({ db, config, logger });
worker.start();
process.once("SIGTERM", async () => {
  await worker.stop();
  await db.close();
});
