// One load test: autocannon's connections POST GraphQL requests, each request's variables taken in
// turn from a pool (setupRequest), so consecutive requests ask for different members, grants, pages.
// Latency percentiles come from every response's own time (autocannon's histogram rounds to whole
// milliseconds); a 200 whose body carries GraphQL errors counts as an error, not as a success.
import autocannon from "autocannon";

export interface LoadTestParameters {
  /** The GraphQL endpoint. */
  url: string;
  /** Request bodies, JSON, used round-robin. */
  bodies: string[];
  connections: number;
  /** How long to load, in seconds; or, with `requests`, until that many requests were made. */
  durationSeconds?: number;
  requests?: number;
}

export interface LoadTestReturnType {
  /** Median latency of successful responses, ms (two decimals). */
  p50Ms: number;
  p99Ms: number;
  /** Successful responses per second over the run. */
  rps: number;
  /** Successful responses in all. */
  requests: number;
  /** Non-2xx answers, GraphQL errors in a 200, timeouts and socket errors. */
  errors: number;
  /** The first failing answer, for the error message. */
  firstError: string | null;
}

/**
 * Runs one autocannon load against `url`.
 *
 * @example
 * const result = await loadTest({ url, bodies: [JSON.stringify({ query: "{ firm { name } }" })], connections: 32, durationSeconds: 10 });
 */
export async function loadTest({
  url,
  bodies,
  connections,
  durationSeconds,
  requests,
}: LoadTestParameters): Promise<LoadTestReturnType> {
  if (bodies.length === 0) throw new Error("loadTest needs at least one request body");
  if ((durationSeconds === undefined) === (requests === undefined))
    throw new Error("loadTest needs either durationSeconds or requests");
  let next = 0;
  let failed = 0;
  let firstError: string | null = null;
  const latencies: number[] = [];
  const instance = autocannon({
    url,
    // autocannon refuses more connections than requests.
    connections: requests === undefined ? connections : Math.min(connections, requests),
    ...(requests === undefined ? { duration: durationSeconds } : { amount: requests }),
    requests: [
      {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        setupRequest: (request) => {
          request.body = bodies[next++ % bodies.length]!;
          return request;
        },
        onResponse: (status, body) => {
          if (status === 200 && !body.includes('"errors"')) return;
          failed++;
          firstError ??= `HTTP ${status}: ${body.slice(0, 300)}`;
        },
      },
    ],
  });
  // autocannon passes (client, statusCode, bytes, responseTime) at run time; its types omit the client.
  (instance as unknown as NodeJS.EventEmitter).on(
    "response",
    (_client: unknown, status: number, _bytes: number, responseTime: number) => {
      if (status === 200) latencies.push(responseTime);
    },
  );
  const result = await instance;
  latencies.sort((a, b) => a - b);
  const successes = Math.max(0, latencies.length - failed);
  return {
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    rps: Math.round(successes / result.duration),
    requests: successes,
    // `failed` already holds the non-2xx answers; autocannon's `errors` includes its timeouts.
    errors: failed + result.errors,
    firstError,
  };
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  const value = sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return Math.round(value * 100) / 100;
}
