// A fresh PostgreSQL database for one test file, reachable through as many connection pools as the
// test wants (two API processes and an indexer each have their own), dropped afterwards. Not a test
// file.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { createDatabase, type Database } from "../../indexer/store/db.ts";

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
export async function postgresAnswers(url = TEST_POSTGRES_URL): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Creates `api_<random>` on the test server. */
export async function createFreshPostgres(serverUrl = TEST_POSTGRES_URL): Promise<FreshPostgres> {
  const name = `api_${randomBytes(6).toString("hex")}`;
  await admin(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const pools: Database[] = [];
  return {
    url: url.toString(),
    async open() {
      const db = await createDatabase({ databaseUrl: url.toString() });
      pools.push(db);
      return db;
    },
    async dispose() {
      await Promise.allSettled(pools.map((db) => db.close()));
      await admin(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

async function admin(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
