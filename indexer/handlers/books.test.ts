// Books' handlers, run in memory over synthetic logs (no database): one movement row per money
// movement, budget spending per period, a payment by proposal and a close linked to the proposal and
// distribution of their transaction, pools claimed and reclaimed.
import { type Hex, keccak256, toHex, zeroAddress, zeroHash } from "viem";
import { describe, expect, it } from "vitest";
import { rowKey } from "../store/entities.ts";
import { MirrorMemory } from "../store/mirror.ts";
import { handlerHarness } from "../testing/handlerHarness.ts";
import { SyntheticChain } from "../testing/syntheticChain.ts";
import { addMonths, monthOf, periodOf } from "./books.ts";

const { manifest, e, account, apply } = handlerHarness({ accountBase: 0xb000 });
const [client, payee, lead] = [account(1), account(2), account(3)];
const usd = account(99);
const practice: Hex = keccak256(toHex("msp"));

describe("month arithmetic as the contract's", () => {
  it("months, quarters and steps across years", () => {
    expect(monthOf(Date.UTC(2026, 10, 30, 23, 59, 59) / 1000)).toBe(202611);
    expect(periodOf("Quarterly", 202611)).toBe(202610);
    expect(periodOf("Quarterly", 202603)).toBe(202601);
    expect(periodOf("Monthly", 202603)).toBe(202603);
    expect(addMonths(202601, -1)).toBe(202512);
    expect(addMonths(202610, -3)).toBe(202607);
    expect(addMonths(202612, 1)).toBe(202701);
  });
});

describe("books handlers", () => {
  it("mirror deposits, sweeps, budget payments, a payment by proposal, a close and its pool", () => {
    const chain = new SyntheticChain(manifest);
    const mirror = new MirrorMemory();
    // Proposals the governor's handlers would have mirrored (their creation is not what this tests).
    mirror.tables.proposals.load([77n, 78n, 79n, 80n].map((proposalId) => ({ proposalId }) as never));
    const month = monthOf(Number(chain.nextTimestamp));
    const proposalId = 77n;
    chain.block([
      [
        e("books", "TokenAllowed", { token: usd, allowed: true }),
        e("books", "BudgetSet", {
          budgetId: 1n,
          practiceId: practice,
          token: usd,
          amount: 1_000n,
          cadence: 1,
          rollover: true,
          spenders: [lead],
        }),
        e("governor", "ProposalExecuted", { proposalId }),
      ],
      [
        e("books", "Deposited", {
          practiceId: practice,
          token: usd,
          from: client,
          amount: 5_000n,
          ref: "INV-1",
          month,
          repeatedReference: false,
        }),
        e("books", "Deposited", {
          practiceId: zeroHash,
          token: usd,
          from: zeroAddress,
          amount: 7n,
          ref: "",
          month,
          repeatedReference: false,
        }),
      ],
      [
        e("books", "Paid", {
          budgetId: 1n,
          practiceId: practice,
          payee,
          token: usd,
          amount: 300n,
          spender: lead,
          ref: "B-1",
          memo: "licences",
          month,
        }),
      ],
      [
        e("books", "Paid", {
          budgetId: 0n,
          practiceId: zeroHash,
          payee,
          token: usd,
          amount: 50n,
          spender: manifest.contracts.timelock,
          ref: "",
          memo: "",
          month,
        }),
        e("governor", "ProposalExecuted", { proposalId: 78n }),
      ],
    ]);
    apply(mirror, chain.range());

    const movements = mirror.tables.bookMovements.all();
    expect(movements.map((m) => [m.kind, m.direction, m.amount])).toEqual([
      ["DEPOSIT", "IN", 5_000n],
      ["SWEEP", "IN", 7n],
      ["PAYMENT", "OUT", 300n],
      ["PAYMENT", "OUT", 50n],
    ]);
    expect(movements[1]?.counterparty).toBeNull();
    expect(movements[2]).toMatchObject({ budgetId: 1n, proposalId: null, spender: lead, memo: "licences" });
    // The payment by proposal has no budget and its proposal as authority.
    expect(movements[3]).toMatchObject({ budgetId: null, proposalId: 78n, reference: null });
    expect(mirror.tables.budgets.require("1")).toMatchObject({ cadence: "Quarterly", proposalId });
    expect(mirror.tables.bookTokens.require(usd)).toMatchObject({
      allowed: true,
      proposalId,
      decimals: null,
    });
    const period = periodOf("Quarterly", month);
    expect(mirror.tables.budgetSpending.require(rowKey([1n, period])).spent).toBe(300n);
    // The month's flows, as Books.flowOf keeps them: what `books` reads instead of summing movements.
    const flow = (id: Hex) => mirror.tables.bookFlows.get(rowKey([month, id, usd]));
    expect(flow(practice)).toMatchObject({ revenue: 5_000n, expenses: 300n });
    expect(flow(zeroHash)).toMatchObject({ revenue: 7n, expenses: 50n });

    // A new budget for the practice replaces the first, which no longer counts as in force.
    chain.block([
      [
        e("books", "BudgetSet", {
          budgetId: 2n,
          practiceId: practice,
          token: usd,
          amount: 500n,
          cadence: 0,
          rollover: false,
          spenders: [],
        }),
        e("governor", "ProposalExecuted", { proposalId: 79n }),
      ],
    ]);
    // The close (PeriodClosed, its pool, the distribution) in one proposal's transaction.
    chain.block(
      [
        [
          e("books", "PeriodClosed", {
            month,
            token: usd,
            net: 4_657n,
            toPractices: 2_000n,
            lockstep: 2_657n,
            carriedLoss: 0n,
          }),
          e("books", "PoolCreated", {
            poolId: 1n,
            month,
            practiceId: practice,
            token: usd,
            amount: 2_000n,
            totalWeight: 5n,
            timepoint: 1,
            claimDeadline: 2,
          }),
          e("revenueShare", "DistributionCreated", {
            distributionId: 4n,
            token: usd,
            amount: 2_657n,
            snapshotId: 1n,
            supplyAtSnapshot: 4_000n,
            claimDeadline: 2,
          }),
          e("governor", "ProposalExecuted", { proposalId: 80n }),
        ],
        [e("books", "PoolClaimed", { poolId: 1n, member: lead, amount: 1_200n })],
        [e("books", "PoolReclaimed", { poolId: 1n, amount: 800n, month: addMonths(month, 1) })],
      ],
      40n * 86_400n,
    );
    apply(mirror, chain.range());
    expect(mirror.tables.budgets.require("1").revoked).toBe(true);
    expect(mirror.tables.budgets.require("2")).toMatchObject({ revoked: false, cadence: "Monthly" });
    expect(mirror.tables.periodCloses.require(rowKey([month, usd]))).toMatchObject({
      proposalId: 80n,
      distributionId: 4n,
      lockstep: 2_657n,
    });
    expect(mirror.tables.practicePools.require("1")).toMatchObject({ claimed: 1_200n, reclaimed: 800n });
    expect(mirror.tables.poolClaims.all()).toHaveLength(1);
    const later = mirror.tables.bookMovements.all().slice(4);
    expect(later.map((m) => [m.kind, m.direction, m.amount, m.proposalId])).toEqual([
      ["LOCKSTEP", "OUT", 2_657n, 80n],
      ["POOL_CLAIM", "OUT", 1_200n, null],
      ["POOL_RECLAIM", "IN", 800n, null],
    ]);
    expect(later[1]).toMatchObject({ practiceId: practice, counterparty: lead, poolId: 1n });
    expect(later[2]).toMatchObject({ practiceId: zeroHash, month: addMonths(month, 1) });
  });
});
