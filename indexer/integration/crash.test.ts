// Crashes: the indexer runs as a child process (indexer/testing/runIndexer.ts) on the real mirror in a
// PGlite folder, and is killed with SIGKILL at random points of the backfill of a firm chain with
// thousands of events (batch proposals of admissions with grants, then releases), again and again.
// Every restart must resume from the committed checkpoint; at the end the audit is clean and nothing
// is missing or doubled: raw_events equals the chain's logs, the equity history has one row per
// balance or votes change on chain, and every table equals a fresh, uninterrupted index of the chain.

import { rmSync } from "node:fs";
import { network } from "hardhat";
import { parseEventLogs } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { partnershipAbi } from "../../contracts/abi.ts";
import { deployFirm, type Firm } from "../../scripts/devFirm/deployFirm.ts";
import { killChildIndexers, type LogLine, startChildIndexer } from "../testing/childIndexer.ts";
import { type FaultProxy, startFaultProxy } from "../testing/faultProxy.ts";
import { temporaryDir, writeManifestFile } from "../testing/fixtures.ts";
import { dumpMirror } from "../testing/testDatabase.ts";
import { admitBatch, mineBlocks, releaseGrants } from "./support/firmActivity.ts";
import { startIndexer } from "./support/indexer.ts";
import { countRows, expectMirrorOfChain, openMirror, waitForChainHead } from "./support/mirror.ts";
import { type RpcBridge, serveProvider } from "./support/rpcBridge.ts";

const STORE_MODULE = "indexer/integration/support/realStoreFactory.ts";
/** SIGKILLs during the backfill: at least 10, so that they land at many different points. */
const KILLS = 12;

const connection = await network.connect();
let firm: Firm;
let bridge: RpcBridge;
let proxy: FaultProxy;

beforeAll(async () => {
  firm = await deployFirm(connection);
  // Some 4,000 events: 6 proposals admitting 100 members each (with a grant apiece), then 150
  // releases in blocks of their own.
  const grantIds: bigint[] = [];
  for (let batch = 0; batch < 6; batch++) grantIds.push(...(await admitBatch(firm, batch, 100)).grantIds);
  await releaseGrants(firm, grantIds.slice(0, 150));
  await mineBlocks(connection, 10);
  bridge = await serveProvider(connection.provider);
  // Every request waits up to 15 ms, so the backfill lasts long enough to be killed many times.
  proxy = await startFaultProxy({ target: bridge.url, faultRate: 1, faults: ["delay"], delayMs: 15 });
}, 120_000);
afterAll(async () => {
  killChildIndexers();
  await proxy?.close();
  await bridge?.close();
  await connection.close();
});

const isRange = (line: LogLine) => line.msg === "Indexed block range";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the indexer process killed with SIGKILL during the backfill", () => {
  it("resumes from its checkpoint every time and ends with a complete, exact mirror", async () => {
    const dataDir = temporaryDir("crash-mirror");
    const env = {
      RPC_URL: proxy.url,
      DEPLOYMENT: writeManifestFile(firm.manifest),
      DATA_DIR: dataDir,
      // PGlite in DATA_DIR, even where the environment names a PostgreSQL server.
      DATABASE_URL: "",
      INDEXER_TEST_STORE_MODULE: STORE_MODULE,
      FINALITY_DEPTH: "5",
      MAX_BLOCK_RANGE: "2",
      RPC_CONCURRENCY: "2",
      POLL_INTERVAL_MS: "50",
      // One row per table in memory: every life after the first reads rows back from the database,
      // and most ranges do too.
      ENTITY_ROWS_IN_MEMORY: "1",
    };
    const head = await firm.publicClient.getBlockNumber();
    const lives: { resumedAt: number; lastLogged: number; ranges: number; finished: boolean }[] = [];
    let lastLogged = firm.manifest.startBlock - 1;

    for (let kill = 0; kill < KILLS; kill++) {
      const child = startChildIndexer(env);
      const started = await child.waitFor((line) => line.msg === "Backfill started", 60_000);
      const resumedAt = Number(started.fromBlock);
      // It starts right after a committed range: at or after the last one it logged before the kill
      // (a range may commit and die before its log line is written), never before it.
      expect(resumedAt, `restart ${kill}`).toBeGreaterThan(lastLogged);
      // Kill at a random moment: after 0 to 4 more committed ranges, plus up to 30 ms.
      const ranges = Math.floor(Math.random() * 5);
      const seen = child.lines.filter(isRange).length;
      if (ranges > 0) await child.waitFor(() => child.lines.filter(isRange).length >= seen + ranges, 60_000);
      await sleep(Math.random() * 30);
      child.kill("SIGKILL");
      expect((await child.exited).signal).toBe("SIGKILL");
      const logged = child.lines.filter(isRange).map((line) => Number(line.toBlock));
      if (logged.length > 0) lastLogged = Math.max(lastLogged, ...logged);
      lives.push({
        resumedAt,
        lastLogged,
        ranges: logged.length,
        finished: child.lines.some((line) => line.msg === "Backfill finished"),
      });
    }
    // Every kill struck during the backfill, and the backfill made progress across the lives.
    expect(lives.filter((life) => !life.finished)).toHaveLength(KILLS);
    expect(lives.map((life) => life.resumedAt)).toEqual(
      [...lives.map((life) => life.resumedAt)].sort((a, b) => a - b),
    );
    expect(lives.at(-1)!.resumedAt).toBeGreaterThan(lives[0]!.resumedAt);
    expect(lastLogged).toBeLessThan(Number(head) - 5);

    // The last life runs to the head, then stops gracefully.
    const last = startChildIndexer(env);
    await last.waitFor((line) => isRange(line) && Number(line.toBlock) === Number(head), 90_000);
    last.kill("SIGTERM");
    expect(await last.exited).toEqual({ code: 0, signal: null });
    // The row budget bound: ranges read rows back that memory had dropped.
    expect(last.lines.filter(isRange).some((line) => Number(line.rowsRead) > 0)).toBe(true);

    const mirror = await openMirror(firm.manifest, { dataDir });
    try {
      await expectMirrorOfChain(mirror.db, firm.publicClient, firm.manifest);
      // One equity_history row per mint (Transfer to a holder) and per votes change on chain.
      const logs = await firm.publicClient.getLogs({
        address: firm.manifest.contracts.partnership,
        fromBlock: BigInt(firm.manifest.startBlock),
        toBlock: head,
      });
      const events = parseEventLogs({ abi: partnershipAbi, logs });
      const equityChanges = events.filter(
        (e) => e.eventName === "Transfer" || e.eventName === "DelegateVotesChanged",
      ).length;
      expect(await countRows(mirror.db, "equity_history")).toBe(equityChanges);
      // 605 grants (5 founders', 600 admissions') each raised votes once; 150 releases minted.
      expect(equityChanges).toBe(605 + 150);
      expect(await countRows(mirror.db, "members")).toBe(605);
      expect(await countRows(mirror.db, "raw_events")).toBeGreaterThan(3_500);

      // The same chain indexed in one go, without a crash: every table equal, row for row.
      const reference = await openMirror(firm.manifest);
      try {
        const running = startIndexer({ rpcUrl: bridge.url, store: reference.store, manifest: firm.manifest });
        await waitForChainHead(
          firm.publicClient,
          () => reference.store.checkpoint(),
          () => running.indexer.status().phase === "failed",
          60_000,
        );
        expect(await running.stop()).toBeUndefined();
        expect(await dumpMirror(mirror.db)).toEqual(await dumpMirror(reference.db));
      } finally {
        await reference.close();
      }
    } finally {
      await mirror.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 170_000);
});
