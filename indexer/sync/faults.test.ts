import type { Address } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIndexer } from "../indexer.ts";
import { createMetrics } from "../metrics.ts";
import { ALL_FAULTS, type FaultProxy, startFaultProxy } from "../testing/faultProxy.ts";
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

describe("RPC faults", () => {
  let chain: TestChain;
  let proxy: FaultProxy;
  let emitters: Address[];
  let startBlock: bigint;

  beforeAll(async () => {
    chain = await startTestChain();
    emitters = [await chain.deployEmitter(), await chain.deployEmitter()];
    startBlock = (await chain.head()) + 1n;
    // 600 blocks of history with logs spread through it, the last 20 with true parent hashes.
    for (let i = 0; i < 20; i++) {
      await chain.emitInBlock(emitters[i % 2]!, [1 + (i % 3), 2]);
      await chain.mineFast(28);
    }
    await chain.mine(20);
    // A hang (600 ms) outlasts the client's timeout (300 ms), so it surfaces as a timeout.
    proxy = await startFaultProxy({
      target: chain.url,
      seed: 20_261_128,
      faultRate: 0.25,
      faults: [...ALL_FAULTS, "hang"],
      delayMs: 60,
      hangMs: 600,
    });
  });
  afterAll(async () => {
    await proxy.close();
    await chain.close();
  });

  it("lose and repeat nothing: errors, 429s, 5xx, delays, hangs, drops and truncated replies", async () => {
    const manifest = emitterManifest(chain.chainId, startBlock, emitters);
    const store = await openTestStore(manifest);
    const metrics = createMetrics();
    // Small ranges, so that the run makes some 300 requests and meets every kind of fault.
    const config = testConfig(proxy.url, { maxBlockRange: 5, rpcTimeoutMs: 300, rpcMaxAttempts: 4 });
    const indexer = createIndexer({
      config,
      store,
      manifest,
      logger: quietLogger(),
      metrics,
      probes: [],
      rpcBackoff: FAST_BACKOFF,
      resumeBackoff: FAST_BACKOFF,
    });
    const running = indexer.run();
    await waitForHead(chain, () => store.checkpoint());
    // And while live.
    for (let i = 0; i < 5; i++) await chain.emitInBlock(emitters[i % 2]!, [2, 1]);
    await waitForHead(chain, () => store.checkpoint());
    await indexer.stop();
    await running;

    expect(proxy.stats.requests).toBeGreaterThan(250);
    expectContiguous(store.applied, startBlock, await chain.head());
    expectSameLogs(store.logs(), await chain.logsOf(emitters));
    for (const fault of [...ALL_FAULTS, "hang"] as const)
      expect(proxy.stats.faults[fault], fault).toBeGreaterThan(0);
    const kinds = new Set((await metrics.rpcErrors.get()).values.map((value) => value.labels.kind));
    expect([...kinds].sort()).toEqual([
      "connection",
      "node_error",
      "rate_limited",
      "server_error",
      "timeout",
      "truncated",
    ]);
  });
});
