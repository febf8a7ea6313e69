// Wraps any Store and records what the sync engine asked of it, with a shadow copy of the logs the
// mirror should now hold (applied, minus rolled back). Tests assert on the recording, so they run
// unchanged against the memory store and the real mirror.
import type { BlockRange, RawLog, Store } from "../store/types.ts";

export interface RecordingStore extends Store {
  /** Every range applied, in order, including ranges later rolled back. */
  readonly applied: readonly BlockRange[];
  /** The ancestor of every rollback, in order. */
  readonly rollbacks: readonly bigint[];
  /** The argument of every pruneBelow, in order. */
  readonly prunes: readonly bigint[];
  /** The logs the mirror holds now, by the engine's account, in the order applied. */
  logs(): RawLog[];
}

/**
 * Records the calls made to `inner`.
 *
 * @example
 * const store = recordCalls(createMemoryStore());
 * await indexer.run();
 * expect(store.rollbacks).toEqual([12n]);
 */
export function recordCalls(inner: Store): RecordingStore {
  const applied: BlockRange[] = [];
  const rollbacks: bigint[] = [];
  const prunes: bigint[] = [];
  let logs: RawLog[] = [];
  return {
    applied,
    rollbacks,
    prunes,
    logs: () => [...logs],
    async applyRange(range) {
      const result = await inner.applyRange(range);
      applied.push(range);
      logs = [...logs, ...range.logs];
      return result;
    },
    checkpoint: () => inner.checkpoint(),
    recentBlocks: () => inner.recentBlocks(),
    async rollbackTo(blockNumber) {
      await inner.rollbackTo(blockNumber);
      rollbacks.push(blockNumber);
      logs = logs.filter((log) => log.blockNumber <= blockNumber);
    },
    async pruneBelow(blockNumber) {
      await inner.pruneBelow(blockNumber);
      prunes.push(blockNumber);
    },
    close: () => inner.close(),
  };
}
