// Commits one fetched range to the store and accounts for it (metrics, log line, subscribers). The
// store applies the logs and moves the checkpoint in one transaction; this module never writes
// anything else, so "exactly once" rests on that transaction alone.
import type { Logger } from "../../kernel/logger.ts";
import { createEventRate, type Metrics } from "../metrics.ts";
import type { BlockRange, Checkpoint, CommitNotice, Store } from "../store/types.ts";

export type SyncStage = "backfill" | "live";

export interface ApplyRangeParameters {
  store: Store;
  logger: Logger;
  metrics?: Metrics | undefined;
  onCommit?: ((notice: CommitNotice) => void) | undefined;
}

export interface AppliedRange {
  checkpoint: Checkpoint;
  events: number;
}

export type ApplyRange = (range: BlockRange, stage: SyncStage) => Promise<AppliedRange>;

/**
 * Returns the function every stage commits ranges with.
 *
 * @example
 * const apply = createApplyRange({ store, logger, metrics });
 * const { checkpoint } = await apply(range, "live");
 */
export function createApplyRange({ store, logger, metrics, onCommit }: ApplyRangeParameters): ApplyRange {
  const recordRate = metrics ? createEventRate(metrics) : undefined;
  const loggers = { backfill: logger.child({ stage: "backfill" }), live: logger.child({ stage: "live" }) };
  return async (range, stage) => {
    const started = performance.now();
    const { events, notice, rowsRead = 0, passes = 1 } = await store.applyRange(range);
    const durationMs = Math.round(performance.now() - started);
    const checkpoint = { blockNumber: range.toBlock.number, blockHash: range.toBlock.hash };
    if (metrics) {
      metrics.indexedBlock.set(Number(range.toBlock.number));
      metrics.eventsApplied.inc(events);
      metrics.rangesApplied.inc({ stage });
      recordRate?.(events);
      metrics.entityRowsRead.inc(rowsRead);
      metrics.rangeRetries.inc(passes - 1);
    }
    // Backfill ranges come by the thousand and have the progress report; live ones are news.
    const line = {
      msg: "Indexed block range",
      fromBlock: Number(range.fromBlock),
      toBlock: Number(range.toBlock.number),
      events,
      durationMs,
      rowsRead,
      passes,
    };
    if (stage === "live") loggers.live.info(line);
    else loggers.backfill.debug(line);
    if (onCommit) {
      try {
        onCommit(notice);
      } catch (error) {
        // A subscriber's failure must not undo or repeat a committed range.
        loggers[stage].error({
          msg: "Commit subscriber failed",
          err: error,
          toBlock: Number(range.toBlock.number),
        });
      }
    }
    return { checkpoint, events };
  };
}
