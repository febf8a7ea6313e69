// Runs Ponder (bench/ponder) against the benchmark chain and measures its backfill: `ponder start` as a
// child process on a fresh database, polled until it has indexed every block that holds firm events.
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Manifest } from "../../../contracts/manifest.ts";
import { createScratchDatabase } from "../../../indexer/testing/postgres.ts";
import { sampleRss } from "./sampleRss.ts";
import { REPO_ROOT, stopChild } from "./startHardhatNode.ts";

export const PONDER_DIR = join(REPO_ROOT, "bench/ponder");
const PONDER_BIN = join(PONDER_DIR, "node_modules/ponder/dist/esm/bin/ponder.js");
/** A local PostgreSQL with trust auth (the project's machines run one); databases are made per run. */
export const DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres";
/** How often the indexing progress is polled: small next to any run, cheap for Ponder's server. */
const POLL_MS = 100;
/** As shipped, Ponder backfills ~100,000 events in minutes; anything beyond this is a hang. */
const DEFAULT_TIMEOUT_MS = 30 * 60_000;

export interface RunPonderParameters {
  manifest: Manifest;
  rpcUrl: string;
  /** "default": one transport, as shipped; "best": the URL 25 times, lifting the RPC rate limiter. */
  mode: "default" | "best";
  store: "pglite" | "postgres";
  /** The firm events between the manifest's startBlock and `toBlock` (from buildBenchChain). */
  expectedEvents: number;
  /** The last block to index; default: the chain's head when the run starts. */
  toBlock?: number;
  /**
   * Row counts to check through GraphQL once indexed, e.g. `{ votes: 1777 }` (plural query field →
   * rows). A mismatch throws: a fast but wrong run must not count.
   */
  expectedRows?: Record<string, number>;
  /** Leave Ponder running (for the API benchmark); call `stop()` when done. */
  keepRunning?: boolean;
  /** Admin URL of the PostgreSQL server, for the "postgres" store. */
  postgresUrl?: string;
  /** Where Ponder's output goes; dropped by default. */
  logFile?: string;
  timeoutMs?: number;
  log?: (line: string) => void;
}

export interface RunPonderReturnType {
  events: number;
  /** From spawning `ponder start` to every block up to `toBlock` indexed. */
  seconds: number;
  /** From spawning to Ponder's HTTP server answering (build, database setup): part of `seconds`. */
  startupSeconds: number;
  eventsPerSec: number;
  /** Peak RSS of Ponder's process tree (a PostgreSQL server's own memory is not included). */
  peakRssMb: number;
  graphqlUrl: string;
  statusUrl: string;
  /** Ponder's PostgreSQL database (null on PGlite), e.g. for the API benchmark to ANALYZE it. */
  databaseUrl: string | null;
  /** Stops Ponder and drops its database. Idempotent; already done unless `keepRunning`. */
  stop(): Promise<void>;
}

/**
 * Indexes the benchmark chain with Ponder and measures the time to index every event.
 *
 * @example
 * const result = await runPonder({ manifest, rpcUrl, mode: "best", store: "pglite", expectedEvents });
 * console.log(result.eventsPerSec, result.peakRssMb);
 */
export async function runPonder({
  manifest,
  rpcUrl,
  mode,
  store,
  expectedEvents,
  toBlock,
  expectedRows,
  keepRunning = false,
  postgresUrl = DEFAULT_POSTGRES_URL,
  logFile,
  timeoutMs = DEFAULT_TIMEOUT_MS,
  log = () => {},
}: RunPonderParameters): Promise<RunPonderReturnType> {
  if (!existsSync(PONDER_BIN)) {
    throw new Error(
      `Ponder is not installed in bench/ponder. Install it with: ` +
        `(cd bench/ponder && PATH="$PWD/../../node_modules/.bin:$PATH" npm ci)`,
    );
  }
  const lastBlock = toBlock ?? (await headBlock(rpcUrl));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const runId = `${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;

  // A fresh database per run: a reused one makes Ponder resume ("crash recovery") instead of backfill.
  let database: { env: Record<string, string>; url: string | null; drop(): Promise<void> };
  if (store === "pglite") {
    // An absolute path: Ponder resolves a relative PGlite directory from its working directory.
    const dir = mkdtempSync(join(tmpdir(), "bench-ponder-pglite-"));
    database = {
      env: { PONDER_DATABASE: "pglite", PONDER_PGLITE_DIR: dir },
      url: null,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  } else {
    const scratch = await createScratchDatabase(postgresUrl, "bench_ponder");
    database = {
      env: { PONDER_DATABASE: "postgres", DATABASE_URL: scratch.url },
      url: scratch.url,
      drop: scratch.drop,
    };
  }

  const c = manifest.contracts;
  const env: Record<string, string> = {
    ...inheritedEnv(),
    ...database.env,
    PONDER_RPC_URL: rpcUrl,
    PONDER_RPC_MODE: mode,
    PONDER_CHAIN_ID: String(manifest.chainId),
    PONDER_START_BLOCK: String(manifest.startBlock),
    PONDER_TIMELOCK: c.timelock,
    PONDER_PARTNERSHIP: c.partnership,
    PONDER_PRACTICES: c.practices,
    PONDER_REVENUE_SHARE: c.revenueShare,
    PONDER_GOVERNOR: c.governor,
  };

  const startedAt = performance.now();
  // process.execPath: Ponder needs Node 22+, the version this script runs on.
  const child = spawn(
    process.execPath,
    [
      PONDER_BIN,
      "--log-format",
      "json",
      "start",
      "--schema",
      `bench_${runId}`,
      "--port",
      String(port),
      "--hostname",
      "127.0.0.1",
    ],
    { cwd: PONDER_DIR, env, stdio: ["ignore", "pipe", "pipe"] },
  );
  const rss = sampleRss(child.pid!);
  const sink = logFile ? createWriteStream(logFile) : null;
  let tail = "";
  const onOutput = (chunk: Buffer) => {
    sink?.write(chunk);
    tail = (tail + chunk.toString()).slice(-4_000);
  };
  child.stdout!.on("data", onOutput);
  child.stderr!.on("data", onOutput);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    rss.stop();
    await stopChild(child);
    sink?.end();
    await database.drop();
  };

  try {
    const { startupSeconds } = await waitIndexed({
      baseUrl,
      child,
      lastBlock,
      timeoutMs,
      startedAt,
      tail: () => tail,
      log,
    });
    const seconds = (performance.now() - startedAt) / 1000;
    rss.stop();
    if (expectedRows) await checkRows(`${baseUrl}/graphql`, expectedRows);
    const result: RunPonderReturnType = {
      events: expectedEvents,
      seconds: round(seconds, 2),
      startupSeconds: round(startupSeconds, 2),
      eventsPerSec: Math.round(expectedEvents / seconds),
      peakRssMb: rss.peakMb(),
      graphqlUrl: `${baseUrl}/graphql`,
      statusUrl: `${baseUrl}/status`,
      databaseUrl: database.url,
      stop,
    };
    if (!keepRunning) await stop();
    return result;
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * The rows Ponder's mirror must hold once it has indexed a chain with `eventsByName` (from
 * buildBenchChain): GraphQL plural field → rows. Only tables whose rows map one-to-one to an event.
 */
export function expectedPonderRows(eventsByName: Record<string, number>): Record<string, number> {
  const n = (name: string) => eventsByName[name] ?? 0;
  return {
    members: n("MemberAdmitted"),
    grants: n("GrantCreated"),
    proposals: n("ProposalCreated"),
    votes: n("VoteCast"),
    recusals: n("VoterRecused"),
    claims: n("DistributionClaimed"),
    timelockCalls: n("CallScheduled"),
    // Units are only minted or burned, so each Transfer changes one balance.
    equityChanges: n("Transfer") + n("DelegateVotesChanged"),
  };
}

/**
 * Whether Ponder at `statusUrl` has indexed block `blockNumber`: the `isVisible` probe for
 * measureLiveLag.
 */
export async function ponderHasIndexed(statusUrl: string, blockNumber: number): Promise<boolean> {
  const status = (await (await fetch(statusUrl)).json()) as Record<string, { block?: { number: number } }>;
  return (Object.values(status)[0]?.block?.number ?? 0) >= blockNumber;
}

/** Polls /health (startup), then /ready (backfill done) and /status until `lastBlock` is indexed. */
async function waitIndexed({
  baseUrl,
  child,
  lastBlock,
  timeoutMs,
  startedAt,
  tail,
  log,
}: {
  baseUrl: string;
  child: ChildProcess;
  lastBlock: number;
  timeoutMs: number;
  startedAt: number;
  tail: () => string;
  log: (line: string) => void;
}): Promise<{ startupSeconds: number }> {
  let startupSeconds: number | null = null;
  let lastLog = performance.now();
  let block = 0;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `ponder start exited (${child.exitCode ?? child.signalCode}) before indexing everything:\n${tail()}`,
      );
    }
    if (performance.now() - startedAt > timeoutMs) {
      throw new Error(
        `Ponder indexed up to block ${block} of ${lastBlock} within ${timeoutMs / 1000} s:\n${tail()}`,
      );
    }
    try {
      if (startupSeconds === null) {
        if ((await fetch(`${baseUrl}/health`)).ok) startupSeconds = (performance.now() - startedAt) / 1000;
      } else {
        // /ready turns 200 when the historical backfill is done; the last blocks (within Ponder's
        // finality depth) are then indexed by its realtime sync, which /status also reports.
        const status = (await (await fetch(`${baseUrl}/status`)).json()) as Record<
          string,
          { block?: { number: number } }
        >;
        block = Object.values(status)[0]?.block?.number ?? 0;
        if (block >= lastBlock && (await fetch(`${baseUrl}/ready`)).ok) return { startupSeconds };
      }
    } catch {
      // Not listening yet.
    }
    if (performance.now() - lastLog > 10_000) {
      lastLog = performance.now();
      log(
        `Ponder: block ${block} of ${lastBlock} (${((performance.now() - startedAt) / 1000).toFixed(0)} s)`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Checks each `field: rows` through GraphQL `totalCount`. */
async function checkRows(graphqlUrl: string, expectedRows: Record<string, number>): Promise<void> {
  const fields = Object.keys(expectedRows);
  const query = `{ ${fields.map((f) => `${f}: ${f}(limit: 1) { totalCount }`).join(" ")} }`;
  const response = await fetch(graphqlUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { data?: Record<string, { totalCount: number }>; errors?: unknown };
  if (!body.data) throw new Error(`Ponder's GraphQL answered ${JSON.stringify(body.errors)}`);
  const wrong = fields.filter((f) => body.data![f]?.totalCount !== expectedRows[f]);
  if (wrong.length > 0) {
    const detail = wrong
      .map((f) => `${f}: ${body.data![f]?.totalCount} rows, expected ${expectedRows[f]}`)
      .join("; ");
    throw new Error(`Ponder's mirror does not match the chain: ${detail}`);
  }
}

async function headBlock(rpcUrl: string): Promise<number> {
  const response = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] }),
  });
  return Number(((await response.json()) as { result: string }).result);
}

/** A TCP port free right now on 127.0.0.1 (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The parent's environment without variables that would steer Ponder elsewhere. */
function inheritedEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined) continue;
    if (k === "DATABASE_URL" || k === "DATABASE_PRIVATE_URL" || k === "DATABASE_SCHEMA" || k === "PORT")
      continue;
    if (k.startsWith("PONDER_")) continue;
    env[k] = v;
  }
  return env;
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
