// Reorgs as a property, on the firm's real contracts with the real sync engine and the real mirror
// (PGlite): random blocks of random firm transactions and random reorgs (evm_snapshot, later
// evm_revert, then DIFFERENT transactions mined with evm_mine) from 1 block deep to beyond the
// finality depth. Within finality the mirror must end equal — table for table — to a fresh index of
// the final chain, with a clean audit; a reorg deeper than finality must stop the indexer with
// DeepReorgError and leave the mirror exactly as it was.
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { network } from "hardhat";
import type { Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DeepReorgError } from "../../kernel/errors.ts";
import { deployFirm, type Firm } from "../../scripts/devFirm/deployFirm.ts";
import { impersonateGovernance } from "../../test/support/firm.ts";
import { createDatabase, type Database, migrateDatabase } from "../store/db.ts";
import { queryRows } from "../store/sql.ts";
import { recordCalls } from "../testing/recordingStore.ts";
import { dumpMirror } from "../testing/testDatabase.ts";
import { type FirmDriver, type FirmTx, firmDriver, firmTxArbitrary } from "./support/firmTransactions.ts";
import { startIndexer } from "./support/indexer.ts";
import {
  checkpointBlock,
  expectMirrorOfChain,
  type Mirror,
  resetMirror,
  waitForChainHead,
} from "./support/mirror.ts";
import { type RpcBridge, serveProvider } from "./support/rpcBridge.ts";

/** Small, so that reorgs beyond it are cheap to make. */
const FINALITY = 5;
/** Random runs (plus the fixed examples); REORG_RUNS raises it for a longer hunt. */
const RUNS = Number(process.env.REORG_RUNS ?? 20);
// 120 s for the default runs (room for a slow machine), and as much per run for a longer hunt.
vi.setConfig({ testTimeout: 120_000 * Math.max(1, RUNS / 20) });

const connection = await network.connect();
let firm: Firm;
let bridge: RpcBridge;
let driver: FirmDriver;
let base: Hex;
/** Two PGlite databases, migrated once and emptied for each run: the mirror and the fresh index. */
let databases: { mirror: Database; fresh: Database };

const request = <T>(method: string, params: unknown[] = []) =>
  connection.provider.request({ method, params }) as Promise<T>;
const head = async () => BigInt(await request<Hex>("eth_blockNumber"));

beforeAll(async () => {
  firm = await deployFirm(connection);
  const timelock = await impersonateGovernance(firm);
  driver = firmDriver(firm, timelock);
  bridge = await serveProvider(connection.provider);
  // Some history before the runs: members, grants and a proposal to vote on.
  await driver.mineBlock([
    { kind: "admit", units: 7 },
    { kind: "propose", by: 1, units: 10 },
  ]);
  await driver.mineBlock([{ kind: "release", pick: 0 }]);
  await driver.mineEmpty();
  base = await request<Hex>("evm_snapshot");
  const open = async () => {
    const db = await createDatabase({ dataDir: "memory://" });
    await migrateDatabase(db);
    return db;
  };
  databases = { mirror: await open(), fresh: await open() };
});
afterAll(async () => {
  await databases?.mirror.close();
  await databases?.fresh.close();
  await bridge?.close();
  await connection.close();
});

type Step =
  | { kind: "block"; txs: FirmTx[] }
  | { kind: "empty" }
  /** `settle`: wait for the indexer to reach the head first (else, when surely within finality, strike
   * while it works). */
  | { kind: "reorg"; depth: number; settle: boolean; whileStopped: boolean; blocks: FirmTx[][] }
  /** Stops the indexer gracefully and starts a new one on the same mirror. */
  | { kind: "restart" };

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("block" as const),
      txs: fc.array(firmTxArbitrary, { minLength: 1, maxLength: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("empty" as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("restart" as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("reorg" as const),
      settle: fc.boolean(),
      // The reorg happens while the indexer is stopped: the next one finds it at start.
      whileStopped: fc.constantFrom(false, false, true),
      depth: fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: 1, max: FINALITY }) },
        { weight: 1, arbitrary: fc.integer({ min: FINALITY + 1, max: FINALITY + 3 }) },
      ),
      blocks: fc.array(fc.array(firmTxArbitrary, { minLength: 0, maxLength: 2 }), {
        minLength: 1,
        maxLength: 4,
      }),
    }),
  },
);

describe("reorgs of a firm's chain under the real sync engine and mirror", () => {
  it("ends equal to a fresh index of the final chain, or stops on a reorg deeper than finality (property)", async () => {
    const tally = { runs: 0, rollbacks: 0, deepStops: 0, shallowReorgs: 0, racingReorgs: 0, restarts: 0 };
    const manifest = () => firm.manifest;
    /** Every kind of firm event the runs that ended equal to a fresh index went through. */
    const eventsSeen = new Set<string>();

    const property = fc.asyncProperty(
      fc.array(stepArbitrary, { minLength: 2, maxLength: 8 }),
      async (steps) => {
        tally.runs++;
        trace(tally.runs, "steps", steps);
        await request("evm_revert", [base]);
        base = await request<Hex>("evm_snapshot");
        const mirror = await resetMirror(databases.mirror, manifest());
        const store = recordCalls(mirror.store);
        const start = () =>
          startIndexer({
            rpcUrl: bridge.url,
            store,
            manifest: manifest(),
            config: { finalityDepth: FINALITY, maxBlockRange: 4 },
          });
        let running = start();
        const failed = () => running.indexer.status().phase === "failed";
        // With the fault itself when the indexer stopped (its logger is quiet), so that a failing run
        // says which fault it met.
        const caughtUp = () =>
          waitForChainHead(firm.publicClient, () => store.checkpoint(), failed).catch(async (error) => {
            if (!failed()) throw error;
            const fault = await running.outcome;
            throw new Error(`The indexer stopped with a fatal error: ${String(fault)}`, { cause: fault });
          });
        // A snapshot before each block: a reorg of depth d reverts to the one d blocks down.
        const snapshots: Hex[] = [];
        // The longest the chain ever was: a fork at or above FINALITY below it is within finality
        // whatever the mirror did meanwhile (it never got higher than the chain).
        let longest = await head();
        const mine = async (txs: FirmTx[] | undefined) => {
          snapshots.push(await request<Hex>("evm_snapshot"));
          const number = txs && txs.length > 0 ? await driver.mineBlock(txs) : await driver.mineEmpty();
          if (number > longest) longest = number;
        };
        /** Grows the chain past every block it ever had: every reorg now shows at the tip. */
        const outgrow = async () => {
          const target = longest;
          while ((await head()) <= target) await mine(undefined);
        };
        let fresh: Mirror | undefined;
        try {
          // Enough blocks first that the first reorg can reach beyond the finality depth.
          await mine([{ kind: "admit", units: 1 }]);
          await mine([{ kind: "grant", to: 0, units: 2 }]);
          await mine([{ kind: "propose", by: 4, units: 3 }]);
          await mine(undefined);
          await mine([{ kind: "release", pick: 0 }]);
          await mine([{ kind: "vote", by: 3, support: 1, pick: 0 }]);
          for (const step of steps) {
            if (step.kind === "block") {
              await mine(step.txs);
              continue;
            }
            if (step.kind === "empty") {
              await mine(undefined);
              continue;
            }
            if (step.kind === "restart") {
              expect(await running.stop()).toBeUndefined();
              running = start();
              tally.restarts++;
              continue;
            }
            const depth = Math.min(step.depth, snapshots.length);
            // A reorg surely within finality may strike while the indexer is busy (mid-fetch, mid-range).
            const racing =
              !step.settle &&
              !step.whileStopped &&
              (await head()) - BigInt(depth) >= longest - BigInt(FINALITY);
            let deep = false;
            if (!racing) {
              // With the mirror at the head, the outcome is exact: the reorg is deeper than finality when
              // it reaches more than FINALITY below the checkpoint, or below the blocks the mirror
              // already declared final (FINALITY below the highest checkpoint it ever had).
              await caughtUp();
              const checkpoint = await head();
              const highestCheckpoint = BigInt(
                Math.max(0, ...store.applied.map((range) => Number(range.toBlock.number))),
              );
              const fork = checkpoint - BigInt(depth);
              deep = depth > FINALITY || fork < highestCheckpoint - BigInt(FINALITY);
            }
            const before = deep
              ? {
                  checkpoint: await store.checkpoint(),
                  dump: await dumpMirror(mirror.db),
                  rollbacks: store.rollbacks.length,
                }
              : undefined;
            const fork = (await head()) - BigInt(depth);
            const target = snapshots[snapshots.length - depth]!;
            // evm_revert also drops the snapshots taken after the one it reverts to.
            snapshots.length -= depth;
            trace(tally.runs, racing ? "racing reorg" : deep ? "deep reorg" : "reorg", {
              depth,
              fork,
              longest,
              whileStopped: step.whileStopped,
            });
            if (step.whileStopped) expect(await running.stop()).toBeUndefined();
            await request("evm_revert", [target]);
            expect(await head()).toBe(fork);
            // Different transactions: each replacement block starts with an admission never made before.
            for (const txs of step.blocks) await mine([{ kind: "admit", units: 4 }, ...txs]);
            if (step.whileStopped) {
              running = start();
              tally.restarts++;
            }
            if (!before) {
              tally.shallowReorgs++;
              if (racing) tally.racingReorgs++;
              continue;
            }
            await outgrow();
            const outcome = await within(running.outcome, 20_000, "still running after 20 s");
            expect(outcome).toBeInstanceOf(DeepReorgError);
            expect(store.rollbacks.length, "no rollback was attempted").toBe(before.rollbacks);
            expect(await store.checkpoint()).toEqual(before.checkpoint);
            expect(await dumpMirror(mirror.db)).toEqual(before.dump);
            tally.deepStops++;
            return;
          }
          await outgrow();
          await caughtUp();
          expect(await running.stop()).toBeUndefined();
          tally.rollbacks += store.rollbacks.length;
          await expectMirrorOfChain(mirror.db, firm.publicClient, manifest());
          const names = await queryRows<{ event_name: string }>(
            mirror.db,
            sql`SELECT DISTINCT event_name FROM raw_events`,
          );
          for (const { event_name } of names) eventsSeen.add(event_name);

          // The same final chain, indexed from scratch by another indexer into another mirror.
          fresh = await resetMirror(databases.fresh, manifest());
          const freshStore = fresh.store;
          const second = startIndexer({
            rpcUrl: bridge.url,
            store: freshStore,
            manifest: manifest(),
            config: { finalityDepth: FINALITY },
          });
          await waitForChainHead(
            firm.publicClient,
            () => freshStore.checkpoint(),
            () => second.indexer.status().phase === "failed",
          );
          expect(await second.stop()).toBeUndefined();
          expect(await checkpointBlock(fresh.db)).toBe(await checkpointBlock(mirror.db));
          expect(await dumpMirror(mirror.db)).toEqual(await dumpMirror(fresh.db));
        } finally {
          await running.stop();
          await mirror.close();
          await fresh?.close();
        }
      },
    );

    await fc.assert(property, {
      numRuns: RUNS,
      endOnFailure: true,
      // Always one reorg of exactly the finality depth (the deepest allowed), one across every kind
      // of firm transaction while the indexer is stopped, and one beyond the finality depth.
      examples: [
        [
          [
            { kind: "block", txs: [{ kind: "propose", by: 2, units: 3 }] },
            { kind: "empty" },
            { kind: "block", txs: [{ kind: "vote", by: 0, support: 1, pick: 0 }] },
            { kind: "block", txs: [{ kind: "leave", by: 1, cover: 2 }] },
            {
              kind: "reorg",
              depth: FINALITY,
              settle: true,
              whileStopped: false,
              blocks: [[{ kind: "vote", by: 2, support: 0, pick: 0 }], [{ kind: "release", pick: 1 }]],
            },
            { kind: "block", txs: [{ kind: "vote", by: 2, support: 1, pick: 0 }] },
          ],
        ],
        [
          [
            // Every kind of firm transaction, then a reorg while stopped that replaces the claims.
            { kind: "block", txs: [{ kind: "leave", by: 1, cover: 2 }] },
            // p3 accepts (a "leave" by a partner on leave accepts the cover asked, if not yet accepted).
            { kind: "block", txs: [{ kind: "leave", by: 1, cover: 2 }] },
            { kind: "block", txs: [{ kind: "propose", by: 0, units: 11 }] },
            { kind: "block", txs: [{ kind: "practice", lead: 0 }] },
            { kind: "empty" },
            // p3 covers p2, on leave at the proposal's snapshot: one call, two ballots.
            { kind: "block", txs: [{ kind: "vote", by: 2, support: 1, pick: 0 }] },
            { kind: "block", txs: [{ kind: "seat", who: 3, pick: 0, lead: true }] },
            { kind: "block", txs: [{ kind: "seat", who: 4, pick: 0, lead: false }] },
            { kind: "block", txs: [{ kind: "setting", which: "votingPeriod", days: 4 }] },
            { kind: "block", txs: [{ kind: "leave", by: 1, cover: 0 }] },
            { kind: "block", txs: [{ kind: "distribute", milliEther: 100 }] },
            {
              kind: "block",
              txs: [
                { kind: "claim", by: 0, pick: 0 },
                { kind: "claim", by: 4, pick: 0 },
              ],
            },
            {
              kind: "reorg",
              depth: 1,
              settle: true,
              whileStopped: true,
              blocks: [
                [{ kind: "setting", which: "claimWindow", days: 9 }],
                [{ kind: "claim", by: 0, pick: 0 }],
              ],
            },
            { kind: "block", txs: [{ kind: "vote", by: 4, support: 0, pick: 0 }] },
          ],
        ],
        [
          [
            { kind: "block", txs: [{ kind: "grant", to: 3, units: 9 }] },
            { kind: "empty" },
            { kind: "block", txs: [{ kind: "release", pick: 0 }] },
            {
              kind: "reorg",
              depth: FINALITY + 2,
              settle: true,
              whileStopped: false,
              blocks: [[{ kind: "propose", by: 0, units: 5 }]],
            },
          ],
        ],
      ],
    });
    trace(0, "tally", { ...tally, events: [...eventsSeen].sort() });
    expect(tally.runs).toBeGreaterThanOrEqual(RUNS);
    // The property is only as good as the reorgs it provoked.
    expect(tally.rollbacks).toBeGreaterThan(0);
    expect(tally.deepStops).toBeGreaterThan(0);
    for (const event of [
      "VoteCastByCover",
      "LeaveEnded",
      "PracticeLeadChanged",
      "PracticeMemberSet",
      "DistributionClaimed",
      "VotingPeriodSet",
      "ClaimWindowChanged",
      "GrantReleased",
    ])
      expect(eventsSeen, event).toContain(event);
  });
});

/** What `promise` settles to, or `otherwise` if it takes longer than `ms`. */
async function within<T, U>(promise: Promise<T>, ms: number, otherwise: U): Promise<T | U> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<U>((resolve) => {
    timer = setTimeout(() => resolve(otherwise), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** REORG_TRACE=1 prints each run's steps and reorgs (to replay a failure by hand). */
function trace(run: number, what: string, detail: unknown): void {
  if (process.env.REORG_TRACE)
    console.log(
      `[run ${run}] ${what}`,
      JSON.stringify(detail, (_k, v) => (typeof v === "bigint" ? Number(v) : v)),
    );
}
