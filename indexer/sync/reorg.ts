// Reorgs. The store remembers the headers of the unfinalized blocks it applied (and, sparser, of
// backfilled blocks not yet pruned). When the chain no longer contains the mirror's checkpoint, the
// highest remembered block that is still on the chain is the common ancestor: the mirror rolls back
// to it and live following re-applies the canonical blocks from there. The same check runs at start,
// which finds a reorg that happened while the indexer was stopped.
//
// A reorg deeper than the finality depth stops the indexer with DeepReorgError and leaves the mirror
// untouched: the undo data below the finality depth has been pruned, so the mirror cannot be made
// right by a rollback, and a loud stop is better than a silently wrong mirror.
import { DeepReorgError } from "../../kernel/errors.ts";
import type { Logger } from "../../kernel/logger.ts";
import type { Metrics } from "../metrics.ts";
import type { Checkpoint, Store } from "../store/types.ts";
import type { Rpc } from "./rpc.ts";

/**
 * Blocks after which a block is taken as final, per chain id. Deeper means safer and only costs a
 * longer unfinalized tail (live following fetches every header there) and more undo data kept.
 */
export const FINALITY_DEPTHS: Readonly<Record<number, number>> = {
  // Ethereum and its testnets: Casper FFG finalizes a block after two epochs (2 × 32 slots = 64
  // blocks, about 13 minutes); since the Merge no reorg has come close to that depth.
  1: 64,
  11155111: 64, // Sepolia
  17000: 64, // Holesky
  560048: 64, // Hoodi
  // OP Stack (OP Mainnet, Base and their Sepolia testnets): 2 s blocks. An L2 block can only be
  // reorged until the batch that carries it is on L1, normally within 1–5 minutes; 150 blocks is 5 minutes.
  10: 150,
  8453: 150,
  11155420: 150,
  84532: 150,
  // Arbitrum One and Sepolia: 0.25 s blocks, ordered by the sequencer; batches reach L1 within
  // minutes. 240 blocks is one minute of blocks, the depth Ponder uses for Arbitrum.
  42161: 240,
  421614: 240,
  // Polygon PoS: 2 s blocks, and reorgs of more than 100 blocks happened before its 2025 fast-finality
  // upgrade; 200 (about 7 minutes) is what Ponder uses.
  137: 200,
  // Hardhat, anvil (31337) and geth --dev (1337): reorgs happen only when a developer reverts a
  // snapshot. 5 covers the tests' scripted reorgs and keeps the live tail short; set FINALITY_DEPTH
  // to rehearse deeper ones.
  31337: 5,
  1337: 5,
};

/** Unknown chains get 200 blocks: deeper than any common chain's observed reorgs (Envio's default). */
export const DEFAULT_FINALITY_DEPTH = 200;

/**
 * The finality depth for `chainId`: the override (FINALITY_DEPTH) if set, else the table's value.
 *
 * @example
 * finalityDepthFor(8453) // 150
 */
export function finalityDepthFor(chainId: number, override?: number): number {
  return override ?? FINALITY_DEPTHS[chainId] ?? DEFAULT_FINALITY_DEPTH;
}

/** The remembered blocks to test against the chain, highest first, without duplicates. */
async function rememberedBlocks(store: Store, checkpoint: Checkpoint): Promise<Checkpoint[]> {
  const recent = await store.recentBlocks();
  const byNumber = new Map<bigint, Checkpoint>([[checkpoint.blockNumber, checkpoint]]);
  for (const block of recent) {
    if (block.number < checkpoint.blockNumber && !byNumber.has(block.number))
      byNumber.set(block.number, { blockNumber: block.number, blockHash: block.hash });
  }
  return [...byNumber.values()].sort((a, b) => (a.blockNumber > b.blockNumber ? -1 : 1));
}

/** 16 headers per look-up: a typical reorg (1–3 blocks) costs one batch, a deep one a few. */
const ANCESTOR_BATCH = 16;

/**
 * The highest of `candidates` (highest first) whose hash is still the chain's hash at its height,
 * or undefined when none is.
 */
export async function findCommonAncestor(
  rpc: Rpc,
  candidates: readonly Checkpoint[],
): Promise<Checkpoint | undefined> {
  for (let start = 0; start < candidates.length; start += ANCESTOR_BATCH) {
    const batch = candidates.slice(start, start + ANCESTOR_BATCH);
    const canonical = await rpc.blocks(batch.map((block) => block.blockNumber));
    const index = batch.findIndex((block, i) => canonical[i]?.hash === block.blockHash);
    if (index >= 0) return batch[index];
  }
  return undefined;
}

export interface ReconcileParameters {
  rpc: Rpc;
  store: Store;
  finalityDepth: number;
  logger: Logger;
  metrics?: Metrics | undefined;
}

/**
 * Makes the mirror a prefix of the chain again: if its checkpoint is no longer on the chain, rolls
 * back to the common ancestor. Returns the checkpoint afterwards (null for an empty mirror).
 *
 * @throws {DeepReorgError} when the reorg is deeper than `finalityDepth`, or reaches below every
 *   remembered block; the mirror is left untouched.
 */
export async function reconcile({ rpc, store, finalityDepth, logger, metrics }: ReconcileParameters) {
  const checkpoint = await store.checkpoint();
  if (!checkpoint) return null;
  const candidates = await rememberedBlocks(store, checkpoint);
  const ancestor = await findCommonAncestor(rpc, candidates);
  if (ancestor?.blockNumber === checkpoint.blockNumber) return checkpoint;
  if (!ancestor) {
    const lowest = candidates[candidates.length - 1]!.blockNumber;
    throw new DeepReorgError({
      checkpoint: checkpoint.blockNumber,
      finalityDepth,
      detail: `none of the ${candidates.length} remembered blocks (${lowest} to ${checkpoint.blockNumber}) is on the chain any more`,
    });
  }
  const depth = Number(checkpoint.blockNumber - ancestor.blockNumber);
  if (depth > finalityDepth)
    throw new DeepReorgError({
      checkpoint: checkpoint.blockNumber,
      finalityDepth,
      detail: `the chain and the mirror last agree at block ${ancestor.blockNumber}, ${depth} blocks down`,
    });
  await store.rollbackTo(ancestor.blockNumber);
  metrics?.reorgs.inc();
  metrics?.reorgDepth.observe(depth);
  metrics?.indexedBlock.set(Number(ancestor.blockNumber));
  logger.warn({
    msg: "Rolled back a reorg",
    depth,
    commonAncestor: Number(ancestor.blockNumber),
    fromBlock: Number(ancestor.blockNumber + 1n),
    toBlock: Number(checkpoint.blockNumber),
  });
  return ancestor;
}
