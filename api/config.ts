// The API's configuration, read from environment variables once at start. Every variable is checked
// before anything connects anywhere, and all bad ones are reported together, each with its name, its
// value and what was expected (a ConfigError, like the indexer's). Soft problems become warnings.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { REDIS_NAMESPACE_EXPECTED, REDIS_NAMESPACE_PATTERN } from "../indexer/config.ts";
import { ConfigError, type ConfigProblem } from "../kernel/errors.ts";
import { LOG_LEVELS, type LogLevel } from "../kernel/logger.ts";

export interface ApiConfig {
  /** The HTTP port. */
  port: number;
  /** The mirror's PostgreSQL server. Required: a separate API process cannot open the indexer's
   * embedded PGlite (it admits one process); to serve a PGlite mirror, call buildApp inside the
   * indexer's process instead. */
  databaseUrl: string;
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
}

export interface ParseApiConfigReturnType {
  config: Readonly<ApiConfig>;
  /** Soft problems, for the caller to log as warnings. */
  warnings: string[];
}

const DEFAULT_PORT = 4000;
/** 10 blocks: a few seconds behind on an L2, two minutes on Ethereum; beyond that answers are stale. */
const DEFAULT_READY_MAX_LAG_BLOCKS = 10;
/** 600 a minute (10/s sustained) per IP: a portal page issues a handful; a scraper gets slowed. */
const DEFAULT_RATE_LIMIT_PER_MINUTE = 600;
/** 10 s: a mirror query takes milliseconds; anything near this is a runaway (or a stuck database). */
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/**
 * Parses and validates the API's environment variables.
 *
 * @throws {ConfigError} listing every variable that is missing or malformed.
 * @example
 * const { config, warnings } = parseApiConfig(process.env);
 * for (const warning of warnings) logger.warn({ msg: warning });
 */
export function parseApiConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): ParseApiConfigReturnType {
  const problems: ConfigProblem[] = [];
  const warnings: string[] = [];
  const raw = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === "" ? undefined : value;
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const value = raw(name);
    if (value === undefined) return fallback;
    const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      problems.push({ variable: name, value, expected: `an integer from ${min} to ${max}` });
      return fallback;
    }
    return parsed;
  };
  const url = (
    name: string,
    protocols: string[],
    expected: string,
    required: boolean,
  ): string | undefined => {
    const value = raw(name);
    if (value === undefined) {
      if (required) problems.push({ variable: name, value, expected });
      return undefined;
    }
    try {
      if (protocols.includes(new URL(value).protocol)) return value;
    } catch {}
    problems.push({ variable: name, value, expected });
    return undefined;
  };

  const port = integer("PORT", DEFAULT_PORT, 1, 65_535);
  const databaseUrl = url(
    "DATABASE_URL",
    ["postgres:", "postgresql:"],
    "a PostgreSQL URL such as postgres://user@127.0.0.1:5432/firm (the API process cannot open the indexer's embedded PGlite)",
    true,
  );
  const rpcUrl = url("RPC_URL", ["http:", "https:"], "an http(s) URL such as http://127.0.0.1:8545", true);
  const redisUrl = url(
    "REDIS_URL",
    ["redis:", "rediss:"],
    "a Redis URL such as redis://127.0.0.1:6379",
    false,
  );
  let redisNamespace = raw("REDIS_NAMESPACE");
  if (redisNamespace !== undefined && !REDIS_NAMESPACE_PATTERN.test(redisNamespace)) {
    problems.push({ variable: "REDIS_NAMESPACE", value: redisNamespace, expected: REDIS_NAMESPACE_EXPECTED });
    redisNamespace = undefined;
  }
  const deployment = raw("DEPLOYMENT");
  const deploymentPath = deployment === undefined ? "" : resolve(cwd, deployment);
  if (deployment === undefined || !existsSync(deploymentPath)) {
    problems.push({
      variable: "DEPLOYMENT",
      value: deployment,
      expected:
        "the path of an existing deployment manifest, e.g. deployments/dev.json (`npx firm deploy` writes it)",
    });
  }
  const corsOrigins = parseOrigins(raw("CORS_ORIGINS"), problems);
  const readyMaxLagBlocks = integer("READY_MAX_LAG_BLOCKS", DEFAULT_READY_MAX_LAG_BLOCKS, 0, 1_000_000);
  const rateLimitPerMinute = integer("RATE_LIMIT_PER_MINUTE", DEFAULT_RATE_LIMIT_PER_MINUTE, 0, 1_000_000);
  const requestTimeoutMs = integer("REQUEST_TIMEOUT_MS", DEFAULT_REQUEST_TIMEOUT_MS, 100, 600_000);
  const trustProxy = integer("TRUST_PROXY", 0, 0, 10);
  const level = raw("LOG_LEVEL") ?? "info";
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    problems.push({ variable: "LOG_LEVEL", value: level, expected: `one of ${LOG_LEVELS.join(", ")}` });
  }

  if (problems.length > 0) throw new ConfigError(problems);

  if (rateLimitPerMinute === 0) warnings.push("RATE_LIMIT_PER_MINUTE=0 turns the per-IP rate limit off.");
  if (redisUrl === undefined) {
    warnings.push(
      "REDIS_URL is not set: subscriptions hear only an indexer running in this process, and the rate limit counts per process.",
    );
  }
  if (corsOrigins === "*")
    warnings.push("CORS_ORIGINS=* lets any web page call the API from a visitor's browser.");

  const config: ApiConfig = {
    port,
    databaseUrl: databaseUrl ?? "",
    deploymentPath,
    rpcUrl: rpcUrl ?? "",
    redisUrl,
    redisNamespace,
    corsOrigins,
    readyMaxLagBlocks,
    rateLimitPerMinute,
    requestTimeoutMs,
    logLevel: level as LogLevel,
    production: env.NODE_ENV === "production",
    trustProxy,
  };
  return { config: Object.freeze(config), warnings };
}

/** "*", or a comma-separated list of origins (scheme://host[:port]); unset = CORS off. */
function parseOrigins(value: string | undefined, problems: ConfigProblem[]): ApiConfig["corsOrigins"] {
  if (value === undefined) return false;
  if (value === "*") return "*";
  const origins = value.split(",").map((origin) => origin.trim());
  for (const origin of origins) {
    let valid = false;
    try {
      const parsed = new URL(origin);
      valid = ["http:", "https:"].includes(parsed.protocol) && parsed.origin === origin;
    } catch {}
    if (!valid) {
      problems.push({
        variable: "CORS_ORIGINS",
        value,
        expected: `"*" or comma-separated origins such as https://portal.example.com (${JSON.stringify(origin)} is not one)`,
      });
      return false;
    }
  }
  return origins;
}
