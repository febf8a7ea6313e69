// The PostgreSQL server of the tests and benchmarks: DATABASE_URL when set, else the machine's local
// server (trust auth, database "test"). Tests that need it skip, saying why, when none answers. Also
// the one way tests and benchmarks make a database of their own on a server and drop it afterwards.
import { randomBytes } from "node:crypto";
import pg from "pg";

export const TEST_DATABASE_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** A plain pg client, apart from any pool: for admin statements and for watching locks. */
export function sqlClient(url = TEST_DATABASE_URL): pg.Client {
  return new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
}

/** Whether the test server answers (checked once per test file, at import). */
export async function postgresAvailable(url = TEST_DATABASE_URL): Promise<boolean> {
  const client = sqlClient(url);
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

/** The backend process holding the advisory lock `key`, if any (pg_locks splits the key in two). */
export async function advisoryLockHolder(client: pg.Client, key: bigint): Promise<number | undefined> {
  const unsigned = BigInt.asUintN(64, key);
  const { rows } = await client.query(
    "select pid from pg_locks where locktype = 'advisory' and granted and classid = $1 and objid = $2 and objsubid = 1",
    [(unsigned >> 32n).toString(), (unsigned & 0xffffffffn).toString()],
  );
  return rows[0]?.pid as number | undefined;
}

export interface ScratchDatabase {
  name: string;
  /** The database's URL on the server. */
  url: string;
  /** Drops it (terminating any session still connected). Safe to call more than once. */
  drop(): Promise<void>;
}

/**
 * Creates `<prefix>_<random>` on the server at `serverUrl` (through its admin database, the URL's own).
 *
 * @example
 * const scratch = await createScratchDatabase(TEST_DATABASE_URL, "mirror_it");
 * const db = await createDatabase({ databaseUrl: scratch.url });
 * // …
 * await db.close();
 * await scratch.drop();
 */
export async function createScratchDatabase(
  serverUrl: string = TEST_DATABASE_URL,
  prefix = "mirror_it",
): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    name,
    url: url.toString(),
    async drop() {
      if (dropped) return;
      dropped = true;
      await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

async function adminQuery(serverUrl: string, statement: string): Promise<void> {
  const client = sqlClient(serverUrl);
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
