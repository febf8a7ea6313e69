// Members (their leaves and covers, equity, withdrawals, ballots, the list and the memberChanged feed),
// against a mirror built from a real chain: the firm's life (indexer/testing/firmScenario.ts) on Hardhat's in-
// process chain, served by buildApp and queried through yoga.fetch with no port
// (api/testing/scenarioSuite.ts). Answers are checked against the contracts' own views where they have
// one. The last suite declares a leave on the chain, so it runs last.
import { sql } from "drizzle-orm";
import type { Address } from "viem";
import { describe, expect, it } from "vitest";
import { partnershipAbi } from "../../../contracts/abi.ts";
import { data, gql, subscribe } from "../../testing/client.ts";
import {
  api,
  bus,
  chainNow,
  connection,
  db,
  lower,
  mirror,
  p1,
  p2,
  p3,
  p4,
  p5,
  publicClient,
  read,
  scenario,
  useScenarioSuite,
  yoga,
} from "../../testing/scenarioSuite.ts";

useScenarioSuite();

describe("members", () => {
  const MEMBER_FIELDS = `address index role status since partnerSince partnerUntil departedAt successor asOfBlock asOfTimestamp
    departure { title }
    leave { from until cover }
    leaves { from until cover coverMember { address } endedEarly inForce declaration { hash blockNumber timestamp } }
    practices { role since account practice { slug } member { address } }
    equity { units votes votingPower }
    grants { id units released revoked }
    admission { proposal { title } transaction { hash blockNumber timestamp } }`;

  it("answers a member admitted by proposal, with grants, practice seat and admission", async () => {
    const { member } = await data(yoga, `query($a: String!) { member(address: $a) { ${MEMBER_FIELDS} } }`, {
      a: scenario.associate,
    });
    const [proposal] = await db
      .execute(
        sql`select executed_tx, executed_block from proposals where proposal_id = ${scenario.proposals.admissions.id.toString()}::numeric`,
      )
      .then((r) => (r as unknown as { rows: { executed_tx: string; executed_block: number }[] }).rows);
    expect(member).toMatchObject({
      address: scenario.associate,
      index: 6,
      role: "ASSOCIATE",
      status: "ACTIVE",
      partnerSince: null,
      leave: null,
      leaves: [],
      practices: [
        {
          role: "MEMBER",
          practice: { slug: "cloud" },
          account: scenario.associate,
          member: { address: scenario.associate },
        },
      ],
      grants: [{ id: "6", units: "1000", revoked: true }],
      admission: {
        proposal: { title: "Admit two members" },
        transaction: { hash: proposal?.executed_tx, blockNumber: Number(proposal?.executed_block) },
      },
      asOfBlock: Number(scenario.lastBlock),
    });
    // Votes are the grant's units not forfeited; the balance is what was released.
    const [balance, votes] = await Promise.all([
      read<bigint>("partnership", "balanceOf", [scenario.associate]),
      read<bigint>("partnership", "getVotes", [scenario.associate]),
    ]);
    expect(member.equity).toEqual({
      units: balance.toString(),
      votes: votes.toString(),
      votingPower: votes.toString(),
    });
  });

  it("answers a retired partner with the proposal that retired them and their successor", async () => {
    const { member } = await data(yoga, `query($a: String!) { member(address: $a) { ${MEMBER_FIELDS} } }`, {
      a: p1,
    });
    expect(member).toMatchObject({
      role: "PARTNER",
      status: "RETIRED",
      successor: p4,
      departure: { title: "Retire p1; p4 takes over the cloud practice" },
      equity: { units: "0", votes: "0", votingPower: "0" },
      admission: { proposal: null },
    });
    expect(member.partnerUntil).toBe(member.departedAt);
  });

  it("reads a leave, its cover and the status at any time", async () => {
    const { member } = await data(yoga, `query($a: String!) { member(address: $a) { ${MEMBER_FIELDS} } }`, {
      a: p2,
    });
    const [leave] = member.leaves;
    expect(leave).toMatchObject({
      cover: p3,
      coverMember: { address: p3 },
      endedEarly: true,
      inForce: false,
    });
    // p3 accepted, so held p2's ballot until p2 ended the leave early.
    const cover = await data(
      yoga,
      `query($a: String!) { member(address: $a) { leaves { from until coverAsked coverAcceptedAt coverEndedAt coverUntil
         coverHolds coverStatus } } }`,
      { a: p2 },
    );
    const [window] = cover.member.leaves;
    expect(window).toMatchObject({
      coverAsked: p3,
      coverEndedAt: window.until,
      coverUntil: window.until,
      coverHolds: false,
      coverStatus: "ENDED",
    });
    expect(window.coverAcceptedAt).toBeGreaterThanOrEqual(window.from);
    const during = leave.from + 60;
    const at = await data(
      yoga,
      `query($a: String!, $during: Timestamp!, $before: Timestamp!, $after: Timestamp!) { member(address: $a) {
         during: status(at: $during) before: status(at: $before) after: status(at: $after)
         leaveDuring: leave(at: $during) { cover until } leaveAfter: leave(at: $after) { cover }
         leaves { inForce(at: $during) } } }`,
      { a: p2, during, before: member.since - 1, after: leave.until },
    );
    expect(at.member).toEqual({
      during: "ON_LEAVE",
      before: "NONE",
      after: "ACTIVE",
      leaveDuring: { cover: p3, until: leave.until },
      leaveAfter: null,
      leaves: [{ inForce: true }],
    });
    // ISO 8601 is accepted for `at` and means the same instant.
    const iso = new Date(during * 1000).toISOString();
    const viaIso = await data(
      yoga,
      `query($a: String!, $t: Timestamp!) { member(address: $a) { status(at: $t) } }`,
      {
        a: p2,
        t: iso,
      },
    );
    expect(viaIso.member.status).toBe("ON_LEAVE");
  });

  it("gives voting power at any time exactly as getPastVotes does", async () => {
    const now = await chainNow();
    const accounts = [p1, p2, p4, scenario.associate, scenario.newPartner];
    const { member: p4Member } = await data(
      yoga,
      `query($a: String!) { member(address: $a) { leaves { from } grants { id } } }`,
      {
        a: p4,
      },
    );
    expect(p4Member.grants.map((g: { id: string }) => g.id)).toEqual(["4", "8"]);
    const proposals = Object.values(scenario.proposals);
    const [admissions] = await db
      .execute(sql`select snapshot from proposals order by created_block`)
      .then((r) => (r as unknown as { rows: { snapshot: number }[] }).rows);
    const times = [
      ...new Set([
        Number(admissions?.snapshot),
        ...(await proposalSnapshots(proposals.map((p) => p.id))),
        now - 1,
      ]),
    ];
    for (const account of accounts) {
      const query = `query($a: String!) { member(address: $a) { equity { ${times.map((t, i) => `t${i}: votingPower(at: ${t})`).join(" ")} } } }`;
      const { member } = await data(yoga, query, { a: account });
      const expected = await Promise.all(
        times.map((t) => read<bigint>("partnership", "getPastVotes", [account, BigInt(t)])),
      );
      expect(Object.values(member.equity), account).toEqual(expected.map(String));
    }
  });

  it("lists a member's ballots, including those their cover cast for them", async () => {
    const { member } = await data(
      yoga,
      `query($a: String!) { member(address: $a) { votes(first: 100) { totalCount edges { node {
         voter castBy support weight headcount reason proposal { title } voterMember { address }
         transaction { hash blockNumber timestamp } } } } } }`,
      { a: p2 },
    );
    const ballots = member.votes.edges.map((e: { node: Record<string, unknown> }) => e.node);
    expect(member.votes.totalCount).toBe(ballots.length);
    expect(ballots).toContainEqual(
      expect.objectContaining({
        proposal: { title: "Grant p4 200 units" },
        voter: p2,
        castBy: p3,
        support: "FOR",
      }),
    );
    expect(ballots).toContainEqual(
      expect.objectContaining({
        proposal: { title: "Make p3 lead of cloud" },
        castBy: p2,
        support: "AGAINST",
      }),
    );
    for (const ballot of ballots) expect(ballot.transaction.timestamp).toBeGreaterThan(0);
  });

  it("travels in time: a member as of a block or a time, with the resolved block echoed", async () => {
    const query = `query($a: String!, $asOf: AsOf!) { member(address: $a, asOf: $asOf) {
      role status asOfBlock asOfTimestamp successor practices { role practice { slug lead asOfBlock } }
      equity { units votes } grants { id revoked } leaves { from } } }`;
    const mid = Number(scenario.midBlock);
    const atMid = await data(yoga, query, { a: p1, asOf: { block: mid } });
    expect(atMid.member).toMatchObject({
      role: "PARTNER",
      status: "ACTIVE",
      asOfBlock: mid,
      successor: null,
      practices: [{ role: "LEAD", practice: { slug: "cloud", lead: p1, asOfBlock: mid } }],
      equity: { units: "1000", votes: "1000" },
    });
    const midTime = Number((await publicClient.getBlock({ blockNumber: scenario.midBlock })).timestamp);
    expect(atMid.member.asOfTimestamp).toBeLessThanOrEqual(midTime);
    // A time resolves to the last block at or before it that changed the firm.
    const byTime = await data(yoga, query, { a: p1, asOf: { timestamp: midTime } });
    expect(byTime.member.asOfBlock).toBeLessThanOrEqual(mid);
    expect(byTime.member).toMatchObject({
      status: "ACTIVE",
      practices: atMid.member.practices.map(() => expect.anything()),
    });
    // The associate's grant existed at the midpoint; their votes were not yet cut by the revocation.
    const associate = await data(yoga, query, { a: scenario.associate, asOf: { block: mid } });
    expect(associate.member).toMatchObject({ grants: [{ id: "6" }], equity: { votes: "1000", units: "0" } });
    // Before their admission the associate was no member: NOT_FOUND, not a null without a reason.
    const before = await gql(yoga, query, {
      a: scenario.associate,
      asOf: { block: scenario.manifest.startBlock },
    });
    expect(before.body.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });
});

async function proposalSnapshots(ids: bigint[]): Promise<number[]> {
  const rows = await db
    .execute(
      sql`select snapshot from proposals where proposal_id = any(${sql.param(ids.map(String))}::numeric[])`,
    )
    .then((r) => (r as unknown as { rows: { snapshot: number }[] }).rows);
  return rows.map((row) => Number(row.snapshot));
}

describe("majorities, expulsions, covers, leads and withdrawals", () => {
  it("reads a cover that accepted, held the ballot and stepped down while the leave went on", async () => {
    const { member } = await data(
      yoga,
      `query($a: String!) { member(address: $a) { leaves { from until endedEarly coverAsked coverMember { address }
         coverAcceptedAt coverEndedAt coverUntil coverStatus } } }`,
      { a: p3 },
    );
    const [leave] = member.leaves;
    expect(leave).toMatchObject({
      coverAsked: p4,
      coverMember: { address: p4 },
      endedEarly: false,
      coverStatus: "ENDED",
    });
    expect(leave.coverUntil).toBe(leave.coverEndedAt);
    expect(leave.coverEndedAt).toBeLessThan(leave.until);
    const at = await data(
      yoga,
      `query($a: String!, $t0: Timestamp!, $t1: Timestamp!, $t2: Timestamp!) { member(address: $a) { leaves {
         s0: coverStatus(at: $t0) s1: coverStatus(at: $t1) s2: coverStatus(at: $t2)
         h0: coverHolds(at: $t0) h1: coverHolds(at: $t1) h2: coverHolds(at: $t2) } } }`,
      { a: p3, t0: leave.coverAcceptedAt - 1, t1: leave.coverAcceptedAt, t2: leave.coverEndedAt },
    );
    expect(at.member.leaves).toEqual([
      { s0: "ASKED", s1: "HOLDING", s2: "ENDED", h0: false, h1: true, h2: false },
    ]);
    const [cover, from, until, inForce, coverFrom, coverUntil] = await read<
      [Address, number, number, boolean, number, number]
    >("partnership", "leaveOf", [p3]);
    expect([lower(cover), from, until, inForce, coverFrom, coverUntil]).toEqual([
      p4,
      leave.from,
      leave.until,
      false,
      leave.coverAcceptedAt,
      leave.coverUntil,
    ]);
    // a2 was asked by nobody: a partner with no leave has none to show.
    const nobody = await data(yoga, `query($a: String!) { member(address: $a) { leaves { coverAsked } } }`, {
      a: scenario.newPartner,
    });
    expect(nobody.member.leaves).toEqual([]);
  });

  it("answers a member's withdrawal as the withdrawal desk books it", async () => {
    const { member } = await data(
      yoga,
      `query($a: String!) { member(address: $a) { status equity { units }
         withdrawal { unitsWithdrawn totalUnits withdrawnAt transaction { hash timestamp }
           shares { token credited claimed owed skipped } } } }`,
      { a: p5 },
    );
    const zero = "0x0000000000000000000000000000000000000000";
    const [ethOwed, tokenOwed] = await Promise.all([
      read<bigint>("withdrawals", "owed", [p5, zero]),
      read<bigint>("withdrawals", "owed", [p5, scenario.token]),
    ]);
    expect(member).toMatchObject({
      status: "REMOVED",
      equity: { units: "0" },
      withdrawal: { unitsWithdrawn: "1000" },
    });
    expect(BigInt(member.withdrawal.totalUnits)).toBeGreaterThan(1_000n);
    expect(member.withdrawal.transaction.timestamp).toBe(member.withdrawal.withdrawnAt);
    const [eth, usd] = member.withdrawal.shares;
    expect(eth).toMatchObject({ token: zero, owed: ethOwed.toString(), skipped: false });
    expect(eth.claimed).toBe(eth.credited);
    expect(usd).toMatchObject({
      token: scenario.token,
      claimed: "0",
      owed: tokenOwed.toString(),
      skipped: false,
    });
    expect(BigInt(usd.credited)).toBeGreaterThan(0n);
    // Before the withdrawal, and for a member who never withdrew: none.
    const { member: before } = await data(
      yoga,
      `query($a: String!, $b: Int!) { member(address: $a, asOf: { block: $b }) { withdrawal { unitsWithdrawn } } }`,
      { a: p5, b: Number(scenario.midBlock) },
    );
    expect(before.withdrawal).toBeNull();
    const { member: stayed } = await data(
      yoga,
      `query($a: String!) { member(address: $a) { withdrawal { unitsWithdrawn } } }`,
      {
        a: p2,
      },
    );
    expect(stayed.withdrawal).toBeNull();
  });
});

describe("batching", () => {
  it("answers a page of members with one query per table, not one per member", async () => {
    // prom-client hands out its live value objects: copy the numbers before the query moves them.
    const batches = async () =>
      new Map((await api.metrics.loaderBatches.get()).values.map((v) => [String(v.labels.loader), v.value]));
    const before = await batches();
    await data(
      yoga,
      "{ members(first: 7) { edges { node { address practices { practice { slug } } equity { units votingPower } grants { id } leaves { from } } } } }",
    );
    const after = await batches();
    for (const loader of [
      "accounts",
      "equity_history",
      "grants",
      "leaves",
      "practice_members",
      "practices",
    ]) {
      expect((after.get(loader) ?? 0) - (before.get(loader) ?? 0), loader).toBe(1);
    }
  });
});

describe("subscriptions over SSE", () => {
  it("delivers a member's change", async () => {
    const changes = await subscribe(
      yoga,
      `subscription($a: String!) { memberChanged(address: $a) { address status leave { cover } } }`,
      {
        a: p2,
      },
    );
    try {
      const wallet = (await connection.viem.getWalletClients()).find((w) => lower(w.account.address) === p2);
      const until = (await chainNow()) + 7 * 86_400;
      const hash = await wallet!.writeContract({
        address: scenario.manifest.contracts.partnership,
        abi: partnershipAbi,
        functionName: "declareLeave",
        args: [until, p4],
      });
      await publicClient.waitForTransactionReceipt({ hash });
      await bus.publish((await mirror.catchUp())!);
      expect(await changes.next(2_000)).toEqual({
        data: { memberChanged: { address: p2, status: "ON_LEAVE", leave: { cover: p4 } } },
      });
    } finally {
      await changes.close();
    }
  });
});
