// Raw SQL rows → the typed rows drizzle would return. The API writes a few queries by hand (lateral
// joins over history tables, batched "as of" lookups) that drizzle's builder cannot express; this
// maps their snake_case columns through each column's own driver mapping, so numeric(78,0) comes back
// as bigint and int8 as number on both PGlite and node-postgres, exactly like the builder's rows.
import { getTableColumns } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";

/** Maps a raw row (SQL column names) of `table` to its drizzle row type. */
export function rowFrom<Table extends PgTable>(
  table: Table,
  raw: Record<string, unknown>,
): Table["$inferSelect"] {
  const row: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = raw[column.name];
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return row as Table["$inferSelect"];
}

/** A number from a raw aggregate column (int8 arrives as a string on node-postgres, a number on PGlite). */
export function toNumber(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}
