// The migration runner: applies drizzle-kit's SQL files in ./migrations that the database has not seen,
// in one transaction, under an advisory lock so two processes starting together (indexer and API) do
// not both apply them. It keeps drizzle's own bookkeeping table, so drizzle-kit's tools agree with it.
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { SchemaVersionError } from "./errors.ts";
import { type Database, queryRows } from "./sql.ts";

export const MIGRATIONS_FOLDER = fileURLToPath(new URL("./migrations", import.meta.url));

/** Any constant shared by every process that migrates this database; "mirror" in ASCII. */
const MIGRATION_LOCK_ID = 0x6d6972726f72;

export interface MigrateDatabaseReturnType {
  /** Creation times (drizzle's `folderMillis`) of the migrations applied by this call. */
  applied: number[];
}

/**
 * Brings the schema up to date. Safe to call at every start: a database that is current is left
 * alone. Refuses a database migrated by newer code (it would not understand its tables).
 *
 * @example
 * const db = await createDatabase({ dataDir: "data/mirror" });
 * await migrateDatabase(db); // { applied: [1764300000000] } the first time, { applied: [] } after
 */
export async function migrateDatabase(db: Database): Promise<MigrateDatabaseReturnType> {
  const migrations = readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER });
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_ID})`);
    await tx.execute(sql`CREATE SCHEMA IF NOT EXISTS drizzle`);
    await tx.execute(
      sql`CREATE TABLE IF NOT EXISTS drizzle.__drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)`,
    );
    const done = await queryRows<{ created_at: string | number }>(
      tx,
      sql`SELECT created_at FROM drizzle.__drizzle_migrations`,
    );
    const doneTimes = new Set(done.map((row) => Number(row.created_at)));
    const known = new Set(migrations.map((m) => m.folderMillis));
    const unknown = [...doneTimes].filter((time) => !known.has(time));
    if (unknown.length > 0) throw new SchemaVersionError({ unknownMigrations: unknown });
    const applied: number[] = [];
    for (const migration of migrations) {
      if (doneTimes.has(migration.folderMillis)) continue;
      for (const statement of migration.sql) {
        if (statement.trim()) await tx.execute(sql.raw(statement));
      }
      await tx.execute(
        sql`INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES (${migration.hash}, ${migration.folderMillis})`,
      );
      applied.push(migration.folderMillis);
    }
    return { applied };
  });
}

/** Whether every migration this code ships has been applied (the store checks it before writing). */
export async function isSchemaCurrent(db: Database): Promise<boolean> {
  const migrations = readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER });
  const [exists] = await queryRows<{ present: boolean }>(
    db,
    sql`SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS present`,
  );
  if (!exists?.present) return false;
  const done = await queryRows<{ created_at: string | number }>(
    db,
    sql`SELECT created_at FROM drizzle.__drizzle_migrations`,
  );
  const doneTimes = new Set(done.map((row) => Number(row.created_at)));
  return migrations.every((m) => doneTimes.has(m.folderMillis));
}
