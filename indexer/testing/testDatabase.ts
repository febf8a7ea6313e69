// Test databases: every mirror suite runs on PGlite (memory://) and on the PostgreSQL server, each test
// file in a database of its own that is dropped afterwards. Not a test file itself: suites import it.
import { isTable, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { primaryKeyColumns, tableName } from "../store/bulk.ts";
import { createDatabase, type Database } from "../store/db.ts";
import { appendOnlyTables, ENTITY_TABLES } from "../store/mirror.ts";
import * as schema from "../store/schema.ts";
import { queryRows } from "../store/sql.ts";
import { createScratchDatabase } from "./postgres.ts";

export type Backend = "pglite" | "postgres";

/** The server the tests use unless DATABASE_URL names another (trust auth on the project machines). */
const DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/test";

/**
 * The backends to run on: both by default; `MIRROR_TEST_BACKENDS=pglite` narrows it on a machine with
 * no PostgreSQL server.
 */
export const TEST_BACKENDS: Backend[] = (process.env.MIRROR_TEST_BACKENDS?.split(",") as
  | Backend[]
  | undefined) ?? ["pglite", "postgres"];

export interface TestDatabase {
  db: Database;
  backend: Backend;
  /** Closes the database and, on PostgreSQL, drops it. */
  dispose(): Promise<void>;
}

/** Opens an empty database on `backend`: PGlite in memory, or a fresh `mirror_<random>` on the server. */
export async function openTestDatabase(backend: Backend): Promise<TestDatabase> {
  if (backend === "pglite") {
    const db = await createDatabase({ dataDir: "memory://" });
    return { db, backend, dispose: () => db.close() };
  }
  const scratch = await createScratchDatabase(process.env.DATABASE_URL ?? DEFAULT_POSTGRES_URL, "mirror");
  const db = await createDatabase({ databaseUrl: scratch.url });
  return {
    db,
    backend,
    async dispose() {
      await db.close();
      await scratch.drop();
    },
  };
}

/**
 * Every derived table's rows (raw events included, bookkeeping excluded), ordered by primary key: two
 * dumps are equal exactly when the API would read the same mirror.
 */
export async function dumpMirror(db: Database): Promise<Record<string, unknown[]>> {
  const tables = [...Object.values(ENTITY_TABLES).map((t) => t.table), ...appendOnlyTables()];
  const dump: Record<string, unknown[]> = {};
  for (const table of tables) {
    const order = primaryKeyColumns(table)
      .map((c) => `"${c}"`)
      .join(", ");
    dump[tableName(table)] = await queryRows(db, sql`SELECT * FROM ${table} ORDER BY ${sql.raw(order)}`);
  }
  return dump;
}

/** Empties every table of the mirror (schema kept): a fresh mirror for the next test, in milliseconds. */
export async function resetDatabase(db: Database): Promise<void> {
  const tables = Object.values(schema).filter((value) => isTable(value)) as PgTable[];
  const names = tables.map((table) => `"${tableName(table)}"`).join(", ");
  await db.execute(sql.raw(`TRUNCATE ${names}`));
}
