// The API over a PGlite mirror, in a process of its own: what the API benchmark measures on the
// embedded store. PGlite admits one process, so `firm serve` (which needs DATABASE_URL) cannot open
// it; this process owns the mirror and runs buildApp on it, as `npm start` serves a PGlite mirror in
// the indexer's process. The indexer is not running: the benchmark chain no longer changes.
//
//   DATA_DIR=… DEPLOYMENT=… RPC_URL=… PORT=0 RATE_LIMIT_PER_MINUTE=0 RESPONSE_CACHE=on node scripts/bench/api/servePglite.ts
//
// Prints one JSON line {"msg":"API listening","port":…} on stdout once it serves; SIGTERM stops it.
import type { AddressInfo } from "node:net";
import { createPublicClient, http, type PublicClient } from "viem";
import { buildApp } from "../../../api/app.ts";
import { API_DEFAULTS } from "../../../api/config.ts";
import { createCommitBus } from "../../../api/createCommitBus.ts";
import { createHeadTracker } from "../../../api/createHeadTracker.ts";
import { readManifest } from "../../../contracts/manifest.ts";
import { createDatabase } from "../../../indexer/store/db.ts";
import { isSchemaCurrent } from "../../../indexer/store/migrate.ts";
import { createConfigReader } from "../../../kernel/config.ts";
import { createLogger } from "../../../kernel/logger.ts";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`servePglite: environment variable ${name} is missing`);
  return value;
}

/** RESPONSE_CACHE, read and checked as the API reads it (api/config.ts): on or off, on when unset. */
function readResponseCache(): boolean {
  const read = createConfigReader(process.env);
  const value = read.oneOf("RESPONSE_CACHE", ["on", "off"], "on");
  read.throwIfProblems();
  return value === "on";
}

async function main(): Promise<void> {
  const logger = createLogger({ level: "warn", pretty: false });
  const manifest = readManifest(required("DEPLOYMENT"));
  const db = await createDatabase({ dataDir: required("DATA_DIR") });
  if (!(await isSchemaCurrent(db))) {
    await db.close();
    throw new Error("The PGlite mirror's schema is missing or older than this code: index it first.");
  }
  const publicClient = createPublicClient({ transport: http(required("RPC_URL")) }) as PublicClient;
  const tracker = createHeadTracker({ publicClient, logger });
  const bus = await createCommitBus({ logger });
  const { app } = buildApp({
    db,
    manifest,
    publicClient,
    bus,
    head: tracker.head,
    logger,
    options: {
      graphiql: false,
      rateLimitPerMinute: Number(process.env.RATE_LIMIT_PER_MINUTE ?? API_DEFAULTS.rateLimitPerMinute),
      responseCache: readResponseCache(),
    },
  });
  const server = app.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
    const { port } = server.address() as AddressInfo;
    process.stdout.write(`${JSON.stringify({ msg: "API listening", port })}\n`);
  });
  process.once("SIGTERM", () => {
    server.close();
    server.closeAllConnections();
    tracker.stop();
    void Promise.allSettled([bus.close(), db.close()]).then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
