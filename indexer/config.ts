// The indexer's configuration, read from environment variables once at start. Every variable is
// checked before anything connects anywhere, and all bad ones are reported together, each with its
// name, its value and what was expected. Soft problems become warnings, not failures.
import type { Manifest } from "../contracts/manifest.ts";
import { createConfigReader, type ExistingFileOptions, type ParsedConfig } from "../kernel/config.ts";
import { DEFAULT_DEPLOYMENT, DEFAULT_RPC_URL } from "../kernel/defaults.ts";
import { LOG_LEVELS, type LogLevel } from "../kernel/logger.ts";
import { DEFAULT_ENTITY_ROWS_IN_MEMORY } from "./store/mirror.ts";

/** REDIS_NAMESPACE: no spaces or glob characters (*?[]), so it reads plainly in logs and in
 * `redis-cli --scan --pattern`, and it cannot widen a pattern that includes it. */
export const REDIS_NAMESPACE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;
export const REDIS_NAMESPACE_EXPECTED =
  "1 to 100 letters, digits, '.', '_', ':' or '-', starting with a letter or digit (e.g. firm-prod); the same value for `firm index` and `firm serve`";

/**
 * The namespace of a deployment's names in Redis (its commit-notice channel, its rate-limit keys):
 * `configured` (REDIS_NAMESPACE) when set, else one derived from the chain and the governor, which
 * identify a deployment, so two deployments sharing a Redis server never hear each other's notices
 * or share counters, while an indexer and the API processes of one deployment always meet.
 *
 * @example
 * deploymentRedisNamespace(manifest) // "firm:31337:0x5fbdb2315678afecb367f032d93f642f64180aa3"
 * deploymentRedisNamespace(manifest, config.redisNamespace) // "firm-prod" with REDIS_NAMESPACE=firm-prod
 */
export function deploymentRedisNamespace(
  manifest: Pick<Manifest, "chainId" | "contracts">,
  configured?: string | undefined,
): string {
  return configured ?? `firm:${manifest.chainId}:${manifest.contracts.governor.toLowerCase()}`;
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
  /** Entity rows kept in memory per table between ranges (ENTITY_ROWS_IN_MEMORY); more are read
   * from the database when a range needs them. */
  entityRowsInMemory: number;
  /** How far V8 lets the heap grow past what survived the last full collection, in percent
   * (HEAP_GROWTH_PERCENT); 0 = V8's own factor (see INDEXER_DEFAULTS.heapGrowthPercent). */
  heapGrowthPercent: number;
}

/** The defaults of the indexer's tuning variables; createRpc falls back to the same ones. */
export const INDEXER_DEFAULTS = {
  /** 1 s: a dev chain mines on demand and an L2 every 0.25–2 s; faster polling only adds load. */
  pollIntervalMs: 1_000,
  /** 10,000 blocks: the block limit of common providers (QuickNode, many public nodes). The adaptive
   * range starts at 100 blocks, grows while replies stay small and never above this. */
  maxBlockRange: 10_000,
  /** 4 requests: enough to hide round-trip latency on a 2-core machine without tripping rate limits. */
  rpcConcurrency: 4,
  /** 10 s: viem's default; a healthy node answers a 10,000-block eth_getLogs well within it. */
  rpcTimeoutMs: 10_000,
  /** 6 attempts: with backoff from 250 ms doubling, a call gives up after about 8 s of trying. */
  rpcMaxAttempts: 6,
  /** The store's own default (DEFAULT_ENTITY_ROWS_IN_MEMORY): 5,000 rows per table. */
  entityRowsInMemory: DEFAULT_ENTITY_ROWS_IN_MEMORY,
  /**
   * 50 %: V8 otherwise picks a factor of up to 4× what survived, scaled by how fast it collects, and
   * a long backfill's peak memory rose with the chain while its live data stayed bounded (README,
   * "Benchmarks", "Indexer"). Scratch runs on this 2-core machine, one each, peak RSS at 100k → 500k
   * events, PostgreSQL and PGlite: V8's factor 340 → 417 and 399 → 463 MB; 50 %, 299 → 380 and
   * 353 → 412 MB; 50 % with 5,000 entity rows per table, 309 → 339 and 376 → 405 MB.
   */
  heapGrowthPercent: 50,
} as const;

/** The mirror's PGlite folder (DATA_DIR), relative to the working folder, for `firm index` and `npm start` alike. */
export const DEFAULT_DATA_DIR = "data/mirror";

/** DEPLOYMENT, as the indexer and the API describe it. */
export const DEPLOYMENT_FILE: ExistingFileOptions = {
  what: "deployment manifest",
  example: DEFAULT_DEPLOYMENT,
  create: "`npx firm deploy` writes it",
};

/** DATABASE_URL's example, for the indexer and the API. */
export const POSTGRES_URL_EXAMPLE = "postgres://user@127.0.0.1:5432/firm";

/** The PGlite folder the mirror lives in (DATA_DIR, or data/mirror), absolute. */
export function mirrorDataDir(env: NodeJS.ProcessEnv, cwd = process.cwd()): string {
  return createConfigReader(env, { cwd }).path("DATA_DIR", DEFAULT_DATA_DIR);
}

/**
 * Parses and validates the indexer's environment variables.
 *
 * @throws {ConfigError} listing every variable that is missing or malformed.
 * @example
 * const { config, warnings } = parseConfig(process.env);
 * for (const warning of warnings) logger.warn({ msg: warning });
 */
export function parseConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): ParsedConfig<Config> {
  const read = createConfigReader(env, { cwd });
  const rpcUrl = read.url("RPC_URL", { kind: "http", example: DEFAULT_RPC_URL, required: true });
  const deploymentPath = read.existingFile("DEPLOYMENT", DEPLOYMENT_FILE);
  const databaseUrl = read.url("DATABASE_URL", { kind: "postgres", example: POSTGRES_URL_EXAMPLE });
  const dataDir = mirrorDataDir(env, cwd);
  const logLevel = read.oneOf("LOG_LEVEL", LOG_LEVELS, "info");
  const finalityDepth = read.wholeNumber("FINALITY_DEPTH", { min: 0, max: 100_000 });
  const pollIntervalMs =
    read.wholeNumber("POLL_INTERVAL_MS", { min: 10, max: 3_600_000 }) ?? INDEXER_DEFAULTS.pollIntervalMs;
  const maxBlockRange =
    read.wholeNumber("MAX_BLOCK_RANGE", { min: 1, max: 10_000_000 }) ?? INDEXER_DEFAULTS.maxBlockRange;
  const rpcConcurrency =
    read.wholeNumber("RPC_CONCURRENCY", { min: 1, max: 256 }) ?? INDEXER_DEFAULTS.rpcConcurrency;
  const metricsPort = read.port("METRICS_PORT");
  const rpcTimeoutMs =
    read.wholeNumber("RPC_TIMEOUT_MS", { min: 100, max: 600_000 }) ?? INDEXER_DEFAULTS.rpcTimeoutMs;
  const rpcMaxAttempts =
    read.wholeNumber("RPC_MAX_ATTEMPTS", { min: 1, max: 100 }) ?? INDEXER_DEFAULTS.rpcMaxAttempts;
  const entityRowsInMemory =
    read.wholeNumber("ENTITY_ROWS_IN_MEMORY", { min: 0, max: 10_000_000 }) ??
    INDEXER_DEFAULTS.entityRowsInMemory;
  const heapGrowthPercent =
    read.wholeNumber("HEAP_GROWTH_PERCENT", { min: 0, max: 1_000 }) ?? INDEXER_DEFAULTS.heapGrowthPercent;
  const redisNamespace = read.matching("REDIS_NAMESPACE", REDIS_NAMESPACE_PATTERN, REDIS_NAMESPACE_EXPECTED);
  read.throwIfProblems();

  if (databaseUrl !== undefined && read.string("DATA_DIR"))
    read.warn("DATA_DIR is ignored because DATABASE_URL is set (the mirror lives in PostgreSQL).");
  if (finalityDepth === 0)
    read.warn("FINALITY_DEPTH=0 turns reorg handling off: any reorg will stop the indexer.");
  if (pollIntervalMs < 200)
    read.warn(
      `POLL_INTERVAL_MS=${pollIntervalMs} polls more than 5 times a second; mind the provider's rate limit.`,
    );
  if (isPlainHttpToRemoteHost(rpcUrl))
    read.warn(
      "RPC_URL uses plain http to a remote host: requests and any API key in the URL travel unencrypted.",
    );

  return read.finish<Config>({
    rpcUrl,
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
    entityRowsInMemory,
    heapGrowthPercent,
  });
}

function isPlainHttpToRemoteHost(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return protocol === "http:" && !["127.0.0.1", "localhost", "::1", "[::1]"].includes(hostname);
}
