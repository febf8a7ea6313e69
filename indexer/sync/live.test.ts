import type { Address } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIndexer } from "../indexer.ts";
import { createMetrics } from "../metrics.ts";
import {
  emitterManifest,
  expectContiguous,
  expectSameLogs,
  FAST_BACKOFF,
  openTestStore,
  quietLogger,
  testConfig,
  waitForHead,
} from "../testing/fixtures.ts";
import { startTestChain, type TestChain } from "../testing/testChain.ts";

const FINALITY_DEPTH = 5;

describe("live following", () => {
  let chain: TestChain;
  let emitters: Address[];
  let startBlock: bigint;

  beforeAll(async () => {
    chain = await startTestChain();
    emitters = [await chain.deployEmitter(), await chain.deployEmitter()];
    startBlock = (await chain.head()) + 1n;
    // 40 blocks of history with logs in every fourth block, all with true parent hashes.
    for (let i = 0; i < 10; i++) {
      await chain.emitInBlock(emitters[i % 2]!, [2, 1]);
      await chain.mine(3);
    }
  });
  afterAll(() => chain.close());

  it("switches over from backfill without a gap or an overlap, then applies new blocks as they come", async () => {
    const manifest = emitterManifest(chain.chainId, startBlock, emitters);
    const store = await openTestStore(manifest);
    const metrics = createMetrics();
    const config = testConfig(chain.url, { finalityDepth: FINALITY_DEPTH, maxBlockRange: 16 });
    const indexer = createIndexer({
      config,
      store,
      manifest,
      logger: quietLogger(),
      metrics,
      probes: [],
      rpcBackoff: FAST_BACKOFF,
    });
    const headAtStart = await chain.head();
    const running = indexer.run();

    await waitForHead(chain, () => store.checkpoint());
    expect(indexer.status().phase).toBe("live");
    // New blocks while live: some with logs, some empty, two in quick succession.
    await chain.emitInBlock(emitters[0]!, [3]);
    await chain.mine(2);
    await chain.emitInBlock(emitters[1]!, [1, 1]);
    await chain.emitInBlock(emitters[0]!, [2]);
    await waitForHead(chain, () => store.checkpoint());
    await indexer.stop();
    await running;

    const head = await chain.head();
    expectContiguous(store.applied, startBlock, head);
    expectSameLogs(store.logs(), await chain.logsOf(emitters));
    // Backfill covered the final blocks in 16-block ranges; live ranges carry every block's header.
    const finalAtStart = headAtStart - BigInt(FINALITY_DEPTH);
    const backfilled = store.applied.filter((range) => range.toBlock.number <= finalAtStart);
    expect(backfilled.at(-1)?.toBlock.number).toBe(finalAtStart);
    for (const range of store.applied.slice(backfilled.length))
      expect(range.blocks.map((b) => b.number)).toEqual(numbersFrom(range.fromBlock, range.toBlock.number));
    // The store still knows the hash of every unfinalized block.
    const remembered = new Set((await store.recentBlocks()).map((b) => b.number));
    for (const n of numbersFrom(head - BigInt(FINALITY_DEPTH), head)) expect(remembered.has(n)).toBe(true);
    expect(store.prunes.at(-1)).toBe(head - BigInt(FINALITY_DEPTH));
    // Metrics follow the chain.
    expect((await metrics.indexedBlock.get()).values[0]?.value).toBe(Number(head));
    expect((await metrics.eventsApplied.get()).values[0]?.value).toBe(store.logs().length);
    expect(indexer.status().phase).toBe("stopped");
  });

  it("follows a dev chain across blocks made by hardhat_mine, whose parent hash reads as zero", async () => {
    const manifest = emitterManifest(chain.chainId, startBlock, emitters);
    const store = await openTestStore(manifest);
    const config = testConfig(chain.url, { finalityDepth: FINALITY_DEPTH });
    const indexer = createIndexer({
      config,
      store,
      manifest,
      logger: quietLogger(),
      probes: [],
      rpcBackoff: FAST_BACKOFF,
    });
    const running = indexer.run();
    await waitForHead(chain, () => store.checkpoint());
    // What the network helpers' time.increase() and mine(n) do on a demo chain.
    await chain.mineFast(30);
    await chain.emitInBlock(emitters[0]!, [2]);
    await chain.mineFast(3);
    await waitForHead(chain, () => store.checkpoint());
    await indexer.stop();
    await running;
    expectContiguous(store.applied, startBlock, await chain.head());
    expectSameLogs(store.logs(), await chain.logsOf(emitters));
    expect(store.rollbacks).toEqual([]);
  });
});

function numbersFrom(from: bigint, to: bigint): bigint[] {
  const numbers: bigint[] = [];
  for (let n = from; n <= to; n++) numbers.push(n);
  return numbers;
}
