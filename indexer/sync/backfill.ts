// Backfill: the firm's history from the deployment's start block up to the last final block, with
// eth_getLogs over the firm's addresses in adaptive chunks. Up to `concurrency` chunks are fetched
// at once, but they are applied strictly in chain order, each as one range (one transaction with its
// checkpoint), so a crash at any point leaves a mirror that ends exactly at some chunk's last block.
//
// Only final blocks are backfilled, so no block here can be reorged away (short of a reorg deeper
// than the finality depth, which reorg.ts turns into a stop). The unfinalized tail is left to live
// following, which fetches every header and checks every parent hash.
import type { Address } from "viem";
import { BlockTooLargeError, ChainChangedError, LogRangeTooLargeError } from "../internal/errors.ts";
import { createProgress, type Logger } from "../internal/logger.ts";
import { throwIfStopping } from "../internal/shutdown.ts";
import type { BlockRange, Checkpoint, RawLog } from "../store/types.ts";
import type { ApplyRange } from "./applyRange.ts";
import type { Chunker } from "./chunker.ts";
import type { Rpc } from "./rpc.ts";

export interface BackfillParameters {
  rpc: Rpc;
  apply: ApplyRange;
  addresses: readonly Address[];
  /** The first block to fetch (the checkpoint's successor, or the deployment's start block). */
  fromBlock: bigint;
  /** The last block to fetch (a final block). */
  toBlock: bigint;
  chunker: Chunker;
  /** Chunks fetched at once. */
  concurrency: number;
  logger: Logger;
  signal?: AbortSignal | undefined;
}

export interface BackfillReturnType {
  /** The checkpoint after the last applied range. */
  checkpoint: Checkpoint;
  events: number;
}

/**
 * Fetches and applies blocks `fromBlock`..`toBlock`.
 *
 * @example
 * const { checkpoint } = await backfill({ rpc, apply, addresses, fromBlock: 1n, toBlock: 5_000n,
 *   chunker: createChunker({ maxBlocks: 1_000 }), concurrency: 4, logger });
 */
export async function backfill(parameters: BackfillParameters): Promise<BackfillReturnType> {
  const { apply, fromBlock, toBlock, concurrency, logger, signal } = parameters;
  const totalBlocks = Number(toBlock - fromBlock + 1n);
  const progress = createProgress(logger, "Backfill", totalBlocks);
  const started = performance.now();
  logger.info({ msg: "Backfill started", fromBlock: Number(fromBlock), toBlock: Number(toBlock) });

  // Chunks in flight, in chain order. Each promise settles to the ranges of its chunk (several when
  // the provider made it split).
  const window: Promise<BlockRange[]>[] = [];
  let nextBlock = fromBlock;
  const planChunks = () => {
    while (nextBlock <= toBlock && window.length < concurrency) {
      const last = min(nextBlock + parameters.chunker.size() - 1n, toBlock);
      const chunk = fetchChunk(parameters, nextBlock, last);
      // A later chunk may fail while an earlier one is awaited; its error surfaces when its turn
      // comes (or never, if an earlier failure ends the backfill), not as an unhandled rejection.
      chunk.catch(() => {});
      window.push(chunk);
      nextBlock = last + 1n;
    }
  };

  let checkpoint: Checkpoint | undefined;
  let events = 0;
  planChunks();
  while (window.length > 0) {
    const ranges = await window.shift()!;
    for (const range of ranges) {
      throwIfStopping(signal);
      const applied = await apply(range, "backfill");
      checkpoint = applied.checkpoint;
      events += applied.events;
      progress.update(Number(range.toBlock.number - fromBlock + 1n), events);
    }
    planChunks();
  }
  progress.finish();
  const durationMs = Math.round(performance.now() - started);
  logger.info({
    msg: "Backfill finished",
    fromBlock: Number(fromBlock),
    toBlock: Number(toBlock),
    events,
    durationMs,
  });
  return { checkpoint: checkpoint!, events };
}

/** The ranges covering `from`..`to`: one, or several if the provider refused the whole span. */
async function fetchChunk(parameters: BackfillParameters, from: bigint, to: bigint): Promise<BlockRange[]> {
  const { rpc, addresses, chunker, signal } = parameters;
  let logs: RawLog[];
  try {
    logs = await rpc.logs({ addresses, fromBlock: from, toBlock: to });
  } catch (error) {
    if (!(error instanceof LogRangeTooLargeError)) throw error;
    if (from === to) throw new BlockTooLargeError({ blockNumber: from, cause: error });
    chunker.shrink(to - from + 1n, error.suggestedBlocks);
    return fetchInPieces(parameters, from, to);
  }
  throwIfStopping(signal);
  chunker.succeeded(to - from + 1n, logs.length);
  return [await completeRange(rpc, from, to, logs)];
}

/** Re-fetches a refused span in pieces of the (now smaller) chunk size, one after the other. */
async function fetchInPieces(
  parameters: BackfillParameters,
  from: bigint,
  to: bigint,
): Promise<BlockRange[]> {
  const ranges: BlockRange[] = [];
  for (let start = from; start <= to; ) {
    // Strictly smaller than the refused span, so the splitting ends (at single blocks at worst).
    const size = min(parameters.chunker.size(), to - from);
    const end = min(start + size - 1n, to);
    ranges.push(...(await fetchChunk(parameters, start, end)));
    start = end + 1n;
  }
  return ranges;
}

/**
 * Adds the headers the store needs: every block with logs (for timestamps) and the range's last
 * block (the checkpoint), and checks that the logs belong to those very blocks.
 */
export async function completeRange(rpc: Rpc, from: bigint, to: bigint, logs: RawLog[]): Promise<BlockRange> {
  const numbers = [...new Set([...logs.map((log) => log.blockNumber), to])].sort((a, b) => (a < b ? -1 : 1));
  const headers = await rpc.blocks(numbers);
  const byNumber = new Map<bigint, (typeof headers)[number]>(numbers.map((n, i) => [n, headers[i]]));
  for (const log of logs) {
    if (log.blockNumber < from || log.blockNumber > to)
      throw new ChainChangedError(
        `eth_getLogs for blocks ${from}..${to} returned a log of block ${log.blockNumber}`,
      );
    if (byNumber.get(log.blockNumber)?.hash !== log.blockHash)
      throw new ChainChangedError(
        `block ${log.blockNumber} no longer has the hash its logs were returned with`,
      );
  }
  const last = byNumber.get(to);
  if (!last) throw new ChainChangedError(`block ${to} is no longer on the chain`);
  return { fromBlock: from, toBlock: last, blocks: headers.filter((h) => h !== undefined), logs };
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
