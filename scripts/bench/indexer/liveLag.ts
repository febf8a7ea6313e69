// Live lag: how long after a block is mined its firm event becomes visible through an indexer.
// Runs after the backfill, against the same node: mines blocks one at a time, each with one `release`
// (GrantReleased + Transfer), and times mine → visible for each.
import { decodeFunctionResult, encodeFunctionData, type Hex, toHex } from "viem";
import { partnershipAbi } from "../../../contracts/abi.ts";
import type { Manifest } from "../../../contracts/manifest.ts";
import { createJsonRpc } from "./jsonRpc.ts";

/** How often `isVisible` is asked: fine enough for millisecond percentiles, light on the indexer. */
const VISIBLE_POLL_MS = 5;
/** Chain seconds between the mined blocks: as on Ethereum; every release then mints something. */
const BLOCK_TIME_S = 12;
/** Grants released in rotation: each comes back every this many blocks, with units vested since. */
const GRANTS_IN_ROTATION = 10;
/** Give up on one block after this long: an indexer that never shows it has stalled. */
const VISIBLE_TIMEOUT_MS = 60_000;

export interface MeasureLiveLagParameters {
  rpcUrl: string;
  manifest: Manifest;
  /** Blocks to mine, one firm event (a release) in each. Default 200. */
  blocks?: number;
  /** Whether the indexer under test shows block `blockNumber` (its events) yet. */
  isVisible(blockNumber: number): Promise<boolean>;
  /**
   * The most wall-clock time to wait, at random, before mining each block. A fixed cadence would
   * lock onto a polling indexer's phase and always measure the same point of its polling interval;
   * a random wait samples the interval uniformly, as a real chain does. Default 1,000 ms (Ponder's
   * polling interval); 0 mines each block as soon as the previous one is visible.
   */
  maxGapMs?: number;
  log?: (line: string) => void;
}

export interface MeasureLiveLagReturnType {
  blocks: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Every lag, in mining order (ms). */
  lagsMs: number[];
}

/**
 * Mines `blocks` blocks with `evm_mine`, each carrying one release, and measures for each the time
 * from the block being sealed to `isVisible(block)` answering true.
 *
 * @example
 * const lag = await measureLiveLag({
 *   rpcUrl, manifest, blocks: 200,
 *   isVisible: (n) => ponderHasIndexed(ponder.statusUrl, n),
 * });
 * console.log(lag.p50Ms, lag.p99Ms);
 */
export async function measureLiveLag({
  rpcUrl,
  manifest,
  blocks = 200,
  isVisible,
  maxGapMs = 1_000,
  log = () => {},
}: MeasureLiveLagParameters): Promise<MeasureLiveLagReturnType> {
  const rpc = createJsonRpc(rpcUrl);
  const partnership = manifest.contracts.partnership;
  const [operator] = await rpc.call<Hex[]>("eth_accounts");
  const grantIds = await releasableGrants(rpcUrl, partnership, GRANTS_IN_ROTATION);
  if (grantIds.length === 0) throw new Error("No grant on the chain has anything to release");

  await rpc.call("evm_setAutomine", [false]);
  const lags: number[] = [];
  try {
    const latest = await rpc.call<{ number: Hex; timestamp: Hex }>("eth_getBlockByNumber", ["latest", false]);
    let timestamp = Number(latest.timestamp);
    let blockNumber = Number(latest.number);
    for (let i = 0; i < blocks; i++) {
      if (maxGapMs > 0) await sleep(Math.random() * maxGapMs);
      const grantId = grantIds[i % grantIds.length]!;
      await rpc.call("eth_sendTransaction", [
        {
          from: operator,
          to: partnership,
          data: encodeFunctionData({ abi: partnershipAbi, functionName: "release", args: [grantId] }),
          gas: toHex(200_000),
        },
      ]);
      timestamp += BLOCK_TIME_S;
      blockNumber++;
      await rpc.call("evm_mine", [timestamp]);
      // The clock starts once the node has sealed the block: from then on any indexer could see it.
      const minedAt = performance.now();
      while (!(await isVisible(blockNumber))) {
        if (performance.now() - minedAt > VISIBLE_TIMEOUT_MS) {
          throw new Error(`Block ${blockNumber} was not visible ${VISIBLE_TIMEOUT_MS} ms after it was mined`);
        }
        await sleep(VISIBLE_POLL_MS);
      }
      lags.push(performance.now() - minedAt);
      if ((i + 1) % 50 === 0) log(`Live lag: ${i + 1} of ${blocks} blocks`);
    }
  } finally {
    await rpc.call("evm_setAutomine", [true]);
  }
  const sorted = [...lags].sort((a, b) => a - b);
  return {
    blocks,
    p50Ms: round(percentile(sorted, 0.5)),
    p99Ms: round(percentile(sorted, 0.99)),
    maxMs: round(sorted.at(-1) ?? 0),
    lagsMs: lags.map(round),
  };
}

/**
 * Up to `count` grants that vest for years yet (not revoked, not finished), newest first: the
 * members' grants, so every release in the rotation mints something.
 */
async function releasableGrants(rpcUrl: string, partnership: Hex, count: number): Promise<bigint[]> {
  const rpc = createJsonRpc(rpcUrl);
  const read = async <const fn extends "counts" | "grantOf">(
    functionName: fn,
    args: readonly bigint[] = [],
  ) => {
    const data = await rpc.call<Hex>("eth_call", [
      { to: partnership, data: encodeFunctionData({ abi: partnershipAbi, functionName, args } as never) },
      "latest",
    ]);
    // uint48 fields decode as numbers, wider ones as bigints: normalise to bigint.
    const result = decodeFunctionResult({
      abi: partnershipAbi,
      functionName,
      data,
    } as never) as unknown as unknown[];
    return result.map((v) => (typeof v === "string" ? 0n : BigInt(v as number | bigint)));
  };
  const [, grantCount] = await read("counts");
  const latest = await rpc.call<{ timestamp: Hex }>("eth_getBlockByNumber", ["latest", false]);
  const now = BigInt(latest.timestamp);
  const ids: bigint[] = [];
  for (let id = grantCount!; id > 0n && ids.length < count; id--) {
    // grantOf: (beneficiary, units, released, start, cliffEnd, end, revokedAt)
    const [, units, , , , end, revokedAt] = await read("grantOf", [id]);
    if (units! > 0n && revokedAt === 0n && end! > now + 86_400n) ids.push(id);
  }
  return ids;
}

/** The nearest-rank percentile of ascending `sorted`. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
