// Prometheus metrics and their endpoint: requests by route and status, GraphQL latency by operation
// type, errors by code (every error a client receives, stream events included), and the DataLoaders'
// hits and batches (counted by modules/core/createLoader.ts). GET /metrics serves the registry.
//
// @graphql-yoga/plugin-prometheus serves the endpoint and times GraphQL requests (its HTTP-duration
// histogram, recorded into our firm_api_request_duration_seconds). Two counters stay here, because
// the plugin has nothing that counts what they count:
// - firm_api_requests_total counts every route (health, readiness, metrics, 404s) by status; the
//   plugin only sees GraphQL requests that parsed.
// - firm_api_errors_total counts errors as the client receives them: after masking (an internal
//   error counts as INTERNAL_SERVER_ERROR, not as whatever it was inside), one per error, including
//   those yoga raises before execution (a malformed body). The plugin's error counter sees execution
//   results before masking, counts a failed validation once whatever it held, and never sees
//   request errors.
// The plugin's other metrics stay off: they are labelled by operation name, which each client
// chooses freely, so any client could add series without bound.
//
// With `render`, the endpoint serves its text instead of the registry's (the workers' sum, api/workers.ts);
// a failure there is a 503 that says so, not a partial page.
import { usePrometheus } from "@graphql-yoga/plugin-prometheus";
import type { GraphQLError } from "graphql/index.js";
import { isAsyncIterable, mapAsyncIterator, type Plugin } from "graphql-yoga";
import type { ApiMetrics } from "../metrics.ts";

interface CodedResult {
  errors?: readonly (GraphQLError | { extensions?: Record<string, unknown> })[];
}

/**
 * Records the metrics and serves them at `endpoint`.
 *
 * @example
 * createYoga({ plugins: [useMetrics({ metrics, endpoint: "/metrics", graphqlEndpoint: "/graphql" })] });
 */
export function useMetrics({
  metrics,
  endpoint = "/metrics",
  render,
  graphqlEndpoint = "/graphql",
}: {
  metrics: ApiMetrics;
  /** The endpoint's text, when not this registry's. */
  render?: (() => Promise<string>) | undefined;
  endpoint?: string;
  graphqlEndpoint?: string;
}): Plugin {
  const routeOf = (path: string) =>
    path === graphqlEndpoint
      ? "graphql"
      : ["/health", "/ready", endpoint].includes(path)
        ? path.slice(1)
        : "other";
  const countErrors = (result: CodedResult) => {
    for (const error of result.errors ?? []) {
      metrics.errors.inc({ code: String(error.extensions?.code ?? "UNKNOWN") });
    }
  };
  const prometheus = usePrometheus({
    registry: metrics.registry,
    endpoint,
    metrics: {
      graphql_yoga_http_duration: {
        histogram: metrics.latency,
        fillLabelsFn: (params) => ({ operation: params.operationType ?? "none" }),
      },
      graphql_envelop_deprecated_field: false,
      graphql_envelop_request: false,
      graphql_envelop_request_duration: false,
      graphql_envelop_request_time_summary: false,
      graphql_envelop_phase_parse: false,
      graphql_envelop_phase_validate: false,
      graphql_envelop_phase_context: false,
      graphql_envelop_error_result: false,
      graphql_envelop_execute_resolver: false,
      graphql_envelop_phase_execute: false,
      graphql_envelop_phase_subscribe: false,
      graphql_envelop_schema_change: false,
    },
  });
  return {
    onPluginInit({ addPlugin }) {
      addPlugin(prometheus);
    },
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (!render || url.pathname !== endpoint || request.method !== "GET") return;
      try {
        const text = await render();
        endResponse(
          new fetchAPI.Response(text, { headers: { "content-type": metrics.registry.contentType } }),
        );
      } catch (error) {
        endResponse(
          new fetchAPI.Response(`Could not collect the metrics: ${(error as Error).message}\n`, {
            status: 503,
            headers: { "content-type": "text/plain; charset=utf-8" },
          }),
        );
      }
    },
    onResultProcess({ result, setResult }) {
      if (isAsyncIterable(result)) {
        setResult(
          mapAsyncIterator(result, (event) => {
            countErrors(event as CodedResult);
            return event;
          }),
        );
      } else {
        for (const single of Array.isArray(result) ? result : [result]) countErrors(single as CodedResult);
      }
    },
    onResponse({ request, response }) {
      metrics.requests.inc({
        route: routeOf(new URL(request.url).pathname),
        status: String(response.status),
      });
    },
  };
}
