// Our side of `npm run bench:indexer`: runs this project's indexer against the benchmark chain and
// measures its backfill the way runPonder.ts measures Ponder's, and its live lag.
//
// The backfill runs `firm index` (scripts/firm.ts), as shipped, as a child process, so the RSS sampled
// is the indexer's own: spawn → the log line that puts the checkpoint on the chain's last block. The
// mirror is then checked: its raw event count must equal the chain's firm log count.
//
// Live lag, two ways (PGlite is one process's database, PostgreSQL is shared):
// - PostgreSQL: `firm index` as a child process, the bench querying the same database meanwhile;
// - PGlite: the indexer in this process (createIndexer), the bench querying the same PGlite instance.
// Both resume the mirror the backfill left, so no second backfill is needed.
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, count, eq } from "drizzle-orm";
import pg from "pg";
import type { Manifest } from "../../../contracts/manifest.ts";
import { parseConfig } from "../../../indexer/config.ts";
import { createIndexer } from "../../../indexer/indexer.ts";
import { createDatabase, type Database, migrateDatabase } from "../../../indexer/store/db.ts";
import { prepareMirrorTemplate } from "../../../indexer/store/pgliteTemplate.ts";
import { rawEvents } from "../../../indexer/store/schema.ts";
import { createStore } from "../../../indexer/store/store.ts";
import type { Store } from "../../../indexer/store/types.ts";
import { createScratchDatabase } from "../../../indexer/testing/postgres.ts";
import { createLogger } from "../../../kernel/logger.ts";
import { createJsonRpc } from "./jsonRpc.ts";
import { type MeasureLiveLagReturnType, measureLiveLag } from "./liveLag.ts";
import { DEFAULT_POSTGRES_URL } from "./runPonder.ts";
import { sampleRss } from "./sampleRss.ts";
import { REPO_ROOT, stopChild } from "./startHardhatNode.ts";

/** The `firm` command line: `firm index` is the indexer as shipped. */
const FIRM_CLI = join(REPO_ROOT, "scripts/firm.ts");
/** The same hang limit as the Ponder side. */
const DEFAULT_TIMEOUT_MS = 30 * 60_000;
/** How long a resumed indexer may take to start following (start-up plus a short catch-up). */
const CATCH_UP_TIMEOUT_MS = 120_000;

/** Where a mirror lives: a PGlite folder or a PostgreSQL database made for the run. */
export type OurMirror =
  | { store: "pglite"; dataDir: string; drop(): Promise<void> }
  | { store: "postgres"; databaseUrl: string; drop(): Promise<void> };

export interface RunOursParameters {
  manifest: Manifest;
  /** The manifest as a file: the indexer reads it from DEPLOYMENT. */
  manifestPath: string;
  rpcUrl: string;
  store: "pglite" | "postgres";
  /** The firm events between the manifest's startBlock and `toBlock` (from buildBenchChain). */
  expectedEvents: number;
  /** The chain's last block: the run ends when the checkpoint reaches it. */
  toBlock: number;
  /** Admin URL of the PostgreSQL server, for the "postgres" store. */
  postgresUrl?: string;
  /** Keep the mirror (for the live-lag run); call `mirror.drop()` when done. */
  keepMirror?: boolean;
  /** Where the indexer's JSON log goes; dropped by default. */
  logFile?: string;
  /**
   * More of the indexer's environment (e.g. MAX_BLOCK_RANGE, for experiments). None by default: the
   * bench runs the indexer as shipped.
   */
  env?: Record<string, string>;
  /** Write a V8 CPU profile of the indexer's process here (Node's --cpu-prof), to see what bounds it. */
  cpuProfileDir?: string | undefined;
  timeoutMs?: number;
  log?: (line: string) => void;
}

export interface RunOursReturnType {
  /** Firm events applied: the mirror's raw_events rows (checked equal to the chain's log count). */
  events: number;
  /** From spawning the indexer to its checkpoint reaching `toBlock`. */
  seconds: number;
  /** From spawning to "Backfill started" (Node start, migrations, preflight): part of `seconds`. */
  startupSeconds: number;
  eventsPerSec: number;
  /** Peak RSS of the indexer's process tree (a PostgreSQL server's own memory is not included). */
  peakRssMb: number;
  /** The mirror, at `toBlock`; already dropped unless `keepMirror`. */
  mirror: OurMirror;
}

/**
 * Backfills the benchmark chain with our indexer in a child process on a fresh mirror and measures
 * the time to index every event. Throws unless the mirror holds exactly `expectedEvents` events.
 *
 * @example
 * const ours = await runOurs({ manifest, manifestPath, rpcUrl, store: "pglite", expectedEvents, toBlock });
 * console.log(ours.eventsPerSec, ours.peakRssMb);
 */
export async function runOurs({
  manifest,
  manifestPath,
  rpcUrl,
  store,
  expectedEvents,
  toBlock,
  postgresUrl = DEFAULT_POSTGRES_URL,
  keepMirror = false,
  logFile,
  env,
  cpuProfileDir,
  timeoutMs = DEFAULT_TIMEOUT_MS,
  log = () => {},
}: RunOursParameters): Promise<RunOursReturnType> {
  if (store === "pglite") await preparePgliteTemplate(log);
  const mirror = await createMirror(store, postgresUrl);
  try {
    const startedAt = performance.now();
    const indexer = startOurIndexer({ rpcUrl, manifestPath, mirror, logFile, extraEnv: env, cpuProfileDir });
    const rss = sampleRss(indexer.child.pid!);
    let startupSeconds: number | null = null;
    let applied = 0;
    let lastProgress = 0;
    const reached = new Promise<number>((resolveReached) => {
      indexer.onLine((line) => {
        const now = performance.now();
        if (line.msg === "Backfill started" && startupSeconds === null)
          startupSeconds = (now - startedAt) / 1000;
        // Backfill ranges are logged (at debug) one by one only when asked; "Backfill finished"
        // carries their sum. Live ranges are logged one by one at info.
        if (line.msg === "Backfill finished") applied += Number(line.events);
        if (line.msg === "Indexed block range" && line.stage === "live") applied += Number(line.events);
        if (
          (line.msg === "Backfill finished" ||
            (line.msg === "Indexed block range" && line.stage === "live")) &&
          Number(line.toBlock) >= toBlock
        )
          resolveReached(now);
        if (line.msg === "Backfill progress" && now - lastProgress > 5_000) {
          lastProgress = now;
          log(
            `  ours (${store}): block ${Number(line.doneBlocks).toLocaleString("en-US")} of ` +
              `${Number(line.totalBlocks).toLocaleString("en-US")}, ` +
              `${Number(line.eventsPerSecond).toLocaleString("en-US")} events/s ` +
              `(${((now - startedAt) / 1000).toFixed(0)} s)`,
          );
        }
      });
    });
    let endedAt: number;
    try {
      endedAt = await raceChild(indexer, reached, timeoutMs, `reach block ${toBlock}`);
    } finally {
      rss.stop();
      await indexer.stop();
    }
    const seconds = (endedAt - startedAt) / 1000;
    if (indexer.exitCode() !== 0)
      throw new Error(`Our indexer exited with ${indexer.exitCode()} after SIGTERM:\n${indexer.tail()}`);

    const mirrored = await countMirrorEvents(mirror, manifest.chainId);
    if (mirrored !== expectedEvents || applied !== expectedEvents) {
      throw new Error(
        `Our mirror (${store}) does not match the chain: ${mirrored} raw events in the mirror, ` +
          `${applied} applied per the indexer's log, ${expectedEvents} firm logs on the chain`,
      );
    }
    const result: RunOursReturnType = {
      events: mirrored,
      seconds: round(seconds, 2),
      startupSeconds: round(startupSeconds ?? 0, 2),
      eventsPerSec: Math.round(mirrored / seconds),
      peakRssMb: rss.peakMb(),
      mirror,
    };
    if (!keepMirror) await mirror.drop();
    return result;
  } catch (error) {
    await mirror.drop();
    throw error;
  }
}

export interface MeasureOurLiveLagParameters {
  /** A mirror left by runOurs (`keepMirror`): the indexer resumes it rather than backfilling. */
  mirror: OurMirror;
  manifest: Manifest;
  manifestPath: string;
  rpcUrl: string;
  /** The indexer's POLL_INTERVAL_MS. */
  pollIntervalMs: number;
  blocks?: number;
  /** See measureLiveLag: the random wait before mining each block. */
  maxGapMs: number;
  logFile?: string;
  log?: (line: string) => void;
}

export interface MeasureOurLiveLagReturnType extends Omit<MeasureLiveLagReturnType, "lagsMs"> {
  /** How the indexer ran and how the bench read the mirror. */
  method: string;
}

/**
 * Mines `blocks` blocks (see liveLag.ts) and measures, for each, mined → its events in the mirror's
 * raw_events. PostgreSQL: the indexer as a child process, read through the server. PGlite: the
 * indexer in this process, read through the same PGlite instance (it is a single-process database).
 *
 * @example
 * const lag = await measureOurLiveLag({ mirror, manifest, manifestPath, rpcUrl, pollIntervalMs: 50, maxGapMs: 250 });
 */
export async function measureOurLiveLag(
  parameters: MeasureOurLiveLagParameters,
): Promise<MeasureOurLiveLagReturnType> {
  const { mirror } = parameters;
  const { lagsMs: _, ...lag } =
    mirror.store === "postgres"
      ? await liveLagChild({ ...parameters, mirror })
      : await liveLagInProcess({ ...parameters, mirror });
  const method =
    mirror.store === "postgres"
      ? "`firm index` as a child process; bench queries the same PostgreSQL database"
      : "indexer in the bench's process (createIndexer); bench queries the same PGlite instance";
  return { ...lag, method };
}

async function liveLagChild({
  mirror,
  manifest,
  manifestPath,
  rpcUrl,
  pollIntervalMs,
  blocks,
  maxGapMs,
  logFile,
  log = () => {},
}: MeasureOurLiveLagParameters & { mirror: Extract<OurMirror, { store: "postgres" }> }) {
  const head = await headBlock(rpcUrl);
  const indexer = startOurIndexer({
    rpcUrl,
    manifestPath,
    mirror,
    logFile,
    extraEnv: { POLL_INTERVAL_MS: String(pollIntervalMs) },
  });
  const pool = new pg.Pool({ connectionString: mirror.databaseUrl, max: 1 });
  try {
    const caughtUp = new Promise<void>((resolveCaughtUp) =>
      indexer.onLine((line) => {
        if (line.msg === "Following new blocks" && Number(line.fromBlock) > head) resolveCaughtUp();
        if (line.msg === "Indexed block range" && Number(line.toBlock) >= head) resolveCaughtUp();
      }),
    );
    await raceChild(indexer, caughtUp, CATCH_UP_TIMEOUT_MS, `catch up to block ${head}`);
    const isVisible = async (blockNumber: number) => {
      const { rowCount } = await pool.query(
        "SELECT 1 FROM raw_events WHERE chain_id = $1 AND block_number = $2 LIMIT 1",
        [manifest.chainId, blockNumber],
      );
      return (rowCount ?? 0) > 0;
    };
    // A crash of the indexer mid-measurement must end it at once, not after the per-block timeout.
    return await raceChild(
      indexer,
      measureLiveLag({ rpcUrl, manifest, blocks, isVisible, maxGapMs, log }),
      DEFAULT_TIMEOUT_MS,
      "show the mined blocks",
    );
  } finally {
    await pool.end();
    await indexer.stop();
  }
}

async function liveLagInProcess({
  mirror,
  manifest,
  manifestPath,
  rpcUrl,
  pollIntervalMs,
  blocks,
  maxGapMs,
  logFile,
  log = () => {},
}: MeasureOurLiveLagParameters & { mirror: Extract<OurMirror, { store: "pglite" }> }) {
  const { config } = parseConfig({
    RPC_URL: rpcUrl,
    DEPLOYMENT: manifestPath,
    DATA_DIR: mirror.dataDir,
    POLL_INTERVAL_MS: String(pollIntervalMs),
  });
  const sink = createWriteStream(logFile ?? "/dev/null");
  const logger = createLogger({ level: "info", pretty: false, stream: sink });
  const db = await createDatabase({ dataDir: mirror.dataDir });
  let store: Store | undefined;
  try {
    await migrateDatabase(db);
    store = await createStore({ db, chainId: manifest.chainId, manifest });
    const indexer = createIndexer({ config, store, manifest, logger });
    const running = indexer.run();
    // run() settles early only on a fatal fault (or after stop()): surface it instead of waiting.
    const ended = running.then(() => Promise.reject(new Error("Our indexer stopped")));
    ended.catch(() => {});
    try {
      const head = BigInt(await headBlock(rpcUrl));
      const caughtUp = (async () => {
        const deadline = performance.now() + CATCH_UP_TIMEOUT_MS;
        for (;;) {
          const status = indexer.status();
          if (status.phase === "live" && (status.checkpoint?.blockNumber ?? -1n) >= head) return;
          if (performance.now() > deadline)
            throw new Error(`Our indexer did not catch up to block ${head} within ${CATCH_UP_TIMEOUT_MS} ms`);
          await sleep(20);
        }
      })();
      await Promise.race([caughtUp, ended]);
      const isVisible = async (blockNumber: number) => {
        const rows = await db
          .select({ n: rawEvents.blockNumber })
          .from(rawEvents)
          .where(and(eq(rawEvents.chainId, manifest.chainId), eq(rawEvents.blockNumber, blockNumber)))
          .limit(1);
        return rows.length > 0;
      };
      return await Promise.race([
        measureLiveLag({ rpcUrl, manifest, blocks, isVisible, maxGapMs, log }),
        ended,
      ]);
    } finally {
      await indexer.stop();
    }
  } finally {
    await store?.close();
    await db.close();
    sink.end();
  }
}

/**
 * A new PGlite mirror starts as a copy of a template made once per install (the first `firm index`
 * makes it, in child processes: initdb and the migrations, 5–15 s). Made here first, if missing, so
 * that the run measures a start as every later start of the indexer is, and the one-time cost is
 * reported on its own.
 */
async function preparePgliteTemplate(log: (line: string) => void): Promise<void> {
  const started = performance.now();
  if (!(await prepareMirrorTemplate())) {
    log("  PGlite template unavailable: new mirrors run initdb and the migrations themselves");
    return;
  }
  const seconds = (performance.now() - started) / 1000;
  if (seconds > 1)
    log(`  PGlite template for new mirrors made in ${seconds.toFixed(1)} s (once per install)`);
}

/** Counts the mirror's raw events of `chainId` (the indexer must have exited if it is PGlite). */
export async function countMirrorEvents(mirror: OurMirror, chainId: number): Promise<number> {
  const db: Database =
    mirror.store === "pglite"
      ? await createDatabase({ dataDir: mirror.dataDir })
      : await createDatabase({ databaseUrl: mirror.databaseUrl });
  try {
    const [row] = await db.select({ n: count() }).from(rawEvents).where(eq(rawEvents.chainId, chainId));
    return Number(row?.n ?? 0);
  } finally {
    await db.close();
  }
}

async function createMirror(store: "pglite" | "postgres", postgresUrl: string): Promise<OurMirror> {
  if (store === "pglite") {
    const dataDir = mkdtempSync(join(tmpdir(), "bench-ours-pglite-"));
    return { store, dataDir, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const scratch = await createScratchDatabase(postgresUrl, "bench_ours");
  return { store, databaseUrl: scratch.url, drop: scratch.drop };
}

// ---------------------------------------------------------------------------------------------
// The child process

/** One line of the indexer's JSON log. */
interface LogLine {
  msg: string;
  [field: string]: unknown;
}

interface OurIndexerProcess {
  child: ChildProcess;
  onLine(listener: (line: LogLine) => void): void;
  /** The exit code once exited (null before, or after a signal). */
  exitCode(): number | null;
  /** The last few KB of output, for error messages. */
  tail(): string;
  /** SIGTERM (graceful), SIGKILL after 5 s; resolves once exited. */
  stop(): Promise<void>;
}

function startOurIndexer({
  rpcUrl,
  manifestPath,
  mirror,
  logFile,
  extraEnv = {},
  cpuProfileDir,
}: {
  rpcUrl: string;
  manifestPath: string;
  mirror: OurMirror;
  logFile?: string | undefined;
  extraEnv?: Record<string, string> | undefined;
  cpuProfileDir?: string | undefined;
}): OurIndexerProcess {
  const env: Record<string, string> = { ...inheritedEnv(), RPC_URL: rpcUrl, DEPLOYMENT: manifestPath };
  if (mirror.store === "pglite") env.DATA_DIR = mirror.dataDir;
  else env.DATABASE_URL = mirror.databaseUrl;
  env.LOG_LEVEL = "info";
  Object.assign(env, extraEnv);
  // process.execPath: the pinned Node 22 this bench runs on, which strips the TypeScript types.
  const profiling = cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${cpuProfileDir}`] : [];
  const child = spawn(
    process.execPath,
    [...profiling, "--disable-warning=ExperimentalWarning", FIRM_CLI, "index"],
    {
      cwd: REPO_ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const sink = logFile ? createWriteStream(logFile, { flags: "a" }) : null;
  const listeners: ((line: LogLine) => void)[] = [];
  let tail = "";
  let partial = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    sink?.write(chunk);
    tail = (tail + chunk).slice(-4_000);
    const lines = (partial + chunk).split("\n");
    partial = lines.pop() ?? "";
    for (const raw of lines) {
      if (!raw.startsWith("{")) continue;
      let line: LogLine;
      try {
        line = JSON.parse(raw) as LogLine;
      } catch {
        continue;
      }
      for (const listener of listeners) listener(line);
    }
  });
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    sink?.write(chunk);
    tail = (tail + chunk).slice(-4_000);
  });
  let stopped: Promise<void> | undefined;
  return {
    child,
    onLine: (listener) => void listeners.push(listener),
    exitCode: () => child.exitCode,
    tail: () => tail,
    stop() {
      stopped ??= stopChild(child).then(() => void sink?.end());
      return stopped;
    },
  };
}

/** Resolves with `work`, or rejects if the child exits first or `timeoutMs` passes. */
async function raceChild<T>(
  indexer: OurIndexerProcess,
  work: Promise<T>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let onExit: (() => void) | undefined;
  const { child } = indexer;
  const exited = new Promise<never>((_, reject) => {
    onExit = () =>
      reject(
        new Error(
          `Our indexer exited (${child.exitCode ?? child.signalCode}) before it could ${what}:\n${indexer.tail()}`,
        ),
      );
    if (child.exitCode !== null || child.signalCode !== null) onExit();
    else child.once("exit", onExit);
  });
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Our indexer did not ${what} within ${timeoutMs / 1000} s:\n${indexer.tail()}`)),
      timeoutMs,
    );
  });
  // Whichever loses the race may still reject later: that is no unhandled rejection.
  for (const p of [work, exited, timeout]) p.catch(() => {});
  try {
    return await Promise.race([work, exited, timeout]);
  } finally {
    clearTimeout(timer);
    if (onExit) child.off("exit", onExit);
  }
}

/** The parent's environment without variables that would steer the indexer elsewhere. */
function inheritedEnv(): Record<string, string> {
  const steering = new Set([
    "DATABASE_URL",
    "DATA_DIR",
    "RPC_URL",
    "DEPLOYMENT",
    "LOG_LEVEL",
    "FINALITY_DEPTH",
    "POLL_INTERVAL_MS",
    "MAX_BLOCK_RANGE",
    "RPC_CONCURRENCY",
    "METRICS_PORT",
    "RPC_TIMEOUT_MS",
    "RPC_MAX_ATTEMPTS",
    "REDIS_URL",
  ]);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !steering.has(k)) env[k] = v;
  return env;
}

async function headBlock(rpcUrl: string): Promise<number> {
  return Number(await createJsonRpc(rpcUrl).call<string>("eth_blockNumber"));
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolveSleep) => setTimeout(resolveSleep, ms));
}
