// Which Store the sync engine's tests run against. The memory store by default; the real mirror when
// INDEXER_TEST_STORE_MODULE names a module whose default export is a StoreFactory (the lead wires
// one for indexer/store, e.g. `INDEXER_TEST_STORE_MODULE=indexer/store/testStoreFactory.ts`). The
// tests observe the store only through the Store interface and a recording wrapper, so they hold
// for any implementation.
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Manifest } from "../../contracts/manifest.ts";
import type { Store } from "../store/types.ts";
import { createMemoryStore } from "./memoryStore.ts";

export interface StoreFactoryParameters {
  chainId: number;
  /** The deployment whose logs the store will decode (the tests' emitters stand in for the firm). */
  manifest: Manifest;
  /** A fresh, empty folder the store may use (for PGlite files, say). */
  dataDir: string;
  /** Entity rows a real store keeps in memory per table (the indexer's ENTITY_ROWS_IN_MEMORY). */
  entityRowsInMemory?: number | undefined;
}

/** Opens an EMPTY store; each call gets its own, independent of the others. */
export type StoreFactory = (parameters: StoreFactoryParameters) => Promise<Store>;

export const memoryStoreFactory: StoreFactory = async ({ chainId }) => createMemoryStore({ chainId });

/**
 * The factory chosen by the environment (see the file's header).
 *
 * @example
 * const createStore = await testStoreFactory();
 * const store = await createStore({ chainId: 31337, manifest, dataDir });
 */
export async function testStoreFactory(env: NodeJS.ProcessEnv = process.env): Promise<StoreFactory> {
  const modulePath = env.INDEXER_TEST_STORE_MODULE?.trim();
  if (!modulePath) return memoryStoreFactory;
  const imported = (await import(pathToFileURL(resolve(modulePath)).href)) as { default?: StoreFactory };
  if (typeof imported.default !== "function")
    throw new Error(`INDEXER_TEST_STORE_MODULE=${modulePath} must default-export a StoreFactory`);
  return imported.default;
}
