import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { redisAnswers, TEST_REDIS_URL } from "../testing/redis.ts";
import { createRateLimiter, type RateLimiter } from "./useRateLimit.ts";

const hasRedis = await redisAnswers();
const connections: Redis[] = [];
const connect = () => {
  const redis = new Redis(TEST_REDIS_URL);
  connections.push(redis);
  return redis;
};
/** A prefix of its own per test and run: parallel runs on one Redis server must not share counts. */
const uniquePrefix = () => `firm-test-${randomBytes(4).toString("hex")}:ratelimit:`;

afterAll(() => {
  for (const redis of connections) redis.disconnect();
});

async function allowedOf(limiter: RateLimiter, client: string, times: number): Promise<boolean[]> {
  const allowed: boolean[] = [];
  for (let i = 0; i < times; i++) allowed.push((await limiter.consume(client)).allowed);
  return allowed;
}

describe("createRateLimiter", () => {
  it("allows a client its allowance per minute, then says when to retry", async () => {
    const limiter = createRateLimiter({ perMinute: 3 });
    expect(await allowedOf(limiter, "203.0.113.1", 4)).toEqual([true, true, true, false]);
    const { retryAfterSeconds } = await limiter.consume("203.0.113.1");
    expect(retryAfterSeconds).toBeGreaterThan(0);
    expect(retryAfterSeconds).toBeLessThanOrEqual(60);
    expect((await limiter.consume("203.0.113.2")).allowed).toBe(true);
  });

  it("counts an IPv6 client by its /56, which it could otherwise rotate through", async () => {
    const limiter = createRateLimiter({ perMinute: 2 });
    expect(await allowedOf(limiter, "2001:db8:0:1::1", 1)).toEqual([true]);
    expect(await allowedOf(limiter, "2001:db8:0:2::9", 2)).toEqual([true, false]);
    expect(await allowedOf(limiter, "2001:db8:1:100::1", 1)).toEqual([true]);
  });

  it("refuses Redis without a prefix rather than share counters with every deployment", () => {
    expect(() => createRateLimiter({ perMinute: 3, redis: {} as Redis })).toThrow(/prefix/);
  });

  it.runIf(hasRedis)("shares counts between processes of one deployment, not with another", async () => {
    const prefix = uniquePrefix();
    const [a, b] = [connect(), connect()].map((redis) => createRateLimiter({ perMinute: 2, redis, prefix }));
    const other = createRateLimiter({ perMinute: 2, redis: connect(), prefix: uniquePrefix() });
    const client = "198.51.100.7";
    expect((await a!.consume(client)).allowed).toBe(true);
    expect((await b!.consume(client)).allowed).toBe(true);
    expect((await a!.consume(client)).allowed).toBe(false);
    expect(await allowedOf(other, client, 3)).toEqual([true, true, false]);
  });

  it.runIf(hasRedis)(
    "lets requests through while Redis fails, and limits again once it answers",
    async () => {
      const redis = connect();
      let failing = true;
      // Redis as the limiter sees it: every command fails until `failing` is cleared.
      const flaky = new Proxy(redis, {
        get(target, property, receiver) {
          if (property !== "call") return Reflect.get(target, property, receiver);
          return (...args: [string, ...string[]]) =>
            failing ? Promise.reject(new Error("connect ECONNREFUSED")) : target.call(...args);
        },
      });
      const limiter = createRateLimiter({ perMinute: 2, redis: flaky, prefix: uniquePrefix() });
      const client = "198.51.100.8";
      expect(await allowedOf(limiter, client, 3)).toEqual([true, true, true]);
      failing = false;
      // The first request after the outage may still find the store preparing again.
      await limiter.consume(client);
      await expect.poll(async () => (await limiter.consume(client)).allowed).toBe(false);
    },
  );
});
