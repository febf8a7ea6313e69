// Proposals (state at any time, quorums, majorities, ballots, the list and the proposalUpdated and
// voteCast feeds), against a mirror built from a real chain: the firm's life (indexer/testing/firmScenario.ts)
// on Hardhat's in-process chain, served by buildApp and queried through yoga.fetch with no port
// (api/testing/scenarioSuite.ts). Answers are checked against the contracts' own views where they have
// one. The last suite casts a ballot on the chain, so it runs last.
import { sql } from "drizzle-orm";
import type { Address } from "viem";
import { describe, expect, it } from "vitest";
import { firmGovernorAbi } from "../../../contracts/abi.ts";
import { PROPOSAL_STATES } from "../../../indexer/decode/enums.ts";
import * as schema from "../../../indexer/store/schema.ts";
import { proposalBases } from "../../../indexer/store/views.ts";
import { data, subscribe } from "../../testing/client.ts";
import {
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

describe("proposals", () => {
  const PROPOSAL_FIELDS = `id kind title description proposer proposerMember { address } state snapshot voteStart voteEnd eta
    createdAt creation { hash blockNumber timestamp } queuedAt executedAt execution { hash blockNumber } canceledAt
    actions { index target value calldata intent arguments summary }
    tally { for { equity headcount } against { equity headcount } abstain { equity headcount } }
    quorum { reached equity { bps base required counted reached } headcount { bps base required counted reached } }
    votes(first: 10) { totalCount edges { node { voter castBy support weight } } } recusals`;

  it("answers a proposal with its intent, timeline, tally, quorums and ballots", async () => {
    const { proposal } = await data(
      yoga,
      `query($id: String!) { proposal(id: $id) { ${PROPOSAL_FIELDS} } }`,
      {
        id: scenario.proposals.coverVote.id.toString(),
      },
    );
    expect(proposal).toMatchObject({
      id: scenario.proposals.coverVote.id.toString(),
      kind: "GRANT_EQUITY",
      title: "Grant p4 200 units",
      description: "Grant p4 200 units",
      proposer: p1,
      proposerMember: { address: p1 },
      state: "EXECUTED",
      canceledAt: null,
      actions: [
        {
          index: 0,
          target: lower(scenario.manifest.contracts.partnership),
          value: "0",
          calldata: scenario.proposals.coverVote.calldatas[0],
          intent: "GRANT_EQUITY",
          arguments: { beneficiary: p4, units: "200", start: 0, cliff: 0, duration: 365 * 86_400 },
        },
      ],
      tally: {
        for: { equity: "4000", headcount: 4 },
        against: { equity: "0", headcount: 0 },
        abstain: { equity: "0", headcount: 0 },
      },
      quorum: { reached: true, equity: { reached: true }, headcount: { reached: true } },
      votes: { totalCount: 4 },
      recusals: [],
    });
    expect(proposal.votes.edges).toContainEqual({
      node: { voter: p2, castBy: p3, support: "FOR", weight: "1000" },
    });
    expect(proposal.voteEnd).toBeGreaterThan(proposal.voteStart);
    expect(proposal.eta).toBeGreaterThan(proposal.voteEnd);
    expect(proposal.execution.blockNumber).toBeGreaterThan(proposal.creation.blockNumber);
  });

  it("states every proposal as the governor does, and decodes their kinds", async () => {
    const { proposals } = await data(
      yoga,
      "{ proposals(first: 100, orderBy: CREATED_ASC) { totalCount edges { node { id kind state } } } }",
    );
    expect(proposals.totalCount).toBe(15);
    for (const { node } of proposals.edges) {
      const state = await read<number>("governor", "state", [BigInt(node.id)]);
      expect(node.state, node.id).toBe(PROPOSAL_STATES[state]?.toUpperCase());
    }
    expect(proposals.edges.map((e: { node: { kind: string } }) => e.node.kind)).toEqual([
      "CREATE_PRACTICE",
      "ADMIT_MEMBER",
      "GRANT_EQUITY",
      "REVOKE_GRANT",
      "SUCCESSION",
      "DISTRIBUTE",
      "SET_PARAMETER",
      "SUNSET_PRACTICE",
      "CHANGE_PRACTICE_LEAD",
      "SET_PRACTICE_MEMBER",
      "MIXED",
      "REMOVE_MEMBER",
      "MIXED",
      "MIXED",
      "SET_PARAMETER",
    ]);
  });

  it("follows the clock with no event: states at past and future times", async () => {
    const q = `query($id: String!, $t1: Timestamp!, $t2: Timestamp!, $t3: Timestamp!, $t4: Timestamp!) { proposal(id: $id) {
      a: state(at: $t1) b: state(at: $t2) c: state(at: $t3) d: state(at: $t4) snapshot voteEnd eta queuedAt executedAt } }`;
    const active = await data(yoga, "query($id: String!) { proposal(id: $id) { snapshot voteEnd } }", {
      id: scenario.proposals.active.id.toString(),
    });
    const { snapshot, voteEnd } = active.proposal;
    const open = await data(yoga, q, {
      id: scenario.proposals.active.id.toString(),
      t1: snapshot,
      t2: snapshot + 1,
      t3: voteEnd,
      t4: voteEnd + 1,
    });
    // One ballot of 1,000 units misses the 30% equity quorum: once voting ends it is defeated.
    expect(open.proposal).toMatchObject({ a: "PENDING", b: "ACTIVE", c: "ACTIVE", d: "DEFEATED" });
    const passed = await data(
      yoga,
      "query($id: String!) { proposal(id: $id) { snapshot voteEnd eta queuedAt executedAt } }",
      {
        id: scenario.proposals.coverVote.id.toString(),
      },
    );
    const p = passed.proposal;
    const history = await data(yoga, q, {
      id: scenario.proposals.coverVote.id.toString(),
      t1: p.snapshot + 1,
      t2: p.voteEnd + 1,
      t3: p.queuedAt,
      t4: p.executedAt,
    });
    expect(history.proposal).toMatchObject({ a: "ACTIVE", b: "SUCCEEDED", c: "QUEUED", d: "EXECUTED" });
    // Had it never been executed, it would have expired after the grace period: not representable
    // here, but a queued-and-never-executed state past eta + grace reads EXPIRED (views.test.ts).
  });

  it("computes the quorum bases exactly as the indexer's views do", async () => {
    const { proposals } = await data(
      yoga,
      "{ proposals(first: 100) { edges { node { id snapshot quorum { equity { base } headcount { base } } } } } }",
    );
    for (const { node } of proposals.edges) {
      const [row] = await db
        .select()
        .from(schema.proposals)
        .where(sql`${schema.proposals.proposalId} = ${node.id}::numeric`);
      if (!row) throw new Error(`no proposal ${node.id}`);
      const bases = await proposalBases(db, row);
      expect([node.quorum.equity.base, node.quorum.headcount.base], node.id).toEqual([
        bases.equityBase.toString(),
        String(bases.headcountBase),
      ]);
    }
  });

  it("filters by state, kind and proposer", async () => {
    const q = `query($w: ProposalWhere) { proposals(where: $w, first: 100) { totalCount edges { node { title state } } } }`;
    const count = async (w: Record<string, unknown>) => (await data(yoga, q, { w })).proposals;
    expect((await count({ state: "EXECUTED" })).totalCount).toBe(11);
    expect((await count({ state: "DEFEATED" })).edges).toEqual([
      { node: { title: "Make p3 lead of cloud", state: "DEFEATED" } },
    ]);
    expect((await count({ state: "ACTIVE" })).edges).toEqual([
      { node: { title: "Longer votes", state: "ACTIVE" } },
    ]);
    expect((await count({ state: "CANCELED" })).totalCount).toBe(1);
    expect((await count({ state: "SUCCEEDED" })).totalCount).toBe(0);
    expect((await count({ state: "PENDING" })).totalCount).toBe(0);
    expect((await count({ state: "QUEUED" })).totalCount).toBe(0);
    // Passed, never queued, past its own grace period.
    expect((await count({ state: "EXPIRED" })).edges).toEqual([
      { node: { title: "Seat a2 in cloud", state: "EXPIRED" } },
    ]);
    // The constitutional proposal holds SET_PARAMETER actions among others.
    expect((await count({ kind: "SET_PARAMETER" })).totalCount).toBe(3);
    // The constitution, and the books' two proposals (allow and budget; close, distribute and pay).
    expect((await count({ kind: "MIXED" })).totalCount).toBe(3);
    expect((await count({ kind: "SET_PARAMETER", state: "EXECUTED" })).edges).toEqual([
      {
        node: {
          title: "Constitution: leave rules, expulsion quorum, security practice, treasury token",
          state: "EXECUTED",
        },
      },
      { node: { title: "Tune governance", state: "EXECUTED" } },
    ]);
    expect((await count({ proposer: p3 })).edges).toEqual([
      { node: { title: "Longer votes", state: "ACTIVE" } },
    ]);
  });
});

describe("majorities, expulsions, covers, leads and withdrawals", () => {
  it("gives every proposal's eligible bases, thresholds, kind and expiry as the governor's views do", async () => {
    const { proposals } = await data(
      yoga,
      `{ proposals(first: 100) { edges { node { id snapshot movesFunds expiresAt subject
         quorum { supermajority forEquityNeeded forHeadcountNeeded equity { base required } headcount { base required } } } } } }`,
    );
    const now = await chainNow();
    let checked = 0;
    for (const { node } of proposals.edges) {
      const id = BigInt(node.id);
      expect(node.subject, node.id).toBe(
        (await read<Address>("governor", "proposalSubject", [id])).toLowerCase().replace(/^0x0{40}$/, "") ||
          null,
      );
      // The views read the partnership's checkpoints at the snapshot, which must be in the past.
      if (node.snapshot >= now) continue;
      const [forEquity, forHeads, supermajority, movesFunds, expiresAt] = await read<
        [bigint, bigint, boolean, boolean, bigint]
      >("governor", "proposalThresholds", [id]);
      const [equityQuorum, headcountQuorum, equityBase, headcountBase] = await read<
        [bigint, bigint, bigint, bigint]
      >("governor", "proposalQuorums", [id]);
      expect(node, node.id).toMatchObject({
        movesFunds,
        expiresAt: Number(expiresAt),
        quorum: {
          supermajority,
          forEquityNeeded: String(forEquity),
          forHeadcountNeeded: Number(forHeads),
          equity: { base: String(equityBase), required: String(equityQuorum) },
          headcount: { base: String(headcountBase), required: String(headcountQuorum) },
        },
      });
      checked += 1;
    }
    expect(checked).toBeGreaterThanOrEqual(12);
  });

  it("states an expulsion: the subject out of both bases, the supermajority of its own rule", async () => {
    const { proposal } = await data(
      yoga,
      `query($id: String!) { proposal(id: $id) { kind state movesFunds subject recusals
         quorum { reached supermajority supermajorityEquityBps supermajorityHeadcountBps forEquityNeeded
           forHeadcountNeeded forReached equity { base } headcount { base } }
         tally { for { equity headcount } } } }`,
      { id: scenario.proposals.expulsion.id.toString() },
    );
    expect(proposal).toEqual({
      kind: "REMOVE_MEMBER",
      state: "EXECUTED",
      movesFunds: false,
      subject: p5,
      recusals: [p5],
      quorum: {
        reached: true,
        supermajority: true,
        supermajorityEquityBps: 8_000,
        supermajorityHeadcountBps: 7_000,
        // p2, p3, p4 and a2 at the snapshot: 3,700 units and four heads; 80% and 70% of them.
        forEquityNeeded: "2960",
        forHeadcountNeeded: 3,
        forReached: true,
        equity: { base: "3700" },
        headcount: { base: "4" },
      },
      tally: { for: { equity: "3200", headcount: 3 } },
    });
    // A plain proposal of the same firm needs a majority of all partners, not of those who voted.
    const { proposal: active } = await data(
      yoga,
      `query($id: String!) { proposal(id: $id) { quorum { supermajority forEquityNeeded forHeadcountNeeded forReached
         equity { base } headcount { base } } } }`,
      { id: scenario.proposals.active.id.toString() },
    );
    expect(active.quorum).toEqual({
      supermajority: false,
      forEquityNeeded: "1851",
      forHeadcountNeeded: 3,
      forReached: false,
      equity: { base: "3700" },
      headcount: { base: "4" },
    });
  });
});

describe("subscriptions over SSE", () => {
  it("delivers a vote cast on chain within a second, and the proposal it updates", async () => {
    const proposalId = scenario.proposals.active.id.toString();
    const votes = await subscribe(
      yoga,
      `subscription($id: String!) { voteCast(proposalId: $id) { voter castBy support weight proposal { tally { for { equity headcount } } } } }`,
      {
        id: proposalId,
      },
    );
    const updates = await subscribe(
      yoga,
      `subscription($id: String!) { proposalUpdated(id: $id) { id tally { for { headcount } } } }`,
      {
        id: proposalId,
      },
    );
    try {
      const wallet = (await connection.viem.getWalletClients()).find((w) => lower(w.account.address) === p4);
      const hash = await wallet!.writeContract({
        address: scenario.manifest.contracts.governor,
        abi: firmGovernorAbi,
        functionName: "castVote",
        args: [scenario.proposals.active.id, 1],
      });
      await publicClient.waitForTransactionReceipt({ hash });
      const started = performance.now();
      const notice = await mirror.catchUp();
      await bus.publish(notice!);
      const event = await votes.next(1_000);
      const elapsed = performance.now() - started;
      expect(event).toEqual({
        data: {
          voteCast: {
            voter: p4,
            castBy: p4,
            support: "FOR",
            weight: "1200",
            proposal: { tally: { for: { equity: "2200", headcount: 2 } } },
          },
        },
      });
      expect(elapsed).toBeLessThan(1_000);
      expect(await updates.next(1_000)).toEqual({
        data: { proposalUpdated: { id: proposalId, tally: { for: { headcount: 2 } } } },
      });
    } finally {
      await votes.close();
      await updates.close();
    }
  });

  it("refuses a malformed subscription argument with a coded error", async () => {
    const response = await yoga.fetch("http://api.test/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify({ query: `subscription { voteCast(proposalId: "nope") { voter } }` }),
    });
    const text = await response.text();
    expect(text).toContain('"code":"BAD_USER_INPUT"');
  });
});
