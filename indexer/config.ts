// The indexer's configuration, read from environment variables once at start. Every variable is
// checked before anything connects anywhere, and all bad ones are reported together, each with its
// name, its value and what was expected. Soft problems become warnings, not failures.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Manifest } from "../contracts/manifest.ts";
import { ConfigError, type ConfigProblem } from "../kernel/errors.ts";
import { LOG_LEVELS, type LogLevel } from "../kernel/logger.ts";

/** REDIS_NAMESPACE: no spaces or glob characters (*?[]), so it reads plainly in logs and in
 * `redis-cli --scan --pattern`, and it cannot widen a pattern that includes it. */
export const REDIS_NAMESPACE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;
export const REDIS_NAMESPACE_EXPECTED =
  "1 to 100 letters, digits, '.', '_', ':' or '-', starting with a letter or digit (e.g. firm-prod); the same value for `firm index` and `firm serve`";

/**
 * The namespace of a deployment's names in Redis (its commit-notice channel, its rate-limit keys)
 * when REDIS_NAMESPACE does not set one: the chain and the governor identify a deployment, so two
 * deployments sharing a Redis server never hear each other's notices or share counters, while an
 * indexer and the API processes of one deployment always meet.
 *
 * @example
 * deploymentRedisNamespace(manifest) // "firm:31337:0x5fbdb2315678afecb367f032d93f642f64180aa3"
 */
export function deploymentRedisNamespace(manifest: Pick<Manifest, "chainId" | "contracts">): string {
  return `firm:${manifest.chainId}:${manifest.contracts.governor.toLowerCase()}`;
}

export interface Config {
  /** The chain's JSON-RPC endpoint over HTTP(S). Never logged unredacted. */
  rpcUrl: string;
  /** Absolute path of the deployment manifest (see contracts/manifest.ts). */
  deploymentPath: string;
  /** A PostgreSQL URL; when absent the mirror is an embedded PGlite database in `dataDir`. */
  databaseUrl: string | undefined;
  /** Absolute path of the PGlite folder (used only without `databaseUrl`). */
  dataDir: string;
  logLevel: LogLevel;
  /** Blocks after which a block is taken as final; undefined = the chain's default (sync/reorg.ts). */
  finalityDepth: number | undefined;
  /** How often live following asks for a new block. */
  pollIntervalMs: number;
  /** The largest block range of one eth_getLogs call, and of one applied range (the adaptive range
   * starts lower and grows to it while replies stay small). */
  maxBlockRange: number;
  /** How many RPC requests may be in flight at once. */
  rpcConcurrency: number;
  /** Port of the Prometheus /metrics endpoint; undefined = not served by the indexer itself. */
  metricsPort: number | undefined;
  /** How long one RPC request may take before it counts as a (retryable) timeout. */
  rpcTimeoutMs: number;
  /** Attempts per RPC call before a transient fault escalates (the indexer then pauses and resumes). */
  rpcMaxAttempts: number;
  /** Prefix of the indexer's names in Redis (REDIS_NAMESPACE); undefined = derived from the
   * deployment (deploymentRedisNamespace). */
  redisNamespace: string | undefined;
}

export interface ParseConfigReturnType {
  config: Readonly<Config>;
  /** Soft problems, for the caller to log as warnings. */
  warnings: string[];
}

/** 1 s: a dev chain mines on demand and an L2 every 0.25–2 s; faster polling only adds load. */
const DEFAULT_POLL_INTERVAL_MS = 1_000;
/** 10,000 blocks: the block limit of common providers (QuickNode, many public nodes). The adaptive
 * range starts at 100 blocks, grows while replies stay small and never above this. */
const DEFAULT_MAX_BLOCK_RANGE = 10_000;
/** 4 requests: enough to hide round-trip latency on a 2-core machine without tripping rate limits. */
const DEFAULT_RPC_CONCURRENCY = 4;
/** 10 s: viem's default; a healthy node answers a 10,000-block eth_getLogs well within it. */
const DEFAULT_RPC_TIMEOUT_MS = 10_000;
/** 6 attempts: with backoff from 250 ms doubling, a call gives up after about 8 s of trying. */
const DEFAULT_RPC_MAX_ATTEMPTS = 6;
const DEFAULT_DATA_DIR = "./data/mirror";

/** The PGlite folder the mirror lives in (DATA_DIR, or ./data/mirror), absolute. */
export function mirrorDataDir(env: NodeJS.ProcessEnv, cwd = process.cwd()): string {
  return resolve(cwd, env.DATA_DIR?.trim() || DEFAULT_DATA_DIR);
}

/**
 * Parses and validates the indexer's environment variables.
 *
 * @throws {ConfigError} listing every variable that is missing or malformed.
 * @example
 * const { config, warnings } = parseConfig(process.env);
 * for (const warning of warnings) logger.warn({ msg: warning });
 */
export function parseConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): ParseConfigReturnType {
  const problems: ConfigProblem[] = [];
  const warnings: string[] = [];
  const read = createReader(env, problems);

  const rpcUrl = read.url("RPC_URL", ["http:", "https:"], "an http(s) URL such as http://127.0.0.1:8545");
  const deployment = read.required(
    "DEPLOYMENT",
    "the path of a deployment manifest, e.g. deployments/dev.json",
  );
  const deploymentPath = deployment === undefined ? "" : resolve(cwd, deployment);
  if (deployment !== undefined && !existsSync(deploymentPath)) {
    problems.push({
      variable: "DEPLOYMENT",
      value: deployment,
      expected: `an existing file (${deploymentPath} does not exist; create it with \`npx firm deploy\`)`,
    });
  }
  const databaseUrl = read.optionalUrl(
    "DATABASE_URL",
    ["postgres:", "postgresql:"],
    "a PostgreSQL URL such as postgres://user@127.0.0.1:5432/firm",
  );
  const dataDir = mirrorDataDir(env, cwd);
  const logLevel = read.oneOf("LOG_LEVEL", LOG_LEVELS, "info");
  const finalityDepth = read.optionalInteger("FINALITY_DEPTH", 0, 100_000);
  const pollIntervalMs = read.integer("POLL_INTERVAL_MS", DEFAULT_POLL_INTERVAL_MS, 10, 3_600_000);
  const maxBlockRange = read.integer("MAX_BLOCK_RANGE", DEFAULT_MAX_BLOCK_RANGE, 1, 10_000_000);
  const rpcConcurrency = read.integer("RPC_CONCURRENCY", DEFAULT_RPC_CONCURRENCY, 1, 256);
  const metricsPort = read.optionalInteger("METRICS_PORT", 1, 65_535);
  const rpcTimeoutMs = read.integer("RPC_TIMEOUT_MS", DEFAULT_RPC_TIMEOUT_MS, 100, 600_000);
  const rpcMaxAttempts = read.integer("RPC_MAX_ATTEMPTS", DEFAULT_RPC_MAX_ATTEMPTS, 1, 100);
  const redisNamespace = read.matching("REDIS_NAMESPACE", REDIS_NAMESPACE_PATTERN, REDIS_NAMESPACE_EXPECTED);

  if (problems.length > 0) throw new ConfigError(problems);

  if (databaseUrl !== undefined && env.DATA_DIR?.trim())
    warnings.push("DATA_DIR is ignored because DATABASE_URL is set (the mirror lives in PostgreSQL).");
  if (finalityDepth === 0)
    warnings.push("FINALITY_DEPTH=0 turns reorg handling off: any reorg will stop the indexer.");
  if (pollIntervalMs < 200)
    warnings.push(
      `POLL_INTERVAL_MS=${pollIntervalMs} polls more than 5 times a second; mind the provider's rate limit.`,
    );
  if (rpcUrl !== undefined && isPlainHttpToRemoteHost(rpcUrl))
    warnings.push(
      "RPC_URL uses plain http to a remote host: requests and any API key in the URL travel unencrypted.",
    );

  const config: Config = {
    rpcUrl: rpcUrl ?? "",
    deploymentPath,
    databaseUrl,
    dataDir,
    logLevel,
    finalityDepth,
    pollIntervalMs,
    maxBlockRange,
    rpcConcurrency,
    metricsPort,
    rpcTimeoutMs,
    rpcMaxAttempts,
    redisNamespace,
  };
  return { config: Object.freeze(config), warnings };
}

function isPlainHttpToRemoteHost(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return protocol === "http:" && !["127.0.0.1", "localhost", "::1", "[::1]"].includes(hostname);
}

/** Readers for one kind of value each; each records a problem instead of throwing. */
function createReader(env: NodeJS.ProcessEnv, problems: ConfigProblem[]) {
  const raw = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === "" ? undefined : value;
  };

  function required(name: string, expected: string): string | undefined {
    const value = raw(name);
    if (value === undefined) problems.push({ variable: name, value: undefined, expected });
    return value;
  }

  function optionalUrl(name: string, protocols: string[], expected: string): string | undefined {
    const value = raw(name);
    if (value === undefined) return undefined;
    if (!URL.canParse(value) || !protocols.includes(new URL(value).protocol)) {
      problems.push({ variable: name, value, expected });
      return undefined;
    }
    return value;
  }

  function url(name: string, protocols: string[], expected: string): string | undefined {
    if (raw(name) === undefined) {
      problems.push({ variable: name, value: undefined, expected });
      return undefined;
    }
    return optionalUrl(name, protocols, expected);
  }

  function optionalInteger(name: string, min: number, max: number): number | undefined {
    const value = raw(name);
    if (value === undefined) return undefined;
    const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      problems.push({ variable: name, value, expected: `a whole number from ${min} to ${max}` });
      return undefined;
    }
    return parsed;
  }

  function integer(name: string, fallback: number, min: number, max: number): number {
    return optionalInteger(name, min, max) ?? fallback;
  }

  function oneOf<const T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = raw(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    problems.push({ variable: name, value: raw(name), expected: `one of ${allowed.join(", ")}` });
    return fallback;
  }

  function matching(name: string, pattern: RegExp, expected: string): string | undefined {
    const value = raw(name);
    if (value === undefined || pattern.test(value)) return value;
    problems.push({ variable: name, value, expected });
    return undefined;
  }

  return { required, url, optionalUrl, optionalInteger, integer, oneOf, matching };
}
