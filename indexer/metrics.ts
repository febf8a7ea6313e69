// Prometheus metrics of the indexer, in their own registry so that the API can serve them beside its
// own (`registry.metrics()`), tests can create as many indexers as they like, and `firm index` can
// serve them on METRICS_PORT. Names are prefixed `firm_indexer_` and carry their unit.
import { createServer, type Server } from "node:http";
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { RpcErrorKind } from "../kernel/errors.ts";

export interface Metrics {
  registry: Registry;
  headBlock: Gauge;
  indexedBlock: Gauge;
  /** Present only while this instance writes (indexer.ts), so that a standby cannot report 0. */
  lagBlocks: Gauge;
  eventsApplied: Counter;
  eventsPerSecond: Gauge;
  rangesApplied: Counter<"stage">;
  entityRowsRead: Counter;
  rangeRetries: Counter;
  rpcRequests: Counter<"method">;
  rpcErrors: Counter<"kind" | "method">;
  reorgs: Counter;
  reorgDepth: Histogram;
  /** 1 while this instance holds the writer lock (or needs none), 0 as a standby. */
  leader: Gauge;
}

/** Reorg depths in blocks: 1–3 are everyday on L1, 64 is Ethereum's finality, 240+ Arbitrum's. */
const REORG_DEPTH_BUCKETS = [1, 2, 3, 5, 8, 16, 32, 64, 128, 256];

/**
 * Creates the indexer's metrics in `registry` (a new one by default).
 *
 * @example
 * const metrics = createMetrics();
 * response.end(await metrics.registry.metrics());
 */
export function createMetrics({ registry = new Registry() }: { registry?: Registry } = {}): Metrics {
  const registers = [registry];
  return {
    registry,
    headBlock: new Gauge({
      name: "firm_indexer_head_block",
      help: "Latest block number of the chain.",
      registers,
    }),
    indexedBlock: new Gauge({
      name: "firm_indexer_indexed_block",
      help: "Last block whose events are in the mirror (the checkpoint).",
      registers,
    }),
    lagBlocks: withoutSample(
      new Gauge({
        name: "firm_indexer_lag_blocks",
        help: "Head block minus indexed block; reported by the writer only (absent on a standby).",
        registers,
      }),
    ),
    eventsApplied: new Counter({
      name: "firm_indexer_events_applied_total",
      help: "Logs applied to the mirror (re-applied logs after a reorg count again).",
      registers,
    }),
    eventsPerSecond: new Gauge({
      name: "firm_indexer_events_per_second",
      help: "Logs applied per second, averaged over the last 10 s.",
      registers,
    }),
    rangesApplied: new Counter({
      name: "firm_indexer_ranges_applied_total",
      help: "Block ranges committed to the mirror, by stage (backfill or live).",
      labelNames: ["stage"],
      registers,
    }),
    entityRowsRead: new Counter({
      name: "firm_indexer_entity_rows_read_total",
      help: "Entity rows a range read from the database because memory did not hold them (ENTITY_ROWS_IN_MEMORY).",
      registers,
    }),
    rangeRetries: new Counter({
      name: "firm_indexer_range_retries_total",
      help: "Extra passes of the handlers over a range after it read rows memory did not hold and the prefetch missed.",
      registers,
    }),
    rpcRequests: new Counter({
      name: "firm_indexer_rpc_requests_total",
      help: "RPC requests sent, by JSON-RPC method (retries count again).",
      labelNames: ["method"],
      registers,
    }),
    rpcErrors: new Counter({
      name: "firm_indexer_rpc_errors_total",
      help: "Failed RPC requests, by kind of fault and JSON-RPC method.",
      labelNames: ["kind", "method"],
      registers,
    }),
    reorgs: new Counter({ name: "firm_indexer_reorgs_total", help: "Reorgs rolled back.", registers }),
    reorgDepth: new Histogram({
      name: "firm_indexer_reorg_depth_blocks",
      help: "Blocks rolled back per reorg.",
      buckets: REORG_DEPTH_BUCKETS,
      registers,
    }),
    leader: new Gauge({
      name: "firm_indexer_leader",
      help: "1 while this instance is the writer, 0 while it waits as a standby.",
      registers,
    }),
  };
}

/** A gauge without labels starts at 0; this one reports nothing until it is first set. */
function withoutSample(gauge: Gauge): Gauge {
  gauge.remove();
  return gauge;
}

/** Counts one failed RPC request. */
export function countRpcError(metrics: Metrics, kind: RpcErrorKind, method: string): void {
  metrics.rpcErrors.inc({ kind, method });
}

/**
 * Serves `GET /metrics` from `registry` on `port`, for `firm index` with METRICS_PORT. Listens on
 * every interface by default, because Prometheus scrapes from another host. Resolves once listening.
 */
export async function serveMetrics(registry: Registry, port: number, host = "0.0.0.0"): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.method !== "GET" || request.url?.split("?")[0] !== "/metrics") {
      response.writeHead(404).end("Not found; metrics are at /metrics\n");
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { "content-type": registry.contentType }).end(text),
      () => response.writeHead(500).end("Metrics are unavailable\n"),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

/** Tracks applied events over a sliding window to feed `eventsPerSecond`. */
export function createEventRate(metrics: Metrics, windowMs = 10_000) {
  const samples: { time: number; events: number }[] = [];
  return (events: number, now = Date.now()) => {
    samples.push({ time: now, events });
    while (samples.length > 1 && now - samples[0]!.time > windowMs) samples.shift();
    const total = samples.reduce((sum, sample) => sum + sample.events, 0);
    const seconds = Math.max(1, now - samples[0]!.time) / 1000;
    // The oldest sample's events happened before the window started, hence the subtraction.
    metrics.eventsPerSecond.set(samples.length > 1 ? (total - samples[0]!.events) / seconds : 0);
  };
}
