import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getTableColumns, getTableName, isTable, sql, type Table } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openTestDatabase, TEST_BACKENDS, type TestDatabase } from "../testing/testDatabase.ts";
import { createDatabase } from "./db.ts";
import { isSchemaCurrent, migrateDatabase } from "./migrate.ts";
import * as schema from "./schema.ts";
import { queryRows } from "./sql.ts";

/** Every table schema.ts declares, with its SQL columns in order. */
function declaredTables(): Map<string, string[]> {
  const tables = new Map<string, string[]>();
  for (const value of Object.values(schema)) {
    if (!isTable(value)) continue;
    const columns = Object.values(getTableColumns(value as Table)).map((c) => c.name);
    tables.set(getTableName(value as Table), columns);
  }
  return tables;
}

describe.each(TEST_BACKENDS)("migrations on %s", (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(backend);
  });
  // An empty database again: no tables, no migration bookkeeping.
  beforeEach(async () => {
    await database.db.execute(sql`DROP SCHEMA IF EXISTS drizzle CASCADE`);
    await database.db.execute(sql`DROP SCHEMA public CASCADE`);
    await database.db.execute(sql`CREATE SCHEMA public`);
  });
  afterAll(async () => {
    await database?.dispose();
  });

  it("apply from an empty database and create exactly the tables schema.ts declares", async () => {
    const { db } = database;
    expect(await isSchemaCurrent(db)).toBe(false);
    const { applied } = await migrateDatabase(db);
    expect(applied.length).toBeGreaterThan(0);
    expect(await isSchemaCurrent(db)).toBe(true);

    const rows = await queryRows<{ table_name: string; column_name: string }>(
      db,
      sql`SELECT table_name, column_name FROM information_schema.columns
          WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
    );
    const actual = new Map<string, string[]>();
    for (const row of rows)
      actual.set(row.table_name, [...(actual.get(row.table_name) ?? []), row.column_name]);
    expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(declaredTables()));
  });

  it("are idempotent: a second run applies nothing", async () => {
    await migrateDatabase(database.db);
    expect(await migrateDatabase(database.db)).toEqual({ applied: [] });
  });

  it("tolerate two processes migrating at once", async () => {
    const results = await Promise.all([migrateDatabase(database.db), migrateDatabase(database.db)]);
    expect(results.flatMap((r) => r.applied)).toHaveLength(
      results[0]!.applied.length + results[1]!.applied.length,
    );
    expect(await isSchemaCurrent(database.db)).toBe(true);
  });
});

describe("migrations on a PGlite data folder", () => {
  it("survive a restart: nothing re-applied, rows kept", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "mirror-"));
    try {
      const first = await createDatabase({ dataDir });
      await migrateDatabase(first);
      await first
        .insert(schema.accounts)
        .values({ address: "0xaa", balance: 1n, votes: 2n, updatedBlock: 1 });
      await first.close();

      const second = await createDatabase({ dataDir });
      expect(await migrateDatabase(second)).toEqual({ applied: [] });
      expect(await second.select().from(schema.accounts)).toEqual([
        { address: "0xaa", balance: 1n, votes: 2n, updatedBlock: 1 },
      ]);
      await second.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
