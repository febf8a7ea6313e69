import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { createDatabase } from "./db.ts";
import { isSchemaCurrent, migrateDatabase } from "./migrate.ts";
import { baseTemplate, seedPgliteDataDir } from "./pgliteTemplate.ts";
import { queryRows } from "./sql.ts";

const root = mkdtempSync(join(tmpdir(), "pglite-template-test-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("PGlite templates", () => {
  it("fills a new folder with a cluster that opens as an empty database", async () => {
    const dataDir = join(root, "base");
    expect(await seedPgliteDataDir(dataDir, "base")).toBe(true);
    expect(existsSync(join(dataDir, "PG_VERSION"))).toBe(true);
    const db = await createDatabase({ dataDir });
    try {
      const tables = await queryRows<{ n: number }>(
        db,
        sql`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`,
      );
      expect(tables[0]?.n).toBe(0);
      expect(await isSchemaCurrent(db)).toBe(false);
    } finally {
      await db.close();
    }
  }, 120_000);

  it("fills a new mirror folder with a cluster already migrated to this code's schema", async () => {
    const dataDir = join(root, "mirror");
    const db = await createDatabase({ dataDir, template: "mirror" });
    try {
      expect(await isSchemaCurrent(db)).toBe(true);
      expect(await migrateDatabase(db)).toEqual({ applied: [] });
      // The mirror's own database only: template0 and template1 are not copied into every mirror.
      const databases = await queryRows<{ datname: string }>(db, sql`SELECT datname FROM pg_database`);
      expect(databases.map((row) => row.datname)).toEqual(["postgres"]);
      expect(readdirSync(join(dataDir, "base"))).toHaveLength(1);
    } finally {
      await db.close();
    }
    // …and the folder reopens as the same mirror.
    const reopened = await createDatabase({ dataDir });
    try {
      expect(await isSchemaCurrent(reopened)).toBe(true);
    } finally {
      await reopened.close();
    }
  }, 120_000);

  it("leaves a folder that already holds files alone", async () => {
    const dataDir = join(root, "occupied");
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, "notes.txt"), "mine");
    expect(await seedPgliteDataDir(dataDir, "base")).toBe(false);
    expect(readdirSync(dataDir)).toEqual(["notes.txt"]);
  });

  it("keeps the base cluster as a tarball too, for memory:// databases", async () => {
    const template = await baseTemplate();
    expect(template && existsSync(template.tarball)).toBe(true);
    const db = await createDatabase({ dataDir: "memory://" });
    try {
      await migrateDatabase(db);
      expect(await isSchemaCurrent(db)).toBe(true);
    } finally {
      await db.close();
    }
  }, 120_000);
});
