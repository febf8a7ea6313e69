// The PostgreSQL server of the lock tests: DATABASE_URL when set, else the machine's local server
// (trust auth, database "test"). Tests that need it skip, saying why, when none answers.
import { createRequire } from "node:module";

export const TEST_DATABASE_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export interface SqlClient {
  connect(): Promise<void>;
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  end(): Promise<void>;
}

/** A plain pg client (pg has no type declarations here; see sync/leader.ts). */
export function sqlClient(url = TEST_DATABASE_URL): SqlClient {
  const { Client } = createRequire(import.meta.url)("pg") as {
    Client: new (config: { connectionString: string; connectionTimeoutMillis: number }) => SqlClient;
  };
  return new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
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
export async function advisoryLockHolder(client: SqlClient, key: bigint): Promise<number | undefined> {
  const unsigned = BigInt.asUintN(64, key);
  const { rows } = await client.query(
    "select pid from pg_locks where locktype = 'advisory' and granted and classid = $1 and objid = $2 and objsubid = 1",
    [(unsigned >> 32n).toString(), (unsigned & 0xffffffffn).toString()],
  );
  return rows[0]?.pid as number | undefined;
}
