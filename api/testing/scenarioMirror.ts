// The API tests' fixture: the firm's life on the in-process Hardhat chain (indexer/testing/firmScenario.ts:
// admissions with grants, a practice, a leave with a cover vote, releases, a revocation, a retirement,
// a distribution, open proposals), fed to the store in a few ranges, as the indexer would. Not a test
// file.
import type { PublicClient } from "viem";
import type { Database } from "../../indexer/store/db.ts";
import { migrateDatabase } from "../../indexer/store/migrate.ts";
import { createStore } from "../../indexer/store/store.ts";
import type { CommitNotice, Store } from "../../indexer/store/types.ts";
import { type FirmScenario, readBlockRange, splitBlocks } from "../../indexer/testing/firmScenario.ts";

export interface ScenarioMirror {
  store: Store;
  /** Applies every block from the checkpoint to the chain's head; the commit notice, if any block. */
  catchUp(): Promise<CommitNotice | undefined>;
}

/** Migrates `db` and mirrors the scenario's chain into it, in three ranges. */
export async function mirrorScenario(scenario: FirmScenario, db: Database): Promise<ScenarioMirror> {
  await migrateDatabase(db);
  const { manifest } = scenario;
  const publicClient = scenario.publicClient as PublicClient;
  const store = await createStore({ db, chainId: manifest.chainId, manifest });
  for (const [from, to] of splitBlocks(BigInt(manifest.startBlock), scenario.lastBlock, 3)) {
    await store.applyRange(await readBlockRange(publicClient, manifest, from, to));
  }
  return {
    store,
    async catchUp() {
      const checkpoint = await store.checkpoint();
      const head = await publicClient.getBlockNumber();
      const from = (checkpoint?.blockNumber ?? BigInt(manifest.startBlock) - 1n) + 1n;
      if (from > head) return undefined;
      const { notice } = await store.applyRange(await readBlockRange(publicClient, manifest, from, head));
      return notice;
    },
  };
}
