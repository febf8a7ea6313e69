// The peer side of `npm run bench:indexer`: builds the benchmark chain once, then measures Ponder's
// backfill on it, as shipped and at its best, on PGlite and on PostgreSQL. Prints a Markdown table;
// with --json, also a last line {"chain":…,"runs":[…],"liveLag":…} for scripts.
//
//   node scripts/bench/indexer/peer.ts [--events 100000] [--modes default,best]
//        [--stores pglite,postgres] [--live-lag] [--json]
//
// Needs bench/ponder installed (see runPonder.ts) and, for the postgres store, a PostgreSQL server
// with trust auth at 127.0.0.1:5432 (override with --postgres <admin URL>).
import { parseArgs } from "node:util";
import { buildBenchChain } from "./buildChain.ts";
import { measureLiveLag } from "./liveLag.ts";
import {
  DEFAULT_POSTGRES_URL,
  expectedPonderRows,
  freePort,
  ponderHasIndexed,
  runPonder,
} from "./runPonder.ts";
import { startHardhatNode } from "./startHardhatNode.ts";

const { values: args } = parseArgs({
  options: {
    events: { type: "string", default: "100000" },
    modes: { type: "string", default: "default,best" },
    stores: { type: "string", default: "pglite,postgres" },
    postgres: { type: "string", default: DEFAULT_POSTGRES_URL },
    "live-lag": { type: "boolean", default: false },
    json: { type: "boolean", default: false },
  },
});
const modes = args.modes.split(",") as ("default" | "best")[];
const stores = args.stores.split(",") as ("pglite" | "postgres")[];
for (const m of modes) if (m !== "default" && m !== "best") throw new Error(`--modes: unknown mode "${m}"`);
for (const s of stores)
  if (s !== "pglite" && s !== "postgres") throw new Error(`--stores: unknown store "${s}"`);

const log = (line: string) => process.stdout.write(`${line}\n`);

const node = await startHardhatNode({ port: await freePort() });
try {
  log("Building the benchmark chain…");
  const chain = await buildBenchChain({ rpcUrl: node.rpcUrl, events: Number(args.events), log });
  log(
    `Chain: ${chain.events.toLocaleString("en-US")} firm events over ${chain.blocks.toLocaleString("en-US")} blocks ` +
      `(${chain.fromBlock}–${chain.toBlock}), ${chain.transactions.toLocaleString("en-US")} transactions, built in ${chain.seconds} s`,
  );
  log(`Per contract: ${JSON.stringify(chain.eventsByContract)}`);

  const expectedRows = expectedPonderRows(chain.eventsByName);
  const runs = [];
  for (const store of stores) {
    for (const mode of modes) {
      log(`Ponder, ${mode === "best" ? "at its best" : "as shipped"}, on ${store}…`);
      const result = await runPonder({
        manifest: chain.manifest,
        rpcUrl: node.rpcUrl,
        mode,
        store,
        expectedEvents: chain.events,
        toBlock: chain.toBlock,
        expectedRows,
        postgresUrl: args.postgres,
        log,
      });
      const { stop: _, graphqlUrl: __, statusUrl: ___, ...figures } = result;
      runs.push({ store, mode, ...figures });
    }
  }

  let liveLag = null;
  if (args["live-lag"]) {
    log("Live lag: Ponder at its best on PGlite, 200 blocks…");
    const ponder = await runPonder({
      manifest: chain.manifest,
      rpcUrl: node.rpcUrl,
      mode: "best",
      store: "pglite",
      expectedEvents: chain.events,
      toBlock: chain.toBlock,
      keepRunning: true,
      log,
    });
    try {
      const { lagsMs: _, ...lag } = await measureLiveLag({
        rpcUrl: node.rpcUrl,
        manifest: chain.manifest,
        blocks: 200,
        isVisible: (n) => ponderHasIndexed(ponder.statusUrl, n),
        log,
      });
      liveLag = lag;
    } finally {
      await ponder.stop();
    }
  }

  log("");
  log("| store | Ponder | seconds | of which startup | events/s | events/s after startup | peak RSS (MB) |");
  log("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
  for (const r of runs) {
    const afterStartup = Math.round(r.events / (r.seconds - r.startupSeconds));
    log(
      `| ${r.store} | ${r.mode === "best" ? "at its best (25 transports)" : "as shipped"} | ${r.seconds} | ` +
        `${r.startupSeconds} | ${r.eventsPerSec.toLocaleString("en-US")} | ${afterStartup.toLocaleString("en-US")} | ${r.peakRssMb} |`,
    );
  }
  if (liveLag)
    log(
      `\nLive lag (Ponder at its best, PGlite, ${liveLag.blocks} blocks): p50 ${liveLag.p50Ms} ms, p99 ${liveLag.p99Ms} ms, max ${liveLag.maxMs} ms`,
    );
  if (args.json) {
    const { manifest, ...chainFigures } = chain;
    log(JSON.stringify({ chain: { ...chainFigures, contracts: manifest.contracts }, runs, liveLag }));
  }
} finally {
  await node.stop();
}
