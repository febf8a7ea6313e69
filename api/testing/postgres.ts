// A fresh PostgreSQL database for one test file, reachable through as many connection pools as the
// test wants (two API processes and an indexer each have their own), dropped afterwards. Not a test
// file.
import { createDatabase, type Database } from "../../indexer/store/db.ts";
import { createScratchDatabase, postgresAvailable } from "../../indexer/testing/postgres.ts";

/** The server the tests use unless DATABASE_URL names another (trust auth on the project machines). */
export const TEST_POSTGRES_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface FreshPostgres {
  url: string;
  /** Opens another pool on the database (closed by dispose). */
  open(): Promise<Database>;
  /** Closes every pool and drops the database. */
  dispose(): Promise<void>;
}

/** Whether a server answers at `url`. */
export const postgresAnswers = (url = TEST_POSTGRES_URL) => postgresAvailable(url);

/** Creates `api_<random>` on the test server. */
export async function createFreshPostgres(serverUrl = TEST_POSTGRES_URL): Promise<FreshPostgres> {
  const scratch = await createScratchDatabase(serverUrl, "api");
  const pools: Database[] = [];
  return {
    url: scratch.url,
    async open() {
      const db = await createDatabase({ databaseUrl: scratch.url });
      pools.push(db);
      return db;
    },
    async dispose() {
      await Promise.allSettled(pools.map((db) => db.close()));
      await scratch.drop();
    },
  };
}
