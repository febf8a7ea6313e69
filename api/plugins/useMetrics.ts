// Prometheus metrics and their endpoint: requests by route and status, GraphQL latency by operation
// type, errors by code (every error a client receives, stream events included), and the DataLoaders'
// hits and batches (counted by loaders/createLoader.ts). GET /metrics serves the registry.
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
  graphqlEndpoint = "/graphql",
}: {
  metrics: ApiMetrics;
  endpoint?: string;
  graphqlEndpoint?: string;
}): Plugin {
  const started = new WeakMap<Request, number>();
  const operations = new WeakMap<Request, string>();
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
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      started.set(request, performance.now());
      if (url.pathname === endpoint && request.method === "GET") {
        endResponse(
          new fetchAPI.Response(await metrics.registry.metrics(), {
            headers: { "content-type": metrics.registry.contentType },
          }),
        );
      }
    },
    onExecute({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      const operation = args.document.definitions.find(
        (d: { kind: string }) => d.kind === "OperationDefinition",
      );
      if (request && operation && "operation" in operation) operations.set(request, operation.operation);
    },
    onSubscribe({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      if (request) operations.set(request, "subscription");
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
      const url = new URL(request.url);
      const route = routeOf(url.pathname);
      metrics.requests.inc({ route, status: String(response.status) });
      const start = started.get(request);
      if (route === "graphql" && start !== undefined) {
        metrics.latency.observe(
          { operation: operations.get(request) ?? "none" },
          (performance.now() - start) / 1000,
        );
      }
    },
  };
}
