// The adaptive block range of eth_getLogs. Providers cap either the blocks per call (10,000 on many)
// or the results per call (10,000 on Infura and geth-based nodes), and reply size limits (viem's
// 10 MiB) add a third cap. None of them is known in advance, and the density of the firm's events
// varies over its history, so the range is learned from the replies: it starts small, doubles while
// replies come back small, is cut to the size the last reply's density says when replies run large,
// and halves (or takes the provider's suggestion) when a call is refused. Steering by replies, not
// by refusals, matters: a refused call costs the node the whole reply it then throws away (tens of MB
// for a dense stretch), and a reply near the target keeps the memory held per call bounded.

export interface Chunker {
  /** The number of blocks to ask for next. */
  size(): bigint;
  /** A call over `failedBlocks` blocks was refused as too large; `suggestedBlocks` is the provider's hint. */
  shrink(failedBlocks: bigint, suggestedBlocks?: bigint): void;
  /** A call over `blocks` blocks returned `logs` logs. */
  succeeded(blocks: bigint, logs: number): void;
}

export interface CreateChunkerParameters {
  /** The largest range ever asked for (MAX_BLOCK_RANGE). */
  maxBlocks: number;
  /** The first range; the maximum by default. The indexer starts lower (INITIAL_BACKFILL_BLOCKS):
   * a dense stretch asked for in one call makes a reply too large to accept. */
  initialBlocks?: number;
  /** The number of logs per call the range aims at. */
  targetLogs?: number;
}

/** 5,000 logs per reply: 3–5 MB of JSON (the firm's logs average 0.9 KB), well under viem's 10 MiB
 * cap and Infura's 10,000-result limit, and large enough that per-call latency is not what limits a
 * backfill. */
export const TARGET_LOGS_PER_CALL = 5_000;
/** Where a backfill's range starts: small enough that even the densest stretch of a busy firm (an
 * admission batch of 80 members is about 1,000 logs in a block or two) stays under the caps, and
 * doubling reaches a provider's 10,000-block limit in seven calls where the chain is sparse. */
export const INITIAL_BACKFILL_BLOCKS = 100;
/** After a refusal the range holds its new size for this many calls, then may grow again: a "too
 * many results" refusal came from a dense stretch of history that may have ended, and a fixed block
 * limit costs one refused call per 16 accepted ones (about 6 %) to keep probing. */
const CEILING_LIFTS_AFTER_SUCCESSES = 16;

/**
 * Creates an adaptive range. Its size stays between 1 and `maxBlocks`.
 *
 * @example
 * const chunker = createChunker({ maxBlocks: 10_000 });
 * chunker.shrink(10_000n); // the provider refused 10,000 blocks
 * chunker.size(); // 5000n
 */
export function createChunker({
  maxBlocks,
  initialBlocks = maxBlocks,
  targetLogs = TARGET_LOGS_PER_CALL,
}: CreateChunkerParameters): Chunker {
  const max = BigInt(maxBlocks);
  let size = clamp(BigInt(initialBlocks), 1n, max);
  let ceiling = max;
  let successesSinceRefusal = 0;

  return {
    size: () => size,
    shrink(failedBlocks, suggestedBlocks) {
      const halved = failedBlocks / 2n;
      // A suggestion is only trusted when it is smaller: a provider that refused N blocks cannot mean N.
      const next = suggestedBlocks !== undefined && suggestedBlocks < failedBlocks ? suggestedBlocks : halved;
      size = clamp(next < size ? next : size, 1n, max);
      // Growing straight back would be refused again by a provider with a fixed block limit: hold
      // this size for a while (see CEILING_LIFTS_AFTER_SUCCESSES).
      ceiling = size;
      successesSinceRefusal = 0;
    },
    succeeded(blocks, logs) {
      if (++successesSinceRefusal >= CEILING_LIFTS_AFTER_SUCCESSES) ceiling = max;
      if (logs > targetLogs * 2) {
        // Replies twice the target size are heavy on memory; ask for what this reply's density says
        // gives the target (at least halving), before a provider refuses.
        const fitted = ceilDiv(blocks * BigInt(targetLogs), BigInt(logs));
        const halved = blocks / 2n;
        size = clamp(fitted < halved ? fitted : halved, 1n, max);
      } else if (logs <= targetLogs / 2) {
        // Grow from what was observed, not from `size`: results of older, smaller calls arrive late
        // under concurrency and must not compound the growth.
        const grown = blocks * 2n > size ? blocks * 2n : size;
        size = clamp(grown, 1n, ceiling);
      }
    },
  };
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}

function clamp(value: bigint, min: bigint, max: bigint): bigint {
  if (value < min) return min;
  return value > max ? max : value;
}
