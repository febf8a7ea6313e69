// A history table read "as it stood": for each key, its last row at or before a block (time travel)
// or a time (a status or voting power at a past `at`). All keys of a batch in one query, one lateral
// lookup per key; a history table's primary key (key, block_number, log_index) serves each lookup as a
// backward index scan.
import { getTableColumns, getTableName, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Database } from "../../../indexer/store/db.ts";
import { queryRows } from "../../../indexer/store/sql.ts";
import { rowFrom } from "../../domain/rows.ts";
import type { ApiMetrics } from "../../metrics.ts";
import { createLoader } from "./createLoader.ts";

export interface PointKey {
  /** The table's key: an address, a practice id. */
  key: string;
  /** A block number or a unix time, as the loader's `by` says. */
  point: number;
}

export interface CreateHistoryLoaderParameters<Table extends PgTable> {
  metrics: ApiMetrics;
  db: Database;
  /** The history table, also the loader's metric label. */
  table: Table;
  /** The column PointKey.key matches. */
  key: keyof Table["$inferSelect"] & string;
  /** Whether points are block numbers or unix times (a change in a block stamped exactly then counts). */
  by: "block" | "time";
}

/**
 * A loader of each key's last row at or before its point (null where the key had no row yet).
 *
 * @example
 * const memberAsOfBlock = createHistoryLoader({ metrics, db, table: memberHistory, key: "address", by: "block" });
 * await memberAsOfBlock.load({ key: "0xab…", point: 120 });
 */
export function createHistoryLoader<Table extends PgTable>({
  metrics,
  db,
  table,
  key,
  by,
}: CreateHistoryLoaderParameters<Table>) {
  const name = getTableName(table);
  const keyColumn = getTableColumns(table)[key]?.name as string;
  const pointColumn = by === "block" ? "block_number" : "block_timestamp";
  return createLoader<PointKey, Table["$inferSelect"] | null, string>(
    { name, metrics, cacheKeyFn: (k) => `${k.key}@${k.point}` },
    async (keys) => {
      const rows = await queryRows<Record<string, unknown>>(
        db,
        sql`SELECT k.i AS key_index, h.*
            FROM unnest(${sql.param(keys.map((k) => k.key))}::text[], ${sql.param(keys.map((k) => k.point))}::bigint[])
              WITH ORDINALITY AS k(id, point, i)
            CROSS JOIN LATERAL (
              SELECT * FROM ${sql.identifier(name)} h
              WHERE h.${sql.identifier(keyColumn)} = k.id AND h.${sql.identifier(pointColumn)} <= k.point
              ORDER BY h.block_number DESC, h.log_index DESC LIMIT 1
            ) h`,
      );
      const found = new Map(rows.map((raw) => [Number(raw.key_index) - 1, rowFrom(table, raw)]));
      return keys.map((_, i) => found.get(i) ?? null);
    },
  );
}
