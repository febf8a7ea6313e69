// End to end, with nothing stubbed: a firm's life through real governance on Hardhat's chain (served
// over JSON-RPC), the real sync engine (createIndexer: preflight with the firm's ABI probes, backfill,
// live following) and the real mirror, on PGlite and on a PostgreSQL database of its own. When the
// indexer reaches the head, the audit finds nothing the mirror gets wrong, raw_events holds every
// firm log once, and the derived tables hold the rows the API will serve.
import { asc, eq } from "drizzle-orm";
import { network } from "hardhat";
import { parseEther, zeroAddress } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as schema from "../store/schema.ts";
import type { CommitNotice } from "../store/types.ts";
import { proposalBases, proposalStateAt } from "../store/views.ts";
import { type FirmScenario, runFirmScenario } from "../testing/firmScenario.ts";
import { postgresAvailable } from "../testing/postgres.ts";
import { startIndexer } from "./support/indexer.ts";
import {
  type Backend,
  expectMirrorOfChain,
  type Mirror,
  openMirrorOn,
  waitForChainHead,
} from "./support/mirror.ts";
import { type RpcBridge, serveProvider } from "./support/rpcBridge.ts";

const hasPostgres = await postgresAvailable();
const connection = await network.connect();
let scenario: FirmScenario;
let bridge: RpcBridge;

beforeAll(async () => {
  scenario = await runFirmScenario(connection);
  bridge = await serveProvider(connection.provider);
});
afterAll(async () => {
  await bridge?.close();
  await connection.close();
});

const lower = (addresses: readonly string[]) => addresses.map((a) => a.toLowerCase());

describe.each<Backend>(["pglite", "postgres"])(
  "a firm's life indexed by the sync engine on %s",
  (backend) => {
    let mirror: Mirror;
    const notices: CommitNotice[] = [];

    beforeAll(async () => {
      if (backend === "postgres" && !hasPostgres) return;
      const { manifest, publicClient } = scenario;
      mirror = await openMirrorOn(backend, manifest);
      // Small ranges, so that the backfill commits several of them and live following the rest.
      const running = startIndexer({
        rpcUrl: bridge.url,
        store: mirror.store,
        manifest,
        config: { maxBlockRange: 7, finalityDepth: 5 },
        onCommit: (notice) => notices.push(notice),
      });
      await waitForChainHead(
        publicClient,
        () => mirror.store.checkpoint(),
        () => running.indexer.status().phase === "failed",
      );
      expect(running.indexer.status().phase).toBe("live");
      expect(await running.stop()).toBeUndefined();
    });
    afterAll(async () => {
      await mirror?.close();
    });

    const test = backend === "postgres" && !hasPostgres ? it.skip : it;

    test("reaches the head with a clean audit and every firm log exactly once", async () => {
      const { manifest, publicClient } = scenario;
      const audit = await expectMirrorOfChain(mirror.db, publicClient, manifest);
      expect(audit.blockNumber).toBe(scenario.lastBlock);
      expect(audit.checked).toEqual({
        members: 7,
        practices: 2,
        grants: 8,
        balances: 7,
        proposals: 15,
        leaves: 7,
        withdrawals: 3,
        // Four profiles and a mentor link.
        directory: 5,
        // ETH and the stablecoin, the firm's budget and its one period's spending, and its three flows.
        books: 7,
      });
      // Every range was announced once, in order, ending at the head.
      const ends = notices.map((n) => n.toBlock);
      expect(ends).toEqual([...ends].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      expect(new Set(ends).size).toBe(ends.length);
      expect(ends.at(-1)).toBe(scenario.lastBlock);
      expect(notices.length).toBeGreaterThan(3);
      const announced = new Set(notices.flatMap((n) => n.proposalIds));
      expect([...announced].sort()).toEqual(
        Object.values(scenario.proposals)
          .map((p) => p.id.toString())
          .sort(),
      );
    });

    test("stores an allowed token's symbol and decimals, read from the chain by the sync stage", async () => {
      const tokens = await mirror.db
        .select({
          token: schema.bookTokens.token,
          allowed: schema.bookTokens.allowed,
          symbol: schema.bookTokens.symbol,
          decimals: schema.bookTokens.decimals,
        })
        .from(schema.bookTokens);
      // TestStablecoin: "tUSD", 6 decimals (contracts/mocks/TestStablecoin.sol).
      expect(tokens).toEqual([{ token: scenario.token, allowed: true, symbol: "tUSD", decimals: 6 }]);
    });

    test("holds members with their roles, statuses, leave, successor and admitting proposal", async () => {
      const [p1, p2, p3, p4, p5] = lower(scenario.founders);
      const rows = await mirror.db
        .select({
          address: schema.members.address,
          memberIndex: schema.members.memberIndex,
          role: schema.members.role,
          status: schema.members.status,
          successor: schema.members.successor,
          leaveCover: schema.members.leaveCover,
          admissionProposalId: schema.members.admissionProposalId,
          departureProposalId: schema.members.departureProposalId,
        })
        .from(schema.members)
        .orderBy(asc(schema.members.memberIndex));
      const founder = (address: string | undefined, index: number) => ({
        address,
        memberIndex: index,
        role: "Partner",
        status: "Active",
        successor: null,
        leaveCover: null,
        admissionProposalId: null,
        departureProposalId: null,
      });
      const { admissions, retire, expulsion } = scenario.proposals;
      expect(rows).toEqual([
        { ...founder(p1, 1), status: "Retired", successor: p4, departureProposalId: retire.id },
        { ...founder(p2, 2), leaveCover: p3 },
        // p3's leave lapsed: the stored OnLeave reads Active from its end.
        { ...founder(p3, 3), status: "OnLeave", leaveCover: p4 },
        founder(p4, 4),
        { ...founder(p5, 5), status: "Removed", departureProposalId: expulsion.id },
        { ...founder(scenario.associate, 6), role: "Associate", admissionProposalId: admissions.id },
        { ...founder(scenario.newPartner, 7), admissionProposalId: admissions.id },
      ]);
      const leaves = await mirror.db.select().from(schema.leaves).orderBy(asc(schema.leaves.leaveId));
      expect(leaves).toHaveLength(2);
      // p3 accepted p2's request, and the cover ended with the leave; p4 accepted p3's and stepped down.
      expect(leaves[0]).toMatchObject({ partner: p2, cover: p3 });
      expect(leaves[0]?.endedAt).not.toBeNull();
      expect(leaves[0]?.coverEndedAt).toBe(leaves[0]?.endedAt);
      expect(leaves[1]).toMatchObject({ partner: p3, cover: p4, endedAt: null });
      expect(leaves[1]?.coverAcceptedAt).not.toBeNull();
      expect(leaves[1]?.coverEndedAt).toBeLessThan(leaves[1]?.untilAt ?? 0);
    });

    test("holds the practice with its lead after the succession, and its seats", async () => {
      const [p1, , , p4] = lower(scenario.founders);
      const [cloud] = await mirror.db
        .select()
        .from(schema.practices)
        .where(eq(schema.practices.slug, "cloud"));
      expect(cloud).toMatchObject({
        slug: "cloud",
        name: "Cloud Services",
        lead: p4,
        status: "Active",
        // p4 leading and the associate: the retirement emptied p1's seat.
        memberCount: 2,
        createdProposalId: scenario.proposals.practice.id,
      });
      const seats = await mirror.db
        .select({ account: schema.practiceMembers.account, role: schema.practiceMembers.role })
        .from(schema.practiceMembers)
        .where(eq(schema.practiceMembers.practiceId, cloud?.practiceId ?? ""))
        .orderBy(asc(schema.practiceMembers.role), asc(schema.practiceMembers.account));
      // p1's row stays, emptied (role None), so the seat's history keeps its last state.
      expect(seats).toEqual([
        { account: p4, role: "Lead" },
        { account: scenario.associate, role: "Member" },
        { account: p1, role: "None" },
      ]);
      // The lead's history: p1 from creation, p4 from the retirement on.
      const leads = await mirror.db
        .select({ lead: schema.practiceHistory.lead })
        .from(schema.practiceHistory)
        .where(eq(schema.practiceHistory.practiceId, cloud?.practiceId ?? ""))
        .orderBy(asc(schema.practiceHistory.blockNumber), asc(schema.practiceHistory.logIndex));
      expect([...new Set(leads.map((row) => row.lead))]).toEqual([p1, p4]);
      // Security's lead was expelled with no successor: it has none, and names nobody.
      const [security] = await mirror.db
        .select()
        .from(schema.practices)
        .where(eq(schema.practices.slug, "security"));
      expect(security).toMatchObject({ lead: null, status: "Active" });
    });

    test("holds the grants: released, revoked with the forfeit, and linked to their proposals", async () => {
      const grants = await mirror.db.select().from(schema.grants).orderBy(asc(schema.grants.grantId));
      expect(grants.map((g) => g.grantId)).toEqual([1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n]);
      for (const founderGrant of grants.slice(1, 4)) {
        expect(founderGrant).toMatchObject({ units: 1_000n, released: 1_000n, revokedAt: null });
      }
      // p5's removal closes their grant (all vested and released): the units stayed theirs.
      expect(grants[4]).toMatchObject({
        released: 1_000n,
        forfeited: 0n,
        revokedProposalId: scenario.proposals.expulsion.id,
      });
      // The retirement closes the retiree's grants: all of p1's had vested and been released.
      expect(grants[0]).toMatchObject({
        units: 1_000n,
        released: 1_000n,
        forfeited: 0n,
        revokedProposalId: scenario.proposals.retire.id,
      });
      const [revoked, partnerGrant, coverGrant] = grants.slice(5);
      expect(revoked).toMatchObject({
        beneficiary: scenario.associate,
        units: 1_000n,
        createdProposalId: scenario.proposals.admissions.id,
        revokedProposalId: scenario.proposals.revoke.id,
      });
      expect(revoked?.revokedAt).not.toBeNull();
      expect(revoked?.released).toBeGreaterThan(0n);
      expect(revoked?.forfeited).toBeGreaterThan(0n);
      expect((revoked?.released ?? 0n) + (revoked?.forfeited ?? 0n)).toBeLessThanOrEqual(1_000n);
      expect(partnerGrant).toMatchObject({ beneficiary: scenario.newPartner, units: 500n, released: 0n });
      expect(coverGrant).toMatchObject({
        beneficiary: lower(scenario.founders)[3],
        units: 200n,
        createdProposalId: scenario.proposals.coverVote.id,
      });
    });

    test("holds every proposal with its intents and its state at the head", async () => {
      const { proposals: p } = scenario;
      const rows = await mirror.db.select().from(schema.proposals);
      const head = await scenario.publicClient.getBlock({ blockNumber: scenario.lastBlock });
      const stateOf = new Map<bigint, string>();
      for (const row of rows) {
        stateOf.set(
          row.proposalId,
          proposalStateAt(row, await proposalBases(mirror.db, row), Number(head.timestamp)),
        );
      }
      const actions = await mirror.db
        .select()
        .from(schema.proposalActions)
        .orderBy(asc(schema.proposalActions.actionIndex));
      const intentsOf = (id: bigint) => actions.filter((a) => a.proposalId === id).map((a) => a.intent);
      const expected: [keyof typeof p, string, string[]][] = [
        ["practice", "Executed", ["CREATE_PRACTICE"]],
        ["admissions", "Executed", ["ADMIT_MEMBER", "ADMIT_MEMBER"]],
        ["coverVote", "Executed", ["GRANT_EQUITY"]],
        ["revoke", "Executed", ["REVOKE_GRANT"]],
        ["retire", "Executed", ["SUCCESSION"]],
        ["distribution", "Executed", ["DISTRIBUTE"]],
        ["settings", "Executed", ["SET_PARAMETER", "SET_PARAMETER"]],
        ["canceled", "Canceled", ["SUNSET_PRACTICE"]],
        ["defeated", "Defeated", ["CHANGE_PRACTICE_LEAD"]],
        ["expired", "Expired", ["SET_PRACTICE_MEMBER"]],
        ["rules", "Executed", ["SET_PARAMETER", "SET_PARAMETER", "CREATE_PRACTICE", "SET_PARAMETER"]],
        ["expulsion", "Executed", ["REMOVE_MEMBER"]],
        ["booksSetup", "Executed", ["ALLOW_TOKEN", "SET_BUDGET"]],
        ["booksClose", "Executed", ["CLOSE_PERIOD", "OTHER", "DISTRIBUTE", "PAY"]],
        ["active", "Active", ["SET_PARAMETER"]],
      ];
      expect(rows).toHaveLength(expected.length);
      for (const [name, state, intents] of expected) {
        const id = p[name].id;
        expect({ name, state: stateOf.get(id), intents: intentsOf(id) }).toEqual({ name, state, intents });
      }
      const title = rows.find((row) => row.proposalId === p.practice.id)?.title;
      expect(title).toBe("Create the cloud practice");
    });

    test("splits the cover's vote into the partner's ballot, cast by the cover", async () => {
      const [p1, p2, p3, p4] = lower(scenario.founders);
      const rows = await mirror.db
        .select({ voter: schema.votes.voter, castBy: schema.votes.castBy, weight: schema.votes.weight })
        .from(schema.votes)
        .where(eq(schema.votes.proposalId, scenario.proposals.coverVote.id))
        .orderBy(asc(schema.votes.blockNumber), asc(schema.votes.logIndex));
      expect(rows).toEqual([
        { voter: p1, castBy: p1, weight: 1_000n },
        { voter: p3, castBy: p3, weight: 1_000n },
        { voter: p2, castBy: p3, weight: 1_000n },
        { voter: p4, castBy: p4, weight: 1_000n },
      ]);
      const [tally] = await mirror.db
        .select()
        .from(schema.proposals)
        .where(eq(schema.proposals.proposalId, scenario.proposals.coverVote.id));
      expect(tally).toMatchObject({ forEquity: 4_000n, forHeads: 4, againstHeads: 0, abstainHeads: 0 });
    });

    test("holds the distribution with its claims, pro rata, and the reclaim", async () => {
      const [, p2, p3] = lower(scenario.founders);
      const [distribution] = await mirror.db.select().from(schema.distributions);
      const claims = await mirror.db
        .select()
        .from(schema.distributionClaims)
        .orderBy(asc(schema.distributionClaims.blockNumber));
      expect(distribution).toMatchObject({
        distributionId: 1n,
        token: zeroAddress,
        amount: parseEther("2"),
        claims: 2,
        proposalId: scenario.proposals.distribution.id,
      });
      const share = (parseEther("2") * 1_000n) / (distribution?.supplyAtSnapshot ?? 1n);
      expect(claims.map((c) => ({ holder: c.holder, amount: c.amount }))).toEqual([
        { holder: p2, amount: share },
        { holder: p3, amount: share },
      ]);
      expect(distribution?.claimed).toBe(2n * share);
      expect(distribution?.reclaimed).toBe(parseEther("2") - 2n * share);
      const [buyback] = await mirror.db.select().from(schema.buybacks);
      expect(buyback).toMatchObject({
        account: lower(scenario.founders)[0],
        amount: 1_000n,
        price: parseEther("1"),
        proposalId: scenario.proposals.retire.id,
      });
    });
  },
);
