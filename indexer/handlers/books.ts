// Books events: the firm's operating account. Every movement of money is one book_movements row (so
// revenue, expenses and the CSV are single indexed reads); budgets, what each spent per period,
// closed months and practice pools are entity rows kept as the contract keeps them. A payment by
// proposal, a close and its lockstep learn their proposal from the governor's ProposalExecuted later
// in the same transaction; a close also learns the RevenueShare distribution created there.
import { zeroAddress, zeroHash } from "viem";
import { CADENCES, enumName } from "../decode/enums.ts";
import { rowKey } from "../store/entities.ts";
import type { BookMovementRow } from "../store/mirror.ts";
import type { ContractHandlers, HandlerContext } from "./context.ts";

export type BudgetCadence = (typeof CADENCES)[number];

export const PROFIT_RULE_KEY = "current";
/** Books' profit rule until governance sets one. */
export const DEFAULT_PROFIT_RULE = {
  practiceShareBps: 5_000,
  leadWeight: 3,
  memberWeight: 2,
  technicianWeight: 1,
};

/** yyyymm of a unix time in UTC, as Books.monthOf. */
export function monthOf(unixSeconds: number): number {
  const date = new Date(unixSeconds * 1000);
  return date.getUTCFullYear() * 100 + date.getUTCMonth() + 1;
}

/** The budget period (yyyymm of its first month) containing `month`, as Books._periodOf. */
export function periodOf(cadence: BudgetCadence, month: number): number {
  if (cadence === "Monthly") return month;
  const m = month % 100;
  return month - m + Math.floor((m - 1) / 3) * 3 + 1;
}

/** `month` moved by `delta` months, as Books.addMonths. */
export function addMonths(month: number, delta: number): number {
  const index = Math.floor(month / 100) * 12 + (month % 100) - 1 + delta;
  return Math.floor(index / 12) * 100 + (index % 12) + 1;
}

/** The period before `period` under `cadence`. */
export function previousPeriod(cadence: BudgetCadence, period: number): number {
  return addMonths(period, cadence === "Monthly" ? -1 : -3);
}

type MovementFields = Omit<
  BookMovementRow,
  | "blockNumber"
  | "logIndex"
  | "blockTimestamp"
  | "txHash"
  | "memo"
  | "reference"
  | "repeatedReference"
  | "budgetId"
  | "spender"
  | "proposalId"
  | "poolId"
  | "counterparty"
> &
  Partial<BookMovementRow>;

/** A movement's columns that only some kinds set, as the kinds that do not set them leave them. */
export const MOVEMENT_DEFAULTS = {
  counterparty: null,
  reference: null,
  memo: null,
  repeatedReference: false,
  budgetId: null,
  spender: null,
  proposalId: null,
  poolId: null,
} satisfies Partial<BookMovementRow>;

/** Movements that count as a month's revenue, as Books._record counts them. */
export const REVENUE_KINDS = ["DEPOSIT", "SWEEP", "POOL_RECLAIM"];
/** Movements that count as a month's expenses (a lockstep or a pool claim is a distribution). */
export const EXPENSE_KINDS = ["PAYMENT"];

function recordMovement(
  ctx: HandlerContext,
  at: Parameters<HandlerContext["linker"]["whenExecuted"]>[0],
  fields: MovementFields,
) {
  const revenue = REVENUE_KINDS.includes(fields.kind) ? fields.amount : 0n;
  const expenses = EXPENSE_KINDS.includes(fields.kind) ? fields.amount : 0n;
  if (revenue !== 0n || expenses !== 0n) {
    const key = rowKey([fields.month, fields.practiceId, fields.token]);
    const flow = ctx.bookFlows.get(key);
    const row = {
      month: fields.month,
      practiceId: fields.practiceId,
      token: fields.token,
      revenue: (flow?.revenue ?? 0n) + revenue,
      expenses: (flow?.expenses ?? 0n) + expenses,
      updatedBlock: at.blockNumber,
    };
    ctx.bookFlows.upsert(key, row, row, at);
  }
  return ctx.bookMovements.push({ ...at, ...MOVEMENT_DEFAULTS, ...fields });
}

export const booksHandlers: ContractHandlers<"books"> = {
  // The symbol and decimals were read by the sync stage before the range (indexer/sync/enrichRange.ts):
  // a token that answered neither keeps nulls, and its amounts stay in base units downstream.
  TokenAllowed({ args, at }, ctx) {
    const metadata = ctx.tokenMetadata.get(args.token);
    const changes = { allowed: args.allowed, changedAt: at.blockTimestamp, updatedBlock: at.blockNumber };
    const row = {
      token: args.token,
      symbol: metadata?.symbol ?? null,
      decimals: metadata?.decimals ?? null,
      proposalId: null,
      ...changes,
    };
    // An unenriched range (no metadata at all) leaves what an earlier read stored.
    ctx.bookTokens.upsert(args.token, row, metadata ? { ...changes, ...metadata } : changes, at);
    ctx.linker.whenExecuted(at, (proposalId) => ctx.bookTokens.amend(args.token, { proposalId }));
  },

  // A deposit from the zero address is a sweep: untagged arrivals counted as unattributed.
  Deposited({ args, at }, ctx) {
    const sweep = args.from === zeroAddress;
    recordMovement(ctx, at, {
      kind: sweep ? "SWEEP" : "DEPOSIT",
      direction: "IN",
      month: args.month,
      practiceId: args.practiceId,
      token: args.token,
      amount: args.amount,
      counterparty: sweep ? null : args.from,
      reference: args.ref || null,
      repeatedReference: args.repeatedReference,
    });
  },

  Paid({ args, at }, ctx) {
    const byProposal = args.budgetId === 0n;
    const movement = recordMovement(ctx, at, {
      kind: "PAYMENT",
      direction: "OUT",
      month: args.month,
      practiceId: args.practiceId,
      token: args.token,
      amount: args.amount,
      counterparty: args.payee,
      reference: args.ref || null,
      memo: args.memo || null,
      budgetId: byProposal ? null : args.budgetId,
      spender: args.spender,
    });
    if (byProposal) {
      ctx.linker.whenExecuted(at, (proposalId) => {
        movement.proposalId = proposalId;
      });
      return;
    }
    const budget = ctx.budgets.require(String(args.budgetId));
    const period = periodOf(budget.cadence as BudgetCadence, args.month);
    const key = rowKey([args.budgetId, period]);
    const spent = (ctx.budgetSpending.get(key)?.spent ?? 0n) + args.amount;
    const row = { budgetId: args.budgetId, period, spent, updatedBlock: at.blockNumber };
    ctx.budgetSpending.upsert(key, row, row, at);
  },

  BudgetSet({ args, at }, ctx) {
    const cadence = enumName(CADENCES, args.cadence, "budget cadence");
    const key = String(args.budgetId);
    ctx.budgets.insert(
      {
        budgetId: args.budgetId,
        practiceId: args.practiceId,
        token: args.token,
        amount: args.amount,
        cadence,
        rollover: args.rollover,
        revoked: false,
        spenders: [...args.spenders],
        startPeriod: periodOf(cadence, monthOf(at.blockTimestamp)),
        setAt: at.blockTimestamp,
        setTx: at.txHash,
        proposalId: null,
        updatedBlock: at.blockNumber,
      },
      at,
    );
    // The contract keeps one budget per practice: an earlier one is replaced, so no longer in force.
    for (const other of ctx.budgets.values())
      if (other.practiceId === args.practiceId && other.budgetId !== args.budgetId && !other.revoked)
        ctx.budgets.update(String(other.budgetId), { revoked: true, updatedBlock: at.blockNumber }, at);
    ctx.linker.whenExecuted(at, (proposalId) => ctx.budgets.amend(key, { proposalId }));
  },

  BudgetCut({ args, at }, ctx) {
    ctx.budgets.update(String(args.budgetId), { amount: args.newAmount, updatedBlock: at.blockNumber }, at);
  },

  BudgetRevoked({ args, at }, ctx) {
    ctx.budgets.update(String(args.budgetId), { revoked: true, updatedBlock: at.blockNumber }, at);
  },

  ProfitRuleSet({ args, at }, ctx) {
    const row = {
      id: PROFIT_RULE_KEY,
      practiceShareBps: args.practiceShareBps,
      leadWeight: args.leadWeight,
      memberWeight: args.memberWeight,
      technicianWeight: args.technicianWeight,
      updatedBlock: at.blockNumber,
    };
    ctx.profitRules.upsert(PROFIT_RULE_KEY, row, row, at);
  },

  PeriodClosed({ args, at }, ctx) {
    const key = rowKey([args.month, args.token]);
    ctx.periodCloses.insert(
      {
        month: args.month,
        token: args.token,
        net: args.net,
        toPractices: args.toPractices,
        lockstep: args.lockstep,
        carriedLoss: args.carriedLoss,
        closedAt: at.blockTimestamp,
        closedBlock: at.blockNumber,
        closedTx: at.txHash,
        proposalId: null,
        distributionId: null,
        updatedBlock: at.blockNumber,
      },
      at,
    );
    const lockstep =
      args.lockstep === 0n
        ? undefined
        : recordMovement(ctx, at, {
            kind: "LOCKSTEP",
            direction: "OUT",
            month: monthOf(at.blockTimestamp),
            practiceId: zeroHash,
            token: args.token,
            amount: args.lockstep,
            counterparty: ctx.manifest.contracts.timelock.toLowerCase(),
            memo: `Lockstep share of ${args.month}`,
          });
    // By ProposalExecuted the same proposal has created the lockstep distribution (DistributionCreated
    // comes between): the close's distribution is the one created in this transaction in its token.
    ctx.linker.whenExecuted(at, (proposalId) => {
      let distributionId: bigint | null = null;
      for (const distribution of ctx.distributions.changedRows())
        if (distribution.createdTx === at.txHash && distribution.token === args.token)
          distributionId = distribution.distributionId;
      ctx.periodCloses.amend(key, { proposalId, distributionId });
      if (lockstep) lockstep.proposalId = proposalId;
    });
  },

  PoolCreated({ args, at }, ctx) {
    const rule = ctx.profitRules.get(PROFIT_RULE_KEY) ?? DEFAULT_PROFIT_RULE;
    ctx.practicePools.insert(
      {
        poolId: args.poolId,
        month: args.month,
        practiceId: args.practiceId,
        token: args.token,
        amount: args.amount,
        claimed: 0n,
        reclaimed: null,
        totalWeight: Number(args.totalWeight),
        leadWeight: rule.leadWeight,
        memberWeight: rule.memberWeight,
        technicianWeight: rule.technicianWeight,
        timepoint: args.timepoint,
        claimDeadline: args.claimDeadline,
        closedTx: at.txHash,
        updatedBlock: at.blockNumber,
      },
      at,
    );
  },

  PoolClaimed({ args, at }, ctx) {
    const key = String(args.poolId);
    const pool = ctx.practicePools.require(key);
    ctx.poolClaims.push({ poolId: args.poolId, member: args.member, amount: args.amount, ...at });
    ctx.practicePools.update(key, { claimed: pool.claimed + args.amount, updatedBlock: at.blockNumber }, at);
    recordMovement(ctx, at, {
      kind: "POOL_CLAIM",
      direction: "OUT",
      month: monthOf(at.blockTimestamp),
      practiceId: pool.practiceId,
      token: pool.token,
      amount: args.amount,
      counterparty: args.member,
      memo: `Practice pool of ${pool.month}`,
      poolId: args.poolId,
    });
  },

  PoolReclaimed({ args, at }, ctx) {
    const key = String(args.poolId);
    const pool = ctx.practicePools.require(key);
    ctx.practicePools.update(
      key,
      // `claimed` stays what members claimed (the contract marks the rest as claimed to close the pool).
      { reclaimed: args.amount, updatedBlock: at.blockNumber },
      at,
    );
    recordMovement(ctx, at, {
      kind: "POOL_RECLAIM",
      direction: "IN",
      month: args.month,
      practiceId: zeroHash,
      token: pool.token,
      amount: args.amount,
      memo: `Unclaimed rest of practice pool ${args.poolId} (${pool.month})`,
      poolId: args.poolId,
    });
  },
};
