// Prometheus metrics of the webhook delivery worker, in a registry of the caller's (the indexer's or
// the API's, so one /metrics shows them beside the rest). Names are prefixed `firm_webhook_`.
import { Counter, Histogram, Registry } from "prom-client";

export interface WebhookMetrics {
  registry: Registry;
  /** Attempts by outcome: delivered, retry (failed, will be tried again), dead (given up) or released
   * (cut short by the worker's stop, given back uncounted). */
  attempts: Counter<"outcome">;
  /** Time from sending the request to its settled outcome, success or not. */
  attemptSeconds: Histogram;
}

/** From a fast local receiver (5 ms) to the default 10 s timeout. */
const ATTEMPT_BUCKETS_S = [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Creates the worker's metrics in `registry` (a new one by default).
 *
 * @example
 * const metrics = createWebhookMetrics({ registry: indexerMetrics.registry });
 */
export function createWebhookMetrics({
  registry = new Registry(),
}: {
  registry?: Registry;
} = {}): WebhookMetrics {
  const registers = [registry];
  return {
    registry,
    attempts: new Counter({
      name: "firm_webhook_attempts_total",
      help: "Webhook delivery attempts, by outcome (delivered, retry, dead, released).",
      labelNames: ["outcome"],
      registers,
    }),
    attemptSeconds: new Histogram({
      name: "firm_webhook_attempt_seconds",
      help: "Duration of one webhook delivery attempt, in seconds.",
      buckets: ATTEMPT_BUCKETS_S,
      registers,
    }),
  };
}
