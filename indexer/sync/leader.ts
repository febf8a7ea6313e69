// One writer per mirror. On PostgreSQL, the instance that holds a session-level advisory lock is the
// writer; any other instance is a hot standby that asks for the lock every second and takes over
// within about a second of the writer's death (PostgreSQL releases a session's locks the moment its
// connection closes, and a killed process's socket closes with it).
//
// The lock lives on its own connection, apart from the store's pool, so that pool connections can
// come and go without releasing it. A heartbeat on that connection notices a half-dead link; losing
// the connection means losing the lock, and the indexer stops writing at once (LeadershipLostError).
// The store's applyRange must still check, inside its transaction, that the range starts right after
// the checkpoint: that check is what fences off a write still in flight when the lock was lost.
//
// With PGlite the database belongs to one process, so no lock is needed and this is a no-op.
import { createHash } from "node:crypto";
import pg from "pg";
import type { Address } from "viem";
import { LeadershipLostError, redactUrl } from "../../kernel/errors.ts";
import type { Logger } from "../../kernel/logger.ts";
import { sleep } from "../../kernel/shutdown.ts";
import type { Metrics } from "../metrics.ts";

/** 1 s between attempts: the standby takes over within about a second, at one tiny query a second. */
const STANDBY_POLL_MS = 1_000;
/** A heartbeat every 5 s finds a dead lock connection quickly without loading the server. */
const HEARTBEAT_MS = 5_000;

export interface LeaderLock {
  /** Resolves once this instance is the writer; waits as a standby until then. */
  acquire(signal?: AbortSignal): Promise<void>;
  /** Releases the lock (if held) and closes its connection. */
  release(): Promise<void>;
  /** Aborts when a held lock is lost; a fresh signal after each `acquire`. */
  readonly lost: AbortSignal;
}

export interface CreateLeaderLockParameters {
  /** The PostgreSQL URL of the mirror; undefined (PGlite) makes the lock a no-op. */
  databaseUrl: string | undefined;
  /** The advisory lock key, from {@link leaderLockKey}. */
  key: bigint;
  logger: Logger;
  metrics?: Metrics | undefined;
  pollIntervalMs?: number;
  heartbeatMs?: number;
}

/**
 * The advisory lock key of one firm deployment: the first 8 bytes of SHA-256 over the chain id and
 * the contract addresses, as a signed 64-bit integer (the type of pg_advisory_lock's argument).
 * Two deployments that share a database get different keys.
 *
 * @example
 * leaderLockKey(31337, [partnership, governor]) // e.g. -4211380594138471249n
 */
export function leaderLockKey(chainId: number, addresses: readonly Address[]): bigint {
  const sorted = addresses.map((a) => a.toLowerCase()).sort();
  const digest = createHash("sha256")
    .update(`firm-indexer:${chainId}:${sorted.join(",")}`)
    .digest();
  return digest.readBigInt64BE(0);
}

/**
 * Creates the writer lock of one indexer.
 *
 * @example
 * const lock = createLeaderLock({ databaseUrl: config.databaseUrl, key, logger });
 * await lock.acquire(signal); // returns when this instance may write
 */
export function createLeaderLock(parameters: CreateLeaderLockParameters): LeaderLock {
  if (parameters.databaseUrl === undefined) return createNoopLock(parameters.metrics);
  return createAdvisoryLock({ ...parameters, databaseUrl: parameters.databaseUrl });
}

function createNoopLock(metrics: Metrics | undefined): LeaderLock {
  return {
    async acquire() {
      metrics?.leader.set(1);
    },
    // Released after a fault and while paused: an instance that does not write is not the leader.
    async release() {
      metrics?.leader.set(0);
    },
    lost: new AbortController().signal,
  };
}

function createAdvisoryLock({
  databaseUrl,
  key,
  logger,
  metrics,
  pollIntervalMs = STANDBY_POLL_MS,
  heartbeatMs = HEARTBEAT_MS,
}: CreateLeaderLockParameters & { databaseUrl: string }): LeaderLock {
  let client: pg.Client | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let lost = new AbortController();

  const onConnectionLost = (error?: Error) => {
    if (lost.signal.aborted) return;
    clearInterval(heartbeat);
    client = undefined;
    metrics?.leader.set(0);
    logger.error({ msg: "Lost the writer lock", err: error });
    lost.abort(new LeadershipLostError(error));
  };

  async function connect(): Promise<pg.Client> {
    const next = new pg.Client({
      connectionString: databaseUrl,
      keepAlive: true,
      application_name: "firm-indexer",
    });
    // Until the lock is held a failure only means "try again"; afterwards it means the lock is gone.
    next.on("error", (error) => (client === next ? onConnectionLost(error) : undefined));
    next.on("end", () => (client === next ? onConnectionLost() : undefined));
    await next.connect();
    return next;
  }

  async function tryLock(candidate: pg.Client): Promise<boolean> {
    const { rows } = await candidate.query("select pg_try_advisory_lock($1::bigint) as locked", [
      key.toString(),
    ]);
    return rows[0]?.locked === true;
  }

  return {
    get lost() {
      return lost.signal;
    },
    async acquire(signal) {
      metrics?.leader.set(0);
      let announced = false;
      for (;;) {
        let candidate: pg.Client | undefined;
        try {
          candidate = await connect();
          while (!(await tryLock(candidate))) {
            if (!announced)
              logger.info({ msg: "Waiting as a hot standby: another indexer holds the writer lock" });
            announced = true;
            await sleep(pollIntervalMs, signal);
          }
        } catch (error) {
          await candidate?.end().catch(() => {});
          if (signal?.aborted) throw error;
          logger.warn({
            msg: "Cannot reach PostgreSQL for the writer lock, retrying",
            err: error,
            database: redactUrl(databaseUrl),
          });
          await sleep(pollIntervalMs, signal);
          continue;
        }
        lost = new AbortController();
        client = candidate;
        heartbeat = setInterval(() => {
          client?.query("select 1").catch((error: Error) => onConnectionLost(error));
        }, heartbeatMs);
        heartbeat.unref();
        metrics?.leader.set(1);
        logger.info({ msg: "Acquired the writer lock" });
        return;
      }
    },
    async release() {
      clearInterval(heartbeat);
      const held = client;
      client = undefined;
      if (!held) return;
      // Closing the session releases the lock even if the unlock query fails.
      await held.query("select pg_advisory_unlock($1::bigint)", [key.toString()]).catch(() => {});
      await held.end().catch(() => {});
      metrics?.leader.set(0);
    },
  };
}
