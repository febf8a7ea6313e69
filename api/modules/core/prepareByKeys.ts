// By-key statements, the lookups every loader batches: a batch of keys bound as one array parameter
// (`= any($1)`), so one prepared statement serves a batch of any size. On PostgreSQL each is parsed and
// planned once per pooled connection (node-postgres named statements), not once per request; on
// PGlite they are plain queries with the same SQL.
import { and, getTableColumns, getTableName, type Placeholder, type SQL, sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Database } from "../../../indexer/store/db.ts";

/** The batch of keys a statement looks up. */
export const KEYS = sql.placeholder("keys");

/** The condition "`column` is one of the batch's keys" (`keys`: an array expression, the batch's by default). */
export function inKeys(column: PgColumn, keys: SQL | Placeholder = KEYS): SQL {
  return sql`${column} = any(${keys})`;
}

/** A prepared by-key statement: the rows of a batch of keys, and the key each row answers. */
export interface KeyedStatement<Row> {
  /** The table it reads: its loaders' metric label. */
  table: string;
  execute(parameters: { keys: string[] }): Promise<Row[]>;
  /** The key a row answers, as loaders are asked for it (ids as decimal strings). */
  keyOf(row: Row): string;
  /** The drizzle table it reads, whose columns map its rows back from JSON (./prefetch.ts). */
  source: PgTable;
  /**
   * The same query, unprepared, for `keys` (an SQL array expression, or a placeholder bound to an
   * array of keys): a part of a larger statement (./prefetch.ts).
   */
  select(keys: SQL | Placeholder): SQL;
  /** Its order, over the table's columns. */
  orderBy: SQL[];
}

/**
 * Prepares, under `name` (unique in the app), the statement reading the rows of `table` whose `key`
 * is one of a batch's keys, with an extra condition and an order when given.
 *
 * @example
 * const membersByAddress = prepareByKeys(db, "api_members_by_address", members, "address");
 * await membersByAddress.execute({ keys: ["0xab…", "0xcd…"] });
 */
export function prepareByKeys<Table extends PgTable, Key extends keyof Table["$inferSelect"] & string>(
  db: Database,
  name: string,
  table: Table,
  key: Key,
  { where, orderBy = [] }: { where?: SQL; orderBy?: SQL[] } = {},
): KeyedStatement<Table["$inferSelect"]> {
  const column = getTableColumns(table)[key] as PgColumn;
  const select = (keys: SQL | Placeholder) =>
    db
      .select()
      .from(table as PgTable)
      .where(where ? and(inKeys(column, keys), where) : inKeys(column, keys))
      .orderBy(...orderBy);
  const prepared = select(KEYS).prepare(name);
  return {
    table: getTableName(table),
    execute: (parameters) => prepared.execute(parameters) as Promise<Table["$inferSelect"][]>,
    keyOf: (row) => String(row[key]),
    source: table,
    select: (keys) => select(keys).getSQL(),
    orderBy,
  };
}
