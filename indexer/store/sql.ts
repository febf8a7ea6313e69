// The Database both drivers give (./db.ts opens it), and raw SQL over it. Both PGlite and
// node-postgres answer `execute` with `{ rows }`; the driver-neutral drizzle type does not say so, so
// this is the one place that asserts it. Imports nothing of the store but the schema, so everything
// below db.ts (the migration runner, the template builder) can name the type without a cycle.
import { createHash } from "node:crypto";
import { is, SQL } from "drizzle-orm";
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

/** A statement's text and parameters, built once (buildQuery) and run as often as wanted. */
export interface BuiltQuery {
  sql: string;
  /** Values, or drizzle placeholders (sql.placeholder) that each run fills. */
  params: unknown[];
  /** The prepared statement's name: from its text, so queries built alike share one statement. */
  name: string;
}

/** Builds `query`'s text and parameters (drizzle's SQL-to-text walk, the costly part of a small query). */
export function buildQuery(query: SQL): BuiltQuery {
  const built = dialect.sqlToQuery(query);
  return { ...built, name: `q_${createHash("sha1").update(built.sql).digest("hex").slice(0, 20)}` };
}

/**
 * Runs `query` as a prepared statement and returns its rows (column names as SQL spells them): on
 * PostgreSQL a named statement, parsed and planned once per pooled connection rather than at every
 * call (a statement of several subqueries can take longer to plan than to run). `values` fill its
 * placeholders (sql.placeholder); a query built once (buildQuery) is not walked again.
 */
export async function queryPreparedRows<Row extends Record<string, unknown>>(
  db: Database,
  query: SQL | BuiltQuery,
  values: Record<string, unknown> = {},
): Promise<Row[]> {
  const built = is(query, SQL) ? buildQuery(query) : query;
  const prepared = db._.session.prepareQuery(built, undefined, built.name, false);
  const result = (await prepared.execute(values)) as unknown as { rows: Row[] };
  return result.rows;
}

/** Runs a statement whose rows do not matter. */
export async function run(executor: SqlExecutor, query: SQL): Promise<void> {
  await executor.execute(query);
}
