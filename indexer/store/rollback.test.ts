// rollbackTo(n) undoes exactly the effects of the blocks above n: a dump of every derived table after
// the rollback equals the dump taken when the mirror last stood at n, whether the undone blocks came in
// their own ranges or in the middle of one, and replaying them gives the same mirror again.
import { network } from "hardhat";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditMirror } from "../audit/audit.ts";
import { type FirmScenario, readBlockRange, runFirmScenario } from "../testing/firmScenario.ts";
import {
  dumpMirror,
  openTestDatabase,
  resetDatabase,
  TEST_BACKENDS,
  type TestDatabase,
} from "../testing/testDatabase.ts";
import { RollbackError } from "./errors.ts";
import { migrateDatabase } from "./migrate.ts";
import { createStore } from "./store.ts";
import type { Store } from "./types.ts";

const connection = await network.connect();
let scenario: FirmScenario;

beforeAll(async () => {
  scenario = await runFirmScenario(connection);
});
afterAll(async () => {
  await connection.close();
});

describe.each(TEST_BACKENDS)("rollbackTo on %s", (backend) => {
  let database: TestDatabase;
  let store: Store;
  const start = () => BigInt(scenario.manifest.startBlock);
  const apply = async (from: bigint, to: bigint) =>
    store.applyRange(await readBlockRange(scenario.publicClient, scenario.manifest, from, to));

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    await migrateDatabase(database.db);
  });
  beforeEach(async () => {
    await resetDatabase(database.db);
    store = await createStore({
      db: database.db,
      chainId: scenario.manifest.chainId,
      manifest: scenario.manifest,
    });
  });
  afterAll(async () => {
    await database?.dispose();
  });

  it("restores every derived table when the undone blocks came in ranges of their own", async () => {
    const { midBlock, lastBlock } = scenario;
    await apply(start(), midBlock - 20n);
    await apply(midBlock - 19n, midBlock);
    const atMid = await dumpMirror(database.db);
    await apply(midBlock + 1n, midBlock + 30n);
    await apply(midBlock + 31n, lastBlock);
    const atEnd = await dumpMirror(database.db);
    expect(atEnd).not.toEqual(atMid);

    await store.rollbackTo(midBlock);
    expect(await dumpMirror(database.db)).toEqual(atMid);
    const midHeader = await scenario.publicClient.getBlock({ blockNumber: midBlock });
    expect(await store.checkpoint()).toEqual({ blockNumber: midBlock, blockHash: midHeader.hash });
    expect((await store.recentBlocks())[0]?.number).toBe(midBlock);

    // Replaying the undone blocks rebuilds the same mirror, and it still matches the chain.
    await apply(midBlock + 1n, lastBlock);
    expect(await dumpMirror(database.db)).toEqual(atEnd);
    const audit = await auditMirror({
      db: database.db,
      publicClient: scenario.publicClient,
      manifest: scenario.manifest,
    });
    expect(audit.drifts).toEqual([]);
  });

  it("restores a block in the middle of a range", async () => {
    const { midBlock, lastBlock } = scenario;
    await apply(start(), midBlock);
    const atMid = await dumpMirror(database.db);
    await store.rollbackTo(start() - 1n);
    expect(await store.checkpoint()).toBeNull();

    await apply(start(), lastBlock);
    await store.rollbackTo(midBlock);
    expect(await dumpMirror(database.db)).toEqual(atMid);
  });

  it("refuses to go below the blocks declared final, and skips their undo records", async () => {
    const { midBlock, lastBlock } = scenario;
    await store.pruneBelow(midBlock);
    await apply(start(), lastBlock);
    await expect(store.rollbackTo(midBlock - 1n)).rejects.toBeInstanceOf(RollbackError);
    const atEnd = await dumpMirror(database.db);
    await store.rollbackTo(midBlock);
    await apply(midBlock + 1n, lastBlock);
    expect(await dumpMirror(database.db)).toEqual(atEnd);
    // Only the unfinalized blocks (and the checkpoint) stay remembered.
    const remembered = await store.recentBlocks();
    expect(remembered.every((b) => b.number >= midBlock)).toBe(true);
  });
});
