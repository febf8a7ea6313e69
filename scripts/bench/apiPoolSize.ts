// The API's database pool size (DB_POOL_SIZE), measured: one chain and one PostgreSQL mirror, then
// `firm serve` started once per pool size and loaded with the API benchmark's hot queries (member,
// practice, proposals, scripts/bench/api/queries.ts), as `npm run bench:api` loads them.
//
//   node scripts/bench/apiPoolSize.ts [--sizes 2,8,16] [--members 2000] [--proposals 200]
//        [--votes 20000] [--duration 8] [--warmup 2] [--connections 32]
//
// Prints a Markdown table (pool size, query, p50, p99, requests/s) and the load average: on a shared
// 2-core machine compare the sizes within one run, not with other runs.
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { writeManifest } from "../../contracts/manifest.ts";
import { buildApiChain } from "./api/buildApiChain.ts";
import { loadTest } from "./api/loadTest.ts";
import { buildPools, OUR_QUERIES, type QueryName } from "./api/queries.ts";
import { analyzePostgres, startOurApi } from "./api/startOurApi.ts";
import { fmtLoad, integerFlag, startBenchRun } from "./benchRun.ts";
import { runOurs } from "./indexer/ours.ts";
import { DEFAULT_POSTGRES_URL, freePort } from "./indexer/runPonder.ts";
import { startHardhatNode } from "./indexer/startHardhatNode.ts";

const HOT: QueryName[] = ["member", "practice", "proposals"];

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "2,8,16" },
    members: { type: "string", default: "2000" },
    proposals: { type: "string", default: "200" },
    votes: { type: "string", default: "20000" },
    duration: { type: "string", default: "8" },
    warmup: { type: "string", default: "2" },
    connections: { type: "string", default: "32" },
  },
  strict: true,
});
const count = (name: keyof typeof values) => integerFlag(`--${name}`, values[name]);
const sizes = String(values.sizes)
  .split(",")
  .map((size) => integerFlag("--sizes", size, 1, 100));
const connections = count("connections");

const { progress, out, phase, workDir, logDir, loadBefore } = startBenchRun("bench-pool");
const node = await startHardhatNode({ port: await freePort() });
try {
  const chain = await phase("Building the chain", () =>
    buildApiChain({
      rpcUrl: node.rpcUrl,
      members: count("members"),
      proposals: count("proposals"),
      votes: count("votes"),
      log: (line) => progress(`  ${line}`),
    }),
  );
  const manifestPath = join(workDir, "deployment.json");
  writeManifest(manifestPath, chain.manifest);
  const { mirror } = await phase("`firm index` on PostgreSQL", () =>
    runOurs({
      manifest: chain.manifest,
      manifestPath,
      rpcUrl: node.rpcUrl,
      store: "postgres",
      expectedEvents: chain.events,
      toBlock: chain.toBlock,
      postgresUrl: DEFAULT_POSTGRES_URL,
      keepMirror: true,
      logFile: join(logDir, "index.log"),
      log: progress,
    }),
  );
  try {
    if (mirror.store === "postgres") await analyzePostgres(mirror.databaseUrl);
    const now = Math.max(Math.floor(Date.now() / 1000), chain.toTimestamp);
    out(`| DB_POOL_SIZE | query | p50 (ms) | p99 (ms) | requests/s |`);
    out("| ---: | --- | ---: | ---: | ---: |");
    for (const size of sizes) {
      // startOurApi hands the server this process's environment.
      process.env.DB_POOL_SIZE = String(size);
      const api = await startOurApi({
        mirror,
        manifestPath,
        rpcUrl: node.rpcUrl,
        logFile: join(logDir, `api-${size}.log`),
        // The pool serves the database path: with the cache on, repeated variables would skip it.
        responseCache: false,
      });
      try {
        const { pools } = await buildPools({
          api: "ours",
          url: api.graphqlUrl,
          sample: chain.sample,
          now,
          poolSize: 2000,
        });
        for (const query of HOT) {
          const bodies = (pools[query] ?? []).map((variables) =>
            JSON.stringify({ query: OUR_QUERIES[query], variables }),
          );
          await loadTest({ url: api.graphqlUrl, bodies, connections, durationSeconds: count("warmup") });
          const r = await loadTest({
            url: api.graphqlUrl,
            bodies,
            connections,
            durationSeconds: count("duration"),
          });
          if (r.errors > 0) throw new Error(`${query} at pool ${size}: ${r.errors} failed; ${r.firstError}`);
          out(`| ${size} | ${query} | ${r.p50Ms} | ${r.p99Ms} | ${r.rps.toLocaleString("en-US")} |`);
        }
      } finally {
        await api.stop();
      }
    }
  } finally {
    await mirror.drop();
  }
  out();
  out(
    `${connections} connections, ${count("duration")} s per query after ${count("warmup")} s of warm-up; ` +
      `${chain.counts.members} members, ${chain.counts.proposals} proposals, ${chain.counts.votes} votes; ` +
      `load average ${fmtLoad(loadBefore)} before, ${fmtLoad(loadavg())} after, on ${cpus().length} CPUs.`,
  );
} finally {
  await node.stop();
}
