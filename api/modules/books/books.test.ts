// The books on the scenario's mirror: deposits of cloud (one reference repeated), a sweep, a budget
// payment and a payment by proposal, the close of the month with its pool, distribution and proposal,
// a pool claim; the budget's use; bad arguments.
import { describe, expect, it } from "vitest";
import { data, gql } from "../../testing/client.ts";
import { scenario, useScenarioSuite, yoga } from "../../testing/scenarioSuite.ts";
import { BOOKS_QUERY } from "../../web/public/books.js";
import { formatMonth } from "./inputs.ts";

useScenarioSuite();

const USDC = (units: number) => (BigInt(units) * 1_000_000n).toString();
/** A base-unit amount of the 6-decimal stablecoin in token units, by string arithmetic. */
const units = (base: string) => `${base.slice(0, -6) || "0"}.${base.slice(-6).padStart(6, "0")}`;

/** The errors of a query that must fail. */
async function errors(query: string) {
  return (await gql(yoga, query)).body.errors ?? [];
}

describe("the books", () => {
  it("shows revenue by practice, the firm's costs and the closed month", async () => {
    const month = formatMonth(scenario.books.month);
    const { books } = await data(
      yoga,
      `{ books(from: "${month}", to: "${month}") { from to
          rows { month practice { slug } token { address symbol decimals } revenue expenses net budgetUsed budgetRemaining distributed closed
            revenueFormatted expensesFormatted netFormatted budgetUsedFormatted budgetRemainingFormatted distributedFormatted }
          totals { token { address } revenue expenses net distributed revenueFormatted netFormatted }
          closes { month net toPractices lockstep carriedLoss netFormatted lockstepFormatted proposal { title } distribution { id amount } pools { id amount practice { slug } } } } }`,
    );
    expect(books.from).toBe(month);
    const cloud = books.rows.find((r: { practice: { slug: string } }) => r.practice.slug === "cloud");
    const firm = books.rows.find((r: { practice: { slug: string } }) => r.practice.slug === "");
    expect(cloud).toMatchObject({ revenue: USDC(5_250), expenses: "0", net: USDC(5_250), closed: true });
    // Read from the chain by the indexer's enrich step when the vote allowed the token.
    expect(cloud.token).toMatchObject({ address: scenario.token, symbol: "tUSD", decimals: 6 });
    expect(firm).toMatchObject({
      revenue: USDC(40),
      expenses: USDC(300),
      net: `-${USDC(260)}`,
      closed: true,
    });
    expect(firm).toMatchObject({ budgetUsed: USDC(300), budgetRemaining: USDC(700) });
    // The same amounts in token units, exact, beside the base units the fields keep.
    expect(cloud).toMatchObject({ revenueFormatted: "5250.000000", expensesFormatted: "0.000000" });
    expect(firm).toMatchObject({
      netFormatted: "-260.000000",
      budgetUsedFormatted: "300.000000",
      budgetRemainingFormatted: "700.000000",
    });
    expect(cloud.budgetUsedFormatted).toBeNull();
    const [close] = books.closes;
    expect(close.proposal.title).toBe("Close the books' month in USDC; pay the audit fee");
    expect(close.distribution.amount).toBe(close.lockstep);
    expect(BigInt(close.toPractices) + BigInt(close.lockstep)).toBe(BigInt(close.net));
    expect(close.lockstepFormatted).toBe(units(close.lockstep));
    expect(books.totals[0].revenueFormatted).toBe(units(books.totals[0].revenue));
    expect(books.totals[0].distributed).toBe((BigInt(close.toPractices) + BigInt(close.lockstep)).toString());
    expect(cloud.distributed).toBe(close.pools[0]?.amount ?? "0");
  });

  it("lists revenue and expenses with their authority, filtered by counterparty and reference", async () => {
    const { revenue, expenses, byRef } = await data(
      yoga,
      `{ revenue(filter: { counterparty: "${scenario.books.client}" }) { totalCount edges { node { kind amount reference repeatedReference repeated practice { slug } } } }
         expenses { totalCount edges { node { kind amount amountFormatted authority budgetId spender proposal { title } memo counterparty repeated } } }
         byRef: revenue(filter: { reference: "INV-1001" }, first: 1) { totalCount edges { node { amount } } pageInfo { hasNextPage } } }`,
    );
    expect(revenue.totalCount).toBe(3);
    expect(
      revenue.edges.map((e: { node: { repeatedReference: boolean } }) => e.node.repeatedReference),
    ).toEqual([false, true, false]);
    // A deposit's `repeated` is the contract's own flag.
    expect(revenue.edges.map((e: { node: { repeated: boolean } }) => e.node.repeated)).toEqual([
      false,
      true,
      false,
    ]);
    expect(expenses.totalCount).toBe(2);
    const [byProposal, byBudget] = expenses.edges.map((e: { node: unknown }) => e.node);
    expect(byProposal).toMatchObject({ authority: "PROPOSAL", budgetId: null, memo: "Audit fee" });
    expect(byProposal.proposal.title).toBe("Close the books' month in USDC; pay the audit fee");
    expect(byBudget).toMatchObject({
      authority: "BUDGET",
      budgetId: "1",
      proposal: null,
      amount: USDC(300),
      amountFormatted: "300.000000",
    });
    expect([byProposal.repeated, byBudget.repeated]).toEqual([false, false]);
    expect(byRef).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: true } });
  });

  it("shows the budgets, the profit rule, the pools and the associate's earnings", async () => {
    const { budget, budgets, profitRule, practicePools, member } = await data(
      yoga,
      `{ budget { id cadence rollover amount spenders used allowance proposal { title } }
         budgets { id practice { slug } }
         profitRule { practiceShareBps leadWeight memberWeight technicianWeight }
         practicePools(practice: "cloud") { totalCount edges { node { amount claimed totalWeight shares { member { address } role weight amount claimed } } } }
         member(address: "${scenario.associate}") { earnings { totals { amount } items { month practice { slug } } } } }`,
    );
    expect(budget).toMatchObject({ id: "1", cadence: "MONTHLY", rollover: true, amount: USDC(1_000) });
    expect(budget.proposal.title).toContain("Books: allow USDC");
    expect(budgets.map((b: { id: string }) => b.id)).toEqual(["1"]);
    expect(profitRule).toEqual({
      practiceShareBps: 5000,
      leadWeight: 3,
      memberWeight: 2,
      technicianWeight: 1,
    });
    expect(practicePools.totalCount).toBe(1);
    const pool = practicePools.edges[0].node;
    const share = pool.shares.find(
      (s: { member: { address: string } }) => s.member.address === scenario.associate,
    );
    expect(share).toMatchObject({ role: "MEMBER", weight: 2, claimed: true });
    expect(BigInt(share.amount)).toBe((BigInt(pool.amount) * 2n) / BigInt(pool.totalWeight));
    expect(pool.claimed).toBe(share.amount);
    expect(member.earnings.totals).toEqual([{ amount: share.amount }]);
    expect(member.earnings.items[0].practice.slug).toBe("cloud");
  });

  it("answers the books page's own query, with the repeated deposit among the latest movements", async () => {
    const month = formatMonth(scenario.books.month);
    const page = await data(yoga, BOOKS_QUERY, { from: month, to: month, practice: null });
    const repeated = [...page.payments.edges, ...page.deposits.edges]
      .map((e: { node: { repeated: boolean; reference: string; kind: string } }) => e.node)
      .filter((node: { repeated: boolean }) => node.repeated);
    expect(repeated).toMatchObject([{ kind: "DEPOSIT", reference: "INV-1001", token: { symbol: "tUSD" } }]);
  });

  it("refuses a bad month, address or practice with the argument and the expected format", async () => {
    const [month] = await errors(`{ books(from: "2026-13") { from } }`);
    expect(month).toMatchObject({ extensions: { code: "BAD_USER_INPUT" } });
    expect(month?.message).toContain('"YYYY-MM"');
    const [address] = await errors(`{ revenue(filter: { counterparty: "0x12" }) { totalCount } }`);
    expect(address?.message).toContain("filter.counterparty");
    const [practice] = await errors(`{ budget(practice: "nope") { id } }`);
    expect(practice).toMatchObject({ extensions: { code: "BAD_USER_INPUT" } });
    expect(practice?.message).toContain("practice");
  });
});

describe("GET /books.csv", () => {
  it("exports every movement oldest first, signed and in token units, quoted per RFC 4180", async () => {
    const response = await yoga.fetch("http://api/books.csv");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/csv");
    const month = formatMonth(scenario.books.month);
    expect(response.headers.get("content-disposition")).toMatch(
      new RegExp(`attachment; filename="books-${month}-\\d{4}-\\d{2}\\.csv"`),
    );
    const lines = (await response.text()).trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "Date,Description,Amount,Practice,Direction,Counterparty,Token,Reference,Transaction,Authority,Repeated",
    );
    // Token units with the token's decimals and its symbol, as the accounting package imports them.
    expect(lines[1]).toMatch(
      /^\d{4}-\d{2}-\d{2},Invoice INV-1001,5000\.000000,cloud,IN,0x[0-9a-f]{40},tUSD,INV-1001,0x/,
    );
    expect(lines.some((l) => l.includes(',"Licences, ""pro"" plan",-300.000000,(firm),OUT,'))).toBe(true);
    expect(
      lines.some(
        (l) =>
          l.includes("Audit fee,-20.000000,(firm),OUT") &&
          l.endsWith(`,PROPOSAL ${scenario.proposals.booksClose.id},`),
      ),
    ).toBe(true);
    expect(lines.some((l) => /,BUDGET 1 by 0x[0-9a-f]{40},$/.test(l))).toBe(true);
    const cloudOnly = await (
      await yoga.fetch(`http://api/books.csv?practice=cloud&from=${month}&to=${month}`)
    ).text();
    expect(cloudOnly.trimEnd().split("\r\n")).toHaveLength(3);
  });

  it("answers a bad parameter with 400 and one line naming it", async () => {
    const bad = await yoga.fetch("http://api/books.csv?from=2026-1");
    expect(bad.status).toBe(400);
    expect(await bad.text()).toBe('Invalid from "2026-1": expected a month as "YYYY-MM" (e.g. "2026-11").\n');
    const practice = await yoga.fetch("http://api/books.csv?practice=nope");
    expect(practice.status).toBe(400);
    expect(await practice.text()).toContain("Invalid practice");
  });
});
