// The delivery worker's settings, from WEBHOOKS_* environment variables read once at start through the
// one config reader (kernel/config.ts), every bad value reported together.
import { createConfigReader, type ParsedConfig } from "../../kernel/config.ts";

export interface WebhookConfig {
  /** WEBHOOKS_WORKER: whether this process runs a delivery worker (./startWebhooks.ts). */
  worker: boolean;
  /** WEBHOOKS_FILE: the absolute path of a file of endpoints applied at start (./webhooksFile.ts). */
  file: string | undefined;
  /** WEBHOOKS_ALLOW_PRIVATE=1: endpoints may be loopback or private-network targets (ssrfGuard.ts). */
  allowPrivate: boolean;
  /** How long one POST may take, connection to last byte, before it counts as a failed attempt. */
  timeoutMs: number;
  /** Attempts before a delivery is dead (kept, with its last error, for an operator to see). */
  maxAttempts: number;
  /** The first retry's delay before jitter; each further retry doubles it, up to `backoffMaxMs`. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** How long a claim holds: a worker that dies mid-delivery leaves a lease that runs out after this. */
  leaseMs: number;
  /** How often an idle worker looks for due deliveries. */
  pollIntervalMs: number;
  /** Deliveries claimed, and sent concurrently, at once. */
  batchSize: number;
}

export const WEBHOOK_DEFAULTS = {
  /** 10 s: Slack and Teams answer in well under a second; Stripe and Svix give receivers 15 s or so. */
  timeoutMs: 10_000,
  /** 12 attempts: with backoff from 30 s doubling to 6 h, the last one is about a day after the first. */
  maxAttempts: 12,
  backoffBaseMs: 30_000,
  backoffMaxMs: 6 * 3_600_000,
  /** 60 s: six times the default timeout, so a live worker always settles before its lease runs out. */
  leaseMs: 60_000,
  /** 1 s: notifications follow blocks, which come every 1–12 s. */
  pollIntervalMs: 1_000,
  /** 10 concurrent POSTs: little load on a 2-core machine, and a burst of events still leaves quickly. */
  batchSize: 10,
} as const;

export interface ParseWebhookConfigOptions {
  /**
   * WEBHOOKS_WORKER when unset. On in the processes that open the mirror to write it (`npm start`,
   * `firm index`): they own it (on PGlite nothing else may open it) and there is one per deployment.
   * Off in `firm serve`: an API scaled to several replicas would run a worker each, safe with SKIP
   * LOCKED but pointless beside the indexer's, so an operator turns it on where they want it.
   */
  workerByDefault?: boolean;
  /** What WEBHOOKS_FILE is resolved against. */
  cwd?: string;
}

/**
 * Parses and validates the WEBHOOKS_* variables, with WEBHOOK_DEFAULTS for the unset ones.
 *
 * @throws {ConfigError} listing every bad variable.
 * @example
 * const { config } = parseWebhookConfig(process.env); // config.maxAttempts === 12 by default
 * const { config: indexer } = parseWebhookConfig(process.env, { workerByDefault: true }); // indexer.worker
 */
export function parseWebhookConfig(
  env: NodeJS.ProcessEnv,
  { workerByDefault = false, cwd = process.cwd() }: ParseWebhookConfigOptions = {},
): ParsedConfig<WebhookConfig> {
  const read = createConfigReader(env, { cwd });
  const worker = read.oneOf("WEBHOOKS_WORKER", ["0", "1"], workerByDefault ? "1" : "0") === "1";
  // Only a set WEBHOOKS_FILE must exist; unset means no file (existingFile would call that a problem).
  const file =
    read.string("WEBHOOKS_FILE") === undefined
      ? undefined
      : read.existingFile("WEBHOOKS_FILE", {
          what: "webhooks file",
          example: "webhooks.json",
          create: "see the README's webhooks section for its format",
        });
  const allowPrivate = read.oneOf("WEBHOOKS_ALLOW_PRIVATE", ["0", "1"], "0") === "1";
  const timeoutMs =
    read.wholeNumber("WEBHOOKS_TIMEOUT_MS", { min: 100, max: 120_000 }) ?? WEBHOOK_DEFAULTS.timeoutMs;
  const maxAttempts =
    read.wholeNumber("WEBHOOKS_MAX_ATTEMPTS", { min: 1, max: 100 }) ?? WEBHOOK_DEFAULTS.maxAttempts;
  const backoffBaseMs =
    read.wholeNumber("WEBHOOKS_BACKOFF_BASE_MS", { min: 10, max: 86_400_000 }) ??
    WEBHOOK_DEFAULTS.backoffBaseMs;
  const backoffMaxMs =
    read.wholeNumber("WEBHOOKS_BACKOFF_MAX_MS", { min: 10, max: 7 * 86_400_000 }) ??
    WEBHOOK_DEFAULTS.backoffMaxMs;
  const leaseMs =
    read.wholeNumber("WEBHOOKS_LEASE_MS", { min: 200, max: 3_600_000 }) ?? WEBHOOK_DEFAULTS.leaseMs;
  const pollIntervalMs =
    read.wholeNumber("WEBHOOKS_POLL_INTERVAL_MS", { min: 10, max: 3_600_000 }) ??
    WEBHOOK_DEFAULTS.pollIntervalMs;
  const batchSize =
    read.wholeNumber("WEBHOOKS_BATCH_SIZE", { min: 1, max: 100 }) ?? WEBHOOK_DEFAULTS.batchSize;
  read.throwIfProblems();
  // A lease shorter than a POST may run out while the POST is still in flight, and a second worker
  // would send the same delivery concurrently: the one thing the lease exists to prevent.
  if (leaseMs <= timeoutMs)
    read.problem({
      variable: "WEBHOOKS_LEASE_MS",
      value: String(leaseMs),
      expected: `more than WEBHOOKS_TIMEOUT_MS (${timeoutMs}), so a lease outlasts the request it covers`,
    });
  if (backoffMaxMs < backoffBaseMs)
    read.problem({
      variable: "WEBHOOKS_BACKOFF_MAX_MS",
      value: String(backoffMaxMs),
      expected: `at least WEBHOOKS_BACKOFF_BASE_MS (${backoffBaseMs})`,
    });
  if (allowPrivate)
    read.warn("WEBHOOKS_ALLOW_PRIVATE=1: webhook endpoints may reach this machine and the private network.");
  return read.finish<WebhookConfig>({
    worker,
    file,
    allowPrivate,
    timeoutMs,
    maxAttempts,
    backoffBaseMs,
    backoffMaxMs,
    leaseMs,
    pollIntervalMs,
    batchSize,
  });
}
