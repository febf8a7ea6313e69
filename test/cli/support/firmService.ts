// A long-running `firm` command (`index`, `serve`) as an operator runs it: a child process whose JSON
// log lines the test waits on, over a scratch PostgreSQL mirror of its own. Not a test file.
import { fileURLToPath } from "node:url";
import { createDatabase, type Database, migrateDatabase } from "../../../indexer/store/db.ts";
import { type ChildIndexer, startChildRunner } from "../../../indexer/testing/childIndexer.ts";
import {
  createScratchDatabase,
  type ScratchDatabase,
  TEST_DATABASE_URL,
} from "../../../indexer/testing/postgres.ts";

const FIRM = fileURLToPath(new URL("../../../scripts/firm.ts", import.meta.url));

/** Matches a log line by its message. */
export const isMsg = (msg: string) => (line: { msg: string }) => line.msg === msg;

/** Starts `firm <command>` with `env` (stop it with killChildIndexers, or kill it and await exited). */
export function startFirmService(command: "index" | "serve", env: Record<string, string>): ChildIndexer {
  return startChildRunner(FIRM, env, [command]);
}

/** A fresh `<label>_<random>` database on the test server with the mirror's tables, and a pool on it. */
export async function migratedScratchMirror(
  label: string,
): Promise<{ scratch: ScratchDatabase; db: Database }> {
  const scratch = await createScratchDatabase(TEST_DATABASE_URL, label);
  const db = await createDatabase({ databaseUrl: scratch.url });
  await migrateDatabase(db);
  return { scratch, db };
}
