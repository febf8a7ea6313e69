// Time travel: an `asOf: {block} | {timestamp}` argument → the block to read history at and its time.
// The mirror keeps no header for blocks without firm events once they are final, so a block's time is
// that of the last firm event at or before it (exact for every block that changed the firm), and a
// time resolves to the last block at or before it that holds a firm event (the state is the same at
// every block until the next one).
import { sql } from "drizzle-orm";
import type { Database } from "../../../indexer/store/db.ts";
import { queryRows } from "../../../indexer/store/sql.ts";
import type { AsOfPoint, MirrorSnapshot } from "../../context.ts";
import { badUserInput } from "../../errors.ts";

export interface AsOfInput {
  block?: number | null | undefined;
  timestamp?: number | null | undefined;
}

/**
 * Resolves `asOf` against the mirror: a point at or below the indexed checkpoint.
 *
 * @throws BAD_USER_INPUT unless exactly one of block and timestamp is given, or when it lies past
 * the mirror's indexed head.
 */
export async function resolveAsOf(
  db: Database,
  chainId: number,
  input: AsOfInput,
  mirror: MirrorSnapshot,
): Promise<AsOfPoint> {
  const hasBlock = input.block !== null && input.block !== undefined;
  const hasTime = input.timestamp !== null && input.timestamp !== undefined;
  if (hasBlock === hasTime) throw badUserInput("asOf", input, "exactly one of {block} or {timestamp}");
  const head = mirror.checkpointBlock;
  const headTime = mirror.checkpointTimestamp;
  if (hasBlock) {
    const block = input.block as number;
    if (block < 0) throw badUserInput("asOf.block", block, "a block number of 0 or more");
    if (head === null || block > head) {
      throw badUserInput(
        "asOf.block",
        block,
        `a block the mirror has indexed (it is at block ${head ?? "none yet"})`,
      );
    }
    const known = await lastKnownBlock(db, chainId, "block", block);
    return { block, timestamp: known?.timestamp ?? 0 };
  }
  const timestamp = input.timestamp as number;
  if (head === null || headTime === null || timestamp > headTime) {
    throw badUserInput(
      "asOf.timestamp",
      timestamp,
      `a time the mirror has indexed (it is at ${headTime ?? "no block yet"}, block ${head ?? "none"})`,
    );
  }
  const known = await lastKnownBlock(db, chainId, "time", timestamp);
  // Before the first firm event nothing existed: read just below the start block (no history there).
  return { block: known?.number ?? Math.max(mirror.startBlock - 1, 0), timestamp };
}

/**
 * The highest block at or before `limit` (a block number or a time, as `by` says) among remembered
 * headers and blocks with firm events. By time it walks raw_events by (block_timestamp, block_number),
 * its raw_events_time_idx (block times never decrease, so the order is the same); by block it walks
 * the primary key.
 */
async function lastKnownBlock(
  db: Database,
  chainId: number,
  by: "block" | "time",
  limit: number,
): Promise<{ number: number; timestamp: number } | undefined> {
  const headerCondition = by === "time" ? sql`timestamp <= ${limit}` : sql`number <= ${limit}`;
  const eventCondition = by === "time" ? sql`block_timestamp <= ${limit}` : sql`block_number <= ${limit}`;
  const eventOrder =
    by === "time" ? sql`block_timestamp DESC, block_number DESC` : sql`block_number DESC, log_index DESC`;
  const [row] = await queryRows<{ number: unknown; timestamp: unknown }>(
    db,
    sql`SELECT number, timestamp FROM (
          (SELECT number, timestamp FROM blocks WHERE chain_id = ${chainId} AND ${headerCondition}
           ORDER BY number DESC LIMIT 1)
          UNION ALL
          (SELECT block_number AS number, block_timestamp AS timestamp FROM raw_events
           WHERE chain_id = ${chainId} AND ${eventCondition}
           ORDER BY ${eventOrder} LIMIT 1)
        ) known ORDER BY number DESC LIMIT 1`,
  );
  return row ? { number: Number(row.number), timestamp: Number(row.timestamp) } : undefined;
}
