// The API against a mirror built from a real chain: the firm's life (indexer/audit/scenario.ts) on
// Hardhat's in-process chain, applied to the store in ranges, served by buildApp and queried through
// yoga.fetch with no port. Answers are checked against the contracts' own views where they have one
// (votes, vesting, proposal state, membership). The last suites change the chain and the mirror (a
// tampered row, a new ballot), so they run last.
import { sql } from "drizzle-orm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { printSchema } from "graphql/index.js";
import { network } from "hardhat";
import { pino } from "pino";
import { type Address, decodeFunctionResult, type Hex, type PublicClient } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { firmGovernorAbi, partnershipAbi, practicesAbi, withdrawalsAbi } from "../contracts/abi.ts";
import type { FirmScenario } from "../indexer/audit/scenario.ts";
import { runFirmScenario } from "../indexer/audit/scenario.ts";
import { PROPOSAL_STATES } from "../indexer/decode/enums.ts";
import { createDatabase, type Database } from "../indexer/store/db.ts";
import * as schema from "../indexer/store/schema.ts";
import { proposalBases } from "../indexer/store/views.ts";
import { type BuildAppReturnType, buildApp } from "./app.ts";
import { type CommitBus, createCommitBus } from "./createCommitBus.ts";
import { encodeCursor } from "./domain/pagination.ts";
import { createApiSchema } from "./modules/index.ts";
import { data, gql, type Loose, subscribe, type TestYoga } from "./testing/client.ts";
import { mirrorScenario, type ScenarioMirror } from "./testing/scenarioMirror.ts";

const connection = await network.connect();
let scenario: FirmScenario;
let db: Database;
let mirror: ScenarioMirror;
let bus: CommitBus;
let api: BuildAppReturnType;
let yoga: TestYoga;
let publicClient: PublicClient;
/** The chain head the app is told about (no RPC in the readiness path). */
let headBlock = 0;
/** Warnings the app logged (verifyMembership's disagreements). */
const warnings: Record<string, unknown>[] = [];

const lower = (address: string) => address.toLowerCase() as Address;
let p1: Address;
let p2: Address;
let p3: Address;
let p4: Address;
let p5: Address;

beforeAll(async () => {
  scenario = await runFirmScenario(connection);
  publicClient = scenario.publicClient;
  [p1, p2, p3, p4, p5] = scenario.founders.map(lower) as [Address, Address, Address, Address, Address];
  db = await createDatabase({ dataDir: "memory://" });
  mirror = await mirrorScenario(scenario, db);
  bus = await createCommitBus();
  headBlock = Number(scenario.lastBlock);
  const logger = pino({ level: "warn" }, { write: (line: string) => void warnings.push(JSON.parse(line)) });
  api = buildApp({
    db,
    manifest: scenario.manifest,
    publicClient,
    bus,
    head: async () => ({ blockNumber: headBlock }),
    logger,
    options: { readyMaxLagBlocks: 5, rateLimitPerMinute: 0 },
  });
  yoga = api.yoga;
});

afterAll(async () => {
  await mirror?.store.close();
  await bus?.close();
  await db?.close();
  await connection.close();
});

/** The contracts' view of something, at the latest block. */
function read<T>(
  contract: "partnership" | "governor" | "practices" | "withdrawals",
  functionName: string,
  args: unknown[],
): Promise<T> {
  const abi = {
    partnership: partnershipAbi,
    governor: firmGovernorAbi,
    practices: practicesAbi,
    withdrawals: withdrawalsAbi,
  }[contract];
  return publicClient.readContract({
    address: scenario.manifest.contracts[contract],
    abi,
    functionName,
    args,
  } as never) as Promise<T>;
}

async function chainNow(): Promise<number> {
  return Number((await publicClient.getBlock()).timestamp);
}

describe("the schema", () => {
  it("is the published contract", () => {
    // A change here is a change to every client's contract: update the snapshot deliberately.
    expect(printSchema(createApiSchema())).toMatchSnapshot();
  });
});

describe("firm and indexing status", () => {
  it("describes the deployment, its parameters in force and its counts", async () => {
    const { firm } = await data(
      yoga,
      `{ firm { name deployment chainId startBlock contracts { partnership practices revenueShare governor timelock withdrawals }
         parameters { votingDelay votingPeriod gracePeriod equityQuorumBps headcountQuorumBps timelockDelay claimWindow
           expulsionEquityBps expulsionHeadcountBps minLeave leaveCooldown }
         treasuryTokens
         counts { members activeMembers onLeave partners practices activePractices proposals grants distributions } } }`,
    );
    const { manifest } = scenario;
    const [leaveRules, expulsionBps, listed] = await Promise.all([
      read<[number, number]>("partnership", "leaveRules", []),
      read<[number, number]>("governor", "expulsionQuorumBps", []),
      read<Address[]>("withdrawals", "treasuryTokens", []),
    ]);
    expect(firm).toEqual({
      name: "MSP IT Partners",
      deployment: manifest.name,
      chainId: manifest.chainId,
      startBlock: manifest.startBlock,
      contracts: Object.fromEntries(Object.entries(manifest.contracts).map(([k, v]) => [k, lower(v)])),
      parameters: {
        votingDelay: Number(await read("governor", "votingDelay", [])),
        votingPeriod: Number(await read("governor", "votingPeriod", [])),
        gracePeriod: 14 * 86_400,
        // "Tune governance" set these.
        equityQuorumBps: 3_000,
        headcountQuorumBps: 5_000,
        timelockDelay: 86_400,
        claimWindow: 30 * 86_400,
        // The constitutional proposal set these.
        expulsionEquityBps: expulsionBps[0],
        expulsionHeadcountBps: expulsionBps[1],
        minLeave: leaveRules[0],
        leaveCooldown: leaveRules[1],
      },
      treasuryTokens: listed.map(lower),
      counts: {
        members: 7,
        // p1 retired, p5 removed.
        activeMembers: 5,
        onLeave: 0,
        partners: 4,
        practices: 2,
        activePractices: 2,
        proposals: 13,
        grants: 8,
        distributions: 1,
      },
    });
    expect(firm.parameters).toMatchObject({
      expulsionEquityBps: 8_000,
      expulsionHeadcountBps: 7_000,
      minLeave: 2 * 86_400,
      leaveCooldown: 10 * 86_400,
    });
    expect(firm.treasuryTokens).toEqual([scenario.token]);
  });

  it("reports the indexed block against the injected head", async () => {
    headBlock = Number(scenario.lastBlock) + 3;
    const { indexingStatus } = await data(
      yoga,
      "{ indexingStatus { chainId headBlock indexedBlock indexedTimestamp finalizedBlock lagBlocks synced maxLagBlocks } }",
    );
    const block = await publicClient.getBlock({ blockNumber: scenario.lastBlock });
    expect(indexingStatus).toEqual({
      chainId: scenario.manifest.chainId,
      headBlock: Number(scenario.lastBlock) + 3,
      indexedBlock: Number(scenario.lastBlock),
      indexedTimestamp: Number(block.timestamp),
      finalizedBlock: null,
      lagBlocks: 3,
      synced: true,
      maxLagBlocks: 5,
    });
    headBlock = Number(scenario.lastBlock);
  });
});

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

describe("practices", () => {
  it("answers a practice with its creator proposal, lead and seats", async () => {
    const { practice } = await data(
      yoga,
      `{ practice(slug: "cloud") { id slug name lead leadMember { address role } status createdAt createdBy { title }
         creation { hash blockNumber timestamp } sunsetAt sunsetBy { id } memberCount asOfBlock
         members { totalCount pageInfo { hasNextPage } edges { cursor node { account role since member { status } practice { slug } } } } } }`,
    );
    const [id, name, lead, status, createdAt, memberCount] = await read<
      [Hex, string, Address, number, number, bigint]
    >("practices", "practice", ["cloud"]);
    expect(practice).toMatchObject({
      id,
      slug: "cloud",
      name,
      lead: lower(lead),
      leadMember: { address: p4, role: "PARTNER" },
      status: status === 1 ? "ACTIVE" : "SUNSET",
      createdAt: Number(createdAt),
      createdBy: { title: "Create the cloud practice" },
      sunsetAt: null,
      sunsetBy: null,
      memberCount: Number(memberCount),
      members: { totalCount: 3, pageInfo: { hasNextPage: false } },
    });
    const seats = practice.members.edges.map((e: { node: { account: string; role: string } }) => [
      e.node.account,
      e.node.role,
    ]);
    expect(seats).toEqual(
      [
        [p4, "LEAD"],
        [p1, "MEMBER"],
        [scenario.associate, "MEMBER"],
      ].sort((a, b) => (a[0] as string).localeCompare(b[0] as string)),
    );
  });

  it("answers a practice as of a block: its lead and seats then", async () => {
    const mid = Number(scenario.midBlock);
    const { practice } = await data(
      yoga,
      `query($b: Int!) { practice(slug: "cloud", asOf: { block: $b }) { lead leadMember { address status } asOfBlock
         members { totalCount edges { node { account role member { status } } } } } }`,
      { b: mid },
    );
    expect(practice).toMatchObject({
      lead: p1,
      leadMember: { address: p1, status: "ACTIVE" },
      asOfBlock: mid,
    });
    expect(practice.members.totalCount).toBe(2);
    expect(practice.members.edges.map((e: { node: { account: string; role: string } }) => e.node)).toEqual(
      expect.arrayContaining([
        { account: p1, role: "LEAD", member: { status: "ACTIVE" } },
        { account: scenario.associate, role: "MEMBER", member: { status: "ACTIVE" } },
      ]),
    );
  });

  it("filters practices by status and lead", async () => {
    const q = `query($w: PracticeWhere) { practices(where: $w) { totalCount edges { node { slug } } } }`;
    expect((await data(yoga, q, { w: { status: "ACTIVE" } })).practices.totalCount).toBe(2);
    expect((await data(yoga, q, { w: { status: "SUNSET" } })).practices.edges).toEqual([]);
    expect(
      (await data(yoga, q, { w: { lead: p4.toUpperCase().replace("0X", "0x") } })).practices.totalCount,
    ).toBe(1);
    expect((await data(yoga, q, { w: { lead: p1 } })).practices.totalCount).toBe(0);
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
    expect(proposals.totalCount).toBe(13);
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
    expect((await count({ state: "EXECUTED" })).totalCount).toBe(9);
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
    expect((await count({ kind: "MIXED" })).totalCount).toBe(1);
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

  it("answers a practice left without a lead, and its lead before the expulsion", async () => {
    const { practice } = await data(
      yoga,
      `{ practice(slug: "security") { lead leadMember { address } status createdBy { title }
         members { edges { node { account role member { status } } } } } }`,
    );
    const [, , chainLead] = await read<[Hex, string, Address]>("practices", "practice", ["security"]);
    expect(chainLead).toBe("0x0000000000000000000000000000000000000000");
    expect(practice).toEqual({
      lead: null,
      leadMember: null,
      status: "ACTIVE",
      createdBy: { title: "Constitution: leave rules, expulsion quorum, security practice, treasury token" },
      members: { edges: [{ node: { account: p5, role: "MEMBER", member: { status: "REMOVED" } } }] },
    });
    const [row] = await db
      .select({ block: schema.proposals.createdBlock })
      .from(schema.proposals)
      .where(sql`${schema.proposals.proposalId} = ${scenario.proposals.expulsion.id.toString()}::numeric`);
    const before = await data(
      yoga,
      `query($b: Int!) { practice(slug: "security", asOf: { block: $b }) { lead leadMember { address status } } }`,
      { b: Number(row?.block) },
    );
    expect(before.practice).toEqual({ lead: p5, leadMember: { address: p5, status: "ACTIVE" } });
  });

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

describe("grants and distributions", () => {
  it("vests exactly as the contract does, at any time", async () => {
    const now = await chainNow();
    const { grants } = await data(
      yoga,
      "{ grants(first: 100) { totalCount edges { node { id start cliff end revokedAt } } } }",
    );
    expect(grants.totalCount).toBe(8);
    for (const { node } of grants.edges) {
      const times = [
        node.start - 1,
        node.start,
        node.cliff - 1,
        node.cliff,
        (node.start + node.end) >> 1,
        node.end - 1,
        node.end,
        now,
      ];
      const fields = times.map((t, i) => `v${i}: vestedAt(at: ${Math.max(t, 0)})`).join(" ");
      const { grant } = await data(yoga, `query($id: String!) { grant(id: $id) { ${fields} } }`, {
        id: node.id,
      });
      const expected = await Promise.all(
        times.map((t) => read<bigint>("partnership", "vestedAt", [BigInt(node.id), BigInt(Math.max(t, 0))])),
      );
      expect(Object.values(grant), `grant ${node.id}`).toEqual(expected.map(String));
    }
  });

  it("gives releasable units, a schedule and the next unlock", async () => {
    const now = await chainNow();
    const { grant } = await data(
      yoga,
      `{ grant(id: "7") { id beneficiary beneficiaryMember { role } units released revoked forfeited releasableAt
         schedule(points: 5) { at vested } nextUnlock { at vested } createdBy { title } revokedBy { id } creation { hash timestamp } } }`,
    );
    const releasable = await read<bigint>("partnership", "releasable", [7n]);
    expect(grant).toMatchObject({
      id: "7",
      beneficiary: scenario.newPartner,
      beneficiaryMember: { role: "PARTNER" },
      units: "500",
      released: "0",
      revoked: false,
      forfeited: null,
      releasableAt: releasable.toString(),
      createdBy: { title: "Admit two members" },
      revokedBy: null,
    });
    expect(grant.schedule).toHaveLength(5);
    expect(grant.schedule.at(-1).vested).toBe("500");
    // The next unlock is the first second at which one more unit has vested.
    const { at, vested } = grant.nextUnlock;
    const [before, after, current] = await Promise.all(
      [at - 1, at, now].map((t) => read<bigint>("partnership", "vestedAt", [7n, BigInt(t)])),
    );
    expect(BigInt(vested)).toBe(after);
    expect(before).toBe(current);
    expect(after).toBeGreaterThan(current as bigint);

    const revoked = await data(
      yoga,
      `{ grant(id: "6") { revoked revokedAt forfeited nextUnlock { at } revokedBy { title } } }`,
    );
    expect(revoked.grant).toMatchObject({
      revoked: true,
      nextUnlock: null,
      revokedBy: { title: "Revoke grant 6" },
    });
  });

  it("filters grants by beneficiary and revocation", async () => {
    const q = `query($w: GrantWhere) { grants(where: $w) { totalCount edges { node { id } } } }`;
    expect((await data(yoga, q, { w: { beneficiary: p4 } })).grants.edges).toEqual([
      { node: { id: "4" } },
      { node: { id: "8" } },
    ]);
    // Grant 6 was revoked by proposal; grant 1 ended with p1's retirement, grant 5 with p5's removal.
    expect((await data(yoga, q, { w: { revoked: true } })).grants.edges).toEqual([
      { node: { id: "1" } },
      { node: { id: "5" } },
      { node: { id: "6" } },
    ]);
    expect((await data(yoga, q, { w: { revoked: false } })).grants.totalCount).toBe(5);
  });

  it("lists distributions with claims, the reclaim and the proposal", async () => {
    const { distributions } = await data(
      yoga,
      `{ distributions { totalCount edges { node { id token amount snapshotId supplyAtSnapshot claimDeadline claimed claims
         reclaimed reclaimedAt createdAt creation { hash } proposal { title } open openEarlier: open(at: 0) } } } }`,
    );
    expect(distributions.totalCount).toBe(1);
    const [{ node }] = distributions.edges;
    expect(node).toMatchObject({
      id: "1",
      token: "0x0000000000000000000000000000000000000000",
      amount: "2000000000000000000",
      claims: 2,
      proposal: { title: "Distribute 2 ETH of Q3 revenue" },
      open: false,
      openEarlier: false,
    });
    expect(BigInt(node.claimed) + BigInt(node.reclaimed)).toBe(2_000_000_000_000_000_000n);
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

describe("pagination", () => {
  const MEMBERS = `query($first: Int, $after: String, $order: MemberOrder) { members(first: $first, after: $after, orderBy: $order) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { index } } } }`;

  it("walks every member in pages, forward, in both orders", async () => {
    for (const [order, expected] of [
      ["ADMITTED_ASC", [1, 2, 3, 4, 5, 6, 7]],
      ["ADMITTED_DESC", [7, 6, 5, 4, 3, 2, 1]],
    ] as const) {
      const seen: number[] = [];
      const pages: number[] = [];
      let after: string | null = null;
      for (;;) {
        const { members }: { members: Record<string, Loose> } = await data(yoga, MEMBERS, {
          first: 3,
          after,
          order,
        });
        seen.push(...members.edges.map((e: { node: { index: number } }) => e.node.index));
        pages.push(members.edges.length);
        expect(members.totalCount).toBe(7);
        expect(members.pageInfo.hasPreviousPage).toBe(after !== null);
        if (!members.pageInfo.hasNextPage) break;
        after = members.pageInfo.endCursor;
      }
      expect(seen).toEqual(expected);
      expect(pages).toEqual([3, 3, 1]);
    }
  });

  it("answers an empty page, and a last page with no next page", async () => {
    const empty = await data(yoga, MEMBERS, { first: 0 });
    expect(empty.members).toMatchObject({
      edges: [],
      pageInfo: { hasNextPage: true, startCursor: null, endCursor: null },
    });
    const all = await data(yoga, MEMBERS, { first: 7 });
    expect(all.members.pageInfo.hasNextPage).toBe(false);
    const past = await data(yoga, MEMBERS, { first: 5, after: all.members.pageInfo.endCursor });
    expect(past.members).toMatchObject({
      edges: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: true },
    });
  });

  it("continues from a stale cursor whose row is gone", async () => {
    // Keyset cursors hold the sort key, not a position: a key with no row (rolled back, say)
    // still marks the place to continue from.
    const { proposals } = await data(
      yoga,
      "{ proposals(first: 3, orderBy: CREATED_ASC) { edges { cursor node { id creation { blockNumber } } } } }",
    );
    const second = proposals.edges[1].node;
    const ghost = encodeCursor("proposals:CREATED_ASC", [second.creation.blockNumber, "1"]);
    const next = await data(
      yoga,
      "query($a: String) { proposals(first: 2, after: $a, orderBy: CREATED_ASC) { edges { node { id } } } }",
      {
        a: ghost,
      },
    );
    expect(next.proposals.edges[0].node.id).toBe(second.id);
    const beyond = encodeCursor("members:ADMITTED_ASC", [1_000_000]);
    expect((await data(yoga, MEMBERS, { after: beyond })).members.edges).toEqual([]);
  });

  it("refuses a page over the maximum and a cursor of another list", async () => {
    const over = await gql(yoga, MEMBERS, { first: 101 });
    expect(over.body.errors?.[0]).toMatchObject({
      extensions: { code: "BAD_USER_INPUT", argument: "first" },
    });
    const { proposals } = await data(yoga, "{ proposals(first: 1) { pageInfo { endCursor } } }");
    const foreign = await gql(yoga, MEMBERS, { after: proposals.pageInfo.endCursor });
    expect(foreign.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const otherOrder = await data(yoga, MEMBERS, { first: 1, order: "ADMITTED_DESC" });
    const mixed = await gql(yoga, MEMBERS, {
      after: otherOrder.members.pageInfo.endCursor,
      order: "ADMITTED_ASC",
    });
    expect(mixed.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("pages through a state filter that SQL alone cannot decide", async () => {
    const ids: string[] = [];
    let after: string | null = null;
    for (;;) {
      const { proposals }: { proposals: Record<string, Loose> } = await data(
        yoga,
        `query($a: String) { proposals(first: 2, after: $a, where: { state: EXECUTED }) { pageInfo { hasNextPage endCursor } edges { node { id state } } } }`,
        { a: after },
      );
      ids.push(...proposals.edges.map((e: { node: { id: string; state: string } }) => e.node.id));
      if (!proposals.pageInfo.hasNextPage) break;
      after = proposals.pageInfo.endCursor;
    }
    expect(ids).toHaveLength(9);
    expect(new Set(ids).size).toBe(9);
  });

  it("pages a practice's seats and a proposal's ballots", async () => {
    const first = await data(
      yoga,
      `{ practice(slug: "cloud") { members(first: 2) { pageInfo { hasNextPage endCursor } edges { node { account } } } } }`,
    );
    const rest = await data(
      yoga,
      `query($a: String) { practice(slug: "cloud") { members(first: 2, after: $a) { pageInfo { hasNextPage } edges { node { account } } } } }`,
      {
        a: first.practice.members.pageInfo.endCursor,
      },
    );
    expect(first.practice.members.edges).toHaveLength(2);
    expect(rest.practice.members).toMatchObject({ pageInfo: { hasNextPage: false } });
    expect(rest.practice.members.edges).toHaveLength(1);
    const filtered = await data(
      yoga,
      `{ practice(slug: "cloud") { members(role: LEAD) { totalCount edges { node { account } } } } }`,
    );
    expect(filtered.practice.members).toEqual({ totalCount: 1, edges: [{ node: { account: p4 } }] });
  });
});

/** Every code the API may answer with. */
const CODES = [
  "BAD_USER_INPUT",
  "NOT_FOUND",
  "RATE_LIMITED",
  "TIMEOUT",
  "QUERY_TOO_COMPLEX",
  "REQUEST_TOO_LARGE",
  "CHAIN_UNAVAILABLE",
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_REQUEST",
  "INTERNAL_SERVER_ERROR",
];

describe("bad inputs", () => {
  const member = (address: string) => `{ member(address: ${JSON.stringify(address)}) { address } }`;
  const grantAt = (at: string) => `{ grant(id: "7") { vestedAt(at: ${at}) } }`;
  const deep = (levels: number) => {
    let inner = "address";
    for (let i = 0; i < levels; i++)
      inner = `practices { practice { members { edges { node { member { ${inner} } } } } } }`;
    return `{ member(address: "${"0x".padEnd(42, "1")}") { ${inner} } }`;
  };
  const aliases = (count: number) =>
    `{ ${Array.from({ length: count }, (_, i) => `a${i}: firm { name }`).join(" ")} }`;
  const cases: [
    name: string,
    code: string,
    body: string | { query: string; variables?: Record<string, unknown> },
  ][] = [
    ["a short address", "BAD_USER_INPUT", member("0x123")],
    ["a word for an address", "BAD_USER_INPUT", member("alice")],
    ["an empty address", "BAD_USER_INPUT", member("")],
    ["41 hex digits", "BAD_USER_INPUT", member(`0x${"a".repeat(41)}`)],
    ["a wrong EIP-55 checksum", "BAD_USER_INPUT", member("0x70997970C51812dc3A010C7d01b50e0d17dc79C9")],
    ["an SQL-looking address", "BAD_USER_INPUT", member("0x' OR '1'='1")],
    ["an unknown member", "NOT_FOUND", member(`0x${"1".repeat(40)}`)],
    ["an uppercase slug", "BAD_USER_INPUT", `{ practice(slug: "Cloud") { name } }`],
    ["a 33-character slug", "BAD_USER_INPUT", `{ practice(slug: "${"a".repeat(33)}") { name } }`],
    [
      "an SQL-looking slug",
      "BAD_USER_INPUT",
      `{ practice(slug: "cloud'; DROP TABLE members; --") { name } }`,
    ],
    ["an unknown slug", "NOT_FOUND", `{ practice(slug: "accounting") { name } }`],
    ["a word for a proposal id", "BAD_USER_INPUT", `{ proposal(id: "abc") { id } }`],
    ["a negative proposal id", "BAD_USER_INPUT", `{ proposal(id: "-1") { id } }`],
    ["a proposal id in exponent form", "BAD_USER_INPUT", `{ proposal(id: "1e5") { id } }`],
    ["a proposal id above 2^256", "BAD_USER_INPUT", `{ proposal(id: "${"9".repeat(79)}") { id } }`],
    ["an unknown proposal", "NOT_FOUND", `{ proposal(id: "123") { id } }`],
    ["an SQL-looking grant id", "BAD_USER_INPUT", `{ grant(id: "1 OR 1=1") { id } }`],
    ["an unknown grant", "NOT_FOUND", `{ grant(id: "999") { id } }`],
    ["a negative time", "BAD_USER_INPUT", grantAt("-1")],
    ["a time past year 9999", "BAD_USER_INPUT", grantAt("253402300800")],
    ["a huge time string", "BAD_USER_INPUT", grantAt('"99999999999999999999"')],
    ["a word for a time", "BAD_USER_INPUT", grantAt('"yesterday"')],
    ["an impossible date", "BAD_USER_INPUT", grantAt('"2026-13-45T00:00:00Z"')],
    ["a date-time with no zone", "BAD_USER_INPUT", grantAt('"2026-01-01T00:00:00"')],
    ["a fractional time", "BAD_USER_INPUT", grantAt("1.5")],
    [
      "a time as a variable of the wrong kind",
      "BAD_USER_INPUT",
      { query: 'query($t: Timestamp) { grant(id: "7") { vestedAt(at: $t) } }', variables: { t: { at: 1 } } },
    ],
    [
      "an empty asOf",
      "BAD_USER_INPUT",
      `{ member(address: "${"0x".padEnd(42, "1")}", asOf: {}) { address } }`,
    ],
    [
      "asOf with block and time",
      "BAD_USER_INPUT",
      `{ practice(slug: "cloud", asOf: { block: 1, timestamp: 1 }) { name } }`,
    ],
    ["a negative asOf block", "BAD_USER_INPUT", `{ practice(slug: "cloud", asOf: { block: -5 }) { name } }`],
    [
      "an asOf block not indexed yet",
      "BAD_USER_INPUT",
      `{ practice(slug: "cloud", asOf: { block: 2000000000 }) { name } }`,
    ],
    [
      "an asOf time not indexed yet",
      "BAD_USER_INPUT",
      `{ practice(slug: "cloud", asOf: { timestamp: 253402300799 }) { name } }`,
    ],
    [
      "an asOf block above Int",
      "GRAPHQL_VALIDATION_FAILED",
      `{ practice(slug: "cloud", asOf: { block: 99999999999 }) { name } }`,
    ],
    ["a page over the maximum", "BAD_USER_INPUT", "{ members(first: 1000) { totalCount } }"],
    ["a negative page", "BAD_USER_INPUT", "{ members(first: -1) { totalCount } }"],
    [
      "a page size as a string variable",
      "BAD_USER_INPUT",
      { query: "query($f: Int) { members(first: $f) { totalCount } }", variables: { f: "ten" } },
    ],
    ["a garbage cursor", "BAD_USER_INPUT", `{ members(after: "garbage!") { totalCount } }`],
    [
      "a base64 cursor of nothing",
      "BAD_USER_INPUT",
      `{ members(after: "${Buffer.from("[1,2,3]").toString("base64url")}") { totalCount } }`,
    ],
    [
      "a forged cursor with SQL",
      "BAD_USER_INPUT",
      `{ grants(after: "${encodeCursor("grants:ID_ASC", ["1; DROP TABLE grants"])}") { totalCount } }`,
    ],
    ["an overlong cursor", "BAD_USER_INPUT", `{ members(after: "${"A".repeat(600)}") { totalCount } }`],
    ["a bad practice filter", "BAD_USER_INPUT", `{ members(where: { practice: "CLOUD" }) { totalCount } }`],
    [
      "an SQL-looking proposer filter",
      "BAD_USER_INPUT",
      `{ proposals(where: { proposer: "robert'); DROP TABLE proposals;--" }) { totalCount } }`,
    ],
    ["a schedule of 1,000 points", "BAD_USER_INPUT", `{ grant(id: "7") { schedule(points: 1000) { at } } }`],
    [
      "a bad slug to verify",
      "BAD_USER_INPUT",
      `{ verifyMembership(practice: "no such!", address: "${p4Placeholder()}") { verified } }`,
    ],
    [
      "a bad address to verify",
      "BAD_USER_INPUT",
      `{ verifyMembership(practice: "cloud", address: "0xnope") { verified } }`,
    ],
    ["an unknown field", "GRAPHQL_VALIDATION_FAILED", "{ firm { ceo } }"],
    ["a syntax error", "GRAPHQL_PARSE_FAILED", "{ firm { name "],
    ["a depth bomb", "QUERY_TOO_COMPLEX", deep(4)],
    ["an alias bomb", "QUERY_TOO_COMPLEX", aliases(200)],
    ["a token bomb", "QUERY_TOO_COMPLEX", `{ firm { ${"name ".repeat(2_500)} } }`],
    [
      "a nested-page bomb",
      "QUERY_TOO_COMPLEX",
      "{ members(first: 100) { edges { node { votes(first: 100) { edges { node { proposal { votes(first: 100) { totalCount } } } } } } } } }",
    ],
    ["a huge body", "REQUEST_TOO_LARGE", `{ firm { name } } # ${"x".repeat(200_000)}`],
  ];

  it("has at least 30 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases)("%s → HTTP 200 or 400 with %s", async (_, code, body) => {
    const request = typeof body === "string" ? { query: body } : body;
    const { status, body: response } = await gql(yoga, request.query, request.variables);
    expect([200, 400]).toContain(status);
    expect(response.errors?.length).toBeGreaterThan(0);
    for (const error of response.errors ?? []) {
      expect(CODES).toContain(error.extensions?.code);
    }
    expect(response.errors?.map((e) => e.extensions?.code)).toContain(code);
    expect(JSON.stringify(response)).not.toMatch(/\bat .+:\d+:\d+|stack|node_modules/);
  });

  it("refuses a malformed JSON body with a coded 400", async () => {
    const response = await yoga.fetch("http://api.test/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{ not json",
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe("BAD_REQUEST");
  });
});

/** A valid address for queries that must fail on another argument. */
function p4Placeholder(): string {
  return `0x${"4".repeat(40)}`;
}

describe("unexpected errors", () => {
  it("are masked with a request id and logged, never shown", async () => {
    // A database whose every query fails, with the kind of detail a client must never see.
    const client = {
      query: async () => {
        throw new Error("connection to server at 10.0.0.5 refused (password for user firm: hunter2)");
      },
    };
    const broken = Object.assign(drizzlePglite({ client: client as never, schema }), {
      driver: "pglite" as const,
      close: async () => {},
    }) as unknown as Database;
    const logged: Record<string, unknown>[] = [];
    const { yoga: brokenYoga } = buildApp({
      db: broken,
      manifest: scenario.manifest,
      bus,
      head: async () => null,
      logger: pino({ level: "error" }, { write: (line: string) => void logged.push(JSON.parse(line)) }),
    });
    const { status, headers, body } = await gql(brokenYoga, `{ proposal(id: "1") { id } }`, undefined, {
      headers: { "x-request-id": "req-42" },
    });
    expect(status).toBe(200);
    expect(headers.get("x-request-id")).toBe("req-42");
    expect(body.errors).toEqual([
      {
        message: "Unexpected error. Quote request id req-42 when reporting it.",
        locations: [{ line: 1, column: 3 }],
        path: ["proposal"],
        extensions: { code: "INTERNAL_SERVER_ERROR", requestId: "req-42" },
      },
    ]);
    expect(JSON.stringify(body)).not.toContain("hunter2");
    expect(
      logged.some((line) => line.requestId === "req-42" && line.msg === "Unexpected error in a resolver"),
    ).toBe(true);
  });
});

describe("endpoints", () => {
  const get = (target: TestYoga, path: string, headers: Record<string, string> = {}) =>
    target.fetch(`http://api.test${path}`, { headers });

  it("answers liveness at /health", async () => {
    expect((await get(yoga, "/health")).status).toBe(200);
  });

  it("is ready only while the mirror is within the configured lag of the head", async () => {
    const ready = await get(yoga, "/ready");
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, lagBlocks: 0, maxLagBlocks: 5 });
    headBlock = Number(scenario.lastBlock) + 6;
    try {
      const behind = await get(yoga, "/ready");
      expect(behind.status).toBe(503);
      expect(await behind.json()).toMatchObject({ ready: false, lagBlocks: 6 });
    } finally {
      headBlock = Number(scenario.lastBlock);
    }
    const { yoga: headless } = buildApp({ db, manifest: scenario.manifest, bus, head: async () => null });
    expect((await get(headless, "/ready")).status).toBe(503);
  });

  it("serves Prometheus metrics: requests, latency, errors by code, loader hits", async () => {
    await gql(yoga, `{ member(address: "0x1") { address } }`);
    await data(
      yoga,
      `{ members(first: 2) { edges { node { practices { practice { lead leadMember { address } } } } } } }`,
    );
    const response = await get(yoga, "/metrics");
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toMatch(/firm_api_requests_total\{route="graphql",status="200"\} \d+/);
    expect(text).toMatch(/firm_api_request_duration_seconds_bucket\{le="0.05",operation="query"\} \d+/);
    expect(text).toMatch(/firm_api_errors_total\{code="BAD_USER_INPUT"\} \d+/);
    expect(text).toMatch(/firm_api_dataloader_loads_total\{loader="members",result="miss"\} \d+/);
    expect(text).toMatch(/firm_api_dataloader_batches_total\{loader="practices"\} \d+/);
  });

  it("serves GraphiQL outside production only", async () => {
    const page = await get(yoga, "/graphql", { accept: "text/html" });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    const { yoga: production } = buildApp({
      db,
      manifest: scenario.manifest,
      bus,
      head: async () => null,
      options: { graphiql: false },
    });
    const refused = await get(production, "/graphql", { accept: "text/html" });
    expect(refused.headers.get("content-type") ?? "").not.toContain("text/html");
  });

  it("answers CORS preflights for the configured origins only", async () => {
    const preflight = (target: TestYoga, origin: string) =>
      target.fetch("http://api.test/graphql", {
        method: "OPTIONS",
        headers: {
          origin,
          "access-control-request-method": "POST",
          "access-control-request-headers": "content-type",
        },
      });
    const { yoga: portal } = buildApp({
      db,
      manifest: scenario.manifest,
      bus,
      head: async () => null,
      options: { corsOrigins: ["https://portal.example"] },
    });
    expect(
      (await preflight(portal, "https://portal.example")).headers.get("access-control-allow-origin"),
    ).toBe("https://portal.example");
    expect(
      (await preflight(portal, "https://evil.example")).headers.get("access-control-allow-origin"),
    ).not.toBe("https://evil.example");
    // CORS off (the default): no browser origin is allowed.
    expect(
      (await preflight(yoga, "https://portal.example")).headers.get("access-control-allow-origin"),
    ).toBeNull();
  });

  it("limits each client address per minute, and never health checks", async () => {
    const { yoga: limited } = buildApp({
      db,
      manifest: scenario.manifest,
      bus,
      head: async () => null,
      options: { rateLimitPerMinute: 3 },
    });
    for (let i = 0; i < 3; i++)
      expect((await gql(limited, "{ firm { name } }", undefined, { ip: "203.0.113.9" })).status).toBe(200);
    const refused = await gql(limited, "{ firm { name } }", undefined, { ip: "203.0.113.9" });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: "RATE_LIMITED" });
    expect((await gql(limited, "{ firm { name } }", undefined, { ip: "203.0.113.10" })).status).toBe(200);
    expect((await get(limited, "/health")).status).toBe(200);
  });

  it("stops a request that runs past the timeout", async () => {
    const slow = {
      getBlock: () => new Promise((resolve) => setTimeout(resolve, 5_000)),
    } as unknown as PublicClient;
    const { yoga: impatient } = buildApp({
      db,
      manifest: scenario.manifest,
      publicClient: slow,
      bus,
      head: async () => null,
      options: { requestTimeoutMs: 200 },
    });
    const started = performance.now();
    const { body } = await gql(
      impatient,
      `{ verifyMembership(practice: "cloud", address: "${p4}") { verified } }`,
    );
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: "TIMEOUT", timeoutMs: 200 });
  });

  it("serves the same over a real socket, with a streamed body limit", async () => {
    const server = api.app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const { port } = server.address() as { port: number };
    try {
      const url = `http://127.0.0.1:${port}/graphql`;
      const ok = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ firm { name } }" }),
      });
      expect(ok.status).toBe(200);
      expect(ok.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
      expect(await ok.json()).toEqual({ data: { firm: { name: "MSP IT Partners" } } });
      // No Content-Length (a chunked upload): the limit counts bytes as they arrive.
      const chunk = new TextEncoder().encode(" ".repeat(10_000));
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent++ < 20) controller.enqueue(chunk);
          else controller.close();
        },
      });
      const chunked = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: stream,
        duplex: "half",
      } as RequestInit);
      expect(chunked.status).toBe(400);
      expect(await chunked.json()).toMatchObject({ errors: [{ extensions: { code: "REQUEST_TOO_LARGE" } }] });
      expect((await fetch(`http://127.0.0.1:${port}/nowhere`)).status).toBe(404);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("verifyMembership", () => {
  const VERIFY = `query($s: String!, $a: String!) { verifyMembership(practice: $s, address: $a) {
    verified reason slug address role status practiceRole since practiceSince checkedAtBlock checkedAt chainId registry mirrorBlock
    practice { slug } member { address } admission { hash blockNumber }
    mirror { isMember role status practiceRole memberSince practiceSince }
    chain { isMember role status practiceRole memberSince practiceSince }
    howToVerify { method to data block blockNumber returns jsonRpc } } }`;

  it("verifies an active member, with an eth_call anyone can rerun", async () => {
    const { verifyMembership } = await data(yoga, VERIFY, { s: "cloud", a: scenario.associate });
    expect(verifyMembership).toMatchObject({
      verified: true,
      reason: null,
      slug: "cloud",
      address: scenario.associate,
      role: "ASSOCIATE",
      status: "ACTIVE",
      practiceRole: "MEMBER",
      chainId: scenario.manifest.chainId,
      registry: lower(scenario.manifest.contracts.practices),
      practice: { slug: "cloud" },
      member: { address: scenario.associate },
      mirror: { isMember: true },
      chain: { isMember: true },
    });
    expect(verifyMembership.mirror).toEqual(verifyMembership.chain);
    const { to, data: calldata, blockNumber, jsonRpc } = verifyMembership.howToVerify;
    const raw = await publicClient.call({ to, data: calldata, blockNumber: BigInt(blockNumber) });
    const decoded = decodeFunctionResult({
      abi: practicesAbi,
      functionName: "membership",
      data: raw.data as Hex,
    });
    expect(decoded.isMember).toBe(true);
    expect(JSON.parse(jsonRpc)).toMatchObject({
      method: "eth_call",
      params: [{ to, data: calldata }, verifyMembership.howToVerify.block],
    });
  });

  it("does not verify a retired partner, and says why", async () => {
    const { verifyMembership } = await data(yoga, VERIFY, { s: "cloud", a: p1 });
    expect(verifyMembership).toMatchObject({
      verified: false,
      reason: "The account has left the firm (retired).",
      status: "RETIRED",
      practiceRole: "MEMBER",
      mirror: { isMember: false },
      chain: { isMember: false },
    });
  });

  it("does not verify when the chain cannot be read", async () => {
    const failing = {
      getBlock: async () => {
        throw new Error("connect ECONNREFUSED https://user:secret@rpc.example/key");
      },
    } as unknown as PublicClient;
    const { yoga: offline } = buildApp({
      db,
      manifest: scenario.manifest,
      publicClient: failing,
      bus,
      head: async () => null,
    });
    const { body } = await gql(offline, VERIFY, { s: "cloud", a: p4 });
    expect(body.errors?.[0]?.extensions?.code).toBe("CHAIN_UNAVAILABLE");
    expect(JSON.stringify(body)).not.toContain("secret");
  });

  it("does not verify when the mirror was tampered with, and warns", async () => {
    await db.execute(sql`UPDATE practice_members SET role = 'None' WHERE account = ${scenario.associate}`);
    try {
      const { verifyMembership } = await data(yoga, VERIFY, { s: "cloud", a: scenario.associate });
      expect(verifyMembership).toMatchObject({
        verified: false,
        mirror: { isMember: false },
        chain: { isMember: true },
      });
      expect(verifyMembership.reason).toMatch(
        /^The mirror and the chain disagree \(isMember: mirror false, chain true; practiceRole: mirror None, chain Member/,
      );
      expect(warnings).toContainEqual(
        expect.objectContaining({
          msg: "Membership mirror disagrees with the chain",
          slug: "cloud",
          address: scenario.associate,
        }),
      );
    } finally {
      await db.execute(
        sql`UPDATE practice_members SET role = 'Member' WHERE account = ${scenario.associate}`,
      );
    }
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
