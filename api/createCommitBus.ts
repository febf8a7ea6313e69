// The feed from the indexer to the API's subscribers. The store's applyRange returns a CommitNotice
// for each committed range; the indexer publishes it here (`onCommit: (notice) => bus.publish(notice)`)
// and every API process's subscriptions hear it. In one process an EventTarget carries it; with a
// Redis URL every publisher and every API process meet on one pub/sub channel, so several API
// processes behind a load balancer all deliver. The channel is named within the deployment's
// namespace (REDIS_NAMESPACE, or one derived from the chain and the governor), so deployments that
// share a Redis server do not hear each other's notices.
//
// Delivery is at most once, like Redis pub/sub itself: a process that is disconnected when a notice
// is published misses it. Subscribers re-read the mirror on each notice, so a missed notice delays an
// update until the next one; it never corrupts one.
import { setMaxListeners } from "node:events";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import type { CommitNotice } from "../indexer/store/types.ts";

export interface CommitBus {
  /** Where notices travel: this process only, or Redis pub/sub. */
  readonly transport: "memory" | "redis";
  /** Sends `notice` to every subscriber (of every API process, with Redis). */
  publish(notice: CommitNotice): Promise<void>;
  /** Calls `listener` with each notice from now on; returns the function that stops it. */
  subscribe(listener: (notice: CommitNotice) => void): () => void;
  /** Stops delivering and closes the Redis connections, if any. */
  close(): Promise<void>;
}

export interface CreateCommitBusParameters {
  /** A redis:// URL; without one the bus is in-process only. */
  redisUrl?: string | undefined;
  /** The deployment's namespace in Redis (config's redisNamespace, else deploymentRedisNamespace);
   * required with `redisUrl`. */
  namespace?: string | undefined;
  /** Warned when a malformed message arrives or the Redis connection fails. */
  logger?: Logger | undefined;
}

/** The pub/sub channel of a deployment's notices. */
export function commitChannel(namespace: string): string {
  return `${namespace}:commits`;
}

/**
 * Creates the commit bus: in-process by default, Redis pub/sub when `redisUrl` is given. With Redis
 * the returned bus is already subscribed, so a notice published right after creation is delivered.
 *
 * @example
 * const bus = await createCommitBus({ redisUrl: config.redisUrl, namespace: deploymentRedisNamespace(manifest) });
 * const stop = bus.subscribe((notice) => console.log(notice.toBlock));
 * await bus.publish(notice); // from the indexer's onCommit
 */
export async function createCommitBus({
  redisUrl,
  namespace,
  logger,
}: CreateCommitBusParameters = {}): Promise<CommitBus> {
  if (!redisUrl) return createMemoryBus();
  // No fallback name: a fixed one is exactly what let two deployments hear each other.
  if (!namespace) throw new TypeError("createCommitBus: a Redis bus needs the deployment's namespace.");
  return createRedisBus(redisUrl, commitChannel(namespace), logger);
}

const NOTICE_EVENT = "commit";

function createMemoryBus(): CommitBus {
  const target = new EventTarget();
  // Every open subscription and every response cache listens: more than Node's warning threshold of 10
  // is the normal case, not a leak.
  setMaxListeners(0, target);
  return {
    transport: "memory",
    async publish(notice) {
      target.dispatchEvent(new CustomEvent(NOTICE_EVENT, { detail: notice }));
    },
    subscribe(listener) {
      const handler = (event: Event) => listener((event as CustomEvent<CommitNotice>).detail);
      target.addEventListener(NOTICE_EVENT, handler);
      return () => target.removeEventListener(NOTICE_EVENT, handler);
    },
    async close() {},
  };
}

async function createRedisBus(
  redisUrl: string,
  channel: string,
  logger: Logger | undefined,
): Promise<CommitBus> {
  // A connection in subscriber mode can only (un)subscribe, so publishing takes a second one.
  const options = { lazyConnect: true, maxRetriesPerRequest: 3 };
  const publisher = new Redis(redisUrl, options);
  const subscriber = new Redis(redisUrl, options);
  for (const connection of [publisher, subscriber]) {
    connection.on("error", (error: Error) =>
      logger?.warn({ msg: "Commit bus Redis error", error: error.message }),
    );
  }
  const local = createMemoryBus();
  subscriber.on("message", (from: string, message: string) => {
    if (from !== channel) return;
    const notice = parseNotice(message);
    if (notice) void local.publish(notice);
    else logger?.warn({ msg: "Ignored a malformed commit notice", channel });
  });
  try {
    await Promise.all([publisher.connect(), subscriber.connect()]);
    await subscriber.subscribe(channel);
  } catch (error) {
    publisher.disconnect();
    subscriber.disconnect();
    throw error;
  }
  return {
    transport: "redis",
    async publish(notice) {
      // Subscribers of this process hear it back through Redis, exactly like the other processes.
      await publisher.publish(channel, serializeNotice(notice));
    },
    subscribe: local.subscribe,
    async close() {
      await Promise.allSettled([subscriber.quit(), publisher.quit()]);
    },
  };
}

/** JSON with the bigint block number as a decimal string. */
export function serializeNotice(notice: CommitNotice): string {
  return JSON.stringify({ ...notice, toBlock: notice.toBlock.toString() });
}

/** The notice in `message`, or undefined when it is not one. */
export function parseNotice(message: string): CommitNotice | undefined {
  try {
    const raw = JSON.parse(message) as Record<string, unknown>;
    const strings = (value: unknown) => Array.isArray(value) && value.every((v) => typeof v === "string");
    if (
      !Number.isSafeInteger(raw.chainId) ||
      typeof raw.toBlock !== "string" ||
      !/^\d+$/.test(raw.toBlock) ||
      !strings(raw.proposalIds) ||
      !strings(raw.members) ||
      !Array.isArray(raw.votes)
    ) {
      return undefined;
    }
    return { ...(raw as unknown as CommitNotice), toBlock: BigInt(raw.toBlock) };
  } catch {
    return undefined;
  }
}
