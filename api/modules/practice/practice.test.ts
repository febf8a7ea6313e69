// Practices (their leads and seats, now and as of a point, and the list), against a mirror built from a
// real chain: the firm's life (indexer/testing/firmScenario.ts) on Hardhat's in-process chain, served by
// buildApp and queried through yoga.fetch with no port (api/testing/scenarioSuite.ts). Answers are checked
// against the contracts' own views where they have one.
import { sql } from "drizzle-orm";
import type { Address, Hex } from "viem";
import { describe, expect, it } from "vitest";
import * as schema from "../../../indexer/store/schema.ts";
import { data } from "../../testing/client.ts";
import {
  db,
  lower,
  p1,
  p4,
  p5,
  read,
  scenario,
  useScenarioSuite,
  yoga,
} from "../../testing/scenarioSuite.ts";

useScenarioSuite();

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
      members: { totalCount: 2, pageInfo: { hasNextPage: false } },
    });
    const seats = practice.members.edges.map((e: { node: { account: string; role: string } }) => [
      e.node.account,
      e.node.role,
    ]);
    // p1, the founding lead, retired: the retirement emptied their seat.
    expect(seats).toEqual(
      [
        [p4, "LEAD"],
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

describe("majorities, expulsions, covers, leads and withdrawals", () => {
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
      // The expulsion emptied p5's seat as well: a removed member holds none.
      members: { edges: [] },
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
});
