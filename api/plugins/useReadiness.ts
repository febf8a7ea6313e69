// GET /ready: 200 while the mirror is within the configured number of blocks of the chain's head,
// 503 otherwise, with the figures as JSON either way (so a probe's log says why). The head comes from
// the app's injected `head` function (a cached value in production, a stub in tests): no chain call.
// Liveness is yoga's built-in /health.
import { type Plugin, useReadinessCheck } from "graphql-yoga";
import type { AppServices } from "../context.ts";
import { readIndexingStatus } from "../modules/firm/readIndexingStatus.ts";

/**
 * The readiness endpoint.
 *
 * @example
 * createYoga({ plugins: [useReadiness({ services })] });
 */
export function useReadiness({
  services,
  endpoint = "/ready",
}: {
  services: AppServices;
  endpoint?: string;
}): Plugin {
  return useReadinessCheck({
    endpoint,
    async check({ fetchAPI }) {
      let body: Record<string, unknown>;
      let ready: boolean;
      try {
        const status = await readIndexingStatus(services, await services.readMirrorState());
        ready = status.synced;
        body = { ready, ...status };
      } catch (error) {
        // The database is unreachable: not ready, and say so without internals.
        services.logger.warn({ msg: "Readiness check failed", err: error });
        ready = false;
        body = { ready, error: "The mirror's database cannot be read." };
      }
      return new fetchAPI.Response(JSON.stringify(body), {
        status: ready ? 200 : 503,
        headers: { "content-type": "application/json; charset=utf-8" },
      });
    },
  });
}
