// Checks a block range before anything is written: the shape the Store contract promises (ordered
// logs inside the range, a timestamp for every log from its block's header or the log itself) and
// that it continues the checkpoint.
import type { Hex } from "viem";
import type { MirrorState } from "./checkpoint.ts";
import { BlockRangeError } from "./errors.ts";
import type { BlockRange, BlockRef, RawLog } from "./types.ts";

/** Throws a {@link BlockRangeError} if the range is malformed; returns its headers by block number. */
export function checkRangeShape(range: BlockRange): Map<bigint, BlockRef> {
  const to = range.toBlock.number;
  if (to < range.fromBlock)
    throw new BlockRangeError(`it ends (${to}) before it starts (${range.fromBlock})`);
  const headers = new Map<bigint, BlockRef>();
  for (const header of [...range.blocks, range.toBlock]) {
    if (header.number < range.fromBlock || header.number > to) {
      throw new BlockRangeError(
        `it carries the header of block ${header.number}, outside ${range.fromBlock}-${to}`,
      );
    }
    const known = headers.get(header.number);
    if (known && known.hash.toLowerCase() !== header.hash.toLowerCase()) {
      throw new BlockRangeError(`it carries two headers for block ${header.number}`);
    }
    headers.set(header.number, header);
  }
  checkLogs(range.logs, range.fromBlock, to, headers);
  return headers;
}

function checkLogs(logs: RawLog[], from: bigint, to: bigint, headers: Map<bigint, BlockRef>): void {
  let previous: RawLog | undefined;
  for (const log of logs) {
    if (log.blockNumber < from || log.blockNumber > to)
      throw new BlockRangeError(`${where(log)} is outside ${from}-${to}`);
    if (previous && !isAfter(log, previous)) throw new BlockRangeError(`${where(log)} is out of chain order`);
    previous = log;
    const header = headers.get(log.blockNumber);
    // A log that carries its block's timestamp needs no header; one that has a header must match it.
    if (!header && log.blockTimestamp === undefined) {
      throw new BlockRangeError(
        `${where(log)} has no block header in range.blocks and no blockTimestamp (its timestamp is needed)`,
      );
    }
    if (header && !sameHash(header.hash, log.blockHash)) {
      throw new BlockRangeError(
        `${where(log)} belongs to block hash ${log.blockHash}, the header says ${header.hash}`,
        ["The chain reorganized between fetching logs and headers: fetch the range again."],
      );
    }
  }
}

function where(log: RawLog): string {
  return `log ${log.logIndex} of block ${log.blockNumber} (tx ${log.transactionHash})`;
}

function isAfter(log: RawLog, previous: RawLog): boolean {
  if (log.blockNumber !== previous.blockNumber) return log.blockNumber > previous.blockNumber;
  return log.logIndex > previous.logIndex;
}

function sameHash(a: Hex, b: Hex): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Throws unless the range starts right after the checkpoint (or at the start block when empty). */
export function checkRangeStart(state: MirrorState, range: BlockRange): void {
  const expected = state.checkpointBlock === null ? state.startBlock : state.checkpointBlock + 1;
  if (range.fromBlock !== BigInt(expected)) {
    const where =
      state.checkpointBlock === null ? "the mirror is empty" : `the checkpoint is ${state.checkpointBlock}`;
    throw new BlockRangeError(
      `it starts at block ${range.fromBlock} but ${where}, so the next range starts at ${expected}`,
    );
  }
}
