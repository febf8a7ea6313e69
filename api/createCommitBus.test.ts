import { randomBytes } from "node:crypto";
import type { Address } from "viem";
import { describe, expect, it } from "vitest";
import { deploymentRedisNamespace } from "../indexer/config.ts";
import type { CommitNotice } from "../indexer/store/types.ts";
import { type CommitBus, createCommitBus, parseNotice, serializeNotice } from "./createCommitBus.ts";
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
    const namespace = `firm-test-${randomBytes(4).toString("hex")}`;
    const [publisher, first, second] = await Promise.all(
      [0, 1, 2].map(() => createCommitBus({ redisUrl: TEST_REDIS_URL, namespace })),
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

  it("refuses a Redis bus without a namespace rather than fall back to a name every deployment shares", async () => {
    await expect(createCommitBus({ redisUrl: TEST_REDIS_URL })).rejects.toThrow(/namespace/);
  });

  it("derives one namespace per deployment: its chain and its governor", () => {
    const governor = `0x${randomBytes(20).toString("hex")}` as Address;
    const other = `0x${randomBytes(20).toString("hex")}` as Address;
    const of = (chainId: number, address: Address) =>
      deploymentRedisNamespace({ chainId, contracts: { governor: address } as never });
    expect(of(7777, governor)).toBe(`firm:7777:${governor}`);
    // However the manifest spells the address, one deployment is one namespace.
    expect(of(7777, governor.toUpperCase().replace("0X", "0x") as Address)).toBe(of(7777, governor));
    expect(of(7777, other)).not.toBe(of(7777, governor));
    expect(of(31337, governor)).not.toBe(of(7777, governor));
  });

  it.runIf(hasRedis)("keeps two deployments on one Redis server apart", async () => {
    // Two deployments of the same chain, told apart by their governors (random: parallel runs on
    // one Redis server must not meet either).
    const [mine, theirs] = [0, 1].map(() =>
      deploymentRedisNamespace({
        chainId: 7777,
        contracts: { governor: `0x${randomBytes(20).toString("hex")}` } as never,
      }),
    ) as [string, string];
    const buses: CommitBus[] = [];
    const open = async (namespace: string) => {
      const bus = await createCommitBus({ redisUrl: TEST_REDIS_URL, namespace });
      buses.push(bus);
      return bus;
    };
    try {
      const [myIndexer, myApi, theirIndexer, theirApi] = await Promise.all([
        open(mine),
        open(mine),
        open(theirs),
        open(theirs),
      ]);
      const heard: Record<"mine" | "theirs", bigint[]> = { mine: [], theirs: [] };
      myApi!.subscribe((notice) => heard.mine.push(notice.toBlock));
      theirApi!.subscribe((notice) => heard.theirs.push(notice.toBlock));
      // Redis sends each subscriber its messages in the order it ran the PUBLISHes. So once a notice
      // has reached its own deployment, a notice published earlier on a shared channel would have
      // reached it first: every list below would hold the other deployment's blocks too.
      const publishAndAwait = async (from: CommitBus, to: CommitBus, toBlock: bigint) => {
        const arrived = new Promise<void>((resolve) => {
          const stop = to.subscribe((notice) => {
            if (notice.toBlock !== toBlock) return;
            stop();
            resolve();
          });
        });
        await from.publish({ ...NOTICE, toBlock });
        await arrived;
      };
      await publishAndAwait(myIndexer!, myApi!, 1n);
      await publishAndAwait(theirIndexer!, theirApi!, 2n);
      await publishAndAwait(myIndexer!, myApi!, 3n);
      expect(heard).toEqual({ mine: [1n, 3n], theirs: [2n] });
    } finally {
      await Promise.all(buses.map((bus) => bus.close()));
    }
  });
});
