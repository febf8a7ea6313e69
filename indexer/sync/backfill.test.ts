import fc from "fast-check";
import type { Address } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BlockTooLargeError } from "../../kernel/errors.ts";
import type { BlockRange } from "../store/types.ts";
import { createFakeRpc } from "../testing/fakeRpc.ts";
import { startFaultProxy } from "../testing/faultProxy.ts";
import {
  emitterManifest,
  expectContiguous,
  expectSameLogs,
  FAST_BACKOFF,
  openTestStore,
  quietLogger,
} from "../testing/fixtures.ts";
import { createMemoryStore } from "../testing/memoryStore.ts";
import { recordCalls } from "../testing/recordingStore.ts";
import { startTestChain, type TestChain } from "../testing/testChain.ts";
import { type ApplyRange, createApplyRange } from "./applyRange.ts";
import { backfill } from "./backfill.ts";
import { createChunker } from "./chunker.ts";
import { createRpc } from "./rpc.ts";

const logger = quietLogger();

describe("backfill on a Hardhat node", () => {
  let chain: TestChain;
  let emitters: Address[];
  let startBlock: bigint;
  let head: bigint;

  // History: a dense stretch (5 blocks of 12 logs), 3,000 empty blocks, then a few blocks with logs.
  beforeAll(async () => {
    chain = await startTestChain();
    emitters = [await chain.deployEmitter(), await chain.deployEmitter()];
    startBlock = (await chain.head()) + 1n;
    for (let i = 0; i < 5; i++) await chain.emitInBlock(emitters[i % 2]!, [7, 5]);
    await chain.mineFast(3_000);
    for (let i = 0; i < 4; i++) await chain.emitInBlock(emitters[i % 2]!, [1, 2]);
    head = await chain.head();
  });
  afterAll(() => chain.close());

  async function runBackfill(url: string, maxBlocks: number, concurrency = 3) {
    const store = await openTestStore(emitterManifest(chain.chainId, startBlock, emitters));
    const rpc = createRpc({ url, backoff: FAST_BACKOFF, logger });
    const chunker = createChunker({ maxBlocks });
    const apply = createApplyRange({ store, logger });
    await backfill({
      rpc,
      apply,
      addresses: emitters,
      fromBlock: startBlock,
      toBlock: head,
      chunker,
      concurrency,
      logger,
    });
    return store;
  }

  it("applies every log once, in contiguous ranges in chain order", async () => {
    const store = await runBackfill(chain.url, 200);
    expectContiguous(store.applied, startBlock, head);
    expectSameLogs(store.logs(), await chain.logsOf(emitters));
    // Each range carries the header of its last block (and of the last block of each chunk it
    // joins). The node puts each block's timestamp in its logs: that is every log's timestamp.
    for (const range of store.applied) {
      expect(range.blocks.at(-1)?.number).toBe(range.toBlock.number);
      const headers = range.blocks.map((b) => b.number);
      expect(headers).toEqual([...new Set(headers)].sort((a, b) => (a < b ? -1 : 1)));
      for (const log of range.logs) {
        const header = await chain.client.getBlock({ blockNumber: log.blockNumber });
        expect(log.blockTimestamp).toBe(header.timestamp);
      }
    }
  });

  it("shrinks on a provider's block-range limit, to the range it suggests", async () => {
    const proxy = await startFaultProxy({ target: chain.url, maxLogBlockRange: 100 });
    try {
      const store = await runBackfill(proxy.url, 1_000);
      expectSameLogs(store.logs(), await chain.logsOf(emitters));
      const [first, ...rest] = proxy.stats.logCalls;
      expect(first?.outcome).toBe("range-refused");
      // The suggested 100 blocks are taken at once (no halving down from 1,000), and only the
      // occasional probe above the ceiling is refused afterwards.
      const accepted = rest.filter((call) => call.outcome === "ok");
      expect(accepted.every((call) => call.toBlock - call.fromBlock + 1n <= 100n)).toBe(true);
      // After a refusal the range holds for 16 calls before probing higher (3 probes at once, as 3
      // chunks are in flight): at most about one refusal per 5 accepted calls.
      expect(rest.filter((call) => call.outcome === "range-refused").length).toBeLessThanOrEqual(
        accepted.length / 5,
      );
    } finally {
      await proxy.close();
    }
  });

  it("shrinks on 'query returned more than N results' and grows back where logs are sparse", async () => {
    const proxy = await startFaultProxy({ target: chain.url, maxLogResults: 20 });
    try {
      const store = await runBackfill(proxy.url, 1_000, 1);
      expectSameLogs(store.logs(), await chain.logsOf(emitters));
      const calls = proxy.stats.logCalls;
      const refused = calls.findIndex((call) => call.outcome === "results-refused");
      expect(refused).toBe(0);
      const sizes = calls
        .filter((call) => call.outcome === "ok")
        .map((call) => Number(call.toBlock - call.fromBlock + 1n));
      const smallest = Math.min(...sizes);
      // Down to two blocks (24 logs) or one (12) in the dense stretch, back up to the maximum after it.
      expect(smallest).toBeLessThanOrEqual(2);
      expect(sizes.slice(sizes.indexOf(smallest))).toContain(1_000);
    } finally {
      await proxy.close();
    }
  });

  it("stops with BlockTooLargeError when even one block exceeds the provider's result limit", async () => {
    const proxy = await startFaultProxy({ target: chain.url, maxLogResults: 5 });
    try {
      await expect(runBackfill(proxy.url, 1_000)).rejects.toThrowError(BlockTooLargeError);
    } finally {
      await proxy.close();
    }
  });
});

describe("backfill on a model chain (property)", () => {
  const address = "0x00000000000000000000000000000000000000aa" as const;

  it("applies every log exactly once, in order, whatever the limits, concurrency and timing", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          headBlock: fc.bigInt({ min: 1n, max: 3_000n }),
          logs: fc.array(fc.tuple(fc.bigInt({ min: 0n, max: 3_000n }), fc.integer({ min: 1, max: 8 })), {
            maxLength: 60,
          }),
          maxBlocks: fc.option(fc.bigInt({ min: 1n, max: 400n }), { nil: undefined }),
          maxResults: fc.option(fc.integer({ min: 8, max: 40 }), { nil: undefined }),
          chunkerMax: fc.integer({ min: 1, max: 2_000 }),
          concurrency: fc.integer({ min: 1, max: 6 }),
          seed: fc.integer(),
        }),
        async ({ headBlock, logs, maxBlocks, maxResults, chunkerMax, concurrency, seed }) => {
          let state = seed;
          // 0–5 microtask turns per answer, so that concurrent calls finish out of order.
          const delayTurns = () => {
            state = (state * 1_103_515_245 + 12_345) | 0;
            return (state >>> 16) % 6;
          };
          const logsPerBlock = new Map(logs.filter(([n]) => n <= headBlock));
          const rpc = createFakeRpc({ headBlock, logsPerBlock, address, maxBlocks, maxResults, delayTurns });
          const store = recordCalls(createMemoryStore());
          const apply = createApplyRange({ store, logger });
          const chunker = createChunker({ maxBlocks: chunkerMax });
          await backfill({
            rpc,
            apply,
            addresses: [address],
            fromBlock: 0n,
            toBlock: headBlock,
            chunker,
            concurrency,
            logger,
          });
          expectContiguous(store.applied, 0n, headBlock);
          expectSameLogs(store.logs(), rpc.allLogs());
          // The accepted calls cover the chain once, each within the provider's limit (applied ranges
          // may join several of them).
          const accepted = rpc.logCalls
            .filter((call) => !call.refused)
            .sort((a, b) => (a.fromBlock < b.fromBlock ? -1 : 1));
          expect(accepted[0]?.fromBlock).toBe(0n);
          accepted.forEach((call, i) => {
            if (i > 0) expect(call.fromBlock).toBe((accepted[i - 1]?.toBlock ?? -1n) + 1n);
            if (maxBlocks !== undefined)
              expect(call.toBlock - call.fromBlock + 1n).toBeLessThanOrEqual(maxBlocks);
          });
          expect(accepted.at(-1)?.toBlock).toBe(headBlock);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("backfill's pipeline (model chain)", () => {
  const address = "0x00000000000000000000000000000000000000bb" as const;
  const logger = quietLogger();

  /** A chain of `blocks` blocks with `perBlock` logs each, behind a fake RPC that counts fetches. */
  function modelChain(blocks: bigint, perBlock: number, delayTurns?: () => number) {
    const logsPerBlock = new Map<bigint, number>();
    for (let n = 0n; n <= blocks; n++) logsPerBlock.set(n, perBlock);
    return createFakeRpc({ headBlock: blocks, logsPerBlock, address, delayTurns });
  }

  /** An ApplyRange that waits for `before` (when given), then records the range as applied. */
  function applyInto(applied: BlockRange[], before?: (range: BlockRange) => Promise<void>): ApplyRange {
    return async (range) => {
      await before?.(range);
      applied.push(range);
      return {
        checkpoint: { blockNumber: range.toBlock.number, blockHash: range.toBlock.hash },
        events: range.logs.length,
      };
    };
  }

  it("fetches the next chunks while a range is being applied, and applies strictly in order", async () => {
    const rpc = modelChain(999n, 1);
    let releaseFirst: () => void = () => {};
    const firstApplied = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    let callsDuringFirstApply = -1;
    const applied: BlockRange[] = [];
    const apply = applyInto(applied, async () => {
      if (applied.length > 0) return;
      // Let the fetches already started settle, then look at how many were made meanwhile.
      for (let i = 0; i < 50; i++) await Promise.resolve();
      callsDuringFirstApply = rpc.logCalls.length;
      await firstApplied;
    });
    const done = backfill({
      rpc,
      apply,
      addresses: [address],
      fromBlock: 0n,
      toBlock: 999n,
      chunker: createChunker({ maxBlocks: 50 }),
      concurrency: 3,
      logger,
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    releaseFirst();
    await done;
    // One chunk was being applied; the next three (the concurrency) were fetched meanwhile.
    expect(callsDuringFirstApply).toBeGreaterThanOrEqual(4);
    expectContiguous(applied, 0n, 999n);
    expectSameLogs(
      applied.flatMap((range) => range.logs),
      rpc.allLogs(),
    );
  });

  it("applies chunks fetched ahead in one range, up to maxApplyLogs and maxApplyBlocks", async () => {
    const rpc = modelChain(999n, 2);
    const applied: BlockRange[] = [];
    // The first apply is slow, so that fetched chunks pile up behind it.
    const apply = applyInto(applied, async () => {
      if (applied.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    });
    await backfill({
      rpc,
      apply,
      addresses: [address],
      fromBlock: 0n,
      toBlock: 999n,
      chunker: createChunker({ maxBlocks: 10 }),
      concurrency: 4,
      maxBufferedLogs: 200,
      maxApplyLogs: 60,
      maxApplyBlocks: 25,
      logger,
    });
    expectContiguous(applied, 0n, 999n);
    expect(applied.length).toBeLessThan(rpc.logCalls.length);
    // 10-block chunks of 20 logs: two join (40 logs, 20 blocks); a third would pass 25 blocks.
    expect(Math.max(...applied.map((range) => range.logs.length))).toBe(40);
    expect(applied.every((range) => range.toBlock.number - range.fromBlock + 1n <= 25n)).toBe(true);
    // A merged range carries the header of its last block (each chunk's last block, in order).
    for (const range of applied) expect(range.blocks.at(-1)?.number).toBe(range.toBlock.number);
  });

  it("holds a bounded number of fetched, unapplied logs, whatever the chain's length (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          blocks: fc.bigInt({ min: 50n, max: 600n }),
          perBlock: fc.integer({ min: 0, max: 4 }),
          maxBuffered: fc.integer({ min: 1, max: 60 }),
          concurrency: fc.integer({ min: 1, max: 6 }),
          maxResults: fc.option(fc.integer({ min: 8, max: 30 }), { nil: undefined }),
          seed: fc.integer(),
        }),
        async ({ blocks, perBlock, maxBuffered, concurrency, maxResults, seed }) => {
          let state = seed;
          const delayTurns = () => {
            state = (state * 1_103_515_245 + 12_345) | 0;
            return (state >>> 16) % 6;
          };
          const logsPerBlock = new Map<bigint, number>();
          for (let n = 0n; n <= blocks; n++) logsPerBlock.set(n, perBlock);
          const inner = createFakeRpc({ headBlock: blocks, logsPerBlock, address, maxResults, delayTurns });
          let fetched = 0;
          let applied = 0;
          let largestReply = 0;
          let nextUnapplied = 0n;
          const rpc: typeof inner = {
            ...inner,
            async logs(filter) {
              // Fetched and unapplied logs stay within the limit, plus one reply per request in flight
              // and the range being handed to apply (one reply: maxApplyLogs is 1), whatever the
              // chain's length.
              expect(fetched - applied).toBeLessThanOrEqual(maxBuffered + (concurrency + 1) * largestReply);
              const logs = await inner.logs(filter);
              fetched += logs.length;
              largestReply = Math.max(largestReply, logs.length);
              return logs;
            },
          };
          const apply = applyInto([], async (range) => {
            // Applying is slower than fetching, so fetched logs would pile up without the limit.
            for (let turns = 8 * delayTurns(); turns > 0; turns--) await Promise.resolve();
            applied += range.logs.length;
            nextUnapplied = range.toBlock.number + 1n;
          });
          await backfill({
            rpc,
            apply,
            addresses: [address],
            fromBlock: 0n,
            toBlock: blocks,
            chunker: createChunker({ maxBlocks: 40, targetLogs: 8 }),
            concurrency,
            maxBufferedLogs: maxBuffered,
            maxApplyLogs: 1,
            logger,
          });
          expect(applied).toBe(inner.allLogs().length);
          expect(nextUnapplied).toBe(blocks + 1n);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("applies the ranges before a failed fetch, then stops with its error", async () => {
    const inner = modelChain(299n, 1);
    const rpc: typeof inner = {
      ...inner,
      async logs(filter) {
        if ((filter.fromBlock as bigint) >= 100n) throw new Error("the node fell over");
        return inner.logs(filter);
      },
    };
    const applied: BlockRange[] = [];
    const apply = applyInto(applied);
    await expect(
      backfill({
        rpc,
        apply,
        addresses: [address],
        fromBlock: 0n,
        toBlock: 299n,
        chunker: createChunker({ maxBlocks: 25 }),
        concurrency: 4,
        logger,
      }),
    ).rejects.toThrowError("the node fell over");
    expectContiguous(applied, 0n, 99n);
    expect(applied.at(-1)?.toBlock.number).toBe(99n);
  });
});
