// Opens the mirror's database for a command that reads or changes it outside the indexer (`firm
// webhooks`): DATABASE_URL when set, else the PGlite folder DATA_DIR, which must not be held by a
// running `npm start` or `firm index` (the folder belongs to one process at a time).
import { mirrorDataDir, POSTGRES_URL_EXAMPLE } from "../../../indexer/config.ts";
import { openMirrorDatabase } from "../../../indexer/openMirror.ts";
import { assertDataFolderFree } from "../../../indexer/store/folderLock.ts";
import type { Database } from "../../../indexer/store/sql.ts";
import { createConfigReader } from "../../../kernel/config.ts";

/** Opens the mirror as `firm index` would (DATABASE_URL, else DATA_DIR), runs `use`, and closes it. */
export async function withMirror(use: (db: Database) => Promise<number>): Promise<number> {
  const read = createConfigReader(process.env);
  const databaseUrl = read.url("DATABASE_URL", { kind: "postgres", example: POSTGRES_URL_EXAMPLE });
  read.throwIfProblems();
  const dataDir = mirrorDataDir(process.env);
  // A folder that `npm start` or `firm index` holds is said before anything is opened.
  if (!databaseUrl) assertDataFolderFree(dataDir);
  const db = await openMirrorDatabase({ databaseUrl, dataDir });
  try {
    return await use(db);
  } finally {
    await db.close();
  }
}
