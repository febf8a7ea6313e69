// The API's configuration, read from environment variables once at start. Every variable is checked
// before anything connects anywhere, and all bad ones are reported together, each with its name, its
// value and what was expected (a ConfigError, like the indexer's). Soft problems become warnings.
import {
  DEPLOYMENT_FILE,
  POSTGRES_URL_EXAMPLE,
  REDIS_NAMESPACE_EXPECTED,
  REDIS_NAMESPACE_PATTERN,
} from "../indexer/config.ts";
import { type ConfigReader, createConfigReader, type ParsedConfig } from "../kernel/config.ts";
import { DEFAULT_API_PORT, DEFAULT_RPC_URL } from "../kernel/defaults.ts";
import { LOG_LEVELS, type LogLevel } from "../kernel/logger.ts";

export interface ApiConfig {
  /** The HTTP port. */
  port: number;
  /** The mirror's PostgreSQL server. Required: a separate API process cannot open the indexer's
   * embedded PGlite (it admits one process); to serve a PGlite mirror, call buildApp inside the
   * indexer's process instead. */
  databaseUrl: string;
  /** Connections the API keeps to DATABASE_URL: requests beyond it wait for one. Per worker. */
  dbPoolSize: number;
  /** API processes serving the one port (api/workers.ts); above 1 they share state through Redis. */
  workers: number;
  /** Absolute path of the deployment manifest (contracts/manifest.ts). */
  deploymentPath: string;
  /** The chain's JSON-RPC endpoint: verifyMembership's live check and the head for /ready. */
  rpcUrl: string;
  /** Redis for the commit bus and the shared rate limit; without it both are per process. */
  redisUrl: string | undefined;
  /** Prefix of the commit channel and the rate-limit keys in Redis; undefined = derived from the
   * deployment (deploymentRedisNamespace), which is what the indexer derives too. */
  redisNamespace: string | undefined;
  /** Origins allowed to call the API from a browser: "*" for any, a list, or none (CORS off). */
  corsOrigins: "*" | string[] | false;
  /** /ready answers 200 only while the mirror is at most this many blocks behind the chain's head. */
  readyMaxLagBlocks: number;
  /** GraphQL requests per client IP per minute; 0 turns the limit off. */
  rateLimitPerMinute: number;
  /** A GraphQL operation taking longer is answered with a TIMEOUT error. */
  requestTimeoutMs: number;
  logLevel: LogLevel;
  /** NODE_ENV=production: no GraphiQL. */
  production: boolean;
  /** Express's "trust proxy": how many proxies to believe in X-Forwarded-For (for per-IP limits). */
  trustProxy: number;
  /** The origin (scheme://host[:port]) proofs of presence must name, as people reach the page;
   * undefined = http://127.0.0.1:<port> as the API listens (right only on this machine). */
  publicOrigin: string | undefined;
  /** presenceChallenge calls per client IP per minute; 0 turns the limit off. */
  presenceChallengesPerMinute: number;
  /** Whole responses cached by the mirror's revision (plugins/useResponseCache.ts); off for benchmarks. */
  responseCache: boolean;
  /** How many responses the cache holds, least recently used dropped first. */
  responseCacheMaxEntries: number;
}

/** The defaults of the API's variables, for parseApiConfig and buildApp (app.ts) alike. */
export const API_DEFAULTS = {
  port: DEFAULT_API_PORT,
  /**
   * 16: against 2, 4, 8 (and 32 once), the most `member` requests/s at the benchmark's 32 connections
   * in each of three runs, and the most `practice` and `proposals` in two of them
   * (scripts/bench/apiPoolSize.ts; bench/HISTORY.md, "API"). Six such instances and the indexer fit
   * PostgreSQL's default 100 connections.
   */
  dbPoolSize: 16,
  /** One process; set API_WORKERS to the cores the API may use (with REDIS_URL). */
  workers: 1,
  /** 10 blocks: a few seconds behind on an L2, two minutes on Ethereum; beyond that answers are stale. */
  readyMaxLagBlocks: 10,
  /** 600 a minute (10/s sustained) per IP: a portal page issues a handful; a scraper gets slowed. */
  rateLimitPerMinute: 600,
  /** 10 s: a mirror query takes milliseconds; anything near this is a runaway (or a stuck database). */
  requestTimeoutMs: 10_000,
  /** No proxy: X-Forwarded-For is not believed unless TRUST_PROXY says how many hops to trust. */
  trustProxy: 0,
  /** 10 a minute per IP: a client at the door issues one or two; more is someone fishing for codes. */
  presenceChallengesPerMinute: 10,
  /** 600 s: the "valid for ten minutes", long enough to find a phone and sign. */
  presenceChallengeTtlSeconds: 600,
  responseCache: true,
  /** 10,000 responses of a few kB each: tens of MB. Fewer would thrash under a client paging through a
   * directory (least recently used goes first, so cycling through more keys than it holds never hits). */
  responseCacheMaxEntries: 10_000,
} as const;

/**
 * Parses and validates the API's environment variables.
 *
 * @throws {ConfigError} listing every variable that is missing or malformed.
 * @example
 * const { config, warnings } = parseApiConfig(process.env);
 * for (const warning of warnings) logger.warn({ msg: warning });
 */
export function parseApiConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): ParsedConfig<ApiConfig> {
  const read = createConfigReader(env, { cwd });
  const port = read.port("PORT") ?? API_DEFAULTS.port;
  const databaseUrl = read.url("DATABASE_URL", {
    kind: "postgres",
    example: POSTGRES_URL_EXAMPLE,
    note: "the API process cannot open the indexer's embedded PGlite",
    required: true,
  });
  // At most PostgreSQL's default max_connections (100), which every API instance and the indexer share.
  const dbPoolSize = read.wholeNumber("DB_POOL_SIZE", { min: 1, max: 100 }) ?? API_DEFAULTS.dbPoolSize;
  const workers = read.wholeNumber("API_WORKERS", { min: 1, max: 64 }) ?? API_DEFAULTS.workers;
  const rpcUrl = read.url("RPC_URL", { kind: "http", example: DEFAULT_RPC_URL, required: true });
  const redisUrl = read.url("REDIS_URL", { kind: "redis", example: "redis://127.0.0.1:6379" });
  const redisNamespace = read.matching("REDIS_NAMESPACE", REDIS_NAMESPACE_PATTERN, REDIS_NAMESPACE_EXPECTED);
  const deploymentPath = read.existingFile("DEPLOYMENT", DEPLOYMENT_FILE);
  const corsOrigins = readOrigins(read);
  const readyMaxLagBlocks =
    read.wholeNumber("READY_MAX_LAG_BLOCKS", { min: 0, max: 1_000_000 }) ?? API_DEFAULTS.readyMaxLagBlocks;
  const rateLimitPerMinute =
    read.wholeNumber("RATE_LIMIT_PER_MINUTE", { min: 0, max: 1_000_000 }) ?? API_DEFAULTS.rateLimitPerMinute;
  const requestTimeoutMs =
    read.wholeNumber("REQUEST_TIMEOUT_MS", { min: 100, max: 600_000 }) ?? API_DEFAULTS.requestTimeoutMs;
  const trustProxy = read.wholeNumber("TRUST_PROXY", { min: 0, max: 10 }) ?? API_DEFAULTS.trustProxy;
  const logLevel = read.oneOf("LOG_LEVEL", LOG_LEVELS, "info");
  const publicOrigin = readPublicOrigin(read);
  const presenceChallengesPerMinute =
    read.wholeNumber("PRESENCE_CHALLENGES_PER_MINUTE", { min: 0, max: 10_000 }) ??
    API_DEFAULTS.presenceChallengesPerMinute;
  const responseCache = read.oneOf("RESPONSE_CACHE", ["on", "off"], "on") === "on";
  const responseCacheMaxEntries =
    read.wholeNumber("RESPONSE_CACHE_MAX_ENTRIES", { min: 1, max: 1_000_000 }) ??
    API_DEFAULTS.responseCacheMaxEntries;
  if (workers > 1 && redisUrl === undefined)
    read.problem({
      variable: "API_WORKERS",
      value: String(workers),
      expected:
        "1 without REDIS_URL: workers share the rate limit, the presence challenges and the commit notices through Redis (set REDIS_URL, e.g. redis://127.0.0.1:6379)",
    });
  read.throwIfProblems();

  if (rateLimitPerMinute === 0) read.warn("RATE_LIMIT_PER_MINUTE=0 turns the per-IP rate limit off.");
  if (redisUrl === undefined) {
    read.warn(
      "REDIS_URL is not set: subscriptions hear only an indexer running in this process, and the rate limit counts per process.",
    );
  }
  if (presenceChallengesPerMinute === 0)
    read.warn("PRESENCE_CHALLENGES_PER_MINUTE=0 lets any client issue presence challenges without limit.");
  if (corsOrigins === "*")
    read.warn("CORS_ORIGINS=* lets any web page call the API from a visitor's browser.");

  return read.finish<ApiConfig>({
    port,
    databaseUrl,
    dbPoolSize,
    workers,
    deploymentPath,
    rpcUrl,
    redisUrl,
    redisNamespace,
    corsOrigins,
    readyMaxLagBlocks,
    rateLimitPerMinute,
    requestTimeoutMs,
    logLevel,
    production: read.string("NODE_ENV") === "production",
    trustProxy,
    publicOrigin,
    presenceChallengesPerMinute,
    responseCache,
    responseCacheMaxEntries,
  });
}

/** One origin, scheme://host[:port] with no path: what a proof of presence's domain and URI must be. */
function readPublicOrigin(read: ConfigReader): string | undefined {
  const value = read.string("PUBLIC_ORIGIN");
  if (value === undefined) return undefined;
  const valid =
    URL.canParse(value) &&
    ["http:", "https:"].includes(new URL(value).protocol) &&
    new URL(value).origin === value;
  if (valid) return value;
  read.problem({
    variable: "PUBLIC_ORIGIN",
    value,
    expected:
      "the origin people reach the page at, scheme://host[:port] with no path, e.g. https://firm.example.com",
  });
  return undefined;
}

/** "*", or a comma-separated list of origins (scheme://host[:port]); unset = CORS off. */
function readOrigins(read: ConfigReader): ApiConfig["corsOrigins"] {
  if (read.string("CORS_ORIGINS") === "*") return "*";
  const origins = read.list("CORS_ORIGINS", {
    isValid: (origin) =>
      URL.canParse(origin) &&
      ["http:", "https:"].includes(new URL(origin).protocol) &&
      new URL(origin).origin === origin,
    expected: (origin) =>
      `"*" or comma-separated origins such as https://portal.example.com (${JSON.stringify(origin)} is not one)`,
  });
  return origins ?? false;
}
