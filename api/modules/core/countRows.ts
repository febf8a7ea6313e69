// The count every list's totalCount runs: the rows of a table that its filter selects.
import { count, type SQL } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Database } from "../../../indexer/store/db.ts";

/**
 * How many rows of `table` match `where` (every row without one).
 *
 * @example
 * await countRows(db, grants, and(...conditions(filter)));
 */
export async function countRows(db: Database, table: PgTable, where?: SQL | undefined): Promise<number> {
  const [row] = await db.select({ n: count() }).from(table).where(where);
  return row?.n ?? 0;
}
