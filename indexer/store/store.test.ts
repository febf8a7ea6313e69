// The Store contract on synthetic chains: range checks, fatal decode and handler errors that leave
// nothing behind, cover ballots, reorgs onto another fork, the commit notice, identity checks.
import { type Address, keccak256, toHex } from "viem";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  busyFirmRanges,
  encodeFirmEvent,
  governorRuleEvents,
  SyntheticChain,
  syntheticManifest,
} from "../testing/syntheticChain.ts";
import {
  dumpMirror,
  openTestDatabase,
  resetDatabase,
  TEST_BACKENDS,
  type TestDatabase,
} from "../testing/testDatabase.ts";
import {
  BlockRangeError,
  HandlerError,
  LogDecodeError,
  MirrorIdentityError,
  StoreClosedError,
} from "./errors.ts";
import { migrateDatabase } from "./migrate.ts";
import * as schema from "./schema.ts";
import { createStore } from "./store.ts";
import type { Store } from "./types.ts";

const manifest = syntheticManifest(100);
const account = (n: number) => `0x${(0xb000 + n).toString(16).padStart(40, "0")}` as Address;
const [alice, bob, carol] = [account(1), account(2), account(3)];

type Encoded = ReturnType<typeof encodeFirmEvent>;
const e = encodeFirmEvent.bind(null, manifest) as typeof encodeFirmEvent extends (
  m: never,
  ...rest: infer R
) => infer T
  ? (...rest: R) => T
  : never;

/** Three founding partners with 1,000 votes each, and the governor's settings. */
function founding(t: number): Encoded[][] {
  return [
    governorRuleEvents(manifest),
    [alice, bob, carol].flatMap((who, i) => [
      e("partnership", "MemberAdmitted", { account: who, role: 1, index: BigInt(i + 1), since: t }),
      e("partnership", "GrantCreated", {
        grantId: BigInt(i + 1),
        beneficiary: who,
        units: 1_000n,
        start: t,
        cliffEnd: t,
        end: t + 1,
      }),
      e("partnership", "DelegateVotesChanged", { delegate: who, previousVotes: 0n, newVotes: 1_000n }),
    ]),
  ];
}

function proposalCreated(proposalId: bigint, t: number): Encoded {
  return e("governor", "ProposalCreated", {
    proposalId,
    proposer: alice,
    targets: [manifest.contracts.practices],
    values: [0n],
    signatures: [""],
    calldatas: ["0x"],
    voteStart: BigInt(t + 1),
    voteEnd: BigInt(t + 1_000),
    description: "Send nothing\nbody",
  });
}

describe.each(TEST_BACKENDS)("the store on %s", (backend) => {
  let database: TestDatabase;
  let store: Store;
  let chain: SyntheticChain;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    await migrateDatabase(database.db);
  });
  beforeEach(async () => {
    await resetDatabase(database.db);
    store = await createStore({ db: database.db, chainId: manifest.chainId, manifest });
    chain = new SyntheticChain(manifest);
  });
  afterAll(async () => {
    await database?.dispose();
  });

  it("starts at the manifest's start block and continues from the checkpoint only", async () => {
    chain.block(founding(Number(chain.nextTimestamp)));
    const first = chain.range();
    await expect(store.applyRange({ ...first, fromBlock: 99n })).rejects.toThrowError(BlockRangeError);
    await store.applyRange(first);
    expect(await store.checkpoint()).toEqual({ blockNumber: 100n, blockHash: first.toBlock.hash });
    chain.block([]);
    chain.block([]);
    const next = chain.range();
    await expect(
      store.applyRange({ ...next, fromBlock: 102n, blocks: next.blocks.slice(1) }),
    ).rejects.toThrowError(
      /it starts at block 102 but the checkpoint is 100, so the next range starts at 101/,
    );
    await store.applyRange(next);
    expect((await store.recentBlocks()).map((b) => b.number)).toEqual([102n, 101n, 100n]);
  });

  it("fails on an undecodable firm log, naming it, and writes nothing", async () => {
    const unknownTopic = keccak256(toHex("Unknown(uint256)"));
    const header = chain.block([
      [{ address: manifest.contracts.governor, topics: [unknownTopic], data: "0x" }],
    ]);
    const range = chain.range();
    const error = await store.applyRange(range).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LogDecodeError);
    expect((error as Error).message).toContain(
      `block 100, tx ${range.logs[0]?.transactionHash}, log index 0, address ${manifest.contracts.governor}`,
    );
    expect(await store.checkpoint()).toBeNull();
    expect(header.number).toBe(100n);
  });

  it("fails on a log from an address outside the manifest", async () => {
    chain.block([[{ ...e("governor", "ProposalCanceled", { proposalId: 1n }), address: account(99) }]]);
    await expect(store.applyRange(chain.range())).rejects.toThrowError(/not one of the manifest's contracts/);
  });

  it("fails on a handler error with the event's coordinates, keeps nothing, and recovers", async () => {
    const t = Number(chain.nextTimestamp);
    chain.block(founding(t));
    const good = chain.range();
    const broken = {
      ...good,
      logs: good.logs.map((log, i) =>
        i === 6
          ? {
              ...log,
              ...e("partnership", "DelegateVotesChanged", {
                delegate: alice,
                previousVotes: 5n,
                newVotes: 1_000n,
              }),
            }
          : log,
      ),
    };
    const error = await store.applyRange(broken).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HandlerError);
    expect((error as Error).message).toMatch(
      /partnership\.DelegateVotesChanged at block 100, tx 0x[0-9a-f]{64}, log index 6/,
    );
    expect(await store.checkpoint()).toBeNull();
    expect(await database.db.select().from(schema.members)).toEqual([]);
    await store.applyRange(good);
    expect(await database.db.select().from(schema.members)).toHaveLength(3);
  });

  it("rejects a log whose block has no header", async () => {
    chain.block(founding(Number(chain.nextTimestamp)));
    chain.block([]);
    const range = chain.range();
    await expect(store.applyRange({ ...range, blocks: range.blocks.slice(1) })).rejects.toThrowError(
      /has no block header/,
    );
  });

  it("takes a log's timestamp from the log when its block's header is not in the range", async () => {
    chain.block(founding(Number(chain.nextTimestamp)));
    chain.block([]);
    const range = chain.range();
    const [first, second] = range.blocks;
    const logs = range.logs.map((log) => ({ ...log, blockTimestamp: (first?.timestamp ?? 0n) + 7n }));
    // Only the last block's header (the checkpoint's) travels with the range.
    await store.applyRange({ ...range, blocks: [second as NonNullable<typeof second>], logs });
    const rows = await database.db.select().from(schema.rawEvents);
    expect(rows).toHaveLength(logs.length);
    expect(new Set(rows.map((row) => row.blockTimestamp))).toEqual(new Set([Number(first?.timestamp) + 7]));
    const members = await database.db.select().from(schema.members);
    expect(members.map((m) => m.admittedAt)).toEqual(members.map(() => Number(first?.timestamp)));
    expect(members.map((m) => m.updatedAt)).toEqual(members.map(() => Number(first?.timestamp) + 7));
  });

  it("gives a cover-only ballot to the covered partner, cast by the cover", async () => {
    const t = Number(chain.nextTimestamp);
    chain.block(founding(t));
    const proposalId = 7n;
    chain.block([[proposalCreated(proposalId, t + 12)]]);
    chain.block([
      [
        e("governor", "VoteCast", {
          voter: carol,
          proposalId,
          support: 1,
          weight: 1_000n,
          reason: "for bob",
        }),
        e("governor", "VoteCastByCover", {
          proposalId,
          cover: carol,
          partner: bob,
          support: 1,
          weight: 1_000n,
          alsoSelf: false,
        }),
      ],
      [e("governor", "VoteCast", { voter: alice, proposalId, support: 0, weight: 1_000n, reason: "" })],
    ]);
    const { notice } = await store.applyRange(chain.range());
    const votes = await database.db.select().from(schema.votes).orderBy(schema.votes.logIndex);
    expect(
      votes.map(({ voter, castBy, support, weight, reason }) => ({ voter, castBy, support, weight, reason })),
    ).toEqual([
      { voter: bob, castBy: carol, support: "For", weight: 1_000n, reason: "for bob" },
      { voter: alice, castBy: alice, support: "Against", weight: 1_000n, reason: "" },
    ]);
    const [proposal] = await database.db.select().from(schema.proposals);
    expect(proposal).toMatchObject({
      forEquity: 1_000n,
      forHeads: 1,
      againstEquity: 1_000n,
      againstHeads: 1,
      title: "Send nothing",
    });
    expect(notice).toEqual({
      chainId: manifest.chainId,
      toBlock: 102n,
      proposalIds: ["7"],
      members: [alice, bob, carol],
      votes: [
        { proposalId: "7", voter: bob },
        { proposalId: "7", voter: alice },
      ],
    });
  });

  it("follows a reorg onto another fork exactly as if it had seen only that fork", async () => {
    const t = Number(chain.nextTimestamp);
    chain.block(founding(t));
    const ancestor = chain.block([[proposalCreated(1n, t + 12)]]);
    await store.applyRange(chain.range());
    chain.block([
      [e("governor", "VoteCast", { voter: alice, proposalId: 1n, support: 1, weight: 1_000n, reason: "" })],
    ]);
    chain.block([
      [
        e("partnership", "LeaveDeclared", {
          partner: bob,
          cover: carol,
          leaveId: 1n,
          from: t + 40,
          until: t + 400,
        }),
      ],
    ]);
    await store.applyRange(chain.range());

    // The two blocks after the ancestor are replaced by a fork where bob votes against instead.
    await store.rollbackTo(ancestor.number);
    chain.rewindTo(ancestor.number, ancestor.timestamp, ancestor.hash);
    chain.block([
      [e("governor", "VoteCast", { voter: bob, proposalId: 1n, support: 0, weight: 1_000n, reason: "no" })],
    ]);
    const fork = chain.range();
    await store.applyRange(fork);
    const afterReorg = await dumpMirror(database.db);

    await resetDatabase(database.db);
    const direct = await createStore({ db: database.db, chainId: manifest.chainId, manifest });
    const replay = new SyntheticChain(manifest);
    replay.block(founding(t));
    replay.block([[proposalCreated(1n, t + 12)]]);
    await direct.applyRange(replay.range());
    await direct.applyRange(fork);
    expect(await dumpMirror(database.db)).toEqual(afterReorg);
  });

  it("refuses a database that mirrors another deployment", async () => {
    chain.block(founding(Number(chain.nextTimestamp)));
    await store.applyRange(chain.range());
    const other = syntheticManifest(100);
    other.contracts.governor = account(42);
    await expect(
      createStore({ db: database.db, chainId: other.chainId, manifest: other }),
    ).rejects.toBeInstanceOf(MirrorIdentityError);
  });

  it("refuses calls once closed", async () => {
    await store.close();
    chain.block([]);
    await expect(store.applyRange(chain.range())).rejects.toBeInstanceOf(StoreClosedError);
  });

  it("applies a 10,000-log range in a few statements, not one per row", async () => {
    const busy = syntheticManifest(1);
    await resetDatabase(database.db);
    const busyStore = await createStore({ db: database.db, chainId: busy.chainId, manifest: busy });
    const [range] = busyFirmRanges(busy, { logs: 10_000 });
    const started = performance.now();
    const { events } = await busyStore.applyRange(range as NonNullable<typeof range>);
    const perSecond = (events / (performance.now() - started)) * 1000;
    // A row-per-round-trip store manages well under 2,000 events/s on PGlite; this one about 10,000
    // on a quiet machine. The floor only catches that kind of regression, not noise.
    expect(events).toBeGreaterThanOrEqual(10_000);
    expect(perSecond).toBeGreaterThan(2_500);
  });
});
