// A per-IP rate limit on the GraphQL endpoint: a one-minute window per client address, counted in
// this process or, with Redis, across every API process (so a client cannot multiply its allowance
// by the number of processes behind the load balancer). Over the limit: HTTP 429, Retry-After, and a
// RATE_LIMITED error. Health, readiness and metrics are never limited.
//
// The counting is express-rate-limit's (its MemoryStore, and rate-limit-redis's RedisStore: an atomic
// Lua script per hit) and so is the client key (ipKeyGenerator: an IPv6 client counts per /56, as it
// can rotate through its whole prefix). Its express middleware is not used: the limit is a yoga
// plugin like every other endpoint concern (app.ts), so it also holds for requests that reach yoga
// without express (yoga.fetch, which the tests and any embedding use), and the 429 carries the
// API's GraphQL error body and its errors-by-code metric.

import { ipKeyGenerator, MemoryStore, type Options, type Store } from "express-rate-limit";
import type { Plugin } from "graphql-yoga";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { type RedisReply, RedisStore } from "rate-limit-redis";
import { ERROR_CODES } from "../errors.ts";
import type { ApiMetrics } from "../metrics.ts";

/** The window: limits are "per minute". */
const WINDOW_MS = 60_000;

export interface RateLimitDecision {
  allowed: boolean;
  /** Seconds until the client's window resets. */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  consume(client: string): Promise<RateLimitDecision>;
}

export interface CreateRateLimiterParameters {
  perMinute: number;
  /** Counts in Redis (shared by every process); in memory when absent. */
  redis?: Redis | undefined;
  /** Prefix of the keys in Redis, within the deployment's namespace; required with `redis` (no fixed
   * default: two deployments on one Redis server must not share counters). */
  prefix?: string | undefined;
  logger?: Logger | undefined;
}

/**
 * The limiter. A Redis failure lets requests through (and logs): an outage of the limiter must not
 * become an outage of the API.
 *
 * @example
 * const limiter = createRateLimiter({ perMinute: 600 });
 * (await limiter.consume("203.0.113.7")).allowed // true for the first 600 this minute
 */
export function createRateLimiter({
  perMinute,
  logger,
  redis,
  prefix,
}: CreateRateLimiterParameters): RateLimiter {
  if (redis && !prefix) throw new TypeError("createRateLimiter: Redis keys need the deployment's prefix.");
  const store: Store = redis
    ? new RedisStore({
        prefix,
        sendCommand: (command: string, ...args: string[]) =>
          redis.call(command, ...args) as Promise<RedisReply>,
      })
    : new MemoryStore();
  // The stores read only windowMs from the middleware's options.
  const options = { windowMs: WINDOW_MS } as Options;
  // RedisStore keeps a failed script load and fails every hit after it, so a Redis that was down at
  // start would leave the limit off for good; preparing again after a failure lets it recover.
  let preparing = false;
  const prepare = async () => {
    preparing = true;
    try {
      // Called synchronously up to its first await: MemoryStore is ready before the first hit.
      await store.init?.(options);
    } catch (error) {
      logger?.warn({ msg: "Rate limiter could not prepare its store", error: String(error) });
    } finally {
      preparing = false;
    }
  };
  void prepare();
  return {
    async consume(client) {
      let totalHits: number;
      let resetTime: Date | undefined;
      try {
        ({ totalHits, resetTime } = await store.increment(ipKeyGenerator(client)));
      } catch (error) {
        logger?.warn({
          msg: "Rate limiter could not reach Redis; letting the request through",
          error: String(error),
        });
        if (!preparing) void prepare();
        return { allowed: true, retryAfterSeconds: 0 };
      }
      const resetsInMs = resetTime ? resetTime.getTime() - Date.now() : WINDOW_MS;
      return {
        allowed: totalHits <= perMinute,
        retryAfterSeconds: Math.max(1, Math.ceil(resetsInMs / 1000)),
      };
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
