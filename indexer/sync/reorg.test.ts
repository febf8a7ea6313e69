import fc from "fast-check";
import type { Address, Hex } from "viem";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DeepReorgError, FatalError } from "../../kernel/errors.ts";
import { createIndexer, type Indexer } from "../indexer.ts";
import { createMetrics, type Metrics } from "../metrics.ts";
import {
  emitterManifest,
  expectSameLogs,
  FAST_BACKOFF,
  openTestStore,
  quietLogger,
  testConfig,
  waitForHead,
} from "../testing/fixtures.ts";
import type { RecordingStore } from "../testing/recordingStore.ts";
import { startTestChain, type TestChain } from "../testing/testChain.ts";
import { FINALITY_DEPTHS, finalityDepthFor } from "./reorg.ts";

describe("finality depths", () => {
  it("has a default per chain, an override, and a conservative fallback", () => {
    expect(finalityDepthFor(1)).toBe(64);
    expect(finalityDepthFor(8453)).toBe(FINALITY_DEPTHS[10]);
    expect(finalityDepthFor(42161)).toBe(240);
    expect(finalityDepthFor(31337)).toBe(5);
    expect(finalityDepthFor(31337, 12)).toBe(12);
    expect(finalityDepthFor(999_999)).toBe(200);
  });
});

describe("reorgs on a Hardhat node", () => {
  let chain: TestChain;
  let emitters: Address[];
  let startBlock: bigint;
  let base: Hex;
  let store: RecordingStore;
  let metrics: Metrics;

  beforeAll(async () => {
    chain = await startTestChain();
    emitters = [await chain.deployEmitter(), await chain.deployEmitter()];
    startBlock = (await chain.head()) + 1n;
    for (let i = 0; i < 6; i++) await chain.emitInBlock(emitters[i % 2]!, [1, 2]);
    await chain.mine(4);
    base = await chain.snapshot();
  });
  afterAll(() => chain.close());

  // Every test starts from the same chain and an empty mirror.
  beforeEach(async () => {
    await chain.revert(base);
    base = await chain.snapshot();
    store = await openTestStore(emitterManifest(chain.chainId, startBlock, emitters));
    metrics = createMetrics();
  });

  function startIndexer(finalityDepth: number): { indexer: Indexer; running: Promise<void> } {
    const manifest = emitterManifest(chain.chainId, startBlock, emitters);
    const config = testConfig(chain.url, { finalityDepth });
    const indexer = createIndexer({
      config,
      store,
      manifest,
      logger: quietLogger(),
      metrics,
      probes: [],
      rpcBackoff: FAST_BACKOFF,
    });
    return { indexer, running: indexer.run() };
  }

  /** Replaces the chain above the snapshot with `blocks` new blocks, each with logs unlike any before. */
  async function reorgTo(snapshot: Hex, blocks: number): Promise<void> {
    await chain.revert(snapshot);
    for (let i = 0; i < blocks; i++) await chain.emitInBlock(emitters[i % 2]!, [i + 1]);
  }

  it("rolls back to the common ancestor and re-applies when a followed block's parent changes", async () => {
    const { indexer, running } = startIndexer(5);
    await chain.emitInBlock(emitters[0]!, [1]);
    const ancestor = await chain.head();
    const fork = await chain.snapshot();
    await chain.emitInBlock(emitters[1]!, [2]);
    await chain.emitInBlock(emitters[0]!, [3]);
    await waitForHead(chain, () => store.checkpoint());

    await reorgTo(fork, 3);
    await waitForHead(chain, () => store.checkpoint());
    await indexer.stop();
    await running;

    expect(store.rollbacks).toEqual([ancestor]);
    expectSameLogs(store.logs(), await chain.logsOf(emitters));
    expect((await metrics.reorgs.get()).values[0]?.value).toBe(1);
    expect((await metrics.reorgDepth.get()).values.find((v) => v.metricName?.endsWith("_sum"))?.value).toBe(
      2,
    );
  });

  it("finds at start a reorg that happened while the indexer was stopped", async () => {
    const fork = await chain.snapshot();
    const ancestor = await chain.head();
    await chain.emitInBlock(emitters[0]!, [2]);
    await chain.emitInBlock(emitters[1]!, [1]);
    const first = startIndexer(5);
    await waitForHead(chain, () => store.checkpoint());
    await first.indexer.stop();
    await first.running;

    await reorgTo(fork, 4);
    const second = startIndexer(5);
    await waitForHead(chain, () => store.checkpoint());
    await second.indexer.stop();
    await second.running;

    expect(store.rollbacks).toEqual([ancestor]);
    expectSameLogs(store.logs(), await chain.logsOf(emitters));
  });

  it("stops with DeepReorgError, and leaves the mirror alone, when a reorg is deeper than the finality depth", async () => {
    const fork = await chain.snapshot();
    for (let i = 0; i < 4; i++) await chain.emitInBlock(emitters[0]!, [1]);
    const first = startIndexer(2);
    await waitForHead(chain, () => store.checkpoint());
    await first.indexer.stop();
    await first.running;
    const before = await store.checkpoint();

    await reorgTo(fork, 5);
    const second = startIndexer(2);
    const error = await second.running.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DeepReorgError);
    expect(error).toBeInstanceOf(FatalError);
    expect((error as Error).message).toMatchInlineSnapshot(`
      "Reorg deeper than the finality depth (2 blocks) below the mirror's checkpoint 16: none of the 3 remembered blocks (14 to 16) is on the chain any more.

      The mirror was left as it was and nothing more is written: it may hold blocks that are no longer on the chain.
      Index again from scratch (delete DATA_DIR, or drop the database schema), and if such reorgs are expected on this chain, raise FINALITY_DEPTH.
      On a dev chain this usually means the node was restarted or reverted: redeploy and index from scratch."
    `);
    expect(second.indexer.status().phase).toBe("failed");
    expect(store.rollbacks).toEqual([]);
    expect(await store.checkpoint()).toEqual(before);
  });

  it("keeps the mirror equal to the chain through any blocks and reorgs, or stops on one deeper than finality (property)", async () => {
    const FINALITY = 4;
    const command = fc.oneof(
      fc.record({
        kind: fc.constant("block" as const),
        logs: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }),
      }),
      fc.record({
        kind: fc.constant("reorg" as const),
        depth: fc.integer({ min: 1, max: FINALITY + 2 }),
        blocks: fc.integer({ min: 1, max: 5 }),
      }),
    );
    let rollbacks = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 2, maxLength: 8 }), async (commands) => {
        await chain.revert(base);
        base = await chain.snapshot();
        store = await openTestStore(emitterManifest(chain.chainId, startBlock, emitters));
        const { indexer, running } = startIndexer(FINALITY);
        const outcome = running.then(
          () => undefined,
          (error: unknown) => error,
        );
        // A snapshot before each block, so a reorg of depth d reverts to the snapshot d blocks down.
        const snapshots: Hex[] = [];
        // Reorg depth counts from the highest block the chain ever had: a block that was final once
        // stays final even if the chain later reverts to a shorter one.
        let highest = 0;
        let deepest = 0;
        const mineBlock = async (logs: number[]) => {
          snapshots.push(await chain.snapshot());
          highest = Math.max(highest, snapshots.length);
          await chain.emitInBlock(emitters[snapshots.length % 2]!, logs.length > 0 ? logs : [0]);
        };
        try {
          // Two blocks first, so that the first reorg has something to replace.
          await mineBlock([1]);
          await mineBlock([2]);
          for (const [index, step] of commands.entries()) {
            if (step.kind === "block") await mineBlock(step.logs);
            else {
              const depth = Math.min(step.depth, snapshots.length);
              const target = snapshots[snapshots.length - depth]!;
              // evm_revert drops the snapshots taken after the one it reverts to.
              snapshots.length -= depth;
              deepest = Math.max(deepest, highest - snapshots.length);
              await chain.revert(target);
              for (let i = 0; i < step.blocks; i++) await mineBlock([i + 1]);
            }
            // Sometimes let the indexer catch up between steps, sometimes not. (Only while the chain
            // is at its longest: on a shorter one the follower rightly waits for the chain to grow.)
            if (index % 2 === 0 && snapshots.length >= highest)
              await waitForHead(chain, () => store.checkpoint(), indexer);
          }
          // Real chains grow: past the highest block they had, every reorg shows at the tip.
          const longest = highest;
          while (snapshots.length <= longest) await mineBlock([1]);
          await waitForHead(chain, () => store.checkpoint(), indexer);
        } catch (error) {
          if (indexer.status().phase !== "failed") throw error;
        } finally {
          await indexer.stop();
        }
        const error = await outcome;
        if (error) {
          // Stopping is only allowed when a reorg really went deeper than the finality depth.
          expect(error).toBeInstanceOf(DeepReorgError);
          expect(deepest).toBeGreaterThan(FINALITY);
        } else expectSameLogs(store.logs(), await chain.logsOf(emitters));
        rollbacks += store.rollbacks.length;
      }),
      { numRuns: 20 },
    );
    // The property is only as good as the reorgs it provoked.
    expect(rollbacks).toBeGreaterThan(0);
  });
});
