// The Database both drivers give (./db.ts opens it), and raw SQL over it. Both PGlite and
// node-postgres answer `execute` with `{ rows }`; the driver-neutral drizzle type does not say so, so
// this is the one place that asserts it. Imports nothing of the store but the schema, so everything
// below db.ts (the migration runner, the template builder) can name the type without a cycle.
import { createHash } from "node:crypto";
import type { SQL } from "drizzle-orm";
import { type PgDatabase, PgDialect, type PgQueryResultHKT } from "drizzle-orm/pg-core";
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

const dialect = new PgDialect();

/**
 * Runs `query` as a prepared statement and returns its rows (column names as SQL spells them): on
 * PostgreSQL a named statement, parsed and planned once per pooled connection rather than at every
 * call (a statement of several subqueries can take longer to plan than to run). It is named after its
 * text, so queries built alike share one statement, and only their parameters vary.
 */
export async function queryPreparedRows<Row extends Record<string, unknown>>(
  db: Database,
  query: SQL,
): Promise<Row[]> {
  const built = dialect.sqlToQuery(query);
  const name = `q_${createHash("sha1").update(built.sql).digest("hex").slice(0, 20)}`;
  const result = (await db._.session.prepareQuery(built, undefined, name, false).execute()) as unknown as {
    rows: Row[];
  };
  return result.rows;
}

/** Runs a statement whose rows do not matter. */
export async function run(executor: SqlExecutor, query: SQL): Promise<void> {
  await executor.execute(query);
}
