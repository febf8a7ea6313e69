// The webhook suites' database as vitest hooks: a migrated database of one backend for the file's
// tests (dropped after them), its outbox and endpoints emptied before each test. Not a test file.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { migrateDatabase } from "../store/db.ts";
import type { Database } from "../store/sql.ts";
import { type Backend, openTestDatabase, type TestDatabase } from "./testDatabase.ts";

/**
 * Registers the hooks and returns the database, readable once beforeAll has run.
 *
 * @example
 * describe.each(TEST_BACKENDS)("delivery on %s", (backend) => {
 *   const database = useWebhookDatabase(backend);
 *   it("…", async () => { await addWebhookEndpoint(database.db, …); });
 * });
 */
export function useWebhookDatabase(backend: Backend): { readonly db: Database } {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await openTestDatabase(backend);
    await migrateDatabase(database.db);
  });
  afterAll(async () => {
    await database?.dispose();
  });
  beforeEach(async () => {
    await database?.db.execute(sql`TRUNCATE webhook_deliveries, notifications, webhook_endpoints`);
  });
  return {
    get db() {
      if (!database) throw new Error("The webhook test database is read before its beforeAll hook ran.");
      return database.db;
    },
  };
}
