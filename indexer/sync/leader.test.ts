import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { LeadershipLostError, redactUrl } from "../../kernel/errors.ts";
import { createMetrics } from "../metrics.ts";
import { quietLogger, waitUntil } from "../testing/fixtures.ts";
import { advisoryLockHolder, postgresAvailable, sqlClient, TEST_DATABASE_URL } from "../testing/postgres.ts";
import { createLeaderLock, type LeaderLock, leaderLockKey } from "./leader.ts";

const logger = quietLogger();
const hasPostgres = await postgresAvailable();

describe("leaderLockKey", () => {
  const a = "0x00000000000000000000000000000000000000aA" as const;
  const b = "0x00000000000000000000000000000000000000Bb" as const;

  it("is one signed 64-bit key per deployment, whatever the order or case of the addresses", () => {
    const key = leaderLockKey(1, [a, b]);
    expect(key).toBe(leaderLockKey(1, [b.toLowerCase() as typeof b, a]));
    expect(key).toBeGreaterThanOrEqual(-(2n ** 63n));
    expect(key).toBeLessThan(2n ** 63n);
    expect(leaderLockKey(8453, [a, b])).not.toBe(key);
    expect(leaderLockKey(1, [a])).not.toBe(key);
  });
});

describe("the writer lock without PostgreSQL", () => {
  it("is a no-op: PGlite belongs to one process", async () => {
    const metrics = createMetrics();
    const lock = createLeaderLock({ databaseUrl: undefined, key: 1n, logger, metrics });
    await lock.acquire();
    expect((await metrics.leader.get()).values[0]?.value).toBe(1);
    expect(lock.lost.aborted).toBe(false);
    await lock.release();
    // Released while paused by a fault: not writing, so not the leader either.
    expect((await metrics.leader.get()).values[0]?.value).toBe(0);
  });
});

describe.skipIf(!hasPostgres)(`the writer lock on PostgreSQL (${redactUrl(TEST_DATABASE_URL)})`, () => {
  const locks: LeaderLock[] = [];
  const newLock = (key: bigint) => {
    const lock = createLeaderLock({
      databaseUrl: TEST_DATABASE_URL,
      key,
      logger,
      pollIntervalMs: 100,
      heartbeatMs: 200,
    });
    locks.push(lock);
    return lock;
  };
  // A fresh key per test, so parallel runs on the same server cannot meet.
  const freshKey = () => randomBytes(8).readBigInt64BE(0);
  afterEach(async () => {
    await Promise.all(locks.splice(0).map((lock) => lock.release()));
  });

  it("lets one instance write while a second waits as a hot standby, then hands over on release", async () => {
    const key = freshKey();
    const first = newLock(key);
    await first.acquire();
    const second = newLock(key);
    let secondAcquired = false;
    const waiting = second.acquire().then(() => {
      secondAcquired = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(secondAcquired).toBe(false);

    const released = Date.now();
    await first.release();
    await waiting;
    expect(Date.now() - released).toBeLessThan(1_000);
  });

  it("notices a lost lock connection, and the standby takes over within about a second", async () => {
    const key = freshKey();
    const first = newLock(key);
    await first.acquire();
    const second = newLock(key);
    const waiting = second.acquire();

    // The writer's connection dies (as when its host or process dies): its session's locks go with it.
    const admin = sqlClient();
    await admin.connect();
    try {
      const pid = await advisoryLockHolder(admin, key);
      expect(pid).toBeTypeOf("number");
      const killed = Date.now();
      await admin.query("select pg_terminate_backend($1)", [pid]);
      await waitUntil(() => first.lost.aborted, "the first instance noticed", 5_000);
      expect(first.lost.reason).toBeInstanceOf(LeadershipLostError);
      await waiting;
      expect(Date.now() - killed).toBeLessThan(2_000);
      expect(await advisoryLockHolder(admin, key)).not.toBe(pid);
    } finally {
      await admin.end();
    }
  });

  it("stops waiting when the instance shuts down", async () => {
    const key = freshKey();
    await newLock(key).acquire();
    const controller = new AbortController();
    const waiting = newLock(key).acquire(controller.signal);
    setTimeout(() => controller.abort(), 150);
    await expect(waiting).rejects.toThrow("The indexer is stopping.");
  });
});
