// A per-IP rate limit on the GraphQL endpoint: a fixed one-minute window per client address, counted
// in this process or, with Redis, across every API process (so a client cannot multiply its allowance
// by the number of processes behind the load balancer). Over the limit: HTTP 429, Retry-After, and a
// RATE_LIMITED error. Health, readiness and metrics are never limited.

import type { Plugin } from "graphql-yoga";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { ERROR_CODES } from "../errors.ts";
import type { ApiMetrics } from "../metrics.ts";

/** The window: limits are "per minute". */
const WINDOW_MS = 60_000;

export interface RateLimitDecision {
  allowed: boolean;
  /** Seconds until the window resets. */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  consume(client: string): Promise<RateLimitDecision>;
}

export interface CreateRateLimiterParameters {
  perMinute: number;
  /** Counts in Redis when given (shared by every process); in memory otherwise. */
  redis?: Redis | undefined;
  /** Key prefix in Redis. */
  prefix?: string;
  clock?: () => number;
  logger?: Logger | undefined;
}

/**
 * A fixed-window limiter. A Redis failure lets requests through (and logs): an outage of the limiter
 * must not become an outage of the API.
 *
 * @example
 * const limiter = createRateLimiter({ perMinute: 600 });
 * (await limiter.consume("203.0.113.7")).allowed // true for the first 600 this minute
 */
export function createRateLimiter({
  perMinute,
  redis,
  prefix = "firm:ratelimit",
  clock = Date.now,
  logger,
}: CreateRateLimiterParameters): RateLimiter {
  let window = -1;
  const counts = new Map<string, number>();
  return {
    async consume(client) {
      const now = clock();
      const current = Math.floor(now / WINDOW_MS);
      const retryAfterSeconds = Math.ceil(((current + 1) * WINDOW_MS - now) / 1000);
      let count: number;
      if (redis) {
        const key = `${prefix}:${current}:${client}`;
        try {
          const replies = await redis.multi().incr(key).pexpire(key, WINDOW_MS).exec();
          count = Number(replies?.[0]?.[1] ?? 0);
        } catch (error) {
          logger?.warn({
            msg: "Rate limiter could not reach Redis; letting the request through",
            error: String(error),
          });
          return { allowed: true, retryAfterSeconds };
        }
      } else {
        if (current !== window) {
          // A new minute: every client starts again, and the map never holds more than one window.
          counts.clear();
          window = current;
        }
        count = (counts.get(client) ?? 0) + 1;
        counts.set(client, count);
      }
      return { allowed: count <= perMinute, retryAfterSeconds };
    },
  };
}

interface ServerContextWithRequest {
  req?: { ip?: string; socket?: { remoteAddress?: string } };
}

/** The client's address: express's req.ip (which honours "trust proxy"), else the socket's. */
export function clientAddress(serverContext: ServerContextWithRequest | undefined): string {
  return serverContext?.req?.ip ?? serverContext?.req?.socket?.remoteAddress ?? "unknown";
}

/**
 * Applies `limiter` to requests for `endpoint`.
 *
 * @example
 * createYoga({ plugins: [useRateLimit({ limiter, endpoint: "/graphql", metrics })] });
 */
export function useRateLimit({
  limiter,
  endpoint,
  metrics,
}: {
  limiter: RateLimiter;
  endpoint: string;
  metrics: ApiMetrics;
}): Plugin {
  return {
    async onRequest({ url, serverContext, endResponse, fetchAPI }) {
      if (url.pathname !== endpoint) return;
      const client = clientAddress(serverContext as ServerContextWithRequest);
      const { allowed, retryAfterSeconds } = await limiter.consume(client);
      if (allowed) return;
      metrics.errors.inc({ code: ERROR_CODES.RATE_LIMITED });
      const body = {
        errors: [
          {
            message: `Too many requests from ${client} this minute. Retry in ${retryAfterSeconds} s.`,
            extensions: { code: ERROR_CODES.RATE_LIMITED, retryAfterSeconds },
          },
        ],
      };
      endResponse(
        new fetchAPI.Response(JSON.stringify(body), {
          status: 429,
          headers: {
            "content-type": "application/json; charset=utf-8",
            "retry-after": String(retryAfterSeconds),
          },
        }),
      );
    },
  };
}
