// `npm run bench:technicians`: Query.technicians(near:) through the real API on a PostgreSQL mirror
// of `--members` members with profiles (the target: p99 <= 20 ms from one client at 10,000).
//
//   node scripts/bench/technicians.ts [--json] [--members 10000] [--requests 2000] [--warmup 200]
//        [--radius 50] [--postgres <admin URL>]
//
// 1. Writes a synthetic directory straight into a scratch database (api/testing/directoryRows.ts:
//    one practice, members around a dozen cities, 6% departed, 10% without coordinates), as the
//    mirror's migrations shape it, and ANALYZEs it. No chain: the query reads only the mirror.
// 2. Builds the API (buildApp, the rate limit off) and serves it over HTTP on a free port.
// 3. One client sends `--requests` requests one after another (after `--warmup` unmeasured), each
//    near a city picked in turn with up to ±0.5° of jitter, within `--radius` km, first: 20, and
//    times each from send to parsed answer.
// 4. Prints p50, p99, mean and requests/s on stdout; progress on stderr. With --json the last line is
//    {"query":"technicians(near)","members",…,"p50Ms","p99Ms","meanMs","rps","targetP99Ms"}.
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { buildApp } from "../../api/app.ts";
import { createCommitBus } from "../../api/createCommitBus.ts";
import { CITIES, writeSyntheticDirectory } from "../../api/testing/directoryRows.ts";
import { createDatabase } from "../../indexer/store/db.ts";
import { migrateDatabase } from "../../indexer/store/migrate.ts";
import { mulberry32 } from "../../indexer/testing/faultProxy.ts";
import { createScratchDatabase } from "../../indexer/testing/postgres.ts";
import { fmtLoad, percentileMs, startBenchRun, syntheticManifest } from "./benchRun.ts";
import { DEFAULT_POSTGRES_URL } from "./indexer/runPonder.ts";

const TARGET_P99_MS = 20;
const USAGE = `Usage: npm run bench:technicians -- [--json] [--members 10000] [--requests 2000] [--warmup 200]
  [--radius 50] [--postgres <admin URL>]`;
const QUERY = `query($near: NearInput!) {
  technicians(practice: "phones", near: $near, first: 20) {
    edges { node { distanceKm role since member { address status } profile { displayName skills city contactUrl } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const args = parseOptions();
const { progress, out, phase, loadBefore } = startBenchRun("bench-technicians");
const n = (x: number) => x.toLocaleString("en-US");

const scratch = await phase("Creating a scratch database", () =>
  createScratchDatabase(args.postgres, "bench_technicians"),
);
const db = await createDatabase({ databaseUrl: scratch.url });
const bus = await createCommitBus();
let server: import("node:http").Server | undefined;
try {
  await phase("Migrating", () => migrateDatabase(db));
  await phase(
    `Writing ${n(args.members)} members with profiles`,
    async () => {
      const directory = await writeSyntheticDirectory(db, { count: args.members });
      await db.execute(sql`ANALYZE`);
      return directory;
    },
    (d) => `${n(d.profiles.filter((p) => p.latitude !== null).length)} with coordinates`,
  );
  const manifest = syntheticManifest("bench-technicians");
  const { app } = buildApp({ db, manifest, bus, head: async () => null, options: { rateLimitPerMinute: 0 } });
  const listening = app.listen(0, "127.0.0.1");
  server = listening;
  await new Promise((resolve) => listening.once("listening", resolve));
  const url = `http://127.0.0.1:${(listening.address() as AddressInfo).port}/graphql`;

  const random = mulberry32(7);
  let found = 0;
  const ask = async (i: number): Promise<number> => {
    const [, latitude, longitude] = CITIES[i % CITIES.length] as (typeof CITIES)[number];
    const near = {
      latitude: Math.round((latitude + random() - 0.5) * 100) / 100,
      longitude: Math.round((longitude + random() - 0.5) * 100) / 100,
      radiusKm: args.radius,
    };
    const started = performance.now();
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: QUERY, variables: { near } }),
    });
    const body = (await response.json()) as {
      data?: { technicians: { edges: unknown[] } };
      errors?: { message: string }[];
    };
    const took = performance.now() - started;
    if (!body.data) throw new Error(`the API answered ${JSON.stringify(body.errors)}`);
    found += body.data.technicians.edges.length;
    return took;
  };

  await phase(`Warming up: ${n(args.warmup)} requests`, async () => {
    for (let i = 0; i < args.warmup; i++) await ask(i);
  });
  found = 0;
  const latencies = await phase(
    `Measuring: ${n(args.requests)} requests from one client`,
    async () => {
      const times: number[] = [];
      const started = performance.now();
      for (let i = 0; i < args.requests; i++) {
        times.push(await ask(i));
        if ((i + 1) % 500 === 0)
          progress(`  ${n(i + 1)} requests, ${((performance.now() - started) / (i + 1)).toFixed(2)} ms each`);
      }
      return { times: times.sort((a, b) => a - b), seconds: (performance.now() - started) / 1000 };
    },
    (r) => `${(args.requests / r.seconds).toFixed(0)} requests/s`,
  );
  const percentile = (q: number) => percentileMs(latencies.times, q);
  const result = {
    query: "technicians(near)",
    store: "postgres",
    members: args.members,
    radiusKm: args.radius,
    requests: args.requests,
    meanResults: Math.round((found / args.requests) * 10) / 10,
    p50Ms: percentile(0.5),
    p99Ms: percentile(0.99),
    meanMs: Math.round((latencies.times.reduce((a, b) => a + b, 0) / latencies.times.length) * 100) / 100,
    rps: Math.round(args.requests / latencies.seconds),
    targetP99Ms: TARGET_P99_MS,
    loadBefore: fmtLoad(loadBefore),
  };
  out("| query | store | members | p50 ms | p99 ms | target p99 | requests/s | results per answer |");
  out("| --- | --- | --- | --- | --- | --- | --- | --- |");
  out(
    `| technicians(near: ${args.radius} km) | PostgreSQL | ${n(args.members)} | ${result.p50Ms} | ${result.p99Ms} | ≤ ${TARGET_P99_MS} | ${result.rps} | ${result.meanResults} |`,
  );
  if (args.json) out(JSON.stringify(result));
  if (result.p99Ms > TARGET_P99_MS)
    progress(`p99 ${result.p99Ms} ms is above the ${TARGET_P99_MS} ms target`);
} finally {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await bus.close();
  await db.close();
  await scratch.drop();
}

function parseOptions() {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        json: { type: "boolean", default: false },
        members: { type: "string", default: "10000" },
        requests: { type: "string", default: "2000" },
        warmup: { type: "string", default: "200" },
        radius: { type: "string", default: "50" },
        postgres: { type: "string", default: DEFAULT_POSTGRES_URL },
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
  const number = (name: string, min: number, max: number, integer = true) => {
    const raw = String(values[name]);
    const value = Number(raw);
    if ((integer && !Number.isSafeInteger(value)) || !(value >= min && value <= max))
      fail(`--${name} ${raw}: expected ${integer ? "an integer" : "a number"} from ${min} to ${max}`);
    return value;
  };
  return {
    json: Boolean(values.json),
    members: number("members", 100, 1_000_000),
    requests: number("requests", 1, 1_000_000),
    warmup: number("warmup", 0, 1_000_000),
    radius: number("radius", 1, 1000, false),
    postgres: String(values.postgres),
  };
}

function fail(message: string): never {
  process.stderr.write(`bench:technicians: ${message}\n${USAGE}\n`);
  process.exit(2);
}
