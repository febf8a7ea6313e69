// A hot standby on PostgreSQL: two indexer processes on the same database, one the writer (it holds
// the advisory lock), one waiting. The writer is killed with SIGKILL in the middle of its backfill;
// the standby takes over within seconds, resumes from the writer's last committed range, follows the
// blocks mined afterwards, and the mirror stays exact.
import { network } from "hardhat";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Firm } from "../../scripts/devFirm/deployFirm.ts";
import { killChildIndexers, type LogLine, startChildIndexer } from "../testing/childIndexer.ts";
import { type FaultProxy, startFaultProxy } from "../testing/faultProxy.ts";
import { temporaryDir, writeManifestFile } from "../testing/fixtures.ts";
import {
  createScratchDatabase,
  postgresAvailable,
  type ScratchDatabase,
  TEST_DATABASE_URL,
} from "../testing/postgres.ts";
import { admitBatch, deployDistinctFirm, mineBlocks, releaseGrants } from "./support/firmActivity.ts";
import { startIndexer } from "./support/indexer.ts";
import {
  checkpointBlock,
  comparableDump,
  expectMirrorOfChain,
  type Mirror,
  openMirror,
  waitFor,
  waitForChainHead,
} from "./support/mirror.ts";
import { type RpcBridge, serveProvider } from "./support/rpcBridge.ts";

const hasPostgres = await postgresAvailable();
const STORE_MODULE = "indexer/integration/support/realStoreFactory.ts";

const connection = await network.connect();
let firm: Firm;
let bridge: RpcBridge;
let proxy: FaultProxy;
let scratch: ScratchDatabase | undefined;

beforeAll(async () => {
  if (!hasPostgres) return;
  // Addresses of its own, so the writer lock (keyed by them) is this file's alone on the server.
  firm = await deployDistinctFirm(connection, 200);
  const grantIds: bigint[] = [];
  for (let batch = 0; batch < 2; batch++) grantIds.push(...(await admitBatch(firm, batch, 60)).grantIds);
  await releaseGrants(firm, grantIds.slice(0, 60));
  // A long history of empty blocks (evm_mine: true parent hashes), so the backfill takes a while.
  await mineBlocks(connection, 400);
  bridge = await serveProvider(connection.provider);
  // Every request waits up to 20 ms, so the writer is still backfilling when it is killed.
  proxy = await startFaultProxy({ target: bridge.url, faultRate: 1, faults: ["delay"], delayMs: 20 });
  scratch = await createScratchDatabase();
}, 120_000);
afterAll(async () => {
  killChildIndexers();
  await proxy?.close();
  await bridge?.close();
  await scratch?.drop();
  await connection.close();
});

const isRange = (line: LogLine) => line.msg === "Indexed block range";

describe.skipIf(!hasPostgres)(
  `a hot standby on PostgreSQL (${TEST_DATABASE_URL.replace(/\/\/[^@]*@/, "//")})`,
  () => {
    it("takes over within seconds of the writer's SIGKILL, resumes its work, and keeps the mirror exact", async () => {
      const env = {
        RPC_URL: proxy.url,
        DEPLOYMENT: writeManifestFile(firm.manifest),
        DATA_DIR: temporaryDir("standby"),
        DATABASE_URL: scratch!.url,
        INDEXER_TEST_STORE_MODULE: STORE_MODULE,
        FINALITY_DEPTH: "5",
        MAX_BLOCK_RANGE: "2",
        POLL_INTERVAL_MS: "50",
      };
      // Both start at once; whichever gets the lock first writes.
      const first = startChildIndexer(env);
      const second = startChildIndexer(env);
      const leads = (child: typeof first) =>
        child.waitFor((line) => line.msg === "Acquired the writer lock", 60_000).then(() => child);
      const writer = await Promise.race([leads(first), leads(second)]);
      const standby = writer === first ? second : first;
      await standby.waitFor((line) => line.msg.startsWith("Waiting as a hot standby"), 60_000);
      // The writer is mid-backfill: a dozen ranges in.
      await writer.waitFor(() => writer.lines.filter(isRange).length >= 12, 60_000);
      expect(writer.lines.some((line) => line.msg === "Backfill finished")).toBe(false);
      expect(standby.lines.some(isRange)).toBe(false);

      writer.kill("SIGKILL");
      const killed = Date.now();
      expect((await writer.exited).signal).toBe("SIGKILL");
      await standby.waitFor((line) => line.msg === "Acquired the writer lock", 10_000);
      expect(Date.now() - killed).toBeLessThan(5_000);
      // It resumes where the writer's last committed range ended, not from the start.
      const lastLogged = Math.max(...writer.lines.filter(isRange).map((line) => Number(line.toBlock)));
      const resumed = await standby.waitFor((line) => line.msg === "Backfill started", 10_000);
      expect(Number(resumed.fromBlock)).toBeGreaterThan(lastLogged);
      expect(standby.lines.filter((line) => line.msg === "Acquired the writer lock")).toHaveLength(1);

      // More blocks, after the takeover: another batch of admissions and releases, followed live.
      const { grantIds } = await admitBatch(firm, 9, 10);
      await releaseGrants(firm, grantIds, 2);
      await mineBlocks(connection, 2);
      let mirror: Mirror | undefined;
      let reference: Mirror | undefined;
      try {
        mirror = await openMirror(firm.manifest, { databaseUrl: scratch!.url });
        const head = Number(await firm.publicClient.getBlockNumber());
        await waitFor(
          async () => (await checkpointBlock(mirror!.db)) === head,
          "the standby reached the head",
          60_000,
        );
        standby.kill("SIGTERM");
        expect(await standby.exited).toEqual({ code: 0, signal: null });

        await expectMirrorOfChain(mirror.db, firm.publicClient, firm.manifest);
        // Row for row what one uninterrupted indexer makes of the same chain.
        reference = await openMirror(firm.manifest);
        const running = startIndexer({ rpcUrl: bridge.url, store: reference.store, manifest: firm.manifest });
        const referenceStore = reference.store;
        await waitForChainHead(
          firm.publicClient,
          () => referenceStore.checkpoint(),
          () => running.indexer.status().phase === "failed",
          60_000,
        );
        expect(await running.stop()).toBeUndefined();
        expect(await comparableDump(mirror.db)).toEqual(await comparableDump(reference.db));
      } finally {
        await mirror?.close();
        await reference?.close();
      }
    }, 150_000);
  },
);
