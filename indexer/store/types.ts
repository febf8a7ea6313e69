// The contract between the sync engine (indexer/sync/) and the mirror (indexer/store/): the engine
// fetches blocks and logs from the chain in order; the store applies them and keeps the checkpoint.
// Neither knows how the other works.
import type { Address, Hex } from "viem";

/** A block header, as much of it as ordering, reorg detection and timestamps need. */
export interface BlockRef {
  number: bigint;
  hash: Hex;
  parentHash: Hex;
  /** Unix seconds. */
  timestamp: bigint;
}

/** A log exactly as `eth_getLogs` returned it (not yet decoded). */
export interface RawLog {
  address: Address;
  blockNumber: bigint;
  blockHash: Hex;
  transactionHash: Hex;
  transactionIndex: number;
  logIndex: number;
  topics: [Hex, ...Hex[]] | [];
  data: Hex;
  /** The block's timestamp (unix seconds), when the node includes it in logs (EDR, geth 1.16+, reth):
   * the store then needs no header for this log's block. */
  blockTimestamp?: bigint | undefined;
}

/** The last block whose effects are in the mirror. */
export interface Checkpoint {
  blockNumber: bigint;
  blockHash: Hex;
}

/** One contiguous block range, ready to apply. */
export interface BlockRange {
  fromBlock: bigint;
  /** The range's last block: it becomes the checkpoint. */
  toBlock: BlockRef;
  /** Headers of every block in the range that has logs (for timestamps), and of every block the
   * engine wants remembered for reorg detection (all unfinalized blocks of the range). */
  blocks: BlockRef[];
  /** Every log of the firm's contracts in the range, in chain order (block, then log index). */
  logs: RawLog[];
  /** What the sync stage read from the chain for the range's TokenAllowed events, by lowercase token
   * address (indexer/sync/enrichRange.ts); absent when the range has none or was not enriched. */
  tokens?: ReadonlyMap<string, TokenMetadata> | undefined;
}

/** An ERC-20's symbol and decimals as read from the chain; null where the token did not answer. */
export interface TokenMetadata {
  symbol: string | null;
  decimals: number | null;
}

/** What one committed range changed, for subscribers (the API's SSE feed). */
export interface CommitNotice {
  chainId: number;
  toBlock: bigint;
  proposalIds: string[];
  members: Address[];
  votes: { proposalId: string; voter: Address }[];
}

/** The mirror, as the sync engine sees it. */
/** What applying a range did. */
export interface AppliedRangeResult {
  events: number;
  notice: CommitNotice;
  /** Entity rows read from the database because memory did not hold them (ENTITY_ROWS_IN_MEMORY). */
  rowsRead?: number;
  /** Passes of the handlers over the range: 1, plus one per round of rows it found missing. */
  passes?: number;
}

export interface Store {
  /** Applies every log of `range` and moves the checkpoint to `range.toBlock`, all in ONE database
   * transaction, so a crash at any moment leaves either all of it or none of it. Rejects a range that
   * does not start right after the checkpoint. */
  applyRange(range: BlockRange): Promise<AppliedRangeResult>;
  /** The checkpoint, or null for an empty mirror. */
  checkpoint(): Promise<Checkpoint | null>;
  /** The remembered unfinalized blocks, highest first. */
  recentBlocks(): Promise<BlockRef[]>;
  /** Undoes every effect of the blocks above `blockNumber` (the common ancestor) and moves the
   * checkpoint back to it, in one transaction. */
  rollbackTo(blockNumber: bigint): Promise<void>;
  /** Forgets undo data and block hashes below `blockNumber` (finalized). */
  pruneBelow(blockNumber: bigint): Promise<void>;
  close(): Promise<void>;
}
