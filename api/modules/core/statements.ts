// The core's prepared statements: the mirror's checkpoint (read once per request, context.ts) and the
// time of blocks with firm events (a transaction's block time where its table has none).
import { and, asc, eq, type Placeholder, type SQL, sql } from "drizzle-orm";
import type { Database } from "../../../indexer/store/db.ts";
import { blocks, mirrorState, rawEvents } from "../../../indexer/store/schema.ts";
import { inKeys } from "./prepareByKeys.ts";

export function createCoreStatements(db: Database) {
  return {
    /** The time of blocks with firm events (a transaction's block time where a table has none). */
    blockTimes: db
      .selectDistinctOn([rawEvents.blockNumber], {
        number: rawEvents.blockNumber,
        timestamp: rawEvents.blockTimestamp,
      })
      .from(rawEvents)
      .where(and(eq(rawEvents.chainId, sql.placeholder("chainId")), inKeys(rawEvents.blockNumber)))
      .orderBy(asc(rawEvents.blockNumber))
      .prepare("api_block_times"),
    /** The checkpoint with its block's timestamp: the store keeps the checkpoint's header. */
    mirrorState: selectMirrorState(db, sql.placeholder("chainId")).prepare("api_mirror_state"),
  };
}

/**
 * The mirror's checkpoint with its block's timestamp, for one chain, as a jsonb object (null when the
 * mirror has no state yet): what a statement selects to read the mirror in its own round trip
 * (context.ts withMirrorReading). Keys as SQL names them: start_block, checkpoint_block, timestamp,
 * pruned_through, revision.
 */
export function mirrorStateJson(db: Database, chainId: number | Placeholder): SQL {
  return sql`(SELECT to_jsonb(m) FROM (${selectMirrorState(db, chainId)}) m)`;
}

function selectMirrorState(db: Database, chainId: number | Placeholder) {
  return db
    .select({
      startBlock: mirrorState.startBlock,
      checkpointBlock: mirrorState.checkpointBlock,
      checkpointTimestamp: blocks.timestamp,
      prunedThrough: mirrorState.prunedThrough,
      revision: mirrorState.revision,
    })
    .from(mirrorState)
    .leftJoin(
      blocks,
      and(eq(blocks.chainId, mirrorState.chainId), eq(blocks.number, mirrorState.checkpointBlock)),
    )
    .where(eq(mirrorState.chainId, chainId));
}

declare module "../defineModule.ts" {
  interface Statements extends ReturnType<typeof createCoreStatements> {}
}
