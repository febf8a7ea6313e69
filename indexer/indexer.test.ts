import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer, type Socket } from "node:net";
import { promisify } from "node:util";
import { network } from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";
import { type Address, type Hex, numberToHex, toHex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Manifest } from "../contracts/manifest.ts";
import { AbiMismatchError, ChainIdMismatchError, NoCodeAtAddressError } from "../kernel/errors.ts";
import { ShutdownSignal } from "../kernel/shutdown.ts";
import { deployFirm } from "../scripts/devFirm/deployFirm.ts";
import { createIndexer, type IndexerConfig, openIndexer } from "./indexer.ts";
import { createMetrics, type Metrics } from "./metrics.ts";
import { type ContractProbe, checkAbis, firmAbiProbes } from "./sync/preflight.ts";
import type { Rpc } from "./sync/rpc.ts";
import {
  emitterManifest,
  expectSameLogs,
  FAST_BACKOFF,
  openTestStore,
  quietLogger,
  testConfig,
  waitForHead,
  waitUntil,
} from "./testing/fixtures.ts";
import { createMemoryStore } from "./testing/memoryStore.ts";
import { postgresAvailable, TEST_DATABASE_URL } from "./testing/postgres.ts";
import { recordCalls } from "./testing/recordingStore.ts";
import { startTestChain, type TestChain } from "./testing/testChain.ts";

const hasPostgres = await postgresAvailable();

describe("createIndexer", () => {
  let chain: TestChain;
  let emitters: Address[];
  let startBlock: bigint;

  beforeAll(async () => {
    chain = await startTestChain();
    emitters = [await chain.deployEmitter(), await chain.deployEmitter()];
    startBlock = (await chain.head()) + 1n;
    for (let i = 0; i < 4; i++) await chain.emitInBlock(emitters[i % 2]!, [2]);
    await chain.mine(6);
  });
  afterAll(() => chain.close());

  async function runUntilFailure(manifest: Manifest, probes: readonly ContractProbe[] = []) {
    const store = await openTestStore(manifest);
    const config = testConfig(chain.url);
    const indexer = createIndexer({
      config,
      store,
      manifest,
      logger: quietLogger(),
      probes,
      rpcBackoff: FAST_BACKOFF,
    });
    const error = await indexer.run().then(
      () => new Error("run() resolved"),
      (e: unknown) => e as Error,
    );
    expect(store.applied).toEqual([]);
    expect(indexer.status().phase).toBe("failed");
    return error;
  }

  /** Ports differ between runs; messages are compared without them. */
  const withoutPort = (message: string) => message.replace(/127\.0\.0\.1:\d+/g, "127.0.0.1:<port>");

  it("indexes to the head and stops gracefully", async () => {
    const manifest = emitterManifest(chain.chainId, startBlock, emitters);
    const store = await openTestStore(manifest);
    const indexer = createIndexer({
      config: testConfig(chain.url),
      store,
      manifest,
      logger: quietLogger(),
      probes: [],
    });
    expect(indexer.status().phase).toBe("idle");
    const running = indexer.run();
    expect(indexer.run()).toBe(running);
    await waitForHead(chain, () => store.checkpoint());
    await indexer.stop();
    await expect(running).resolves.toBeUndefined();
    expect(indexer.status()).toMatchObject({ phase: "stopped", finalityDepth: 3 });
    expectSameLogs(store.logs(), await chain.logsOf(emitters));
  });

  it("pauses on a transient store fault and resumes from the checkpoint; stops on any other", async () => {
    let applies = 0;
    const flaky = createMemoryStore({
      beforeApply: () => {
        // The third transaction fails as PostgreSQL fails a serialization conflict.
        if (++applies === 3) throw Object.assign(new Error("could not serialize access"), { code: "40001" });
      },
    });
    const store = recordCalls(flaky);
    const manifest = emitterManifest(chain.chainId, startBlock, emitters);
    const config = testConfig(chain.url, { maxBlockRange: 2 });
    const notices: bigint[] = [];
    const indexer = createIndexer({
      config,
      store,
      manifest,
      logger: quietLogger(),
      probes: [],
      resumeBackoff: FAST_BACKOFF,
      onCommit: (notice) => notices.push(notice.toBlock),
    });
    const running = indexer.run();
    await waitForHead(chain, () => store.checkpoint());
    await indexer.stop();
    await running;
    expectSameLogs(flaky.logs(), await chain.logsOf(emitters));
    expect(notices).toEqual(store.applied.map((range) => range.toBlock.number));

    const broken = createMemoryStore({
      beforeApply: () => {
        throw new TypeError("a bug in a handler");
      },
    });
    const failing = createIndexer({ config, store: broken, manifest, logger: quietLogger(), probes: [] });
    await expect(failing.run()).rejects.toThrow("a bug in a handler");
  });

  it("stops with ChainIdMismatchError when the endpoint serves another chain", async () => {
    const error = await runUntilFailure(emitterManifest(8453, startBlock, emitters));
    expect(error).toBeInstanceOf(ChainIdMismatchError);
    expect(withoutPort(error.message)).toMatchInlineSnapshot(`
      "Wrong chain: the RPC endpoint http://127.0.0.1:<port> serves chain 31337, but the deployment manifest is for chain 8453.

      Point RPC_URL at a node of chain 8453, or set DEPLOYMENT to the manifest of the firm on chain 31337."
    `);
  });

  it("stops with NoCodeAtAddressError when a manifest address holds no contract", async () => {
    const missing = "0x000000000000000000000000000000000000dEaD" as const;
    const error = await runUntilFailure(emitterManifest(chain.chainId, startBlock, [emitters[0]!, missing]));
    expect(error).toBeInstanceOf(NoCodeAtAddressError);
    expect(error.message).toMatchInlineSnapshot(`
      "No contract code at 0x000000000000000000000000000000000000dEaD (the manifest's "partnership") at block 12.

      The manifest does not describe a deployment on this chain: check DEPLOYMENT and RPC_URL.
      On a dev chain that was restarted, deploy again with \`npx firm deploy\` and index from scratch."
    `);
  });

  it("stops with AbiMismatchError when a contract does not answer its ABI", async () => {
    const manifest = emitterManifest(chain.chainId, startBlock, emitters);
    const error = await runUntilFailure(manifest, firmAbiProbes(manifest));
    expect(error).toBeInstanceOf(AbiMismatchError);
    expect(error.message.split("\n\n")[0]).toBe(
      `ABI mismatch: the contract at ${emitters[1]} (the manifest's "partnership") answers \`governance()\` with no data.`,
    );
    expect((error as AbiMismatchError).hints[0]).toMatch(
      /contracts\/abi\.ts is out of date: run `npm run build`/,
    );
  });

  describe("start-up checks begun before the store opens (openIndexer)", () => {
    const requestsOf = async (metrics: Metrics, method: string) =>
      (await metrics.rpcRequests.get()).values.find((v) => v.labels.method === method)?.value ?? 0;

    const indexerAfterEarlyChecks = (manifest: Manifest, config: IndexerConfig, metrics?: Metrics) =>
      openIndexer({
        config,
        manifest,
        logger: quietLogger(),
        metrics,
        probes: [],
        openStore: () => openTestStore(manifest),
      });

    it("are taken by the first sync attempt instead of asked again", async () => {
      const metrics = createMetrics();
      const { preflight, store, indexer } = await indexerAfterEarlyChecks(
        emitterManifest(chain.chainId, startBlock, emitters),
        testConfig(chain.url),
        metrics,
      );
      await preflight.head;
      expect(await requestsOf(metrics, "eth_chainId")).toBe(1);
      void indexer.run();
      await waitForHead(chain, () => store.checkpoint());
      await indexer.stop();
      // The early checks' chain id was the only one asked: the indexer did not check again.
      expect(await requestsOf(metrics, "eth_chainId")).toBe(1);
      expect(indexer.status().phase).toBe("stopped");
    });

    it("fail the indexer as its own checks would, before anything is applied", async () => {
      const { store, indexer } = await indexerAfterEarlyChecks(
        emitterManifest(8453, startBlock, emitters),
        testConfig(chain.url),
      );
      await expect(indexer.run()).rejects.toBeInstanceOf(ChainIdMismatchError);
      expect(store.applied).toEqual([]);
      expect(indexer.status().phase).toBe("failed");
    });

    describe("against an endpoint that accepts and never answers", () => {
      let url: string;
      const sockets = new Set<Socket>();
      let connectionsSeen = 0;
      const silent = createServer((socket) => {
        connectionsSeen++;
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
      });

      beforeAll(async () => {
        await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
        url = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
      });
      afterAll(async () => {
        for (const socket of sockets) socket.destroy();
        await new Promise((resolve) => silent.close(resolve));
      });

      // A minute of timeouts, were the requests in flight left to run out: the store failed to open,
      // or the indexer was stopped, and the process must not wait on the chain to exit.
      const slowConfig = () => testConfig(url, { rpcTimeoutMs: 60_000 });

      it("are cut short, requests in flight included, when the store cannot be opened", async () => {
        // In a process of its own, which must end by itself: a request left in flight would hold it
        // open until its 60 s timeout.
        const script = `
          const { openIndexer } = await import(${JSON.stringify(new URL("./indexer.ts", import.meta.url).href)});
          const { createLogger } = await import(${JSON.stringify(new URL("../kernel/logger.ts", import.meta.url).href)});
          const opening = openIndexer({
            config: ${JSON.stringify(slowConfig())},
            manifest: ${JSON.stringify(emitterManifest(chain.chainId, startBlock, emitters))},
            logger: createLogger({ level: "silent" }),
            probes: [],
            // Long enough for the checks' first requests to be sent.
            openStore: () => new Promise((_, reject) => setTimeout(() => reject(new Error("the database is down")), 500)),
          });
          await opening.catch((error) => console.log(error.message));`;
        const started = performance.now();
        // Asynchronously: the silent endpoint lives in this process and must accept the connections.
        const { stdout } = await promisify(execFile)(
          process.execPath,
          ["--input-type=module", "-e", script],
          {
            encoding: "utf8",
            timeout: 30_000,
          },
        );
        expect(stdout.trim()).toBe("the database is down");
        expect(connectionsSeen).toBeGreaterThan(0);
        expect(performance.now() - started).toBeLessThan(15_000);
      }, 40_000);

      it("are cut short when the indexer waiting on them is stopped", async () => {
        const { preflight, indexer } = await indexerAfterEarlyChecks(
          emitterManifest(chain.chainId, startBlock, emitters),
          slowConfig(),
        );
        const running = indexer.run();
        await waitUntil(
          () => sockets.size > 0 && indexer.status().phase === "starting",
          "the indexer to wait on the early checks",
        );
        await indexer.stop();
        await expect(running).resolves.toBeUndefined();
        await expect(preflight.head).rejects.toBeInstanceOf(ShutdownSignal);
        expect(indexer.status().phase).toBe("stopped");
      });
    });
  });
});

describe("the firm's ABI probes", () => {
  let connection: NetworkConnection;
  let firm: Awaited<ReturnType<typeof deployFirm>>;
  let rpc: Rpc;

  beforeAll(async () => {
    connection = await network.connect();
    firm = await deployFirm(connection);
    // checkAbis needs only eth_call; the in-process chain answers it without an HTTP server.
    rpc = {
      call: (to: Address, data: Hex, blockNumber: bigint) =>
        connection.provider.request({
          method: "eth_call",
          params: [{ to, data }, numberToHex(blockNumber)],
        }) as Promise<Hex>,
    } as Rpc;
  });
  afterAll(() => connection.close());

  it("pass on a deployment made by the Ignition module", async () => {
    const head = await firm.publicClient.getBlockNumber();
    await expect(checkAbis(rpc, firmAbiProbes(firm.manifest), head)).resolves.toBeUndefined();
  });

  it("fail with a clear message when the manifest mixes up two contracts", async () => {
    const head = await firm.publicClient.getBlockNumber();
    const { practices, revenueShare } = firm.manifest.contracts;
    const swapped = {
      contracts: { ...firm.manifest.contracts, practices: revenueShare, revenueShare: practices },
    };
    const error = await checkAbis(rpc, firmAbiProbes(swapped), head).catch(
      (e: unknown) => e as AbiMismatchError,
    );
    expect(error).toBeInstanceOf(AbiMismatchError);
    expect(error?.shortMessage).toBe(
      `ABI mismatch: the contract at ${firm.manifest.contracts.partnership} (the manifest's "partnership") answers \`practices()\` with ${practices}, not the manifest's ${revenueShare}: the manifest mixes contracts of different deployments.`,
    );
  });
});

describe.skipIf(!hasPostgres)("lag and leadership metrics of a writer and a standby on PostgreSQL", () => {
  let chain: TestChain;
  afterAll(() => chain?.close());

  /** The samples Prometheus would scrape of `name` (none, or one: these gauges have no labels). */
  const scraped = async (metrics: Metrics, name: string) =>
    (await metrics.registry.metrics()).split("\n").filter((line) => line.startsWith(`${name} `));

  it("reports lag from the writer only: a standby reports none, not 0, until it takes over", async () => {
    chain = await startTestChain();
    const emitter = await chain.deployEmitter();
    // The lock is keyed by the manifest's addresses: one no other test uses (the emitter's code at a
    // random address) keeps parallel runs on the same server apart.
    const own = toHex(randomBytes(20));
    await chain.request("hardhat_setCode", [
      own,
      await chain.request<Hex>("eth_getCode", [emitter, "latest"]),
    ]);
    const startBlock = (await chain.head()) + 1n;
    await chain.emitInBlock(emitter, [1]);
    await chain.mine(4);
    const manifest = emitterManifest(chain.chainId, startBlock, [emitter, own]);
    // One store for both, as two processes share one database.
    const store = await openTestStore(manifest);
    const start = () => {
      const metrics = createMetrics();
      const indexer = createIndexer({
        config: testConfig(chain.url, { databaseUrl: TEST_DATABASE_URL }),
        store,
        manifest,
        logger: quietLogger(),
        metrics,
        probes: [],
      });
      return { metrics, indexer, running: indexer.run() };
    };

    const writer = start();
    await waitForHead(chain, () => store.checkpoint(), writer.indexer);
    const standby = start();
    await waitUntil(() => standby.indexer.status().phase === "standby", "the second instance stands by");
    // Long enough for the standby's first attempt at the lock to have failed.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(writer.indexer.status().phase).toBe("live");
    expect(await scraped(writer.metrics, "firm_indexer_leader")).toEqual(["firm_indexer_leader 1"]);
    expect(await scraped(writer.metrics, "firm_indexer_lag_blocks")).toEqual(["firm_indexer_lag_blocks 0"]);
    expect(await scraped(standby.metrics, "firm_indexer_leader")).toEqual(["firm_indexer_leader 0"]);
    expect(await scraped(standby.metrics, "firm_indexer_lag_blocks")).toEqual([]);

    await writer.indexer.stop();
    await expect(writer.running).resolves.toBeUndefined();
    expect(await scraped(writer.metrics, "firm_indexer_leader")).toEqual(["firm_indexer_leader 0"]);
    expect(await scraped(writer.metrics, "firm_indexer_lag_blocks")).toEqual([]);

    await chain.emitInBlock(emitter, [1]);
    await waitForHead(chain, () => store.checkpoint(), standby.indexer);
    expect(await scraped(standby.metrics, "firm_indexer_leader")).toEqual(["firm_indexer_leader 1"]);
    expect(await scraped(standby.metrics, "firm_indexer_lag_blocks")).toEqual(["firm_indexer_lag_blocks 0"]);
    await standby.indexer.stop();
    await expect(standby.running).resolves.toBeUndefined();
    expectSameLogs(store.logs(), await chain.logsOf([emitter, own]));
  }, 30_000);
});
