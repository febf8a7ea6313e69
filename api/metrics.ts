// Prometheus metrics of the API, in a registry of their own (one per app, so tests can build several
// apps in one process and the lead can merge the indexer's registry beside it). Names are prefixed
// `firm_api_` and carry their unit.
import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

export interface ApiMetrics {
  registry: Registry;
  /** HTTP requests by route (graphql, health, ready, metrics, other) and status code. */
  requests: Counter<"route" | "status">;
  /** GraphQL request latency by operation type (query, subscription), of requests that parsed. */
  latency: Histogram<"operation">;
  /** GraphQL errors sent to clients, by `extensions.code`. */
  errors: Counter<"code">;
  /** DataLoader loads by loader (one per table) and result: "hit" (answered from the request's
   * cache) or "miss" (fetched in a batch). */
  loaderLoads: Counter<"loader" | "result">;
  /** Batched queries the loaders ran: misses ÷ batches is the batching factor. */
  loaderBatches: Counter<"loader">;
  /** GraphQL queries by how the response cache met them: "hit" (answered from it, nothing executed) or
   * "miss" (executed). Mutations and subscriptions, never cached, are not counted. */
  responseCache: Counter<"result">;
}

/** Latency buckets in seconds: 5 ms for a cached lookup up to the 10 s default request timeout. */
const LATENCY_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Creates the API's metrics in `registry` (a new one by default), with Node's default process
 * metrics.
 *
 * @example
 * const metrics = createApiMetrics();
 * await metrics.registry.metrics(); // the Prometheus text format
 */
export function createApiMetrics({ registry = new Registry() }: { registry?: Registry } = {}): ApiMetrics {
  const registers = [registry];
  collectDefaultMetrics({ register: registry, prefix: "firm_api_" });
  return {
    registry,
    requests: new Counter({
      name: "firm_api_requests_total",
      help: "HTTP requests by route and status code.",
      labelNames: ["route", "status"],
      registers,
    }),
    latency: new Histogram({
      name: "firm_api_request_duration_seconds",
      help: "GraphQL request latency, from arrival to the end of the response (subscriptions: to the first event).",
      labelNames: ["operation"],
      buckets: LATENCY_BUCKETS_S,
      registers,
    }),
    errors: new Counter({
      name: "firm_api_errors_total",
      help: "GraphQL errors sent to clients, by extensions.code.",
      labelNames: ["code"],
      registers,
    }),
    loaderLoads: new Counter({
      name: "firm_api_dataloader_loads_total",
      help: "DataLoader loads by loader and result (hit: from the request's cache; miss: fetched in a batch).",
      labelNames: ["loader", "result"],
      registers,
    }),
    loaderBatches: new Counter({
      name: "firm_api_dataloader_batches_total",
      help: "Batched queries run by the DataLoaders.",
      labelNames: ["loader"],
      registers,
    }),
    responseCache: new Counter({
      name: "firm_api_response_cache_total",
      help: "GraphQL queries by response cache result (hit: answered from the cache; miss: executed).",
      labelNames: ["result"],
      registers,
    }),
  };
}
