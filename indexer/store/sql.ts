// Raw SQL over either driver. Both PGlite and node-postgres answer `execute` with `{ rows }`; the
// driver-neutral drizzle type does not say so, so this is the one place that asserts it.
import type { SQL } from "drizzle-orm";
import type { Database } from "./db.ts";

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
