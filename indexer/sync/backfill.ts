// Backfill: the firm's history from the deployment's start block up to the last final block, with
// eth_getLogs over the firm's addresses in adaptive chunks. Chunks are fetched ahead, up to
// `concurrency` at once, while earlier ones are applied, but they are applied strictly in chain
// order, one or a few consecutive chunks per range (one transaction with its checkpoint), so a crash
// at any point leaves a mirror that ends exactly at some range's last block.
//
// Fetching ahead is bounded by the logs it holds (`maxBufferedLogs`), not only by the requests in
// flight: a backfill's memory is what it has fetched and not yet applied.
//
// Only final blocks are backfilled, so no block here can be reorged away (short of a reorg deeper
// than the finality depth, which reorg.ts turns into a stop). The unfinalized tail is left to live
// following, which fetches every header and checks every parent hash.
import type { Address } from "viem";
import { BlockTooLargeError, ChainChangedError, LogRangeTooLargeError } from "../../kernel/errors.ts";
import { createProgress, type Logger } from "../../kernel/logger.ts";
import { throwIfStopping } from "../../kernel/shutdown.ts";
import type { BlockRange, Checkpoint, RawLog, TokenMetadata } from "../store/types.ts";
import type { ApplyRange } from "./applyRange.ts";
import { type Chunker, TARGET_LOGS_PER_CALL } from "./chunker.ts";
import type { EnrichRange } from "./enrichRange.ts";
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
  /** No new fetch starts while this many fetched logs wait to be applied. */
  maxBufferedLogs?: number;
  /** Consecutive fetched chunks are applied together, in one transaction, up to this many logs… */
  maxApplyLogs?: number;
  /** …and this many blocks (MAX_BLOCK_RANGE: no range is ever larger than the operator allows). */
  maxApplyBlocks?: number;
  /** Chain reads the range's handlers need, made while the range waits its turn (enrichRange.ts). */
  enrich?: EnrichRange | undefined;
  logger: Logger;
  signal?: AbortSignal | undefined;
}

export interface BackfillReturnType {
  /** The checkpoint after the last applied range. */
  checkpoint: Checkpoint;
  events: number;
}

/**
 * Four replies of the target size: enough for the apply never to wait on the next fetch when the
 * node answers as fast as ranges are applied, and a few tens of MB of logs at most.
 */
export const DEFAULT_MAX_BUFFERED_LOGS = 4 * TARGET_LOGS_PER_CALL;

/**
 * Chunks that arrived while the previous range was being applied are applied together: each entity
 * row changed in several of them is then written once, and the per-transaction cost is paid once.
 */
export const DEFAULT_MAX_APPLY_LOGS = 2 * TARGET_LOGS_PER_CALL;

/** A span of blocks in chain order: waiting to be fetched, being fetched, fetched, or failed. */
interface Slot {
  from: bigint;
  to: bigint;
  state: "waiting" | "fetching" | "fetched" | "failed";
  /** The provider refused this very span: it must be asked for in strictly smaller pieces. */
  refused?: boolean;
  range?: BlockRange | undefined;
  error?: unknown;
}

/**
 * Cuts the waiting slot at `index` to at most `size` blocks (strictly fewer than a refused span has,
 * so splitting ends, at single blocks at worst), leaving the rest as a waiting slot right after it.
 * A span is cut only when its turn comes, so each piece gets the chunker's size of that moment.
 */
function cutToSize(slots: Slot[], index: number, size: bigint): Slot {
  const slot = slots[index] as Slot;
  const span = slot.to - slot.from + 1n;
  const limit = slot.refused ? min(size, span - 1n) : size;
  if (span > limit) {
    slots.splice(index + 1, 0, { from: slot.from + limit, to: slot.to, state: "waiting" });
    slot.to = slot.from + limit - 1n;
  }
  slot.refused = false;
  return slot;
}

/**
 * Fetches and applies blocks `fromBlock`..`toBlock`.
 *
 * @example
 * const { checkpoint } = await backfill({ rpc, apply, addresses, fromBlock: 1n, toBlock: 5_000n,
 *   chunker: createChunker({ maxBlocks: 1_000 }), concurrency: 4, logger });
 */
export async function backfill(parameters: BackfillParameters): Promise<BackfillReturnType> {
  const { apply, fromBlock, toBlock, concurrency, logger, signal, chunker } = parameters;
  const maxBufferedLogs = parameters.maxBufferedLogs ?? DEFAULT_MAX_BUFFERED_LOGS;
  const maxApplyLogs = parameters.maxApplyLogs ?? DEFAULT_MAX_APPLY_LOGS;
  const maxApplyBlocks = BigInt(parameters.maxApplyBlocks ?? Number.MAX_SAFE_INTEGER);
  const totalBlocks = Number(toBlock - fromBlock + 1n);
  const progress = createProgress(logger, "Backfill", totalBlocks);
  const started = performance.now();
  logger.info({ msg: "Backfill started", fromBlock: Number(fromBlock), toBlock: Number(toBlock) });

  // Unapplied spans in chain order; the first is applied as soon as it is fetched. The last waiting
  // one holds everything not yet asked for, and is cut to the chunk size as fetches start.
  const slots: Slot[] = [{ from: fromBlock, to: toBlock, state: "waiting" }];
  let fetching = 0;
  let bufferedLogs = 0;
  let ended = false;
  let wake: (() => void) | undefined;

  const fetchSlot = async (slot: Slot) => {
    slot.state = "fetching";
    fetching++;
    try {
      const logs = await fetchLogs(parameters, slot.from, slot.to);
      if (logs === "refused") {
        // Fetched again in smaller pieces, cut when their turn comes (see fetchAhead).
        slot.state = "waiting";
        slot.refused = true;
      } else {
        // Counted as soon as they are held, while their headers are fetched too.
        bufferedLogs += logs.length;
        try {
          const range = await completeRange(parameters.rpc, slot.from, slot.to, logs);
          slot.range = parameters.enrich ? await parameters.enrich(range) : range;
        } catch (error) {
          bufferedLogs -= logs.length;
          throw error;
        }
        slot.state = "fetched";
      }
    } catch (error) {
      // Surfaces when the slot's turn comes: the ranges before it are still applied.
      slot.state = "failed";
      slot.error = error;
    } finally {
      fetching--;
      fetchAhead();
      wake?.();
    }
  };

  /**
   * Starts fetches in chain order while fewer than `concurrency` are in flight and fewer than
   * `maxBufferedLogs` fetched logs wait. The first unapplied span is always fetched, whatever waits
   * behind it (after a refusal, its pieces come before spans already fetched). Nothing after a failed
   * fetch is started: the backfill ends there.
   */
  function fetchAhead(): void {
    while (!ended && fetching < concurrency) {
      const index = slots.findIndex((s) => s.state === "waiting" || s.state === "failed");
      if (index === -1 || slots[index]?.state === "failed") return;
      if (bufferedLogs >= maxBufferedLogs && index !== 0) return;
      void fetchSlot(cutToSize(slots, index, chunker.size()));
    }
  }

  let checkpoint: Checkpoint | undefined;
  let events = 0;
  try {
    fetchAhead();
    for (let head = slots[0]; head; head = slots[0]) {
      throwIfStopping(signal);
      if (head.state === "failed") throw head.error;
      if (head.state !== "fetched") {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        continue;
      }
      const range = takeFetchedRanges(slots, maxApplyLogs, maxApplyBlocks);
      bufferedLogs -= range.logs.length;
      // The next fetches start before this range is applied: the node works while we write.
      fetchAhead();
      const applied = await apply(range, "backfill");
      checkpoint = applied.checkpoint;
      events += applied.events;
      progress.update(Number(range.toBlock.number - fromBlock + 1n), events);
      fetchAhead();
    }
  } finally {
    // Fetches still in flight settle into slots nobody reads, and start nothing more.
    ended = true;
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

/**
 * Removes the fetched slots at the head of `slots` (at least one) and returns them as one range, as
 * long as it stays within `maxLogs` logs and `maxBlocks` blocks.
 */
function takeFetchedRanges(slots: Slot[], maxLogs: number, maxBlocks: bigint): BlockRange {
  const first = (slots.shift() as Slot).range as BlockRange;
  const ranges = [first];
  let logs = first.logs.length;
  for (let slot = slots[0]; slot?.state === "fetched"; slot = slots[0]) {
    const range = slot.range as BlockRange;
    if (logs + range.logs.length > maxLogs || range.toBlock.number - first.fromBlock + 1n > maxBlocks) break;
    slots.shift();
    ranges.push(range);
    logs += range.logs.length;
  }
  if (ranges.length === 1) return first;
  return {
    fromBlock: first.fromBlock,
    toBlock: (ranges.at(-1) as BlockRange).toBlock,
    blocks: ranges.flatMap((range) => range.blocks),
    logs: ranges.flatMap((range) => range.logs),
    tokens: mergeTokens(ranges),
  };
}

/** The logs of `from`..`to`, or "refused" when the provider refused the span (the chunker shrank). */
async function fetchLogs(
  parameters: BackfillParameters,
  from: bigint,
  to: bigint,
): Promise<RawLog[] | "refused"> {
  const { rpc, addresses, chunker, signal } = parameters;
  try {
    const logs = await rpc.logs({ addresses, fromBlock: from, toBlock: to });
    throwIfStopping(signal);
    chunker.succeeded(to - from + 1n, logs.length);
    return logs;
  } catch (error) {
    if (!(error instanceof LogRangeTooLargeError)) throw error;
    if (from === to) throw new BlockTooLargeError({ blockNumber: from, cause: error });
    chunker.shrink(to - from + 1n, error.suggestedBlocks);
    return "refused";
  }
}

/**
 * Adds the headers the store needs: the range's last block (the checkpoint), and the blocks whose
 * logs do not carry their block's timestamp (nodes that predate `blockTimestamp` in eth_getLogs).
 * Logs of a fetched header must carry its hash: the chain must not have moved between the calls.
 */
export async function completeRange(rpc: Rpc, from: bigint, to: bigint, logs: RawLog[]): Promise<BlockRange> {
  const needed = new Set<bigint>([to]);
  for (const log of logs) {
    if (log.blockNumber < from || log.blockNumber > to)
      throw new ChainChangedError(
        `eth_getLogs for blocks ${from}..${to} returned a log of block ${log.blockNumber}`,
      );
    if (log.blockTimestamp === undefined) needed.add(log.blockNumber);
  }
  const numbers = [...needed].sort((a, b) => (a < b ? -1 : 1));
  const headers = numbers.length === 1 ? [await rpc.block(to)] : await rpc.blocks(numbers);
  const byNumber = new Map<bigint, (typeof headers)[number]>(numbers.map((n, i) => [n, headers[i]]));
  for (const log of logs) {
    if (!needed.has(log.blockNumber)) continue;
    if (byNumber.get(log.blockNumber)?.hash !== log.blockHash)
      throw new ChainChangedError(
        `block ${log.blockNumber} no longer has the hash its logs were returned with`,
      );
  }
  const last = byNumber.get(to);
  if (!last) throw new ChainChangedError(`block ${to} is no longer on the chain`);
  return { fromBlock: from, toBlock: last, blocks: headers.filter((h) => h !== undefined), logs };
}

/** The enriched token metadata of consecutive ranges, the earliest read of each token kept. */
function mergeTokens(ranges: readonly BlockRange[]): BlockRange["tokens"] {
  if (!ranges.some((range) => range.tokens)) return undefined;
  const tokens = new Map<string, TokenMetadata>();
  for (const range of ranges)
    for (const [token, metadata] of range.tokens ?? []) if (!tokens.has(token)) tokens.set(token, metadata);
  return tokens;
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
