// Counts the statements a Database sends to its server: every one goes through its client's `query`
// (node-postgres' Pool, PGlite's instance; drizzle's sessions call nothing else for a read), so the
// count is the round trips a request makes. Wraps the real client; not a test file.
import type { Database } from "../../indexer/store/db.ts";

export interface StatementCounter {
  /** The SQL of every statement since the last reset, in the order sent. */
  readonly statements: string[];
  reset(): void;
}

/** Starts counting `db`'s statements (until the database is closed). */
export function countStatements(db: Database): StatementCounter {
  const client = (db as unknown as { $client: { query: (...args: unknown[]) => unknown } }).$client;
  const query = client.query.bind(client);
  const counter = {
    statements: [] as string[],
    reset() {
      counter.statements.length = 0;
    },
  };
  client.query = (...args: unknown[]) => {
    const [first] = args;
    counter.statements.push(typeof first === "string" ? first : String((first as { text?: string })?.text));
    return query(...args);
  };
  return counter;
}
