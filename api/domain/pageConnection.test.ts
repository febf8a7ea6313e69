import { describe, expect, it } from "vitest";
import { data, gql, type Loose } from "../testing/client.ts";
import { p4, useScenarioSuite, yoga } from "../testing/scenarioSuite.ts";
import { encodeCursor } from "./pagination.ts";

useScenarioSuite();

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
    expect(ids).toHaveLength(11);
    expect(new Set(ids).size).toBe(11);
  });

  it("pages a practice's seats and a proposal's ballots", async () => {
    const first = await data(
      yoga,
      `{ practice(slug: "cloud") { members(first: 1) { pageInfo { hasNextPage endCursor } edges { node { account } } } } }`,
    );
    const rest = await data(
      yoga,
      `query($a: String) { practice(slug: "cloud") { members(first: 1, after: $a) { pageInfo { hasNextPage } edges { node { account } } } } }`,
      {
        a: first.practice.members.pageInfo.endCursor,
      },
    );
    // Cloud seats its lead and the associate (its retired founder left no seat).
    expect(first.practice.members.edges).toHaveLength(1);
    expect(first.practice.members.pageInfo.hasNextPage).toBe(true);
    expect(rest.practice.members).toMatchObject({ pageInfo: { hasNextPage: false } });
    expect(rest.practice.members.edges).toHaveLength(1);
    const filtered = await data(
      yoga,
      `{ practice(slug: "cloud") { members(role: LEAD) { totalCount edges { node { account } } } } }`,
    );
    expect(filtered.practice.members).toEqual({ totalCount: 1, edges: [{ node: { account: p4 } }] });
  });
});
