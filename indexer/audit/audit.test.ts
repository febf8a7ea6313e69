// End to end on a real chain: a firm's life through governance (see scenario.ts) → every log fed to the
// store in a few ranges → the audit finds no drift at any range boundary, and the derived tables hold
// the rows the API will serve.
import { and, asc, eq } from "drizzle-orm";
import { network } from "hardhat";
import { parseEther, zeroAddress } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase } from "../store/migrate.ts";
import * as schema from "../store/schema.ts";
import { createStore } from "../store/store.ts";
import { openTestDatabase, TEST_BACKENDS, type TestDatabase } from "../store/testing.ts";
import type { Store } from "../store/types.ts";
import { auditMirror } from "./audit.ts";
import { type FirmScenario, readBlockRange, runFirmScenario, splitBlocks } from "./scenario.ts";

const connection = await network.connect();
let scenario: FirmScenario;

beforeAll(async () => {
  scenario = await runFirmScenario(connection);
});
afterAll(async () => {
  await connection.close();
});

describe.each(TEST_BACKENDS)("the mirror of a firm's life on %s", (backend) => {
  let database: TestDatabase;
  let store: Store;
  const audits: Awaited<ReturnType<typeof auditMirror>>[] = [];

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    await migrateDatabase(database.db);
    const { manifest, publicClient } = scenario;
    store = await createStore({ db: database.db, chainId: manifest.chainId, manifest });
    for (const [from, to] of splitBlocks(BigInt(manifest.startBlock), scenario.lastBlock, 3)) {
      await store.applyRange(await readBlockRange(publicClient, manifest, from, to));
      audits.push(await auditMirror({ db: database.db, publicClient, manifest }));
    }
  });
  afterAll(async () => {
    await store?.close();
    await database?.dispose();
  });

  it("matches the contracts' views at every range boundary", () => {
    expect(audits.map((a) => a.drifts)).toEqual([[], [], []]);
    expect(audits.at(-1)?.checked).toEqual({
      members: 7,
      practices: 1,
      grants: 8,
      balances: 7,
      proposals: 10,
    });
  });

  it("records admissions with the proposal and transaction that executed them", async () => {
    const [associate] = await database.db
      .select()
      .from(schema.members)
      .where(eq(schema.members.address, scenario.associate));
    const admissionTx = (
      await database.db
        .select()
        .from(schema.proposals)
        .where(eq(schema.proposals.proposalId, scenario.proposals.admissions.id))
    )[0]?.executedTx;
    expect(associate).toMatchObject({
      role: "Associate",
      status: "Active",
      memberIndex: 6,
      admissionProposalId: scenario.proposals.admissions.id,
      admissionTx,
      partnerSince: null,
    });
    const founder = (
      await database.db.select().from(schema.members).where(eq(schema.members.memberIndex, 1))
    )[0];
    expect(founder?.admissionProposalId).toBeNull();
    const seats = await database.db
      .select({ account: schema.practiceMembers.account, role: schema.practiceMembers.role })
      .from(schema.practiceMembers)
      .orderBy(asc(schema.practiceMembers.role), asc(schema.practiceMembers.account));
    const [p1, , , p4] = lower(scenario.founders);
    expect(seats).toEqual([
      { account: p4, role: "Lead" },
      ...[p1, scenario.associate].sort().map((account) => ({ account, role: "Member" })),
    ]);
  });

  it("records the retirement with its successor, buy-back and proposal", async () => {
    const [p1, , , p4] = lower(scenario.founders);
    const [retired] = await database.db.select().from(schema.members).where(eq(schema.members.address, p1!));
    expect(retired).toMatchObject({
      status: "Retired",
      successor: p4,
      departureProposalId: scenario.proposals.retire.id,
    });
    expect(retired?.partnerUntil).toBe(retired?.departedAt);
    const [cloud] = await database.db.select().from(schema.practices);
    expect(cloud).toMatchObject({
      slug: "cloud",
      name: "Cloud Services",
      lead: p4,
      status: "Active",
      memberCount: 3,
      createdProposalId: scenario.proposals.practice.id,
    });
    const buybacks = await database.db.select().from(schema.buybacks);
    expect(buybacks).toMatchObject([
      {
        account: p1,
        amount: 1_000n,
        token: zeroAddress,
        price: parseEther("1"),
        proposalId: scenario.proposals.retire.id,
      },
    ]);
    const [lastDelta] = await database.db
      .select()
      .from(schema.equityHistory)
      .where(eq(schema.equityHistory.account, p1!))
      .orderBy(schema.equityHistory.blockNumber, schema.equityHistory.logIndex)
      .then((rows) => rows.slice(-1));
    expect(lastDelta).toMatchObject({ deltaVotes: -1_000n, balance: 0n, votes: 0n });
  });

  it("records grants with their release and revocation", async () => {
    const revoked = (await database.db.select().from(schema.grants).where(eq(schema.grants.grantId, 6n)))[0];
    expect(revoked).toMatchObject({
      beneficiary: scenario.associate,
      units: 1_000n,
      revokedProposalId: scenario.proposals.revoke.id,
    });
    // Released at day 400; vested a little more before the revocation, which forfeits the rest.
    expect(revoked?.released).toBeGreaterThan(0n);
    expect(revoked?.forfeited).toBeGreaterThan(0n);
    expect((revoked?.forfeited ?? 0n) + (revoked?.released ?? 0n)).toBeLessThanOrEqual(1_000n);
    const p4Grant = (await database.db.select().from(schema.grants).where(eq(schema.grants.grantId, 8n)))[0];
    expect(p4Grant?.createdProposalId).toBe(scenario.proposals.coverVote.id);
  });

  it("splits a cover's vote into one row per ballot", async () => {
    const [p1, p2, p3, p4] = lower(scenario.founders);
    const rows = await database.db
      .select({ voter: schema.votes.voter, castBy: schema.votes.castBy, weight: schema.votes.weight })
      .from(schema.votes)
      .where(eq(schema.votes.proposalId, scenario.proposals.coverVote.id))
      .orderBy(schema.votes.blockNumber, schema.votes.logIndex);
    expect(rows).toEqual([
      { voter: p1, castBy: p1, weight: 1_000n },
      { voter: p3, castBy: p3, weight: 1_000n },
      { voter: p2, castBy: p3, weight: 1_000n },
      { voter: p4, castBy: p4, weight: 1_000n },
    ]);
    const [tally] = await database.db
      .select()
      .from(schema.proposals)
      .where(eq(schema.proposals.proposalId, scenario.proposals.coverVote.id));
    expect(tally).toMatchObject({
      forEquity: 4_000n,
      forHeads: 4,
      againstHeads: 0,
      title: "Grant p4 200 units",
    });
  });

  it("decodes proposal actions into intents with summaries", async () => {
    const rows = await database.db
      .select({ intent: schema.proposalActions.intent, summary: schema.proposalActions.summary })
      .from(schema.proposalActions)
      .where(
        and(
          eq(schema.proposalActions.proposalId, scenario.proposals.admissions.id),
          eq(schema.proposalActions.actionIndex, 0),
        ),
      );
    const short = `${scenario.associate.slice(0, 6)}…${scenario.associate.slice(-4)}`;
    expect(rows).toEqual([
      {
        intent: "ADMIT_MEMBER",
        summary: `Admit ${short} as Associate in cloud with 1,000 units vesting 4y, 1y cliff`,
      },
    ]);
    const intents = await database.db
      .select({ intent: schema.proposalActions.intent })
      .from(schema.proposalActions)
      .orderBy(schema.proposalActions.blockNumber, schema.proposalActions.actionIndex);
    expect(intents.map((r) => r.intent)).toEqual([
      "CREATE_PRACTICE",
      "ADMIT_MEMBER",
      "ADMIT_MEMBER",
      "GRANT_EQUITY",
      "REVOKE_GRANT",
      "SUCCESSION",
      "DISTRIBUTE",
      "SET_PARAMETER",
      "SET_PARAMETER",
      "SUNSET_PRACTICE",
      "CHANGE_PRACTICE_LEAD",
      "SET_PARAMETER",
    ]);
  });

  it("records the distribution, its claims, the reclaim and the treasury's movements", async () => {
    const [distribution] = await database.db.select().from(schema.distributions);
    const claims = await database.db.select().from(schema.distributionClaims);
    const claimed = claims.reduce((sum, c) => sum + c.amount, 0n);
    expect(claims).toHaveLength(2);
    expect(distribution).toMatchObject({
      token: zeroAddress,
      amount: parseEther("2"),
      claimed,
      claims: 2,
      reclaimed: parseEther("2") - claimed,
      proposalId: scenario.proposals.distribution.id,
    });
    const flows = await database.db
      .select({
        direction: schema.treasuryFlows.direction,
        kind: schema.treasuryFlows.kind,
        amount: schema.treasuryFlows.amount,
        proposalId: schema.treasuryFlows.proposalId,
      })
      .from(schema.treasuryFlows)
      .orderBy(schema.treasuryFlows.blockNumber);
    expect(flows).toEqual([
      { direction: "out", kind: "call", amount: parseEther("1"), proposalId: scenario.proposals.retire.id },
      {
        direction: "out",
        kind: "call",
        amount: parseEther("2"),
        proposalId: scenario.proposals.distribution.id,
      },
      { direction: "in", kind: "reclaim", amount: parseEther("2") - claimed, proposalId: null },
    ]);
  });

  it("keeps the governance parameters in force and their changes", async () => {
    const [settings] = await database.db.select().from(schema.governanceSettings);
    expect(settings).toMatchObject({
      equityQuorumBps: 3_000,
      headcountQuorumBps: 5_000,
      timelockDelay: 86_400,
      votingDelay: 3_600,
    });
    const changes = await database.db
      .select()
      .from(schema.settingChanges)
      .where(eq(schema.settingChanges.proposalId, scenario.proposals.settings.id));
    expect(changes.map((c) => [c.parameter, c.newValue])).toEqual([
      ["equityQuorumBps", 3_000n],
      ["headcountQuorumBps", 5_000n],
      ["timelockDelay", 86_400n],
    ]);
  });

  // Last: it tampers with the mirror.
  it("reports each value the mirror gets wrong", async () => {
    const { db } = database;
    const [, p2] = lower(scenario.founders);
    await db
      .update(schema.members)
      .set({ role: "Affiliate" })
      .where(eq(schema.members.address, scenario.newPartner));
    await db.delete(schema.members).where(eq(schema.members.address, scenario.associate));
    await db.update(schema.accounts).set({ votes: 1n }).where(eq(schema.accounts.address, p2!));
    await db.update(schema.grants).set({ released: 0n }).where(eq(schema.grants.grantId, 6n));
    await db.update(schema.practices).set({ memberCount: 9 });
    await db
      .update(schema.proposals)
      .set({ executedAt: null })
      .where(eq(schema.proposals.proposalId, scenario.proposals.practice.id));
    const { drifts } = await auditMirror({
      db,
      publicClient: scenario.publicClient,
      manifest: scenario.manifest,
    });
    const [grant6] = await db.select().from(schema.grants).where(eq(schema.grants.grantId, 6n));
    expect(grant6).toBeDefined();
    expect(drifts.map(({ entity, key, field, mirror }) => ({ entity, key, field, mirror }))).toEqual([
      { entity: "member", key: scenario.associate, field: "exists", mirror: null },
      { entity: "member", key: scenario.newPartner, field: "role", mirror: "Affiliate" },
      { entity: "practice", key: "cloud", field: "memberCount", mirror: "9" },
      { entity: "grant", key: "6", field: "released", mirror: "0" },
      { entity: "account", key: p2, field: "votes", mirror: "1" },
      { entity: "proposal", key: String(scenario.proposals.practice.id), field: "state", mirror: "Expired" },
    ]);
    expect(drifts.find((d) => d.field === "role")?.chain).toBe("Partner");
  });
});

function lower(addresses: string[]): string[] {
  return addresses.map((a) => a.toLowerCase());
}
