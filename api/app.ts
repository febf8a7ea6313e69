// The API as an express app hosting graphql-yoga and the web page (/, api/web): /graphql (GraphiQL
// outside production), /health (liveness), /ready (the mirror is within N blocks of the head),
// /metrics (Prometheus). Everything but the page is a yoga plugin, so tests reach every endpoint
// through `yoga.fetch` with no port; express adds the socket-level concerns (the client's address
// behind proxies). server.ts only listens.
import type { IncomingMessage, ServerResponse } from "node:http";
import express, { type Express } from "express";
import { GraphQLError } from "graphql/index.js";
import { createYoga, type YogaServerInstance } from "graphql-yoga";
import type { Redis } from "ioredis";
import { type Logger, pino } from "pino";
import type { PublicClient } from "viem";
import type { Manifest } from "../contracts/manifest.ts";
import { deploymentRedisNamespace } from "../indexer/config.ts";
import type { Database } from "../indexer/store/db.ts";
import { API_DEFAULTS } from "./config.ts";
import {
  type ApiContext,
  type AppServices,
  type ChainHead,
  createContext,
  createMirrorStateReader,
} from "./context.ts";
import type { CommitBus } from "./createCommitBus.ts";
import { ERROR_CODES } from "./errors.ts";
import { createMembershipReads } from "./membershipReads.ts";
import { type ApiMetrics, createApiMetrics } from "./metrics.ts";
import { createApiSchema, createLoaders, createStatements } from "./modules/index.ts";
import { createPresenceService } from "./modules/presence/service.ts";
import { originOf } from "./origin.ts";
import { DEFAULT_MAX_BODY_BYTES, useBodyLimit } from "./plugins/useBodyLimit.ts";
import { useBooksCsv } from "./plugins/useBooksCsv.ts";
import { isExpected, useErrorMasking } from "./plugins/useErrorMasking.ts";
import { useGraphiQL } from "./plugins/useGraphiQL.ts";
import { useMetrics } from "./plugins/useMetrics.ts";
import { DEFAULT_QUERY_LIMITS, type QueryLimits, useQueryLimits } from "./plugins/useQueryLimits.ts";
import { clientAddress, createRateLimiter, useRateLimit } from "./plugins/useRateLimit.ts";
import { useReadiness } from "./plugins/useReadiness.ts";
import { useRequestId } from "./plugins/useRequestId.ts";
import { useRequestTimeout } from "./plugins/useRequestTimeout.ts";
import { createResponseCache } from "./plugins/useResponseCache.ts";
import { createWebRouter } from "./web/serveWeb.ts";

export const GRAPHQL_ENDPOINT = "/graphql";

/** What the HTTP server hands yoga: express's request (for the client address) and response. */
export interface ServerContext {
  req?: IncomingMessage & { ip?: string };
  res?: ServerResponse;
}

export interface AppOptions {
  /** Serve GraphiQL on GET /graphql from a browser (off in production). */
  graphiql: boolean;
  /** Browser origins allowed to call the API: "*", a list, or false (no CORS headers). */
  corsOrigins: "*" | string[] | false;
  readyMaxLagBlocks: number;
  /** GraphQL requests per client address per minute; 0 = no limit. */
  rateLimitPerMinute: number;
  requestTimeoutMs: number;
  maxBodyBytes: number;
  limits: QueryLimits;
  /** Express's "trust proxy" hop count, for the client address behind load balancers. */
  trustProxy: number;
  firmName: string;
  /** The origin proofs of presence must name (PUBLIC_ORIGIN); undefined: where the API listens. */
  publicOrigin: string | undefined;
  /** presenceChallenge calls per client address per minute; 0 = no limit. */
  presenceChallengesPerMinute: number;
  /** How long a presence challenge is valid, in seconds. */
  presenceChallengeTtlSeconds: number;
  /** Cache whole query responses by the mirror's revision (plugins/useResponseCache.ts). */
  responseCache: boolean;
  responseCacheMaxEntries: number;
}

export const DEFAULT_APP_OPTIONS: AppOptions = {
  graphiql: true,
  corsOrigins: false,
  readyMaxLagBlocks: API_DEFAULTS.readyMaxLagBlocks,
  rateLimitPerMinute: API_DEFAULTS.rateLimitPerMinute,
  requestTimeoutMs: API_DEFAULTS.requestTimeoutMs,
  maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
  limits: DEFAULT_QUERY_LIMITS,
  trustProxy: API_DEFAULTS.trustProxy,
  firmName: "MSP IT Partners",
  publicOrigin: undefined,
  presenceChallengesPerMinute: API_DEFAULTS.presenceChallengesPerMinute,
  presenceChallengeTtlSeconds: API_DEFAULTS.presenceChallengeTtlSeconds,
  responseCache: API_DEFAULTS.responseCache,
  responseCacheMaxEntries: API_DEFAULTS.responseCacheMaxEntries,
};

export interface BuildAppParameters {
  /** The mirror, migrated. The app does not close it: its owner does. */
  db: Database;
  manifest: Manifest;
  /** Reads the chain for verifyMembership's live check (the only per-request chain call). */
  publicClient?: PublicClient | undefined;
  /** The commit bus the subscriptions listen to. */
  bus: CommitBus;
  /** The chain's head for /ready and indexingStatus: a cached value, never a call per request. */
  head: () => Promise<ChainHead | null>;
  /** Shares the rate limit between API processes when given. */
  redis?: Redis | undefined;
  /** The deployment's namespace in Redis (REDIS_NAMESPACE); derived from the manifest by default. */
  redisNamespace?: string | undefined;
  logger?: Logger;
  metrics?: ApiMetrics;
  /** The text /metrics serves; `metrics`' registry by default. (A worker of `firm serve` with
   * API_WORKERS > 1 serves every worker's numbers, summed: api/workers.ts.) */
  renderMetrics?: (() => Promise<string>) | undefined;
  /** Milliseconds since the epoch; tests pin it. */
  clock?: () => number;
  options?: Partial<AppOptions>;
}

export interface BuildAppReturnType {
  app: Express;
  yoga: YogaServerInstance<ServerContext, ApiContext>;
  metrics: ApiMetrics;
  services: AppServices;
}

/**
 * Builds the API (it does not listen: see server.ts).
 *
 * @example
 * const { app, yoga } = buildApp({ db, manifest, publicClient, bus, head: tracker.head });
 * app.listen(4000);
 * await yoga.fetch("http://api/graphql", { method: "POST", body: JSON.stringify({ query: "{ firm { name } }" }) });
 */
export function buildApp(parameters: BuildAppParameters): BuildAppReturnType {
  const options = { ...DEFAULT_APP_OPTIONS, ...parameters.options };
  const logger = parameters.logger ?? pino({ level: "silent" });
  const metrics = parameters.metrics ?? createApiMetrics();
  const clock = parameters.clock ?? Date.now;
  const namespace = deploymentRedisNamespace(parameters.manifest, parameters.redisNamespace);
  const statements = createStatements(parameters.db);
  const services: AppServices = {
    db: parameters.db,
    statements,
    readMirrorState: createMirrorStateReader({
      db: parameters.db,
      statements,
      manifest: parameters.manifest,
    }),
    createLoaders,
    manifest: parameters.manifest,
    publicClient: parameters.publicClient,
    membershipReads: createMembershipReads(),
    bus: parameters.bus,
    head: parameters.head,
    metrics,
    logger,
    clock,
    readyMaxLagBlocks: options.readyMaxLagBlocks,
    firmName: options.firmName,
    presence: createPresenceService({
      publicOrigin: options.publicOrigin,
      // Without a listening server (yoga.fetch, tests), the default port on this machine.
      fallbackOrigin: originOf(undefined, API_DEFAULTS.port),
      challengesPerMinute: options.presenceChallengesPerMinute,
      ttlSeconds: options.presenceChallengeTtlSeconds,
      redis: parameters.redis,
      namespace,
      clock,
      logger,
    }),
  };
  const responseCache = options.responseCache
    ? createResponseCache({
        services,
        maxEntries: options.responseCacheMaxEntries,
        readWaitMs: options.requestTimeoutMs,
      })
    : undefined;
  const requestIds = useRequestId();
  const limiter =
    options.rateLimitPerMinute > 0
      ? createRateLimiter({
          perMinute: options.rateLimitPerMinute,
          redis: parameters.redis,
          prefix: `${namespace}:ratelimit:`,
          logger,
        })
      : undefined;

  // From our own origin, not yoga's CDN default: it works offline and under a strict policy.
  const graphiql = options.graphiql ? useGraphiQL({ endpoint: GRAPHQL_ENDPOINT }) : undefined;

  const yoga = createYoga<ServerContext, ApiContext>({
    schema: createApiSchema(),
    graphqlEndpoint: GRAPHQL_ENDPOINT,
    healthCheckEndpoint: "/health",
    graphiql: options.graphiql ? { title: `${options.firmName} API` } : false,
    renderGraphiQL: graphiql?.render,
    landingPage: false,
    // No file uploads in this API: refuse multipart bodies rather than buffer them.
    multipart: false,
    // useBodyLimit (below) refuses bodies over 100 KB, by Content-Length or by counting; yoga's own
    // limit (25 MB) would pipe every body through a second counting stream.
    maxRequestBodySize: false,
    cors:
      options.corsOrigins === false
        ? false
        : {
            origin: options.corsOrigins,
            methods: ["GET", "POST", "OPTIONS"],
            allowedHeaders: ["content-type", "accept", "x-request-id"],
            exposedHeaders: ["x-request-id", "retry-after"],
            maxAge: 600,
          },
    logging: {
      debug: (...args: unknown[]) => logger.debug({ msg: String(args[0]) }),
      info: (...args: unknown[]) => logger.info({ msg: String(args[0]) }),
      warn: (...args: unknown[]) => logger.warn({ msg: String(args[0]) }),
      error: (...args: unknown[]) => logger.error({ msg: String(args[0]), err: args[1] }),
    },
    // useErrorMasking has masked everything by now; this catches what fails outside execution
    // (building the context, say), still with no stack and no internal message.
    maskedErrors: {
      maskError(error) {
        if (error instanceof GraphQLError && error.extensions?.code && isExpected(error)) return error;
        logger.error({ msg: "Unexpected error outside execution", err: error });
        return new GraphQLError("Unexpected error.", {
          extensions: { code: ERROR_CODES.INTERNAL_SERVER_ERROR },
        });
      },
    },
    context: (initial) =>
      createContext(services, {
        requestId: requestIds.idOf(initial.request),
        client: clientAddress(initial),
        mirror: responseCache?.mirrorReadFor(initial.request),
        latestBlock: responseCache?.latestBlockFor(initial.request),
      }),
    plugins: [
      requestIds.plugin,
      ...(graphiql ? [graphiql.plugin] : []),
      useMetrics({ metrics, graphqlEndpoint: GRAPHQL_ENDPOINT, render: parameters.renderMetrics }),
      useReadiness({ services }),
      useBooksCsv({ services }),
      ...(limiter ? [useRateLimit({ limiter, endpoint: GRAPHQL_ENDPOINT, metrics })] : []),
      useBodyLimit({ maxBytes: options.maxBodyBytes }),
      ...useQueryLimits(options.limits),
      // After the limits (a refused query is never cached), before the timeout (which then also
      // bounds the cache's execution).
      ...(responseCache ? [responseCache.plugin] : []),
      useRequestTimeout({ timeoutMs: options.requestTimeoutMs }),
      useErrorMasking(),
    ],
  });

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", options.trustProxy);
  // GraphQL first: the busiest route skips the web router's matching. Then the web page's views and
  // assets (api/web); every other route is yoga's (health, readiness, metrics; anything else is a 404).
  const toYoga = (req: IncomingMessage, res: ServerResponse) => yoga(req, res);
  app.all(GRAPHQL_ENDPOINT, toYoga);
  app.use(createWebRouter());
  app.use(toYoga);
  return { app, yoga, metrics, services };
}
