import fc from "fast-check";
import type { Address } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BlockTooLargeError } from "../internal/errors.ts";
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
import { createApplyRange } from "./applyRange.ts";
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
    // Each range carries the header of every block with logs, and of its last block.
    for (const range of store.applied) {
      const numbers = new Set(range.blocks.map((b) => b.number));
      for (const log of range.logs) expect(numbers.has(log.blockNumber)).toBe(true);
      expect(numbers.has(range.toBlock.number)).toBe(true);
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
          if (maxBlocks !== undefined)
            expect(store.applied.every((r) => r.toBlock.number - r.fromBlock + 1n <= maxBlocks)).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });
});
