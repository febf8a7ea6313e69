// Shared set-up and checks of the sync engine's tests: a chain with emitter contracts dressed up as a
// firm manifest, a quiet logger, a short-fused config, and the assertions every suite makes (the
// mirror equals the chain, exactly once; ranges are contiguous).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Address } from "viem";
import { expect, onTestFinished } from "vitest";
import { MANIFEST_VERSION, type Manifest } from "../../contracts/manifest.ts";
import { createLogger, type Logger } from "../../kernel/logger.ts";
import type { Indexer, IndexerConfig } from "../indexer.ts";
import type { BlockRange, RawLog } from "../store/types.ts";
import { type RecordingStore, recordCalls } from "./recordingStore.ts";
import { testStoreFactory } from "./storeFactory.ts";
import type { TestChain } from "./testChain.ts";

/** A logger that drops everything, unless TEST_LOG_LEVEL asks to see it. */
export function quietLogger(): Logger {
  const level = (process.env.TEST_LOG_LEVEL ?? "silent") as "silent";
  return createLogger({ level, pretty: false, stream: process.stderr });
}

/**
 * A fresh, empty store for `manifest` from the configured factory (the memory store unless
 * INDEXER_TEST_STORE_MODULE says otherwise), wrapped to record the engine's calls, and closed when
 * the current test ends. Call it inside a test or a beforeEach hook.
 */
export async function openTestStore(manifest: Manifest): Promise<RecordingStore> {
  const createStore = await testStoreFactory();
  const store = recordCalls(
    await createStore({ chainId: manifest.chainId, manifest, dataDir: temporaryDir("store") }),
  );
  onTestFinished(() => store.close());
  return store;
}

/** A config for tests: quick polls, short timeouts, few attempts. */
export function testConfig(rpcUrl: string, overrides: Partial<IndexerConfig> = {}): IndexerConfig {
  return {
    rpcUrl,
    databaseUrl: undefined,
    finalityDepth: 3,
    pollIntervalMs: 20,
    maxBlockRange: 1_000,
    rpcConcurrency: 4,
    rpcTimeoutMs: 2_000,
    rpcMaxAttempts: 8,
    ...overrides,
  };
}

/** Retry backoff for tests: the same shape as production, a hundred times faster. */
export const FAST_BACKOFF = { baseDelayMs: 2, maxDelayMs: 40 };

/** A manifest whose eight "contracts" are the given emitters (repeated as needed). */
export function emitterManifest(chainId: number, startBlock: bigint, emitters: readonly Address[]): Manifest {
  const at = (i: number) => emitters[i % emitters.length]!;
  return {
    version: MANIFEST_VERSION,
    name: "sync-test",
    chainId,
    startBlock: Number(startBlock),
    deployedAt: new Date(0).toISOString(),
    contracts: {
      timelock: at(0),
      partnership: at(1),
      practices: at(2),
      revenueShare: at(3),
      governor: at(4),
      withdrawals: at(5),
      directory: at(6),
      books: at(7),
    },
    abis: "contracts/abi.ts",
    parameters: {},
  };
}

/** Writes `manifest` as a deployment file in a new temporary folder and returns its path. */
export function writeManifestFile(manifest: Manifest): string {
  const path = join(temporaryDir("manifest"), "deployment.json");
  writeFileSync(path, JSON.stringify(manifest));
  return path;
}

export function temporaryDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `firm-indexer-${label}-`));
}

/** Waits until `condition` holds, polling every 10 ms; fails with `what` after `timeoutMs`. */
export async function waitUntil(
  condition: () => Promise<boolean> | boolean,
  what: string,
  timeoutMs = 20_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Waits until the store's checkpoint is the chain's head block (same number and hash). */
export async function waitForHead(
  chain: TestChain,
  checkpoint: () => Promise<{ blockHash: string } | null>,
  indexer?: Pick<Indexer, "status">,
) {
  await waitUntil(async () => {
    // An indexer that stopped will never get there: fail now, and let the caller's `run()` say why.
    if (indexer?.status().phase === "failed") throw new Error("The indexer stopped with a fatal error");
    const [head, current] = await Promise.all([chain.client.getBlock(), checkpoint()]);
    return current?.blockHash === head.hash;
  }, "the indexer reached the chain's head");
}

/** Identifies a log on the chain: its block and position. */
const logKey = (log: RawLog) => `${log.blockHash}:${log.logIndex}`;

/** The mirror holds every log of the chain once, and nothing else, in chain order. */
export function expectSameLogs(mirror: readonly RawLog[], chain: readonly RawLog[]): void {
  const keys = mirror.map(logKey);
  expect(new Set(keys).size, "a log was applied twice").toBe(keys.length);
  expect(keys).toEqual(chain.map(logKey));
}

/** The ranges cover `fromBlock`..`toBlock` with neither gap nor overlap, in order. */
export function expectContiguous(ranges: readonly BlockRange[], fromBlock: bigint, toBlock: bigint): void {
  let next = fromBlock;
  for (const range of ranges) {
    expect(range.fromBlock, `range ${range.fromBlock}..${range.toBlock.number} after ${next - 1n}`).toBe(
      next,
    );
    expect(range.toBlock.number).toBeGreaterThanOrEqual(range.fromBlock);
    next = range.toBlock.number + 1n;
  }
  expect(next - 1n, "the ranges end at the last block").toBe(toBlock);
}
