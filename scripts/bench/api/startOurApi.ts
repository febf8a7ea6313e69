// Our API as the benchmark runs it, in a process of its own beside the load generator:
// - PostgreSQL: `firm serve` (api/server.ts), exactly as deployed, with NODE_ENV=production, and with
//   `workers` > 1 that many worker processes (API_WORKERS) sharing state through Redis (REDIS_URL);
// - PGlite: servePglite.ts, which owns the PGlite folder (a PGlite mirror admits one process).
// Both with RATE_LIMIT_PER_MINUTE=0: the benchmark's 32 connections come from one address, which the
// per-IP limit (600 a minute by default) would otherwise answer with 429s.
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import type { OurMirror } from "../indexer/ours.ts";
import { freePort } from "../indexer/runPonder.ts";
import { REPO_ROOT, stopChild } from "../indexer/startHardhatNode.ts";

/** How long the API may take to answer /health after spawning (Node start, schema check, listen). */
const START_TIMEOUT_MS = 60_000;

export interface StartOurApiParameters {
  mirror: OurMirror;
  manifestPath: string;
  rpcUrl: string;
  /** RESPONSE_CACHE=on or off. */
  responseCache: boolean;
  /** API_WORKERS on PostgreSQL (1 by default); above 1 it needs `redisUrl`. PGlite: one process. */
  workers?: number;
  redisUrl?: string;
  /** Where the server's output goes. */
  logFile: string;
}

export interface RunningApi {
  /** http://127.0.0.1:port/graphql */
  graphqlUrl: string;
  /** The server's process id (RSS sampling). */
  pid: number;
  /** How the server runs, for the report. */
  method: string;
  stop(): Promise<void>;
}

/**
 * Spawns our API over `mirror` on a free port and resolves once /health answers.
 *
 * @example
 * const api = await startOurApi({ mirror, manifestPath, rpcUrl, responseCache: true, logFile: "api.log" });
 * // … load the API at api.graphqlUrl …
 * await api.stop();
 */
export async function startOurApi({
  mirror,
  manifestPath,
  rpcUrl,
  responseCache,
  workers = 1,
  redisUrl,
  logFile,
}: StartOurApiParameters): Promise<RunningApi> {
  const port = await freePort();
  const env: Record<string, string> = {
    ...inheritedEnv(),
    DEPLOYMENT: manifestPath,
    RPC_URL: rpcUrl,
    PORT: String(port),
    RATE_LIMIT_PER_MINUTE: "0",
    RESPONSE_CACHE: responseCache ? "on" : "off",
    NODE_ENV: "production",
    LOG_LEVEL: "warn",
  };
  let script: string[];
  let method: string;
  if (mirror.store === "postgres") {
    env.DATABASE_URL = mirror.databaseUrl;
    env.API_WORKERS = String(workers);
    if (redisUrl) env.REDIS_URL = redisUrl;
    script = [join(REPO_ROOT, "scripts/firm.ts"), "serve"];
    method =
      "`firm serve` (api/server.ts) as a child process, NODE_ENV=production" +
      (workers > 1 ? `, API_WORKERS=${workers} (worker processes sharing state through Redis)` : "");
  } else {
    env.DATA_DIR = mirror.dataDir;
    script = [join(REPO_ROOT, "scripts/bench/api/servePglite.ts")];
    method = "buildApp in a child process that owns the PGlite folder (scripts/bench/api/servePglite.ts)";
  }
  const child = spawn(process.execPath, ["--disable-warning=ExperimentalWarning", ...script], {
    cwd: REPO_ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const sink = createWriteStream(logFile, { flags: "a" });
  let tail = "";
  const keep = (chunk: Buffer) => {
    sink.write(chunk);
    tail = (tail + chunk.toString()).slice(-4_000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const stop = () => stopChild(child).then(() => void sink.end());
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitHealthy(base, child, () => tail);
  } catch (error) {
    await stop();
    throw error;
  }
  return { graphqlUrl: `${base}/graphql`, pid: child.pid!, method, stop };
}

/**
 * Collects the planner's statistics on a freshly backfilled PostgreSQL database (ANALYZE), as
 * autovacuum does on a server within a minute of a bulk load; this machine's server runs with
 * autovacuum off. Without statistics the planner guesses row counts, picks worse plans and
 * JIT-compiles millisecond queries. (PGlite has no autovacuum: a PGlite mirror, ours or Ponder's, is
 * measured as it is.)
 */
export async function analyzePostgres(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("ANALYZE");
  } finally {
    await client.end();
  }
}

async function waitHealthy(base: string, child: ChildProcess, tail: () => string): Promise<void> {
  const deadline = performance.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`Our API exited (${child.exitCode ?? child.signalCode}) before serving:\n${tail()}`);
    if (performance.now() > deadline)
      throw new Error(
        `Our API did not answer ${base}/health within ${START_TIMEOUT_MS / 1000} s:\n${tail()}`,
      );
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The parent's environment without what would point the API elsewhere (a Redis bus, another database). */
function inheritedEnv(): Record<string, string> {
  const steering = new Set([
    "DATABASE_URL",
    "DATA_DIR",
    "REDIS_URL",
    "CORS_ORIGINS",
    "TRUST_PROXY",
    "RESPONSE_CACHE_MAX_ENTRIES",
  ]);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !steering.has(k)) env[k] = v;
  return env;
}
