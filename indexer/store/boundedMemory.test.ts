// The entity rows kept in memory are bounded (ENTITY_ROWS_IN_MEMORY): beyond the budget the oldest
// are dropped, and a range that reads a dropped row loads it and runs again. These tests hold the
// bounded mirror to the unbounded one: the same rows, undo journal, notifications and rollbacks on
// a firm's whole life, and the same answers to every read under random histories.
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { network } from "hardhat";
import { type Address, getAddress, keccak256, toHex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { action } from "../../scripts/devFirm/action.ts";
import { Governance } from "../../scripts/devFirm/governance.ts";
import { comparableDump } from "../integration/support/mirror.ts";
import { type FirmScenario, readBlockRange, runFirmScenario, splitBlocks } from "../testing/firmScenario.ts";
import {
  openTestDatabase,
  resetDatabase,
  TEST_BACKENDS,
  type TestDatabase,
} from "../testing/testDatabase.ts";
import type { Database } from "./db.ts";
import { type ChangeAt, EntityTable, RowMisses, RowNotInMemory, UndoJournal } from "./entities.ts";
import { migrateDatabase } from "./migrate.ts";
import { ENTITY_TABLES, type LeaveRow } from "./mirror.ts";
import { queryRows } from "./sql.ts";
import { createStore } from "./store.ts";
import type { BlockRange } from "./types.ts";

const at = (blockNumber: number): ChangeAt => ({
  blockNumber,
  logIndex: 0,
  blockTimestamp: 1_700_000_000 + blockNumber,
  txHash: "0x00",
});

/** A leave row with only what these tests look at set: its id and a counter in `untilAt`. */
function leave(leaveId: number, untilAt: number): LeaveRow {
  return { leaveId, untilAt } as unknown as LeaveRow;
}

function boundedLeaves(rowsPerTable: number, misses = new RowMisses()): EntityTable<LeaveRow> {
  const journal = new UndoJournal();
  return new EntityTable<LeaveRow>(ENTITY_TABLES.leaves, () => journal, { rowsPerTable, misses });
}

describe("a bounded entity table", () => {
  it("drops the least recently written rows beyond its budget, and then calls a lacking key a miss, not an absence", () => {
    const table = boundedLeaves(2);
    for (const id of [1, 2, 3]) table.insert(leave(id, id), at(id));
    // Within the range every row is held, whatever the budget.
    expect(table.get("1")?.untilAt).toBe(1);
    table.endRange();
    expect(table.get("2")?.untilAt).toBe(2);
    expect(table.get("3")?.untilAt).toBe(3);
    expect(() => table.get("1")).toThrow(RowNotInMemory);
    // A key never seen is no longer known to be absent either.
    expect(() => table.get("9")).toThrow(RowNotInMemory);
  });

  it("keeps a row written again as the most recent, and drops the other", () => {
    const table = boundedLeaves(2);
    table.insert(leave(1, 1), at(1));
    table.insert(leave(2, 2), at(1));
    table.endRange();
    table.update("1", { untilAt: 10 }, at(2));
    table.insert(leave(3, 3), at(2));
    table.endRange();
    expect(table.get("1")?.untilAt).toBe(10);
    expect(() => table.get("2")).toThrow(RowNotInMemory);
  });

  it("answers from loaded rows, and remembers a key the database lacks as absent", () => {
    const table = boundedLeaves(0);
    table.remember(["4", "5"], [leave(4, 40)]);
    expect(table.get("4")?.untilAt).toBe(40);
    expect(table.get("5")).toBeUndefined();
    // An insert of a key known to be absent is a new row: a plain insert.
    table.insert(leave(5, 50), at(3));
    expect(table.pending().inserts.map((row) => row.untilAt)).toEqual([50]);
    expect(table.pending().upserts).toEqual([]);
  });

  it("in discovery notes every missed key and answers 'no such row' instead of stopping", () => {
    const misses = new RowMisses();
    const table = boundedLeaves(0, misses);
    table.load([leave(1, 1)]);
    expect(() => table.get("7")).toThrow(RowNotInMemory);
    misses.discovering = true;
    expect(table.get("8")).toBeUndefined();
    expect([...(misses.byTable.get(table as unknown as EntityTable<object>) ?? [])]).toEqual(["7", "8"]);
  });

  it("forgets a discarded pass's writes and keeps the committed rows as they were", () => {
    const table = boundedLeaves(5);
    table.insert(leave(1, 1), at(1));
    table.endRange();
    table.update("1", { untilAt: 99 }, at(2));
    table.insert(leave(2, 2), at(2));
    table.discardRange();
    expect(table.get("1")?.untilAt).toBe(1);
    expect(table.get("2")).toBeUndefined();
    expect(table.pending()).toEqual({ inserts: [], upserts: [], history: [] });
  });

  it("is loaded with at most its budget, and is then known to be incomplete", () => {
    const table = boundedLeaves(2);
    expect(table.loadLimit()).toBe(3);
    table.load([leave(1, 1), leave(2, 2), leave(3, 3)]);
    expect(() => table.get("3")).toThrow(RowNotInMemory);
    const whole = boundedLeaves(3);
    whole.load([leave(1, 1), leave(2, 2), leave(3, 3)]);
    expect(whole.get("9")).toBeUndefined();
  });

  it("refuses to visit every row of a table not declared iterated, and an iterated one keeps them all", () => {
    const table = boundedLeaves(1);
    expect(() => [...table.values()]).toThrow(/not kept whole in memory/);
    const journal = new UndoJournal();
    const iterated = new EntityTable<LeaveRow>({ ...ENTITY_TABLES.leaves, iterated: true }, () => journal, {
      rowsPerTable: 1,
      misses: new RowMisses(),
    });
    for (const id of [1, 2, 3]) iterated.insert(leave(id, id), at(id));
    iterated.endRange();
    iterated.update("2", { untilAt: 20 }, at(4));
    expect([...iterated.values()].map((row) => row.untilAt)).toEqual([1, 20, 3]);
  });

  // The store's protocol in miniature: a range of reads and writes runs against the bounded table;
  // a miss loads the row from the "database" and the range runs again; the commit writes the dirty
  // rows to the database. Whatever the budget and the history, every read answers what an unbounded
  // table would, the writes land the same, and memory ends each range within the budget.
  it("answers every read as the unbounded table does, under random histories (property)", () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("get" as const), id: fc.integer({ min: 0, max: 7 }) }),
      fc.record({
        kind: fc.constant("upsert" as const),
        id: fc.integer({ min: 0, max: 7 }),
        untilAt: fc.integer({ min: 0, max: 1_000 }),
      }),
      fc.record({ kind: fc.constant("bump" as const), id: fc.integer({ min: 0, max: 7 }) }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4 }),
        fc.array(fc.array(op, { maxLength: 12 }), { maxLength: 12 }),
        (budget, ranges) => {
          const database = new Map<string, LeaveRow>();
          const misses = new RowMisses();
          const bounded = boundedLeaves(budget, misses);
          const unbounded = boundedLeaves(Number.POSITIVE_INFINITY);
          ranges.forEach((ops, index) => {
            const block = index + 1;
            const run = (table: EntityTable<LeaveRow>) =>
              ops.map((o) => {
                const key = String(o.id);
                if (o.kind === "get") return table.get(key)?.untilAt ?? null;
                if (o.kind === "upsert")
                  return table.upsert(key, leave(o.id, o.untilAt), { untilAt: o.untilAt }, at(block)).untilAt;
                const row = table.get(key);
                return row ? table.update(key, { untilAt: row.untilAt + 1 }, at(block)).untilAt : null;
              });
            const expected = run(unbounded);
            let answers: (number | null)[] | undefined;
            let passes = 0;
            while (!answers) {
              passes++;
              try {
                answers = run(bounded);
              } catch (error) {
                if (!(error instanceof RowNotInMemory)) throw error;
                for (const [table, keys] of misses.byTable)
                  table.remember(
                    keys,
                    [...keys].flatMap((key) => database.get(key) ?? []),
                  );
                misses.clear();
                bounded.discardRange();
              }
            }
            expect(answers).toEqual(expected);
            // Each pass but the last loaded at least one row the next could not miss.
            expect(passes).toBeLessThanOrEqual(new Set(ops.map((o) => o.id)).size + 1);
            const sorted = (rows: LeaveRow[]) => [...rows].sort((a, b) => a.leaveId - b.leaveId);
            const boundedPending = bounded.pending();
            const unboundedPending = unbounded.pending();
            expect(sorted(boundedPending.inserts)).toEqual(sorted(unboundedPending.inserts));
            expect(sorted(boundedPending.upserts)).toEqual(sorted(unboundedPending.upserts));
            for (const row of [...boundedPending.inserts, ...boundedPending.upserts])
              database.set(String(row.leaveId), row);
            bounded.endRange();
            unbounded.endRange();
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

const connection = await network.connect();
let scenario: FirmScenario;
let ranges: BlockRange[];

beforeAll(async () => {
  scenario = await runFirmScenario(connection);
  const { manifest, publicClient } = scenario;
  ranges = [];
  for (const [from, to] of splitBlocks(BigInt(manifest.startBlock), scenario.lastBlock, 8))
    ranges.push(await readBlockRange(publicClient, manifest, from, to));
}, 120_000);
afterAll(async () => {
  await connection.close();
});

/** Everything a range writes that a rollback or a subscriber reads besides the derived tables. */
async function bookkeeping(db: Database) {
  return {
    undo: await queryRows(
      db,
      sql`SELECT block_number, seq, table_name, row_key, previous FROM undo_log ORDER BY block_number, seq`,
    ),
    notifications: await queryRows(
      db,
      sql`SELECT event_id, kind, payload, retracted_at IS NULL AS live FROM notifications ORDER BY event_id`,
    ),
    schedule: await queryRows(
      db,
      sql`SELECT * FROM notification_schedule ORDER BY block_number, log_index, kind`,
    ),
  };
}

describe.each(TEST_BACKENDS)("a firm's life mirrored with a row budget on %s", (backend) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    await migrateDatabase(database.db);
  });
  afterAll(async () => {
    await database?.dispose();
  });

  /**
   * Applies the scenario's ranges with `entityRowsInMemory`, reopening the store (a restart, which
   * reloads at most the budget) before range `reopenAt`, then rolls back to the middle of the
   * chain and applies the rest again; the database after each step.
   */
  async function mirrorWith(entityRowsInMemory: number, reopenAt: number) {
    const { manifest } = scenario;
    await resetDatabase(database.db);
    const open = () =>
      createStore({ db: database.db, chainId: manifest.chainId, manifest, entityRowsInMemory });
    let store = await open();
    const reads = { rowsRead: 0, passes: 0 };
    for (const [index, range] of ranges.entries()) {
      if (index === reopenAt) {
        await store.close();
        store = await open();
      }
      const applied = await store.applyRange(range);
      reads.rowsRead += applied.rowsRead ?? 0;
      reads.passes += applied.passes ?? 1;
    }
    const whole = { rows: await comparableDump(database.db), ...(await bookkeeping(database.db)) };
    const middle = ranges[3] as BlockRange;
    await store.rollbackTo(middle.toBlock.number);
    const rolledBack = { rows: await comparableDump(database.db), ...(await bookkeeping(database.db)) };
    for (const range of ranges.slice(4)) await store.applyRange(range);
    const again = { rows: await comparableDump(database.db), ...(await bookkeeping(database.db)) };
    await store.close();
    return { whole, rolledBack, again, reads };
  }

  it("writes, journals, announces and rolls back exactly as with every row in memory, at any budget", async () => {
    const reference = await mirrorWith(Number.POSITIVE_INFINITY, 5);
    expect(reference.whole.rows.members?.length).toBeGreaterThan(5);
    expect(reference.whole.undo.length).toBeGreaterThan(0);
    expect(reference.again.rows).toEqual(reference.whole.rows);
    expect(reference.whole.schedule.length).toBeGreaterThan(0);
    expect(reference.reads).toEqual({ rowsRead: 0, passes: ranges.length });
    for (const budget of [0, 1, 3]) {
      const bounded = await mirrorWith(budget, 5);
      // The budget did bind: rows were read back, and some ranges ran more than once.
      expect(bounded.reads.rowsRead).toBeGreaterThan(0);
      if (budget === 0) expect(bounded.reads.passes).toBeGreaterThan(ranges.length);
      expect(bounded.whole).toEqual(reference.whole);
      expect(bounded.rolledBack).toEqual(reference.rolledBack);
      expect(bounded.again).toEqual(reference.again);
    }
  }, 180_000);
});

// A partner's proposal names accounts in its calls (remove, retire, revokeGrant): the mirror reads
// each named member to classify the proposal. A handler that stops at its first missed row used to
// be left out of the pass that looks for the other misses, so each further pass found one more
// account: a proposal naming 60 accounts the mirror did not hold ran the range past the store's
// cap of passes, and the indexer halted. One pass now finds them all.
describe("a proposal that names many accounts the mirror does not hold in memory", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase("pglite");
    await migrateDatabase(database.db);
  });
  afterAll(async () => {
    await database?.dispose();
  });

  it("is mirrored in two passes of its range, not one pass per account", async () => {
    const { manifest, publicClient, founders } = scenario;
    const store = await createStore({
      db: database.db,
      chainId: manifest.chainId,
      manifest,
      entityRowsInMemory: 0,
    });
    for (const range of ranges) await store.applyRange(range);

    const governor = await connection.viem.getContractAt("FirmGovernor", manifest.contracts.governor);
    const partnership = await connection.viem.getContractAt("Partnership", manifest.contracts.partnership);
    const governance = new Governance(connection, governor, await connection.viem.getPublicClient());
    const named: Address[] = Array.from({ length: 60 }, (_, i) =>
      getAddress(keccak256(toHex(`named ${i}`)).slice(0, 42)),
    );
    const proposal = await governance.propose(
      named.map((account) => action(partnership, "remove", [account])),
      "Remove sixty accounts",
      founders[2] as Address,
    );

    const range = await readBlockRange(
      publicClient,
      manifest,
      scenario.lastBlock + 1n,
      await publicClient.getBlockNumber(),
    );
    const applied = await store.applyRange(range);
    expect(applied.passes).toBe(2);
    expect(applied.rowsRead).toBeGreaterThanOrEqual(named.length);
    const [mirrored] = await queryRows<{ actions: number; supermajority: boolean }>(
      database.db,
      sql`SELECT (SELECT count(*)::int FROM proposal_actions a WHERE a.proposal_id = p.proposal_id) AS actions,
                 p.supermajority
          FROM proposals p WHERE p.proposal_id = ${proposal.id}`,
    );
    // None of the sixty is an active partner, so the proposal is not an expulsion by supermajority.
    expect(mirrored).toEqual({ actions: 60, supermajority: false });
    await store.close();
  }, 120_000);
});
