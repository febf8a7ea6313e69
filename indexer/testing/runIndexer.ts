// The indexer as a child process, for crash (SIGKILL), restart and standby tests. Configured by the
// same environment variables as `firm index` (indexer/config.ts), plus two for tests:
//   MEMORY_STORE_PATH          the file of a file-backed memory store (default: DATA_DIR/memory-store.json)
//   INDEXER_ABI_PROBES=off     skip the firm's ABI checks (the tests' emitter contracts are no firm)
// With INDEXER_TEST_STORE_MODULE set, the store comes from that factory instead (storeFactory.ts).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { runIndexerProcess } from "../indexer.ts";
import { createMemoryStore } from "./memoryStore.ts";
import { testStoreFactory } from "./storeFactory.ts";

process.exitCode = await runIndexerProcess({
  probes: process.env.INDEXER_ABI_PROBES === "off" ? [] : undefined,
  async createStore(config, manifest) {
    mkdirSync(config.dataDir, { recursive: true });
    if (process.env.INDEXER_TEST_STORE_MODULE) {
      const factory = await testStoreFactory();
      return factory({
        chainId: manifest.chainId,
        manifest,
        dataDir: config.dataDir,
        entityRowsInMemory: config.entityRowsInMemory,
      });
    }
    const path = process.env.MEMORY_STORE_PATH ?? join(config.dataDir, "memory-store.json");
    return createMemoryStore({ chainId: manifest.chainId, path });
  },
});
