// `npm run bench:api`: our GraphQL API against Ponder's generated one, on the same chain, in one run.
//
//   node scripts/bench/api.ts [--json] [--members 10000] [--proposals 1000] [--votes 100000]
//        [--duration 10] [--connections 32] [--warmup 2] [--pool 2000] [--postgres <admin URL>]
//        [--workers <cores>] [--redis redis://127.0.0.1:6379] [--skip-ponder] [--no-cache]
//
// 1. Builds a chain through the real contracts and governance (scripts/bench/api/buildApiChain.ts):
//    `--members` members with grants, about votes/proposals partners, `--proposals` proposals each
//    voted on by every partner (`--votes` ballots), the last ones still open.
// 2. For PostgreSQL, then PGlite: indexes it with `firm index` (a child process, as shipped) and with
//    Ponder (its own process, kept serving), starts our API in its own process with the rate limit
//    off (RATE_LIMIT_PER_MINUTE=0; PostgreSQL: `firm serve`; PGlite: buildApp in the process that
//    owns the folder), checks that both APIs give the same answers, then loads each core query with
//    autocannon (`--connections` connections for `--duration` s, after an unmeasured warm-up: each
//    variable set once, with our cache on until a pass misses under 1 %, then `--warmup` s),
//    varying the variables per request over pools of up to `--pool` members, grants and pages. Our
//    API runs with its response cache on (the default, RESPONSE_CACHE=on); with --no-cache it is
//    started again with RESPONSE_CACHE=off and every query measured once more.
// 3. Prints a Markdown table (p50, p99, requests/s, Ponder's requests/s, the ratio, the targets) on
//    stdout; progress on stderr. With --json the last line is {"rows":[{"query","store","p50Ms",
//    "cache","p99Ms","rps","ponderRps","ratio",…},…]}, one row per (query, store, cache); `cache` is
//    false on the rows measured with the cache off (--no-cache), compared with the same Ponder run.
//
// The load generator runs in this process, on the same machine as the servers it loads: on a 2-core
// machine it takes CPU the servers would otherwise have, for ours and Ponder's alike.
// Needs bench/ponder installed (the npm script does it), PostgreSQL with trust auth at 127.0.0.1 and,
// with --workers above 1, Redis at --redis.
import { rmSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { writeManifest } from "../../contracts/manifest.ts";
import { type BuildApiChainReturnType, buildApiChain } from "./api/buildApiChain.ts";
import { type LoadTestReturnType, loadTest } from "./api/loadTest.ts";
import {
  buildPools,
  checkSameAnswers,
  graphql,
  OUR_QUERIES,
  PONDER_QUERIES,
  QUERY_NAMES,
  type QueryName,
  type VariablePools,
  WHY_NOT_PONDER,
} from "./api/queries.ts";
import { analyzePostgres, startOurApi } from "./api/startOurApi.ts";
import { fmtLoad, integerFlag, startBenchRun } from "./benchRun.ts";
import { type OurMirror, runOurs } from "./indexer/ours.ts";
import {
  DEFAULT_POSTGRES_URL,
  expectedPonderRows,
  freePort,
  type RunPonderReturnType,
  runPonder,
} from "./indexer/runPonder.ts";
import { startHardhatNode } from "./indexer/startHardhatNode.ts";

const TARGETS = {
  /** p99 at the benchmark's connections, on the PostgreSQL rows. */
  p99Ms: 25,
  /** Our requests/s over Ponder's, on the PostgreSQL rows, with our response cache on (issue 14). */
  ratio: 3,
  /** The same with the cache off: the cache must not carry the result. */
  ratioUncached: 2,
};
/** Passes over the pool a cached warm-up makes at most, and the share of misses that ends it (load()). */
const WARMUP_PASSES = 6;
const WARM_MISS_SHARE = 0.01;
const STORES = ["postgres", "pglite"] as const;
type StoreName = (typeof STORES)[number];

const USAGE = `Usage: npm run bench:api -- [--json] [--members 10000] [--proposals 1000] [--votes 100000]
  [--duration 10] [--connections 32] [--warmup 2] [--pool 2000] [--postgres <admin URL>]
  [--workers <cores>] [--redis redis://127.0.0.1:6379] [--skip-ponder] [--no-cache]

  --workers   API_WORKERS of our PostgreSQL API (firm serve): this machine's cores by default; PGlite
              serves from one process (it owns its folder)
  --redis     the Redis the workers share state through (REDIS_URL), when --workers is above 1

  --no-cache  also measure our API with its response cache off (RESPONSE_CACHE=off): rows with "cache": false`;

const args = parseOptions();
const {
  progress,
  out,
  phase,
  workDir,
  logDir,
  loadBefore,
  seconds: benchSecondsSoFar,
} = startBenchRun("bench-api");

interface Measured {
  ours: LoadTestReturnType;
  /** Ours with RESPONSE_CACHE=off (--no-cache only). */
  oursUncached: LoadTestReturnType | null;
  ponder: LoadTestReturnType | null;
}
const cleanups: (() => Promise<void>)[] = [];
const node = await phase("Starting the Hardhat node", async () =>
  startHardhatNode({ port: await freePort() }),
);
let failed = true;
try {
  const n = (x: number) => x.toLocaleString("en-US");
  const chain = await phase(
    `Building the chain: ${n(args.members)} members, ${n(args.proposals)} proposals, ${n(args.votes)} votes`,
    () =>
      buildApiChain({
        rpcUrl: node.rpcUrl,
        members: args.members,
        proposals: args.proposals,
        votes: args.votes,
        log: (l) => progress(`  ${l}`),
      }),
    (c) =>
      `${n(c.events)} events over ${n(c.blocks)} blocks, ${n(c.transactions)} transactions; ` +
      `${n(c.counts.members)} members, ${n(c.counts.grants)} grants, ${n(c.counts.proposals)} proposals, ` +
      `${n(c.counts.votes)} votes`,
  );
  checkSeedSize(chain);
  const manifestPath = join(workDir, "deployment.json");
  writeManifest(manifestPath, chain.manifest);
  const expectedRows = expectedPonderRows(chain.eventsByName);

  const measured = {} as Record<StoreName, Record<QueryName, Measured>>;
  const methods: string[] = [];
  for (const store of STORES) {
    const ours = await phase(
      `Ours on ${store}: \`firm index\` backfills blocks ${chain.fromBlock}–${chain.toBlock}`,
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
          logFile: join(logDir, `index-${store}.log`),
          log: progress,
        }),
      (r) => `${n(r.eventsPerSec)} events/s`,
    );
    const mirror: OurMirror = ours.mirror;
    cleanups.push(() => mirror.drop());
    const ponder: RunPonderReturnType | null = args.skipPonder
      ? null
      : await phase(
          `Ponder on ${store}: backfill, then serving its GraphQL API`,
          () =>
            runPonder({
              manifest: chain.manifest,
              rpcUrl: node.rpcUrl,
              mode: "best",
              store,
              expectedEvents: chain.events,
              toBlock: chain.toBlock,
              expectedRows,
              keepRunning: true,
              postgresUrl: args.postgres,
              logFile: join(logDir, `ponder-${store}.log`),
              log: (l) => progress(`  ${l}`),
            }),
          (r) => `${n(r.eventsPerSec)} events/s`,
        );
    if (ponder) cleanups.push(() => ponder.stop());

    if (mirror.store === "postgres") {
      const databases = [mirror.databaseUrl, ponder?.databaseUrl].filter((url): url is string =>
        Boolean(url),
      );
      await phase("ANALYZE on both PostgreSQL databases (what autovacuum would do)", async () => {
        for (const url of databases) await analyzePostgres(url);
      });
    }
    const startApi = (responseCache: boolean) =>
      phase(`Our API on ${store}, response cache ${responseCache ? "on" : "off"}`, () =>
        startOurApi({
          mirror,
          manifestPath,
          rpcUrl: node.rpcUrl,
          responseCache,
          workers: args.workers,
          redisUrl: args.redis,
          logFile: join(logDir, `api-${store}-cache-${responseCache ? "on" : "off"}.log`),
        }),
      );
    const api = await startApi(true);
    methods.push(`${store}: ${api.method}`);
    cleanups.push(() => api.stop());
    await checkMirrorCounts(api.graphqlUrl, chain);
    // "Now" as our API reads it (the later of the wall clock and the mirror's last block), for
    // Ponder's active-proposal filter; the open proposals stay open for 30 days of chain time.
    const now = Math.max(Math.floor(Date.now() / 1000), chain.toTimestamp);
    const pools = await phase(`Request pools and answer checks on ${store}`, async () => {
      const oursPools = await buildPools({
        api: "ours",
        url: api.graphqlUrl,
        sample: chain.sample,
        now,
        poolSize: args.pool,
      });
      const ponderPools = ponder
        ? await buildPools({
            api: "ponder",
            url: ponder.graphqlUrl,
            sample: chain.sample,
            now,
            poolSize: args.pool,
          })
        : null;
      if (ponder && ponderPools)
        await checkSameAnswers(api.graphqlUrl, oursPools, ponder.graphqlUrl, ponderPools);
      return { ours: oursPools, ponder: ponderPools };
    });

    const results = {} as Record<QueryName, Measured>;
    for (const query of QUERY_NAMES)
      results[query] = {
        ours: await load(`ours ${store} ${query}`, api.graphqlUrl, OUR_QUERIES[query], pools.ours, query, {
          cached: true,
        }),
        oursUncached: null,
        ponder: null,
      };
    await api.stop();
    if (args.noCache) {
      const uncached = await startApi(false);
      cleanups.push(() => uncached.stop());
      for (const query of QUERY_NAMES)
        results[query].oursUncached = await load(
          `ours ${store} ${query} (cache off)`,
          uncached.graphqlUrl,
          OUR_QUERIES[query],
          pools.ours,
          query,
        );
      await uncached.stop();
    }
    if (ponder && pools.ponder) {
      for (const query of QUERY_NAMES) {
        const text = PONDER_QUERIES[query];
        if (text)
          results[query].ponder = await load(
            `Ponder ${store} ${query}`,
            ponder.graphqlUrl,
            text,
            pools.ponder,
            query,
            { tolerateErrors: true },
          );
      }
      await ponder.stop();
    }
    measured[store] = results;
    await mirror.drop();
  }

  const rows = STORES.flatMap((store) =>
    QUERY_NAMES.flatMap((query) => {
      const { ours, oursUncached, ponder } = measured[store][query];
      return [
        toRow(query, store, true, ours, ponder),
        ...(oursUncached ? [toRow(query, store, false, oursUncached, ponder)] : []),
      ];
    }),
  );
  const benchSeconds = benchSecondsSoFar();
  printTable(rows, chain, methods, { loadAfter: loadavg(), benchSeconds });
  if (args.json) out(JSON.stringify({ rows }));
  failed = false;
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  await node.stop();
  if (!failed) rmSync(workDir, { recursive: true, force: true });
  else progress(`Failed; logs kept in ${logDir}`);
}

// ---------------------------------------------------------------------------------------------

/**
 * Warms the server up (unmeasured), then measures one query. The warm-up asks every variable set once
 * and, of our API with its cache on, again until a pass misses the cache for under 1 % of its requests
 * (each worker process has its own cache, and a worker sees only the requests of its connections), at
 * most WARMUP_PASSES; then `--warmup` seconds. The measured run meets a warm cache, as a server that
 * has been up a while does; the cache-off rows measure the misses. A failed request of ours fails the bench;
 * the reference's failures (Ponder times out under overload on PGlite) are counted and reported, and
 * only its successful answers count in its requests per second.
 */
async function load(
  label: string,
  url: string,
  query: string,
  pools: VariablePools,
  name: QueryName,
  { tolerateErrors = false, cached = false } = {},
): Promise<LoadTestReturnType> {
  const bodies = (pools.pools[name] ?? []).map((variables) => JSON.stringify({ query, variables }));
  const options = { url, bodies, connections: args.connections };
  if (args.warmup > 0) {
    for (let pass = 1; pass <= (cached ? WARMUP_PASSES : 1); pass++) {
      const missesBefore = cached ? await cacheMisses(url) : 0;
      await loadTest({ ...options, requests: bodies.length });
      if (cached && (await cacheMisses(url)) - missesBefore < WARM_MISS_SHARE * bodies.length) break;
    }
    await loadTest({ ...options, durationSeconds: args.warmup });
  }
  const result = await loadTest({ ...options, durationSeconds: args.duration });
  if (result.errors > 0 && !tolerateErrors)
    throw new Error(`${label}: ${result.errors} failed requests under load; first: ${result.firstError}`);
  progress(
    `  ${label}: p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, ${result.rps.toLocaleString("en-US")} requests/s ` +
      `(${bodies.length} variable sets${result.errors > 0 ? `, ${result.errors} failed requests` : ""})`,
  );
  return result;
}

/** Our API's response-cache misses so far, every worker's (its /metrics). */
async function cacheMisses(graphqlUrl: string): Promise<number> {
  const response = await fetch(graphqlUrl.replace(/\/graphql$/, "/metrics"));
  const text = await response.text();
  const line = text.split("\n").find((l) => l.startsWith('firm_api_response_cache_total{result="miss"}'));
  return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) : 0;
}

interface Row {
  query: QueryName;
  store: StoreName;
  /** Whether our API ran with its response cache on. */
  cache: boolean;
  p50Ms: number;
  p99Ms: number;
  rps: number;
  ponderRps: number | null;
  ratio: number | null;
  ponderP50Ms: number | null;
  ponderP99Ms: number | null;
  /** Ponder's failed requests (timeouts, errors) during the measurement; not counted in ponderRps. */
  ponderErrors: number | null;
  connections: number;
  durationSeconds: number;
  /** Targets apply to the PostgreSQL rows; null elsewhere (and for the ratio where Ponder has none). */
  targetsMet: { p99: boolean | null; ratio: boolean | null };
}

function toRow(
  query: QueryName,
  store: StoreName,
  cache: boolean,
  ours: LoadTestReturnType,
  ponder: LoadTestReturnType | null,
): Row {
  const ratio = ponder && ponder.rps > 0 ? Math.round((ours.rps / ponder.rps) * 100) / 100 : null;
  const targeted = store === "postgres";
  return {
    query,
    store,
    cache,
    p50Ms: ours.p50Ms,
    p99Ms: ours.p99Ms,
    rps: ours.rps,
    ponderRps: ponder?.rps ?? null,
    ratio,
    ponderP50Ms: ponder?.p50Ms ?? null,
    ponderP99Ms: ponder?.p99Ms ?? null,
    ponderErrors: ponder?.errors ?? null,
    connections: args.connections,
    durationSeconds: args.duration,
    targetsMet: {
      p99: targeted ? ours.p99Ms <= TARGETS.p99Ms : null,
      ratio: targeted && ratio !== null ? ratio >= (cache ? TARGETS.ratio : TARGETS.ratioUncached) : null,
    },
  };
}

function printTable(
  rows: Row[],
  chain: BuildApiChainReturnType,
  methods: string[],
  meta: { loadAfter: number[]; benchSeconds: number },
): void {
  const n = (x: number) => x.toLocaleString("en-US");
  const c = chain.counts;
  out(
    `## API benchmark: ${n(c.members)} members, ${n(c.grants)} grants, ${n(c.proposals)} proposals, ` +
      `${n(c.votes)} votes (${n(chain.events)} events, ${n(chain.blocks)} blocks)`,
  );
  out();
  out(
    `${args.connections} connections, ${args.duration} s per query after a warm-up (each variable set once; with our cache on, again until a pass misses under 1 %, at most ${WARMUP_PASSES} passes; then ${args.warmup} s); ` +
      "latencies of successful requests; targets on the postgres rows: " +
      `p99 ≤ ${TARGETS.p99Ms} ms, ratio ≥ ${TARGETS.ratio} with the cache on and ≥ ${TARGETS.ratioUncached} with it off.`,
  );
  out();
  out(
    "| query | store | cache | p50 (ms) | p99 (ms) | requests/s | Ponder requests/s | Ponder p50 / p99 (ms) | ratio | p99 target | ratio target |",
  );
  out("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |");
  const mark = (ok: boolean | null) => (ok === null ? "–" : ok ? "met" : "MISSED");
  for (const r of rows) {
    const ponderLatency = r.ponderP50Ms === null ? "–" : `${r.ponderP50Ms} / ${r.ponderP99Ms}`;
    out(
      `| ${r.query} | ${r.store} | ${r.cache ? "on" : "off"} | ${r.p50Ms} | ${r.p99Ms} | ${n(r.rps)} | ${r.ponderRps === null ? "–" : n(r.ponderRps)} | ` +
        `${ponderLatency} | ${r.ratio ?? "–"} | ${mark(r.targetsMet.p99)} | ${mark(r.targetsMet.ratio)} |`,
    );
  }
  out();
  for (const [query, why] of Object.entries(WHY_NOT_PONDER)) out(`- Ponder has no \`${query}\`: ${why}.`);
  if (args.skipPonder) out("- Ponder was skipped (--skip-ponder).");
  out(`- Our API: ${methods.join("; ")}; RATE_LIMIT_PER_MINUTE=0 (the rate limit is off).`);
  out(
    "- cache on: RESPONSE_CACHE=on (the default): a repeated query with the same variables on an unchanged " +
      "mirror is answered from memory (an answer read at now for its second, or until a member's leave " +
      "runs out; verifyMembership per chain block); each API worker keeps its own cache." +
      (args.noCache ? " cache off: the same queries with RESPONSE_CACHE=off (--no-cache)." : ""),
  );
  out(
    "- Both PostgreSQL databases (ours, Ponder's) are ANALYZEd after the backfills, as autovacuum would " +
      "(this machine's server runs with autovacuum off); PGlite has no autovacuum, so both PGlite mirrors " +
      "are measured without statistics.",
  );
  out(
    "- Ponder 0.17: `ponder start` in its own process, serving its generated GraphQL API (bench/ponder/src/api), " +
      "on a database of the same kind.",
  );
  out(
    `- autocannon runs in the bench's process on the same ${cpus().length}-CPU machine: the load generator ` +
      "competes with the server it loads for CPU.",
  );
  out(
    `- Load average ${fmtLoad(loadBefore)} before, ${fmtLoad(meta.loadAfter)} after; ` +
      `the whole bench took ${Math.floor(meta.benchSeconds / 60)} min ${meta.benchSeconds % 60} s.`,
  );
}

/** The seed must be at least what the issue asks for, or the figures do not mean what they claim. */
function checkSeedSize(chain: BuildApiChainReturnType): void {
  const c = chain.counts;
  const short = [
    c.members < args.members && `${c.members} members (asked ${args.members})`,
    c.grants < args.members && `${c.grants} grants (asked ${args.members})`,
    c.proposals < args.proposals && `${c.proposals} proposals (asked ${args.proposals})`,
    c.votes < args.votes && `${c.votes} votes (asked ${args.votes})`,
  ].filter(Boolean);
  if (short.length > 0) throw new Error(`The chain holds only ${short.join(", ")}`);
}

/** Our mirror, through our API, must count what the chain holds. */
async function checkMirrorCounts(url: string, chain: BuildApiChainReturnType): Promise<void> {
  const data = await graphql(url, "{ firm { counts { members grants proposals } } }", {});
  const counts = data.firm.counts;
  const c = chain.counts;
  // The founders are members and hold grants too, admitted at deployment.
  if (counts.members !== c.members || counts.grants !== c.grants || counts.proposals !== c.proposals)
    throw new Error(`Our mirror counts ${JSON.stringify(counts)}; the chain holds ${JSON.stringify(c)}`);
}

function parseOptions() {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        json: { type: "boolean", default: false },
        members: { type: "string", default: "10000" },
        proposals: { type: "string", default: "1000" },
        votes: { type: "string", default: "100000" },
        duration: { type: "string", default: "10" },
        connections: { type: "string", default: "32" },
        warmup: { type: "string", default: "2" },
        pool: { type: "string", default: "2000" },
        postgres: { type: "string", default: DEFAULT_POSTGRES_URL },
        workers: { type: "string", default: String(availableParallelism()) },
        redis: { type: "string", default: "redis://127.0.0.1:6379" },
        "skip-ponder": { type: "boolean", default: false },
        "no-cache": { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
      strict: true,
    }));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const integer = (name: string, min: number) => {
    try {
      return integerFlag(`--${name}`, values[name], min);
    } catch (error) {
      fail((error as Error).message);
    }
  };
  return {
    json: Boolean(values.json),
    members: integer("members", 100),
    proposals: integer("proposals", 10),
    votes: integer("votes", 19),
    duration: integer("duration", 1),
    connections: integer("connections", 1),
    warmup: integer("warmup", 0),
    pool: integer("pool", 1),
    postgres: String(values.postgres),
    workers: integer("workers", 1),
    redis: String(values.redis),
    skipPonder: Boolean(values["skip-ponder"]),
    noCache: Boolean(values["no-cache"]),
  };
}

function fail(message: string): never {
  process.stderr.write(`bench:api: ${message}\n${USAGE}\n`);
  process.exit(2);
}
