// `npm run bench:indexer`: our indexer against Ponder 0.17 on one benchmark chain, in one run.
//
//   node scripts/bench/indexer.ts [--json] [--events 100000] [--postgres <admin URL>]
//        [--poll-interval-ms 50] [--live-blocks 200] [--max-gap-ms 250] [--skip-ponder] [--skip-live-lag]
//        [--cpu-prof-dir <dir>]   (a V8 CPU profile of our indexer per store, under <dir>/<store>)
//
// 1. Builds a chain holding at least `--events` firm events through the real contracts, on a Hardhat
//    JSON-RPC node (scripts/bench/indexer/buildChain.ts).
// 2. For PGlite, then PostgreSQL: backfills it with `firm index` (a child process, as shipped: only
//    RPC_URL, DEPLOYMENT and the database are set) and with Ponder, at its best (rate limiter lifted)
//    and as shipped. Each run starts on a fresh database; seconds run from spawning the process to the
//    chain's last block being indexed, start-up included (and also reported on its own); peak RSS is
//    the process tree's. Our mirror must hold exactly the chain's firm logs, or the bench fails.
// 3. Live lag of our indexer (POLL_INTERVAL_MS from --poll-interval-ms): mines `--live-blocks` blocks
//    with evm_mine, one release each, and times mined → the block's events queryable in the mirror.
//    PostgreSQL: the indexer as a child process, the bench querying the database; PGlite: the indexer
//    in this process (PGlite is one process's database), the bench querying the same instance.
//
// Progress goes to stderr; the Markdown tables to stdout, and with --json a last line
// {"rows":[{"store":"pglite",…},{"store":"postgres",…}]}.
//
// Needs bench/ponder installed (the npm script does it) and a PostgreSQL server with trust auth at
// 127.0.0.1:5432, where it creates and drops its databases.
import { rmSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { writeManifest } from "../../contracts/manifest.ts";
import { fmtLoad, integerFlag, readBenchFlags, startBenchRun } from "./benchRun.ts";
import { buildBenchChain } from "./indexer/buildChain.ts";
import {
  type MeasureOurLiveLagReturnType,
  measureOurLiveLag,
  type OurMirror,
  type RunOursReturnType,
  runOurs,
} from "./indexer/ours.ts";
import {
  DEFAULT_POSTGRES_URL,
  expectedPonderRows,
  freePort,
  type RunPonderReturnType,
  runPonder,
} from "./indexer/runPonder.ts";
import { startHardhatNode } from "./indexer/startHardhatNode.ts";

const TARGETS = {
  /** Our events/s over Ponder's at its best, on each store. */
  ratio: 5,
  /** Our events/s, on each store (issue 14). */
  eventsPerSec: 15_000,
  /** Our peak RSS as a fraction of Ponder's (at its best). */
  rssFraction: 0.5,
  /** Live lag p99, ms. */
  liveLagP99Ms: 500,
};
const STORES = ["pglite", "postgres"] as const;
type StoreName = (typeof STORES)[number];

const USAGE = `Usage: npm run bench:indexer -- [--json] [--events 100000] [--postgres <admin URL>]
  [--poll-interval-ms 50] [--live-blocks 200] [--max-gap-ms 250] [--skip-ponder] [--skip-live-lag]
  [--cpu-prof-dir <dir>]

  --events         firm events the benchmark chain holds at least
  --skip-ponder    measure ours only (no ratios)
  --skip-live-lag  backfill only
  --cpu-prof-dir   write a V8 CPU profile of our indexer per store under <dir>/<store>`;

const args = readBenchFlags(
  "bench:indexer",
  USAGE,
  {
    events: { type: "string", default: "100000" },
    postgres: { type: "string", default: DEFAULT_POSTGRES_URL },
    "poll-interval-ms": { type: "string", default: "50" },
    "live-blocks": { type: "string", default: "200" },
    "max-gap-ms": { type: "string" },
    "skip-ponder": { type: "boolean", default: false },
    "skip-live-lag": { type: "boolean", default: false },
    "cpu-prof-dir": { type: "string" },
  },
  (values) => {
    const pollIntervalMs = integerFlag("--poll-interval-ms", values["poll-interval-ms"]);
    return {
      targetEvents: integerFlag("--events", values.events),
      postgres: String(values.postgres),
      pollIntervalMs,
      liveBlocks: integerFlag("--live-blocks", values["live-blocks"]),
      /** The random wait before each mined block must span several polls to sample their phase evenly. */
      maxGapMs:
        values["max-gap-ms"] === undefined
          ? Math.max(250, 5 * pollIntervalMs)
          : integerFlag("--max-gap-ms", values["max-gap-ms"]),
      skipPonder: Boolean(values["skip-ponder"]),
      skipLiveLag: Boolean(values["skip-live-lag"]),
      cpuProfDir: values["cpu-prof-dir"] === undefined ? undefined : String(values["cpu-prof-dir"]),
    };
  },
);
const { targetEvents, pollIntervalMs, liveBlocks, maxGapMs } = args;

const {
  progress,
  out,
  phase,
  workDir,
  logDir,
  loadBefore,
  seconds: benchSecondsSoFar,
} = startBenchRun("bench-indexer");

interface StoreRun {
  ours: RunOursReturnType;
  ponderBest: RunPonderReturnType | null;
  ponderDefault: RunPonderReturnType | null;
  liveLag: MeasureOurLiveLagReturnType | null;
}
const mirrors: OurMirror[] = [];
const node = await phase("Starting the Hardhat node", async () =>
  startHardhatNode({ port: await freePort() }),
);
let failed = true;
try {
  const chain = await phase(
    `Building a chain of at least ${targetEvents.toLocaleString("en-US")} firm events through the real contracts`,
    () => buildBenchChain({ rpcUrl: node.rpcUrl, events: targetEvents, log: (l) => progress(`  ${l}`) }),
    (c) =>
      `${c.events.toLocaleString("en-US")} events over ${c.blocks.toLocaleString("en-US")} blocks ` +
      `${c.fromBlock}–${c.toBlock}, ${c.transactions.toLocaleString("en-US")} transactions`,
  );
  const manifestPath = join(workDir, "deployment.json");
  writeManifest(manifestPath, chain.manifest);
  const expectedRows = expectedPonderRows(chain.eventsByName);
  const perSecond = (r: { eventsPerSec: number; peakRssMb: number; startupSeconds: number }) =>
    `${r.eventsPerSec.toLocaleString("en-US")} events/s, peak RSS ${r.peakRssMb} MB, start-up ${r.startupSeconds} s`;

  const runs = {} as Record<StoreName, StoreRun>;
  for (const store of STORES) {
    const ours = await phase(
      `Ours on ${store}: backfill ${chain.manifest.startBlock}–${chain.toBlock}`,
      () =>
        runOurs({
          manifest: chain.manifest,
          manifestPath,
          rpcUrl: node.rpcUrl,
          store,
          expectedEvents: chain.events,
          toBlock: chain.toBlock,
          postgresUrl: args.postgres,
          keepMirror: true,
          logFile: join(logDir, `ours-${store}.log`),
          cpuProfileDir: args.cpuProfDir && join(args.cpuProfDir, store),
          log: progress,
        }),
      perSecond,
    );
    mirrors.push(ours.mirror);
    const ponder = (mode: "best" | "default") =>
      args.skipPonder
        ? Promise.resolve(null)
        : phase(
            `Ponder ${mode === "best" ? "at its best" : "as shipped"} on ${store}`,
            () =>
              runPonder({
                manifest: chain.manifest,
                rpcUrl: node.rpcUrl,
                mode,
                store,
                expectedEvents: chain.events,
                toBlock: chain.toBlock,
                expectedRows,
                postgresUrl: args.postgres,
                logFile: join(logDir, `ponder-${mode}-${store}.log`),
                log: (l) => progress(`  ${l}`),
              }),
            perSecond,
          );
    const ponderBest = await ponder("best");
    const ponderDefault = await ponder("default");
    runs[store] = { ours, ponderBest, ponderDefault, liveLag: null };
  }

  // Last: the live-lag runs mine blocks, so the chain no longer is the one the backfills measured.
  if (!args.skipLiveLag) {
    for (const store of ["postgres", "pglite"] as const) {
      const run = runs[store];
      run.liveLag = await phase(
        `Live lag on ${store}: ${liveBlocks} blocks, POLL_INTERVAL_MS=${pollIntervalMs}, up to ${maxGapMs} ms between blocks`,
        () =>
          measureOurLiveLag({
            mirror: run.ours.mirror,
            manifest: chain.manifest,
            manifestPath,
            rpcUrl: node.rpcUrl,
            pollIntervalMs,
            blocks: liveBlocks,
            maxGapMs,
            logFile: join(logDir, `ours-live-${store}.log`),
            log: (l) => progress(`  ${l}`),
          }),
        (l) => `p50 ${l.p50Ms} ms, p99 ${l.p99Ms} ms, max ${l.maxMs} ms`,
      );
    }
  }

  const rows = STORES.map((store) => toRow(store, runs[store]));
  const loadAfter = loadavg();
  const benchSeconds = benchSecondsSoFar();
  printTables(rows, runs, chain, { loadBefore, loadAfter, benchSeconds });
  if (args.json) out(JSON.stringify({ rows }));
  failed = false;
} finally {
  await node.stop();
  for (const mirror of mirrors) await mirror.drop().catch(() => {});
  if (!failed) rmSync(workDir, { recursive: true, force: true });
  else progress(`Failed; logs kept in ${logDir}`);
}

// ---------------------------------------------------------------------------------------------

interface Row {
  store: StoreName;
  events: number;
  seconds: number;
  eventsPerSec: number;
  ponderEventsPerSec: number | null;
  ponderDefaultEventsPerSec: number | null;
  ratio: number | null;
  peakRssMb: number;
  ponderPeakRssMb: number | null;
  startupSeconds: number;
  eventsPerSecAfterStartup: number;
  ponderSeconds: number | null;
  ponderStartupSeconds: number | null;
  ponderDefaultSeconds: number | null;
  ponderDefaultPeakRssMb: number | null;
  ratioVsDefault: number | null;
  rssFractionOfPonder: number | null;
  liveLagP50Ms: number | null;
  liveLagP99Ms: number | null;
  liveLagMaxMs: number | null;
  liveLagBlocks: number | null;
  pollIntervalMs: number;
  liveLagMethod: string | null;
  targetsMet: {
    ratio: boolean | null;
    eventsPerSec: boolean | null;
    peakRss: boolean | null;
    liveLagP99: boolean | null;
  };
}

function toRow(store: StoreName, { ours, ponderBest, ponderDefault, liveLag }: StoreRun): Row {
  const ratio = ponderBest ? round(ours.eventsPerSec / ponderBest.eventsPerSec, 2) : null;
  const rssFraction = ponderBest ? round(ours.peakRssMb / ponderBest.peakRssMb, 2) : null;
  return {
    store,
    events: ours.events,
    seconds: ours.seconds,
    eventsPerSec: ours.eventsPerSec,
    ponderEventsPerSec: ponderBest?.eventsPerSec ?? null,
    ponderDefaultEventsPerSec: ponderDefault?.eventsPerSec ?? null,
    ratio,
    peakRssMb: ours.peakRssMb,
    ponderPeakRssMb: ponderBest?.peakRssMb ?? null,
    startupSeconds: ours.startupSeconds,
    eventsPerSecAfterStartup: Math.round(ours.events / (ours.seconds - ours.startupSeconds)),
    ponderSeconds: ponderBest?.seconds ?? null,
    ponderStartupSeconds: ponderBest?.startupSeconds ?? null,
    ponderDefaultSeconds: ponderDefault?.seconds ?? null,
    ponderDefaultPeakRssMb: ponderDefault?.peakRssMb ?? null,
    ratioVsDefault: ponderDefault ? round(ours.eventsPerSec / ponderDefault.eventsPerSec, 2) : null,
    rssFractionOfPonder: rssFraction,
    liveLagP50Ms: liveLag?.p50Ms ?? null,
    liveLagP99Ms: liveLag?.p99Ms ?? null,
    liveLagMaxMs: liveLag?.maxMs ?? null,
    liveLagBlocks: liveLag?.blocks ?? null,
    pollIntervalMs,
    liveLagMethod: liveLag?.method ?? null,
    targetsMet: {
      ratio: ratio === null ? null : ratio >= TARGETS.ratio,
      eventsPerSec: ours.eventsPerSec >= TARGETS.eventsPerSec,
      peakRss: rssFraction === null ? null : rssFraction <= TARGETS.rssFraction,
      liveLagP99: liveLag ? liveLag.p99Ms <= TARGETS.liveLagP99Ms : null,
    },
  };
}

function printTables(
  rows: Row[],
  runs: Record<StoreName, StoreRun>,
  chain: { events: number; blocks: number; fromBlock: number; toBlock: number; transactions: number },
  meta: { loadBefore: number[]; loadAfter: number[]; benchSeconds: number },
): void {
  const n = (x: number) => x.toLocaleString("en-US");
  out(
    `## Indexer benchmark: ${n(chain.events)} firm events over ${n(chain.blocks)} blocks ` +
      `(${chain.fromBlock}–${chain.toBlock}, ${n(chain.transactions)} transactions)`,
  );
  out();
  out("Backfill, from spawning the process to the chain's last block indexed (start-up included):");
  out();
  out(
    "| store | indexer | seconds | of which start-up | events/s | events/s after start-up | peak RSS (MB) |",
  );
  out("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
  for (const store of STORES) {
    const { ours, ponderBest, ponderDefault } = runs[store];
    const line = (
      name: string,
      r: { seconds: number; startupSeconds: number; eventsPerSec: number; peakRssMb: number },
    ) =>
      out(
        `| ${store} | ${name} | ${r.seconds} | ${r.startupSeconds} | ${n(r.eventsPerSec)} | ` +
          `${n(Math.round(chain.events / (r.seconds - r.startupSeconds)))} | ${r.peakRssMb} |`,
      );
    line("ours", ours);
    if (ponderBest) line("Ponder 0.17 at its best (25 transports)", ponderBest);
    if (ponderDefault) line("Ponder 0.17 as shipped", ponderDefault);
  }
  out();
  const mark = (ok: boolean | null) => (ok === null ? "–" : ok ? "met" : "MISSED");
  out("Targets (the ratio and RSS are against Ponder at its best):");
  out();
  out(
    `| store | ratio (≥ ${TARGETS.ratio}) | events/s (≥ ${n(TARGETS.eventsPerSec)}) | ` +
      `RSS / Ponder's (≤ ${TARGETS.rssFraction}) | live lag p50 / p99 (p99 ≤ ${TARGETS.liveLagP99Ms} ms) | ` +
      "ratio vs as shipped |",
  );
  out("| --- | ---: | ---: | ---: | ---: | ---: |");
  for (const r of rows) {
    const lag =
      r.liveLagP99Ms === null
        ? "–"
        : `${r.liveLagP50Ms} / ${r.liveLagP99Ms} ms ${mark(r.targetsMet.liveLagP99)}`;
    out(
      `| ${r.store} | ${r.ratio ?? "–"} ${mark(r.targetsMet.ratio)} | ${n(r.eventsPerSec)} ${mark(r.targetsMet.eventsPerSec)} | ` +
        `${r.rssFractionOfPonder ?? "–"} ${mark(r.targetsMet.peakRss)} | ${lag} | ${r.ratioVsDefault ?? "–"} |`,
    );
  }
  out();
  for (const r of rows) {
    if (r.liveLagMethod)
      out(
        `Live lag on ${r.store}: ${r.liveLagBlocks} blocks mined with evm_mine, POLL_INTERVAL_MS=${r.pollIntervalMs}, ` +
          `max ${r.liveLagMaxMs} ms; ${r.liveLagMethod}.`,
      );
  }
  out(
    `Load average ${fmtLoad(meta.loadBefore)} before, ${fmtLoad(meta.loadAfter)} after, on ${cpus().length} CPUs; ` +
      `the whole bench took ${Math.floor(meta.benchSeconds / 60)} min ${meta.benchSeconds % 60} s.`,
  );
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
