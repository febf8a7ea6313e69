// Where the API remembers the presence challenges it issued, until each is used or expires: in this
// process by default, in Redis with REDIS_URL so that every replica behind a load balancer verifies
// any challenge and refuses a used one. A challenge is written once (SET NX EX: a code is never
// reissued while remembered); using it is a second key set with NX, so of two replicas verifying the
// same proof at once exactly one wins (Redis runs commands one at a time). Each record is kept
// GRACE_SECONDS past its expiry, so a late proof is told EXPIRED rather than "unknown".
import type { Redis } from "ioredis";

/** A challenge as issued: what the SIWE message must name. Times in unix seconds. */
export interface ChallengeRecord {
  /** The canonical code (8 Crockford base32 characters): the SIWE nonce. */
  code: string;
  /** The practice's slug the person must prove a seat in. */
  practice: string;
  issuedAt: number;
  expiresAt: number;
  /** The API's public origin the message must name (domain and URI). */
  origin: string;
  chainId: number;
}

export interface StoredChallenge {
  record: ChallengeRecord;
  used: boolean;
}

export interface ChallengeStore {
  readonly kind: "memory" | "redis";
  /** Remembers `record` until expiresAt + grace; false when its code is remembered already. */
  put(record: ChallengeRecord): Promise<boolean>;
  get(code: string): Promise<StoredChallenge | null>;
  /** Marks the challenge used; true only for the one call that did (atomic across replicas). */
  consume(code: string): Promise<boolean>;
}

/** 600 s past expiry: a proof that arrives a little late is refused as EXPIRED, not as unknown. */
export const GRACE_SECONDS = 600;
/** In one process at most this many challenges are remembered (about 300 bytes each: 30 MB). */
export const MEMORY_CAPACITY = 100_000;

/**
 * The store: Redis when `redis` is given (keys under `prefix`), else this process's memory.
 *
 * @example
 * const store = createChallengeStore({ clock: Date.now });
 * await store.put(record); (await store.get(record.code))?.used // false
 */
export function createChallengeStore({
  redis,
  prefix,
  clock,
}: {
  redis?: Redis | undefined;
  prefix?: string | undefined;
  clock: () => number;
}): ChallengeStore {
  if (redis) {
    if (!prefix) throw new TypeError("createChallengeStore: Redis keys need the deployment's prefix.");
    return redisStore(redis, prefix, clock);
  }
  return memoryStore(clock);
}

function keepSeconds(record: ChallengeRecord, nowMs: number): number {
  return Math.max(1, record.expiresAt + GRACE_SECONDS - Math.floor(nowMs / 1000));
}

function memoryStore(clock: () => number): ChallengeStore {
  const entries = new Map<string, StoredChallenge & { dropAt: number }>();
  /** Drops what is past its grace: entries are in insertion order, so the oldest come first. */
  const prune = () => {
    const now = clock() / 1000;
    for (const [code, entry] of entries) {
      if (entry.dropAt > now) break;
      entries.delete(code);
    }
  };
  const live = (code: string) => {
    const entry = entries.get(code);
    if (entry && entry.dropAt <= clock() / 1000) {
      entries.delete(code);
      return undefined;
    }
    return entry;
  };
  return {
    kind: "memory",
    async put(record) {
      prune();
      if (live(record.code)) return false;
      if (entries.size >= MEMORY_CAPACITY) throw new ChallengeCapacityError(MEMORY_CAPACITY);
      entries.set(record.code, { record, used: false, dropAt: record.expiresAt + GRACE_SECONDS });
      return true;
    },
    async get(code) {
      const entry = live(code);
      return entry ? { record: entry.record, used: entry.used } : null;
    },
    // Synchronous between the read and the write: no other verification interleaves in one process.
    async consume(code) {
      const entry = live(code);
      if (!entry || entry.used) return false;
      entry.used = true;
      return true;
    },
  };
}

function redisStore(redis: Redis, prefix: string, clock: () => number): ChallengeStore {
  const recordKey = (code: string) => `${prefix}challenge:${code}`;
  const usedKey = (code: string) => `${prefix}used:${code}`;
  return {
    kind: "redis",
    async put(record) {
      const answer = await redis.set(
        recordKey(record.code),
        JSON.stringify(record),
        "EX",
        keepSeconds(record, clock()),
        "NX",
      );
      return answer === "OK";
    },
    async get(code) {
      const [text, used] = await redis.mget(recordKey(code), usedKey(code));
      if (!text) return null;
      return { record: JSON.parse(text) as ChallengeRecord, used: used !== null };
    },
    async consume(code) {
      const text = await redis.get(recordKey(code));
      if (!text) return false;
      const record = JSON.parse(text) as ChallengeRecord;
      const answer = await redis.set(usedKey(code), "1", "EX", keepSeconds(record, clock()), "NX");
      return answer === "OK";
    },
  };
}

/** The process remembers MEMORY_CAPACITY challenges already (a flood): set REDIS_URL, or wait. */
export class ChallengeCapacityError extends Error {
  override name = "ChallengeCapacityError";
  // A plain field rather than a parameter property: Node's type stripping (npm start) supports only
  // erasable TypeScript.
  readonly capacity: number;
  constructor(capacity: number) {
    super(`This API process remembers ${capacity} live presence challenges already.`);
    this.capacity = capacity;
  }
}
