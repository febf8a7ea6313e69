// End to end on a real chain: a firm's life through governance (see ../testing/firmScenario.ts) →
// every log fed to the store in a few ranges → the audit finds no drift at any range boundary, and the
// derived tables hold the rows the API will serve.
import { and, asc, eq } from "drizzle-orm";
import { network } from "hardhat";
import { type Address, parseEther, zeroAddress } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { firmGovernorAbi, withdrawalsAbi } from "../../contracts/abi.ts";
import { migrateDatabase } from "../store/migrate.ts";
import * as schema from "../store/schema.ts";
import { createStore } from "../store/store.ts";
import type { Store } from "../store/types.ts";
import { proposalBases, proposalStateAt } from "../store/views.ts";
import { type FirmScenario, readBlockRange, runFirmScenario, splitBlocks } from "../testing/firmScenario.ts";
import { openTestDatabase, TEST_BACKENDS, type TestDatabase } from "../testing/testDatabase.ts";
import { auditMirror } from "./audit.ts";

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
      practices: 2,
      grants: 8,
      balances: 7,
      proposals: 15,
      leaves: 7,
      // p5's ETH and stablecoin credits, and the one listed token.
      withdrawals: 3,
      // p1's, p3's (cleared), p4's and the associate's profiles, and the associate's mentor link.
      directory: 5,
      // ETH and the stablecoin (held, earmarked), the firm's budget, its one period's spending, and
      // the three flows (practice, month, token) the scenario's movements made.
      books: 7,
    });
  });

  it("mirrors the directory: profiles (one left by a retirement, one cleared), the mentor link and its offers", async () => {
    const { directory } = scenario;
    const rows = await database.db.select().from(schema.profiles).orderBy(asc(schema.profiles.member));
    const byMember = new Map(rows.map((row) => [row.member, row]));
    expect(byMember.get(directory.onSite)).toMatchObject({
      displayName: "Dana Four",
      skills: ["azure", "backup"],
      workMode: "Both",
      region: "CA-QC",
      city: "Laval",
      latitude: 45.57,
      longitude: -73.75,
      radiusKm: 30,
      contactUrl: "https://p4.example.com",
      live: true,
    });
    // Retired with the profile never cleared: the row stays live; the API hides it (its owner left).
    expect(byMember.get(directory.departed)).toMatchObject({ displayName: "Pat One", live: true });
    expect(byMember.get(directory.remote)).toMatchObject({
      workMode: "Remote",
      region: null,
      city: null,
      latitude: null,
      longitude: null,
      contactUrl: null,
      skills: ["m365", "c#"],
    });
    expect(byMember.get(directory.cleared)).toMatchObject({
      live: false,
      clearedBy: directory.cleared,
      clearedReason: "",
    });
    expect(await database.db.select().from(schema.mentorships)).toMatchObject([
      { mentee: directory.remote, mentor: directory.mentor, endedAt: null },
    ]);
    const offers = await database.db.select().from(schema.mentorshipOffers);
    expect(
      offers.map(({ mentor, open }) => ({ mentor, open })).sort((a, b) => (a.mentor < b.mentor ? -1 : 1)),
    ).toEqual(
      [directory.mentor, lower(scenario.founders)[1] as string]
        .sort()
        .map((mentor) => ({ mentor, open: false })),
    );
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
      .innerJoin(schema.practices, eq(schema.practices.practiceId, schema.practiceMembers.practiceId))
      .where(eq(schema.practices.slug, "cloud"))
      .orderBy(asc(schema.practiceMembers.role), asc(schema.practiceMembers.account));
    const [p1, , , p4] = lower(scenario.founders);
    // p1, the founding lead, retired later in the scenario: the departure emptied their seat (the row
    // stays, with role None).
    expect(seats).toEqual([
      { account: p4, role: "Lead" },
      { account: scenario.associate, role: "Member" },
      { account: p1, role: "None" },
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
      // p4 leading and the associate: p1 left no seat behind.
      memberCount: 2,
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
      "SET_PRACTICE_MEMBER",
      "SET_PARAMETER",
      "SET_PARAMETER",
      "CREATE_PRACTICE",
      "SET_PARAMETER",
      "REMOVE_MEMBER",
      // The books: allow the stablecoin and budget the firm; close a month (the ERC-20 approve is
      // OTHER), distribute its lockstep share and pay a fee.
      "ALLOW_TOKEN",
      "SET_BUDGET",
      "CLOSE_PERIOD",
      "OTHER",
      "DISTRIBUTE",
      "PAY",
      "SET_PARAMETER",
    ]);
  });

  it("records the distribution, its claims, the reclaim and the treasury's movements", async () => {
    const [distribution] = await database.db
      .select()
      .from(schema.distributions)
      .where(eq(schema.distributions.distributionId, 1n));
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
      // p5's withdrawal: their share of the ETH and of the stablecoin, paid to the desk.
      { direction: "out", kind: "withdrawal", amount: expect.any(BigInt), proposalId: null },
      { direction: "out", kind: "withdrawal", amount: expect.any(BigInt), proposalId: null },
      // The books' lockstep share of the closed month, distributed in the stablecoin.
      {
        direction: "out",
        kind: "distribution",
        amount: expect.any(BigInt),
        proposalId: scenario.proposals.booksClose.id,
      },
    ]);
  });

  it("keeps the governance parameters in force and their changes", async () => {
    const [settings] = await database.db.select().from(schema.governanceSettings);
    expect(settings).toMatchObject({
      equityQuorumBps: 3_000,
      headcountQuorumBps: 5_000,
      expulsionEquityBps: 8_000,
      expulsionHeadcountBps: 7_000,
      timelockDelay: 86_400,
      votingDelay: 3_600,
      minLeave: 2 * 86_400,
      leaveCooldown: 10 * 86_400,
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
    const rules = await database.db
      .select()
      .from(schema.settingChanges)
      .where(eq(schema.settingChanges.proposalId, scenario.proposals.rules.id));
    expect(rules.map((c) => [c.parameter, c.oldValue, c.newValue])).toEqual([
      ["minLeave", 86_400n, 2n * 86_400n],
      ["leaveCooldown", 7n * 86_400n, 10n * 86_400n],
      ["expulsionEquityBps", 7_500n, 8_000n],
      ["expulsionHeadcountBps", 7_500n, 7_000n],
    ]);
    // Leave rules at deployment, then by the constitutional proposal.
    const leaveRules = await database.db
      .select()
      .from(schema.settingChanges)
      .where(eq(schema.settingChanges.parameter, "minLeave"))
      .orderBy(schema.settingChanges.blockNumber);
    expect(leaveRules.map((c) => [c.oldValue, c.newValue, c.proposalId])).toEqual([
      [0n, 86_400n, null],
      [86_400n, 2n * 86_400n, scenario.proposals.rules.id],
    ]);
  });

  it("records each proposal rule, and gives every proposal the rule in force at its snapshot", async () => {
    const rules = await database.db
      .select()
      .from(schema.proposalRules)
      .orderBy(schema.proposalRules.ruleIndex);
    expect(
      rules.map((r) => [
        r.ruleIndex,
        r.equityQuorumBps,
        r.headcountQuorumBps,
        r.expulsionEquityBps,
        r.expulsionHeadcountBps,
        r.gracePeriod,
      ]),
    ).toEqual([
      [0, 4_000, 5_000, 7_500, 7_500, 14 * 86_400],
      [1, 3_000, 5_000, 7_500, 7_500, 14 * 86_400],
      [2, 3_000, 5_000, 8_000, 7_000, 14 * 86_400],
    ]);
    expect(rules[0]?.since).toBe(0);
    const rows = await database.db.select().from(schema.proposals);
    for (const row of rows) {
      const rule = rules.findLast((r) => r.since <= row.snapshot);
      expect(
        [row.ruleIndex, row.equityQuorumBps, row.expulsionEquityBps, row.gracePeriod],
        String(row.proposalId),
      ).toEqual([rule?.ruleIndex, rule?.equityQuorumBps, rule?.expulsionEquityBps, rule?.gracePeriod]);
    }
    const expulsion = rows.find((r) => r.proposalId === scenario.proposals.expulsion.id);
    expect(expulsion).toMatchObject({
      ruleIndex: 2,
      expulsionEquityBps: 8_000,
      expulsionHeadcountBps: 7_000,
    });
  });

  it("classifies proposals as the governor does: supermajority, funds moved, subject", async () => {
    const [p1, , , , p5] = lower(scenario.founders);
    const rows = await database.db.select().from(schema.proposals);
    const kind = (name: keyof FirmScenario["proposals"]) => {
      const row = rows.find((r) => r.proposalId === scenario.proposals[name].id);
      return { supermajority: row?.supermajority, movesFunds: row?.movesFunds, subject: row?.subject };
    };
    expect(kind("coverVote")).toEqual({ supermajority: false, movesFunds: false, subject: null });
    // revokeGrant of the associate's grant: a subject, but not a partner, so no expulsion.
    expect(kind("revoke")).toEqual({ supermajority: false, movesFunds: false, subject: scenario.associate });
    // Retiring a partner expels them; the buy-back price moves funds.
    expect(kind("retire")).toEqual({ supermajority: true, movesFunds: true, subject: p1 });
    expect(kind("distribution")).toEqual({ supermajority: false, movesFunds: true, subject: null });
    // The timelock's delay is no constitutional change.
    expect(kind("settings")).toEqual({ supermajority: false, movesFunds: false, subject: null });
    // The expulsion quorum is; listing a treasury token moves funds.
    expect(kind("rules")).toEqual({ supermajority: true, movesFunds: true, subject: null });
    expect(kind("expulsion")).toEqual({ supermajority: true, movesFunds: false, subject: p5 });
    // And as the governor's own view says.
    for (const row of rows) {
      const thresholds = await scenario.publicClient.readContract({
        address: scenario.manifest.contracts.governor,
        abi: firmGovernorAbi,
        functionName: "proposalThresholds",
        args: [row.proposalId],
        blockNumber: scenario.lastBlock,
      });
      expect([row.supermajority, row.movesFunds], String(row.proposalId)).toEqual([
        thresholds[2],
        thresholds[3],
      ]);
    }
  });

  it("states the expulsion on its eligible bases (subject out) and the unqueued proposal as expired", async () => {
    const rows = await database.db.select().from(schema.proposals);
    const head = await scenario.publicClient.getBlock({ blockNumber: scenario.lastBlock });
    const expulsion = rows.find((r) => r.proposalId === scenario.proposals.expulsion.id);
    if (!expulsion) throw new Error("no expulsion row");
    // Five partners at the snapshot, p5 recused: four heads, and their 3,700 units.
    expect(await proposalBases(database.db, expulsion)).toEqual({ equityBase: 3_700n, headcountBase: 4 });
    expect(expulsion).toMatchObject({ forEquity: 3_200n, forHeads: 3 });
    const expired = rows.find((r) => r.proposalId === scenario.proposals.expired.id);
    if (!expired) throw new Error("no expired row");
    expect(expired.eta).toBeNull();
    const bases = await proposalBases(database.db, expired);
    expect(proposalStateAt(expired, bases, expired.voteEnd + 1)).toBe("Succeeded");
    expect(proposalStateAt(expired, bases, Number(head.timestamp))).toBe("Expired");
  });

  it("mirrors each cover's window: asked, accepted, then ended early or stepped down", async () => {
    const [, p2, p3, p4] = lower(scenario.founders);
    const rows = await database.db.select().from(schema.leaves).orderBy(schema.leaves.leaveId);
    expect(rows.map(({ partner, cover }) => ({ partner, cover }))).toEqual([
      { partner: p2, cover: p3 },
      { partner: p3, cover: p4 },
    ]);
    const [first, second] = rows;
    // p3 accepted, then p2 ended the leave early: the cover ended with it.
    expect(first?.coverAcceptedAt).toBeGreaterThanOrEqual(first?.fromAt ?? Infinity);
    expect(first?.coverEndedAt).toBe(first?.endedAt);
    // p4 accepted and stepped down while p3's leave went on, which then lapsed.
    expect(second?.coverAcceptedAt).toBeGreaterThanOrEqual(second?.fromAt ?? Infinity);
    expect(second?.coverEndedAt).toBeGreaterThan(second?.coverAcceptedAt ?? Infinity);
    expect(second?.coverEndedAt).toBeLessThan(second?.untilAt ?? 0);
    expect(second?.endedAt).toBeNull();
    // The expulsion's ballot of p3 was cast by their cover.
    const ballots = await database.db
      .select({ voter: schema.votes.voter, castBy: schema.votes.castBy })
      .from(schema.votes)
      .where(eq(schema.votes.proposalId, scenario.proposals.expulsion.id))
      .orderBy(schema.votes.blockNumber, schema.votes.logIndex);
    expect(ballots).toEqual([
      { voter: p2, castBy: p2 },
      { voter: p4, castBy: p4 },
      { voter: p3, castBy: p4 },
    ]);
  });

  it("leaves the practice of an expelled lead without a lead, never naming them", async () => {
    const [, , , , p5] = lower(scenario.founders);
    const [security] = await database.db
      .select()
      .from(schema.practices)
      .where(eq(schema.practices.slug, "security"));
    expect(security).toMatchObject({
      lead: null,
      status: "Active",
      createdProposalId: scenario.proposals.rules.id,
    });
    const seats = await database.db
      .select({ account: schema.practiceMembers.account, role: schema.practiceMembers.role })
      .from(schema.practiceMembers)
      .where(eq(schema.practiceMembers.practiceId, security?.practiceId ?? ""));
    // The expulsion emptied p5's seat too: a removed member holds none (the row stays, role None).
    expect(seats).toEqual([{ account: p5, role: "None" }]);
    const [removed] = await database.db.select().from(schema.members).where(eq(schema.members.address, p5!));
    expect(removed).toMatchObject({
      status: "Removed",
      successor: null,
      departureProposalId: scenario.proposals.expulsion.id,
    });
  });

  it("records the withdrawal, the desk's credits as they arrived, the claim and the listed token", async () => {
    const [, , , , p5] = lower(scenario.founders) as Address[];
    const [withdrawal] = await database.db.select().from(schema.memberWithdrawals);
    expect(withdrawal).toMatchObject({ account: p5, units: 1_000n });
    expect(withdrawal?.totalUnits).toBeGreaterThan(1_000n);
    const payments = await database.db
      .select({
        member: schema.withdrawalPayments.member,
        token: schema.withdrawalPayments.token,
        kind: schema.withdrawalPayments.kind,
        amount: schema.withdrawalPayments.amount,
      })
      .from(schema.withdrawalPayments)
      .orderBy(schema.withdrawalPayments.blockNumber, schema.withdrawalPayments.logIndex);
    const [ethCredit, tokenCredit] = payments;
    expect(payments).toEqual([
      { member: p5, token: zeroAddress, kind: "credit", amount: ethCredit?.amount },
      { member: p5, token: scenario.token, kind: "credit", amount: tokenCredit?.amount },
      { member: p5, token: zeroAddress, kind: "claim", amount: ethCredit?.amount },
    ]);
    const owed = await scenario.publicClient.readContract({
      address: scenario.manifest.contracts.withdrawals,
      abi: withdrawalsAbi,
      functionName: "owed",
      args: [p5 as Address, scenario.token],
      blockNumber: scenario.lastBlock,
    });
    expect(tokenCredit?.amount).toBe(owed);
    expect(owed).toBeGreaterThan(0n);
    const tokens = await database.db.select().from(schema.treasuryTokens);
    expect(tokens).toMatchObject([
      { token: scenario.token, listed: true, proposalId: scenario.proposals.rules.id },
    ]);
  });

  // Last: it tampers with the mirror.
  it("reports each value the mirror gets wrong", async () => {
    const { db } = database;
    const [, p2, p3, , p5] = lower(scenario.founders);
    await db
      .update(schema.members)
      .set({ role: "Affiliate" })
      .where(eq(schema.members.address, scenario.newPartner));
    await db.delete(schema.members).where(eq(schema.members.address, scenario.associate));
    await db.update(schema.accounts).set({ votes: 1n }).where(eq(schema.accounts.address, p2!));
    await db.update(schema.grants).set({ released: 0n }).where(eq(schema.grants.grantId, 6n));
    await db.update(schema.practices).set({ memberCount: 9 }).where(eq(schema.practices.slug, "cloud"));
    await db.update(schema.practices).set({ lead: p2 }).where(eq(schema.practices.slug, "security"));
    await db
      .update(schema.proposals)
      .set({ supermajority: false })
      .where(eq(schema.proposals.proposalId, scenario.proposals.expulsion.id));
    await db.update(schema.leaves).set({ coverEndedAt: null }).where(eq(schema.leaves.partner, p3!));
    await db
      .update(schema.withdrawalPayments)
      .set({ amount: 1n })
      .where(eq(schema.withdrawalPayments.kind, "claim"));
    await db.update(schema.governanceSettings).set({ minLeave: 1 });
    await db
      .update(schema.proposals)
      .set({ executedAt: null })
      .where(eq(schema.proposals.proposalId, scenario.proposals.practice.id));
    // A city the member never published (the chain holds only its hash), and another mentor.
    await db
      .update(schema.profiles)
      .set({ city: "Montréal" })
      .where(eq(schema.profiles.member, scenario.directory.onSite));
    await db
      .update(schema.mentorships)
      .set({ mentor: p2 })
      .where(eq(schema.mentorships.mentee, scenario.associate));
    // A pool claim the mirror lost, and a budget period's spending it got wrong.
    await db.update(schema.practicePools).set({ claimed: 0n });
    await db.update(schema.budgetSpending).set({ spent: 1n });
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
      { entity: "practice", key: "security", field: "lead", mirror: p2 },
      { entity: "grant", key: "6", field: "released", mirror: "0" },
      { entity: "account", key: p2, field: "votes", mirror: "1" },
      { entity: "proposal", key: String(scenario.proposals.practice.id), field: "state", mirror: "Expired" },
      // Without the supermajority its thresholds are a plain majority: 2 of 4 heads and 1,851 units.
      {
        entity: "proposal",
        key: String(scenario.proposals.expulsion.id),
        field: "forEquityNeeded",
        mirror: "1851",
      },
      {
        entity: "proposal",
        key: String(scenario.proposals.expulsion.id),
        field: "supermajority",
        mirror: "false",
      },
      { entity: "leave", key: p3, field: "latest", mirror: expect.any(String) },
      { entity: "withdrawal", key: `${p5}:${zeroAddress}`, field: "owed", mirror: expect.any(String) },
      { entity: "settings", key: "current", field: "minLeave", mirror: "1" },
      ...[
        // The associate's row was deleted above: the mirror no longer counts them as a member.
        { entity: "profile", key: scenario.associate, field: "live", mirror: "false" },
        {
          entity: "profile",
          key: scenario.directory.onSite,
          field: "contentHash (from the mirrored fields)",
          mirror: expect.stringMatching(/^0x[0-9a-f]{64}$/),
        },
      ].sort((a, b) => (a.key < b.key ? -1 : 1)),
      { entity: "mentorship", key: scenario.associate, field: "mentor", mirror: p2 },
      { entity: "books", key: scenario.token, field: "earmarked", mirror: expect.any(String) },
      { entity: "books", key: expect.stringMatching(/^budget 1 period \d{6}$/), field: "spent", mirror: "1" },
    ]);
    expect(drifts.find((d) => d.field === "role")?.chain).toBe("Partner");
  });
});

function lower(addresses: string[]): string[] {
  return addresses.map((a) => a.toLowerCase());
}
