// The indexer as a process: killed with SIGKILL at random points it resumes from its checkpoint and
// loses or repeats nothing; SIGTERM stops it cleanly; a hot standby takes over when the writer dies.
// These run the indexer in child processes over a file-backed memory store, whose every commit is
// atomic (write, then rename) like a database transaction.
import { join } from "node:path";
import type { Address } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { killChildIndexers, startChildIndexer } from "./testing/childIndexer.ts";
import { type FaultProxy, startFaultProxy } from "./testing/faultProxy.ts";
import {
  emitterManifest,
  expectContiguous,
  expectSameLogs,
  temporaryDir,
  waitForHead,
  writeManifestFile,
} from "./testing/fixtures.ts";
import { createMemoryStore } from "./testing/memoryStore.ts";
import { postgresAvailable, TEST_DATABASE_URL } from "./testing/postgres.ts";
import { startTestChain, type TestChain } from "./testing/testChain.ts";

const hasPostgres = await postgresAvailable();
const isRange = (line: { msg: string }) => line.msg === "Indexed block range";

describe("the indexer process", () => {
  let chain: TestChain;
  let proxy: FaultProxy;
  let emitters: Address[];
  let startBlock: bigint;

  beforeAll(async () => {
    chain = await startTestChain();
    // Distinct contract addresses for every run (a random number of nonces burnt first), so the
    // writer lock's key, derived from them, never meets another run's on a shared PostgreSQL.
    const [sender] = await chain.request<Address[]>("eth_accounts");
    for (let i = Math.floor(Math.random() * 30); i > 0; i--)
      await chain.request("eth_sendTransaction", [{ from: sender, to: sender, value: "0x1" }]);
    emitters = [await chain.deployEmitter(), await chain.deployEmitter()];
    startBlock = (await chain.head()) + 1n;
    for (let i = 0; i < 40; i++) {
      await chain.emitInBlock(emitters[i % 2]!, [1 + (i % 3)]);
      await chain.mineFast(9);
    }
    await chain.mine(10);
    // Every request waits up to 20 ms, so a backfill takes long enough to be killed in the middle.
    proxy = await startFaultProxy({ target: chain.url, faultRate: 1, faults: ["delay"], delayMs: 20 });
  });
  afterAll(async () => {
    killChildIndexers();
    await proxy.close();
    await chain.close();
  });

  function environment(storePath: string, extra: Record<string, string> = {}) {
    return {
      RPC_URL: proxy.url,
      DEPLOYMENT: writeManifestFile(emitterManifest(chain.chainId, startBlock, emitters)),
      DATA_DIR: temporaryDir("data"),
      MEMORY_STORE_PATH: storePath,
      INDEXER_ABI_PROBES: "off",
      FINALITY_DEPTH: "3",
      MAX_BLOCK_RANGE: "8",
      POLL_INTERVAL_MS: "50",
      ...extra,
    };
  }

  it("resumes after SIGKILL at any point, losing and repeating nothing, and exits 0 on SIGTERM", async () => {
    const storePath = join(temporaryDir("crash"), "store.json");
    const env = environment(storePath);
    // Three crashes, each after a different number of committed ranges (and at a random instant
    // after it, with the next commit under way).
    for (const ranges of [3, 7, 4]) {
      const child = startChildIndexer(env);
      const before = child.lines.filter(isRange).length;
      await child.waitFor(() => child.lines.filter(isRange).length >= before + ranges);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 30));
      child.kill("SIGKILL");
      expect((await child.exited).signal).toBe("SIGKILL");
    }
    const last = startChildIndexer(env);
    const store = createMemoryStore({ path: storePath });
    await waitForHead(chain, () => store.checkpoint());
    last.kill("SIGTERM");
    expect(await last.exited).toEqual({ code: 0, signal: null });
    expect(last.lines.map((line) => line.msg)).toContain("Indexer stopped");

    expectContiguous(store.applied, startBlock, await chain.head());
    expectSameLogs(store.logs(), await chain.logsOf(emitters));
  });

  it("exits 2 with the variable, value and expectation when the configuration is bad", async () => {
    const child = startChildIndexer({
      ...environment(join(temporaryDir("bad"), "store.json")),
      RPC_CONCURRENCY: "lots",
    });
    expect((await child.exited).code).toBe(2);
    const line = child.lines.find((l) => l.msg === "Cannot start the indexer");
    const err = line?.err as { hints: string[] } | undefined;
    expect(err?.hints).toEqual(['- RPC_CONCURRENCY is "lots": expected a whole number from 1 to 256.']);
  });

  it.skipIf(!hasPostgres)(
    "hands over to a hot standby within seconds when the writer is killed",
    async () => {
      const storePath = join(temporaryDir("standby"), "store.json");
      const env = environment(storePath, { DATABASE_URL: TEST_DATABASE_URL });
      const writer = startChildIndexer(env);
      await writer.waitFor((line) => line.msg === "Acquired the writer lock");
      const standby = startChildIndexer(env);
      await standby.waitFor((line) => line.msg.startsWith("Waiting as a hot standby"));
      await writer.waitFor((line) => isRange(line) && Number(line.toBlock) > Number(startBlock) + 100);

      writer.kill("SIGKILL");
      const killed = Date.now();
      await standby.waitFor((line) => line.msg === "Acquired the writer lock");
      expect(Date.now() - killed).toBeLessThan(3_000);

      const store = createMemoryStore({ path: storePath });
      await waitForHead(chain, () => store.checkpoint());
      standby.kill("SIGTERM");
      expect((await standby.exited).code).toBe(0);
      expectContiguous(store.applied, startBlock, await chain.head());
      expectSameLogs(store.logs(), await chain.logsOf(emitters));
    },
  );
});
