// The real mirror as the child indexer's store (indexer/testing/runIndexer.ts with
// INDEXER_TEST_STORE_MODULE=indexer/integration/support/realStoreFactory.ts): PostgreSQL when
// DATABASE_URL is set in the child's environment (the same database its writer lock uses), else PGlite
// in the child's DATA_DIR, migrated at every start as `firm index` does, keeping the configured
// ENTITY_ROWS_IN_MEMORY rows per table. Closing the store closes the database. Runs under Node's type
// stripping: erasable TypeScript only.
import { createDatabase, migrateDatabase } from "../../store/db.ts";
import { createStore } from "../../store/store.ts";
import type { StoreFactory } from "../../testing/storeFactory.ts";

const realStoreFactory: StoreFactory = async ({ chainId, manifest, dataDir, entityRowsInMemory }) => {
  const databaseUrl = process.env.DATABASE_URL?.trim() || undefined;
  const db = await createDatabase({ databaseUrl, dataDir });
  await migrateDatabase(db);
  const store = await createStore({ db, chainId, manifest, entityRowsInMemory });
  return {
    ...store,
    async close() {
      await store.close();
      await db.close();
    },
  };
};

export default realStoreFactory;
