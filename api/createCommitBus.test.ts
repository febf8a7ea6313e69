import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { CommitNotice } from "../indexer/store/types.ts";
import { createCommitBus, parseNotice, serializeNotice } from "./createCommitBus.ts";
import { redisAnswers, TEST_REDIS_URL } from "./testing/redis.ts";

const NOTICE: CommitNotice = {
  chainId: 31337,
  toBlock: 123n,
  proposalIds: ["115792089237316195423570985008687907853269984665640564039457584007913129639935"],
  members: ["0x70997970c51812dc3a010c7d01b50e0d17dc79c8"],
  votes: [{ proposalId: "1", voter: "0x70997970c51812dc3a010c7d01b50e0d17dc79c8" }],
};

const hasRedis = await redisAnswers();

describe("createCommitBus", () => {
  it("serializes notices with their bigint block and refuses anything else", () => {
    expect(parseNotice(serializeNotice(NOTICE))).toEqual(NOTICE);
    for (const bad of [
      "",
      "{}",
      "[]",
      '{"chainId":1,"toBlock":"x","proposalIds":[],"members":[],"votes":[]}',
    ]) {
      expect(parseNotice(bad)).toBeUndefined();
    }
  });

  it("delivers in process, to every subscriber until it unsubscribes", async () => {
    const bus = await createCommitBus();
    const a: CommitNotice[] = [];
    const b: CommitNotice[] = [];
    const stopA = bus.subscribe((n) => a.push(n));
    bus.subscribe((n) => b.push(n));
    await bus.publish(NOTICE);
    stopA();
    await bus.publish({ ...NOTICE, toBlock: 124n });
    expect(bus.transport).toBe("memory");
    expect(a.map((n) => n.toBlock)).toEqual([123n]);
    expect(b.map((n) => n.toBlock)).toEqual([123n, 124n]);
  });

  it.runIf(hasRedis)("delivers through Redis to every process's bus", async () => {
    const channel = `firm-test-${randomBytes(4).toString("hex")}`;
    const [publisher, first, second] = await Promise.all(
      [0, 1, 2].map(() => createCommitBus({ redisUrl: TEST_REDIS_URL, channel })),
    );
    try {
      const received = [first, second].map(
        (bus) => new Promise<CommitNotice>((resolve) => bus!.subscribe(resolve)),
      );
      await publisher!.publish(NOTICE);
      expect(await Promise.all(received)).toEqual([NOTICE, NOTICE]);
      expect(publisher!.transport).toBe("redis");
    } finally {
      await Promise.all([publisher, first, second].map((bus) => bus!.close()));
    }
  });
});
