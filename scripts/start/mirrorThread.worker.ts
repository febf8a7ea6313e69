// The mirror's worker thread (see mirrorThread.ts): opens and migrates the PGlite mirror at once, then
// serves it (indexer and API) when the main thread has a chain to index, until told to stop.
import { parentPort, workerData } from "node:worker_threads";
import { createPublicClient, http, type PublicClient } from "viem";
import { auditMirror } from "../../indexer/audit/audit.ts";
import { parseConfig } from "../../indexer/config.ts";
import { parseWebhookConfig } from "../../indexer/notify/config.ts";
import { openMirrorDatabase } from "../../indexer/openMirror.ts";
import { createLogger } from "../../kernel/logger.ts";
import {
  type MirrorThreadParameters,
  type ServeParameters,
  toThreadError,
  type WorkerMessage,
  type WorkerRequest,
} from "./mirrorThread.ts";
import type { ServedMirror } from "./serveMirror.ts";

const port = parentPort;
if (!port) throw new Error("mirrorThread.worker.ts runs as a worker thread (see mirrorThread.ts).");
const { dataDir, logLevel, prettyLogs } = workerData as MirrorThreadParameters;
const post = (message: WorkerMessage) => port.postMessage(message);
const logger = createLogger({ level: logLevel, pretty: prettyLogs, stream: process.stderr });

// The API's modules load while PGlite works: both hold this thread, neither waits for the other.
const serveModule = import("./serveMirror.ts");
let db: Awaited<ReturnType<typeof openMirrorDatabase>>;
try {
  db = await openMirrorDatabase({ databaseUrl: undefined, dataDir });
} catch (error) {
  post({ type: "failed", error: toThreadError(error) });
  process.exit(1);
}
post({ type: "opened" });

let served: ServedMirror | undefined;
let publicClient: PublicClient | undefined;
let manifest: ServeParameters["manifest"] | undefined;

async function serve(parameters: ServeParameters): Promise<{ origin: string }> {
  const { serveMirror } = await serveModule;
  const { config } = parseConfig({
    RPC_URL: parameters.rpcUrl,
    DEPLOYMENT: parameters.manifestPath,
    DATA_DIR: dataDir,
    POLL_INTERVAL_MS: String(parameters.pollIntervalMs),
  });
  manifest = parameters.manifest;
  publicClient = createPublicClient({ transport: http(parameters.rpcUrl) }) as PublicClient;
  served = await serveMirror({
    db,
    manifest,
    config,
    publicClient,
    api: parameters.api,
    logger,
    apiOptions: { graphiql: true },
    // From the environment the thread shares with `npm start`, which checked it before starting this.
    webhooks: parseWebhookConfig(process.env, { workerByDefault: true }).config,
  });
  served.failure.catch((error: unknown) => post({ type: "failed", error: toThreadError(error) }));
  return { origin: served.api.origin };
}

async function handle(request: WorkerRequest): Promise<unknown> {
  switch (request.type) {
    case "serve":
      return serve(request.parameters);
    case "waitForBlock":
      if (!served) throw new Error("The mirror is not being served yet.");
      return served.waitForBlock(request.blockNumber);
    case "audit":
      if (!served || !publicClient || !manifest) throw new Error("The mirror is not being served yet.");
      return auditMirror({ db, publicClient, manifest });
    case "stop":
      await served?.stop();
      await db.close();
      return undefined;
  }
}

port.on("message", (request: WorkerRequest) => {
  handle(request).then(
    (result) => {
      post({ type: "reply", id: request.id, result });
      if (request.type === "stop") process.exit(0);
    },
    (error: unknown) => post({ type: "reply", id: request.id, error: toThreadError(error) }),
  );
});
