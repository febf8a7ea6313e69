// `npm run bench:books`: the books' reads through the real API on a mirror of a year of 10 practices
// and 50,000 movements, on PostgreSQL and on PGlite (the issue's target: p99 <= 50 ms on PostgreSQL,
// one client).
//
//   node scripts/bench/books.ts [--json] [--movements 50000] [--practices 10] [--requests 300]
//        [--warmup 30] [--postgres <admin URL>] [--store postgres|pglite|both]
//
// 1. Writes synthetic books straight into each store (api/testing/bookRows.ts: deposits, budget
//    payments, payments by proposal and sweeps over the 12 months of 2026, 1% repeated references),
//    as the mirror's migrations shape it, and ANALYZEs them. No chain: the queries read only the mirror.
// 2. Builds the API (buildApp, the rate limit and the response cache off) and serves it over HTTP on
//    a free port.
// 3. One client sends each query `--requests` times one after another (after `--warmup` unmeasured),
//    cycling through the practices (and months, for the CSV), and times each from send to the last
//    byte of the answer.
// 4. Prints a Markdown table on stdout and one JSON line {"bench":"books","rows":[{query, store,
//    p50Ms, p99Ms, n, target}]} (--json: only that line); progress on stderr.
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { buildApp } from "../../api/app.ts";
import { createCommitBus } from "../../api/createCommitBus.ts";
import { type SyntheticBooks, writeSyntheticBooks } from "../../api/testing/bookRows.ts";
import { createDatabase, type Database } from "../../indexer/store/db.ts";
import { migrateDatabase } from "../../indexer/store/migrate.ts";
import { createScratchDatabase, type ScratchDatabase } from "../../indexer/testing/postgres.ts";
import {
  fmtLoad,
  integerFlag,
  percentileMs,
  readBenchFlags,
  startBenchRun,
  syntheticManifest,
} from "./benchRun.ts";
import { DEFAULT_POSTGRES_URL } from "./indexer/runPonder.ts";

/** The issue's target for every books read on PostgreSQL, from one client. */
const TARGET_P99_MS = 50;
const USAGE = `Usage: npm run bench:books -- [--json] [--movements 50000] [--practices 10] [--requests 300]
  [--warmup 30] [--postgres <admin URL>] [--store postgres|pglite|both]`;
const STORES = ["postgres", "pglite"] as const;
type StoreName = (typeof STORES)[number];

const MOVEMENT =
  "kind amount reference repeated memo authority counterparty timestamp token { symbol decimals }";
/** What each measured request asks, for request `i` of a run on `books`. */
interface BenchQuery {
  name: string;
  /** null: measured and shown, with no target (a whole year's export is a download, not a read). */
  target: number | null;
  request(books: SyntheticBooks, i: number): { path: string; body?: unknown };
}

const month = (i: number) => `2026-${String((i % 12) + 1).padStart(2, "0")}`;
const practice = (books: SyntheticBooks, i: number) => books.slugs[i % books.slugs.length] as string;
const graphql = (query: string, variables: Record<string, unknown>) => ({
  path: "/graphql",
  body: { query, variables },
});

const QUERIES: BenchQuery[] = [
  {
    name: "books(from, to, practice): the year",
    target: TARGET_P99_MS,
    request: (books, i) =>
      graphql(
        `query($p: String) { books(from: "2026-01", to: "2026-12", practice: $p) {
          rows { month practice { slug } token { symbol decimals } revenue expenses net budgetUsed budgetRemaining distributed closed }
          totals { token { symbol } revenue expenses net distributed } } }`,
        { p: practice(books, i) },
      ),
  },
  {
    name: "books(from, to): the year, every practice",
    target: TARGET_P99_MS,
    request: () =>
      graphql(
        `{ books(from: "2026-01", to: "2026-12") {
          rows { month practice { slug } token { symbol } revenue expenses net closed }
          totals { token { symbol } revenue expenses net } } }`,
        {},
      ),
  },
  {
    name: "expenses(practice, month), first 50 + count",
    target: TARGET_P99_MS,
    request: (books, i) =>
      graphql(
        `query($f: MovementFilter) { expenses(filter: $f, first: 50) { totalCount edges { node { ${MOVEMENT} } } pageInfo { hasNextPage endCursor } } }`,
        {
          f: {
            practice: practice(books, i),
            from: `${month(i)}-01T00:00:00Z`,
            to: `${month(i + 1)}-01T00:00:00Z`.replace("2026-01-01", "2027-01-01"),
          },
        },
      ),
  },
  {
    name: "expenses(payee), first 50 + count",
    target: TARGET_P99_MS,
    request: (books) =>
      graphql(
        `query($f: MovementFilter) { expenses(filter: $f, first: 50) { totalCount edges { node { ${MOVEMENT} } } } }`,
        { f: { payee: books.busyPayee } },
      ),
  },
  {
    name: "revenue(practice), first 50 + count",
    target: TARGET_P99_MS,
    request: (books, i) =>
      graphql(
        `query($f: MovementFilter) { revenue(filter: $f, first: 50) { totalCount edges { node { ${MOVEMENT} } } } }`,
        { f: { practice: practice(books, i) } },
      ),
  },
  {
    name: "/books.csv?from&to&practice: one month",
    target: TARGET_P99_MS,
    request: (books, i) => ({
      path: `/books.csv?from=${month(i)}&to=${month(i)}&practice=${practice(books, i)}`,
    }),
  },
  {
    name: "/books.csv?from&to: one month, every practice",
    target: TARGET_P99_MS,
    request: (_, i) => ({ path: `/books.csv?from=${month(i)}&to=${month(i)}` }),
  },
  {
    name: "/books.csv: the year, every movement",
    target: null,
    request: () => ({ path: "/books.csv" }),
  },
];

interface Row {
  query: string;
  store: StoreName;
  p50Ms: number;
  p99Ms: number;
  n: number;
  target: number | null;
}

const args = parseOptions();
const { progress, out, phase, loadBefore } = startBenchRun("bench-books");
const n = (x: number) => x.toLocaleString("en-US");
const rows: Row[] = [];

for (const store of args.stores) {
  let scratch: ScratchDatabase | undefined;
  let db: Database | undefined;
  const bus = await createCommitBus();
  let server: import("node:http").Server | undefined;
  try {
    if (store === "postgres") {
      scratch = await phase("Creating a scratch database", () =>
        createScratchDatabase(args.postgres, "bench_books"),
      );
      db = await createDatabase({ databaseUrl: scratch.url });
    } else db = await createDatabase({ dataDir: "memory://" });
    const mirror = db;
    await phase(`Migrating (${store})`, () => migrateDatabase(mirror));
    const books = await phase(
      `Writing ${n(args.movements)} movements of ${args.practices} practices (${store})`,
      async () => {
        const written = await writeSyntheticBooks(mirror, {
          practiceCount: args.practices,
          count: args.movements,
        });
        await mirror.execute(sql`ANALYZE`);
        return written;
      },
      (b) => `${b.firstMonth}..${b.lastMonth}`,
    );
    const { app } = buildApp({
      db: mirror,
      manifest: syntheticManifest("bench-books"),
      bus,
      head: async () => null,
      // Without the response cache every request runs its SQL: the cost a mirror that keeps
      // committing (each commit invalidates the cache) pays on every read.
      options: { rateLimitPerMinute: 0, responseCache: false },
    });
    const listening = app.listen(0, "127.0.0.1");
    server = listening;
    await new Promise((resolve) => listening.once("listening", resolve));
    const base = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;

    const ask = async (query: BenchQuery, i: number): Promise<number> => {
      const { path, body } = query.request(books, i);
      const started = performance.now();
      const response = await fetch(
        `${base}${path}`,
        body === undefined
          ? {}
          : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
      );
      const text = await response.text();
      const took = performance.now() - started;
      // A fast wrong answer is no measurement: every answer must be a success with data.
      if (!response.ok || (body !== undefined && !text.startsWith('{"data"')) || text.includes('"errors"'))
        throw new Error(`${query.name} answered ${response.status}: ${text.slice(0, 300)}`);
      return took;
    };

    for (const query of QUERIES) {
      // The year's export is 50,000 lines a request: a tenth of the requests says enough.
      const requests = query.target === null ? Math.max(1, Math.ceil(args.requests / 10)) : args.requests;
      const warmup = query.target === null ? Math.min(args.warmup, 3) : args.warmup;
      for (let i = 0; i < warmup; i++) await ask(query, i);
      const times: number[] = [];
      for (let i = 0; i < requests; i++) times.push(await ask(query, i));
      times.sort((a, b) => a - b);
      const row = {
        query: query.name,
        store,
        p50Ms: percentileMs(times, 0.5),
        p99Ms: percentileMs(times, 0.99),
        n: requests,
        target: query.target,
      };
      rows.push(row);
      progress(`  ${store} ${query.name}: p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms (${requests} requests)`);
    }
  } finally {
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await bus.close();
    await db?.close();
    await scratch?.drop();
  }
}

const missed = rows.filter((r) => r.store === "postgres" && r.target !== null && r.p99Ms > r.target);
if (!args.json) {
  out(`Books reads, ${n(args.movements)} movements of ${args.practices} practices over 2026, one client:`);
  out();
  out("| query | store | p50 ms | p99 ms | n | target p99 |");
  out("| --- | --- | --- | --- | --- | --- |");
  for (const r of rows)
    out(
      `| ${r.query} | ${r.store === "postgres" ? "PostgreSQL" : "PGlite"} | ${r.p50Ms} | ${r.p99Ms} | ${r.n} | ${r.target === null ? "none (bulk export)" : r.store === "postgres" ? `≤ ${r.target}` : `(≤ ${r.target} on PostgreSQL)`} |`,
    );
  out();
}
out(
  JSON.stringify({
    bench: "books",
    movements: args.movements,
    practices: args.practices,
    loadBefore: fmtLoad(loadBefore),
    rows,
  }),
);
for (const r of missed)
  progress(`${r.query}: p99 ${r.p99Ms} ms is above the ${r.target} ms target on PostgreSQL`);

function parseOptions() {
  return readBenchFlags(
    "bench:books",
    USAGE,
    {
      movements: { type: "string", default: "50000" },
      practices: { type: "string", default: "10" },
      requests: { type: "string", default: "300" },
      warmup: { type: "string", default: "30" },
      postgres: { type: "string", default: DEFAULT_POSTGRES_URL },
      store: { type: "string", default: "both" },
    },
    (values) => {
      const store = String(values.store);
      if (store !== "both" && !STORES.includes(store as StoreName))
        throw new Error(`--store ${store}: expected postgres, pglite or both`);
      return {
        movements: integerFlag("--movements", values.movements, 100, 10_000_000),
        practices: integerFlag("--practices", values.practices, 1, 1_000),
        requests: integerFlag("--requests", values.requests, 1, 1_000_000),
        warmup: integerFlag("--warmup", values.warmup, 0, 1_000_000),
        postgres: String(values.postgres),
        stores: store === "both" ? [...STORES] : [store as StoreName],
      };
    },
  );
}
