// Opens the mirror as the indexer and the audit use it: the database the config names (PostgreSQL
// when DATABASE_URL is set, PGlite in DATA_DIR otherwise), migrated to the current schema.
import type { Manifest } from "../contracts/manifest.ts";
import type { Config } from "./config.ts";
import { createDatabase, type Database, migrateDatabase } from "./store/db.ts";
import { createStore } from "./store/store.ts";
import type { Store } from "./store/types.ts";

/** Opens and migrates the mirror's database. */
export async function openMirrorDatabase(config: Pick<Config, "databaseUrl" | "dataDir">): Promise<Database> {
  // A new PGlite folder starts from a template already migrated to this schema (the migrations then
  // find nothing to do); an existing one, or a server, is migrated here.
  const db = await createDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    template: "mirror",
  });
  try {
    await migrateDatabase(db);
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
  return db;
}

/** A store over the mirror's database, with that database for what else runs on it (the webhook worker). */
export type MirrorStore = Store & { db: Database };

/** Opens the mirror as a Store for the sync engine; closing the store closes the database. */
export async function openMirrorStore(
  config: Pick<Config, "databaseUrl" | "dataDir" | "entityRowsInMemory">,
  manifest: Manifest,
): Promise<MirrorStore> {
  const db = await openMirrorDatabase(config);
  const store = await createStore({
    db,
    chainId: manifest.chainId,
    manifest,
    entityRowsInMemory: config.entityRowsInMemory,
  });
  return {
    ...store,
    db,
    close: async () => {
      await store.close();
      await db.close();
    },
  };
}
