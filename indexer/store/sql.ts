// The Database both drivers give (./db.ts opens it), and raw SQL over it. Both PGlite and
// node-postgres answer `execute` with `{ rows }`; the driver-neutral drizzle type does not say so, so
// this is the one place that asserts it. Imports nothing of the store but the schema, so everything
// below db.ts (the migration runner, the template builder) can name the type without a cycle.
import type { SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type * as schema from "./schema.ts";

export type Schema = typeof schema;

/** A drizzle instance over PGlite or node-postgres, plus what it takes to shut it down. */
export type Database = PgDatabase<PgQueryResultHKT, Schema> & {
  /** Which driver is underneath: the SQL is the same, only resource limits differ. */
  readonly driver: "pglite" | "postgres";
  /** Closes the PGlite instance or ends the connection pool. */
  close(): Promise<void>;
};

/** An open transaction, as `db.transaction(async (tx) => …)` hands it over. */
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

/** A database or an open transaction: anything that can run a statement. */
export type SqlExecutor = Pick<Database, "execute">;

/** Runs `query` and returns its rows (column names as SQL spells them). */
export async function queryRows<Row extends Record<string, unknown>>(
  executor: SqlExecutor,
  query: SQL,
): Promise<Row[]> {
  const result = (await executor.execute(query)) as unknown as { rows: Row[] };
  return result.rows;
}

/** Runs a statement whose rows do not matter. */
export async function run(executor: SqlExecutor, query: SQL): Promise<void> {
  await executor.execute(query);
}
