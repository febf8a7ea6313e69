// The challenge store on its own (challenges.ts) and the code's forms (code.ts): each store keeps a
// challenge until its expiry plus the grace, refuses a second write of a live code, and lets exactly
// one of many concurrent uses win, in this process and in a real Redis.
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { redisAnswers, TEST_REDIS_URL } from "../../testing/redis.ts";
import {
  type ChallengeRecord,
  type ChallengeStore,
  createChallengeStore,
  GRACE_SECONDS,
} from "./challenges.ts";
import { CODE_ALPHABET, newCode, normalizeCode, showCode } from "./code.ts";

describe("codes", () => {
  it("reads what a person types: any case, hyphen or space, I and L as 1, O as 0", () => {
    expect(normalizeCode("7kq2-m9xd")).toBe("7KQ2M9XD");
    expect(normalizeCode(" 7KQ2 M9XD ")).toBe("7KQ2M9XD");
    expect(normalizeCode("ILO0-ilo0")).toBe("11001100");
    expect(showCode("7KQ2M9XD")).toBe("7KQ2-M9XD");
  });

  it("refuses what is not a code: U, other characters, another length, a huge input", () => {
    for (const bad of ["UUUU-UUUU", "7KQ2-M9X!", "7KQ2-M9X", "7KQ2-M9XDA", "", "x".repeat(10_000)])
      expect(normalizeCode(bad), bad).toBeNull();
  });

  it("draws fresh codes from the whole alphabet, 8 characters each", () => {
    const codes = Array.from({ length: 2_000 }, newCode);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(normalizeCode(code)).toBe(code);
    // 16,000 characters over 32 symbols: each appears about 500 times; none is missing or dominant.
    const counts = new Map<string, number>();
    for (const char of codes.join("")) counts.set(char, (counts.get(char) ?? 0) + 1);
    expect(counts.size).toBe(CODE_ALPHABET.length);
    for (const count of counts.values()) expect(count).toBeGreaterThan(350);
  });
});

function record(now: number, code = newCode()): ChallengeRecord {
  return {
    code,
    practice: "cloud",
    issuedAt: now,
    expiresAt: now + 600,
    origin: "https://firm.example",
    chainId: 1,
  };
}

/** The store's contract, on `store` whose clock reads `clock.now` (ms). */
function storeContract(
  name: string,
  make: (clock: { now: number }) => ChallengeStore | Promise<ChallengeStore>,
) {
  describe(name, () => {
    it("keeps a challenge until used, refuses a second write of its code, and lets one use win", async () => {
      const clock = { now: Date.now() };
      const store = await make(clock);
      const issued = record(Math.floor(clock.now / 1000));
      expect(await store.put(issued)).toBe(true);
      expect(await store.put({ ...issued, practice: "security" })).toBe(false);
      expect(await store.get(issued.code)).toEqual({ record: issued, used: false });
      expect(await store.get(newCode())).toBeNull();

      const uses = await Promise.all(Array.from({ length: 20 }, () => store.consume(issued.code)));
      expect(uses.filter(Boolean)).toHaveLength(1);
      expect(await store.get(issued.code)).toEqual({ record: issued, used: true });
      expect(await store.consume(newCode())).toBe(false);
    });
  });
}

storeContract("in this process", (clock) => createChallengeStore({ clock: () => clock.now }));

describe("in this process, over time", () => {
  it("forgets a challenge once past its expiry and the grace, and prunes as it writes", async () => {
    const clock = { now: Date.now() };
    const store = createChallengeStore({ clock: () => clock.now });
    const first = record(Math.floor(clock.now / 1000));
    await store.put(first);
    clock.now += (600 + GRACE_SECONDS - 1) * 1000;
    expect(await store.get(first.code)).not.toBeNull();
    clock.now += 2_000;
    expect(await store.get(first.code)).toBeNull();
    expect(await store.consume(first.code)).toBe(false);
    expect(await store.put({ ...record(Math.floor(clock.now / 1000)), code: first.code })).toBe(true);
  });
});

const redisUp = await redisAnswers();
const clients: Redis[] = [];
afterAll(async () => {
  await Promise.all(clients.map((client) => client.quit()));
});

describe.skipIf(!redisUp)("in Redis", () => {
  it("keeps the record and the used-marker with the same expiry, and one of two replicas' uses wins", async () => {
    const prefix = `presence-store-test-${randomUUID()}:`;
    const [a, b] = [new Redis(TEST_REDIS_URL), new Redis(TEST_REDIS_URL)];
    clients.push(a, b);
    const now = Date.now();
    const [storeA, storeB] = [a, b].map((redis) => createChallengeStore({ redis, prefix, clock: () => now }));
    const issued = record(Math.floor(now / 1000));
    expect(await storeA?.put(issued)).toBe(true);
    expect(await storeB?.put(issued)).toBe(false);
    expect(await storeB?.get(issued.code)).toEqual({ record: issued, used: false });
    const uses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? storeA : storeB)?.consume(issued.code)),
    );
    expect(uses.filter(Boolean)).toHaveLength(1);
    expect(await storeA?.get(issued.code)).toMatchObject({ used: true });
    const ttl = await a.ttl(`${prefix}challenge:${issued.code}`);
    expect(ttl).toBeGreaterThan(600 + GRACE_SECONDS - 5);
    expect(ttl).toBeLessThanOrEqual(600 + GRACE_SECONDS);
    expect(await a.ttl(`${prefix}used:${issued.code}`)).toBeGreaterThan(600);
  });
});
