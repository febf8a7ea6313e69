// The app's proof-of-presence service, built once per app (app.ts) and handed to resolvers in the
// context: the challenge store, the per-client limit on issuing, how long a challenge lives and the
// public origin every proof must name.
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { createRateLimiter, type RateLimiter } from "../../plugins/useRateLimit.ts";
import { type ChallengeStore, createChallengeStore } from "./challenges.ts";

export interface PresenceService {
  store: ChallengeStore;
  /** Limits presenceChallenge per client address; undefined when the limit is off (0). */
  limiter: RateLimiter | undefined;
  /** The limit the limiter applies (0: off), for its error message. */
  challengesPerMinute: number;
  /** Seconds a challenge is valid after it is issued. */
  ttlSeconds: number;
  /** The origin (scheme://host[:port]) proofs must name: PUBLIC_ORIGIN, else where the API listens. */
  origin(): string;
  /** listenApi's origin, used when PUBLIC_ORIGIN was not set. */
  listeningAt(origin: string): void;
}

export interface CreatePresenceServiceParameters {
  /** PUBLIC_ORIGIN; undefined: where the API listens (listeningAt), else `fallbackOrigin`. */
  publicOrigin: string | undefined;
  fallbackOrigin: string;
  challengesPerMinute: number;
  ttlSeconds: number;
  redis?: Redis | undefined;
  /** The deployment's namespace in Redis (keys go under `<namespace>:presence:`). */
  namespace: string;
  clock: () => number;
  logger?: Logger | undefined;
}

/**
 * @example
 * const presence = createPresenceService({ publicOrigin: "https://firm.example", fallbackOrigin, challengesPerMinute: 10, ttlSeconds: 600, namespace, clock: Date.now });
 */
export function createPresenceService(parameters: CreatePresenceServiceParameters): PresenceService {
  let listening: string | undefined;
  const { redis, namespace, clock } = parameters;
  return {
    store: createChallengeStore({ redis, prefix: `${namespace}:presence:`, clock }),
    limiter:
      parameters.challengesPerMinute > 0
        ? createRateLimiter({
            perMinute: parameters.challengesPerMinute,
            redis,
            prefix: `${namespace}:presence-ratelimit:`,
            logger: parameters.logger,
          })
        : undefined,
    challengesPerMinute: parameters.challengesPerMinute,
    ttlSeconds: parameters.ttlSeconds,
    origin: () => parameters.publicOrigin ?? listening ?? parameters.fallbackOrigin,
    listeningAt(origin) {
      listening = origin;
    },
  };
}
