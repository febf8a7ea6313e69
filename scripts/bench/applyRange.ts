// Measures applyRange end to end (range checks, decode, handlers, writes, commit) on synthetic ranges
// of 10,000 logs of a busy firm: proposals, ballots, executions, grants and releases.
//
//   node scripts/bench/applyRange.ts                 # PGlite, then the PostgreSQL server
//   MIRROR_TEST_BACKENDS=pglite node scripts/bench/applyRange.ts
//
// PGlite runs on a data folder in the system's temporary directory, as an indexer does (memory://, the
// tests' setting, keeps its files in growable WebAssembly buffers, which costs more as they grow). The
// PostgreSQL run creates and drops its own database on DATABASE_URL's server (default
// postgres://postgres@127.0.0.1:5432/test). Two modes:
// - "unfinalized": every block gets undo records (the live edge, the worst case);
// - "final": the engine declared the blocks final first (pruneBelow), as a backfill below the chain's
//   finalized block does, so no undo records are written.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createDatabase } from "../../indexer/store/db.ts";
import { migrateDatabase } from "../../indexer/store/migrate.ts";
import { createStore } from "../../indexer/store/store.ts";
import { busyFirmRanges, syntheticManifest } from "../../indexer/testing/syntheticChain.ts";
import {
  type Backend,
  openTestDatabase,
  TEST_BACKENDS,
  type TestDatabase,
} from "../../indexer/testing/testDatabase.ts";

/** Logs per measured range: the batch size the throughput target is stated for. */
const RANGE_LOGS = 10_000;
/** Ranges applied back to back; the first also loads the entity rows and warms the JIT. */
const RANGES = 4;

export type BenchMode = "unfinalized" | "final";

export interface RangeTiming {
  logs: number;
  /** Wall-clock time of applyRange. */
  milliseconds: number;
  /** CPU time of this process meanwhile (PGlite runs in it): steadier than wall time on a busy machine. */
  cpuMilliseconds: number;
  eventsPerSecond: number;
}

/** Applies RANGES synthetic ranges of RANGE_LOGS logs to an empty mirror and times each. */
export async function benchApplyRange(backend: Backend, mode: BenchMode): Promise<RangeTiming[]> {
  const database = await openBenchDatabase(backend);
  try {
    await migrateDatabase(database.db);
    const manifest = syntheticManifest();
    const store = await createStore({ db: database.db, chainId: manifest.chainId, manifest });
    const ranges = busyFirmRanges(manifest, { logs: RANGE_LOGS * RANGES, rangeLogs: RANGE_LOGS }).slice(
      0,
      RANGES,
    );
    if (mode === "final") await store.pruneBelow((ranges.at(-1)?.toBlock.number ?? 0n) + 1n);
    const timings: RangeTiming[] = [];
    for (const range of ranges) {
      const cpu = process.cpuUsage();
      const started = performance.now();
      const { events } = await store.applyRange(range);
      const milliseconds = performance.now() - started;
      const used = process.cpuUsage(cpu);
      timings.push({
        logs: events,
        milliseconds: Math.round(milliseconds),
        cpuMilliseconds: Math.round((used.user + used.system) / 1000),
        eventsPerSecond: Math.round((events / milliseconds) * 1000),
      });
    }
    await store.close();
    return timings;
  } finally {
    await database.dispose();
  }
}

/** PGlite on a fresh data folder (removed afterwards), or a fresh database on the server. */
async function openBenchDatabase(backend: Backend): Promise<TestDatabase> {
  if (backend === "postgres") return openTestDatabase(backend);
  const dataDir = mkdtempSync(join(tmpdir(), "mirror-bench-"));
  const db = await createDatabase({ dataDir });
  return {
    db,
    backend,
    async dispose() {
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const backend of TEST_BACKENDS) {
    for (const mode of ["unfinalized", "final"] as const) {
      const timings = await benchApplyRange(backend, mode);
      const warm = timings.slice(1);
      const total = warm.reduce((sum, t) => ({ logs: sum.logs + t.logs, ms: sum.ms + t.milliseconds }), {
        logs: 0,
        ms: 0,
      });
      const line = {
        backend,
        mode,
        warmEventsPerSecond: Math.round((total.logs / total.ms) * 1000),
        ranges: timings,
      };
      process.stdout.write(`${JSON.stringify(line)}\n`);
    }
  }
}
