// PracticePool and PeriodClose: closed months, their pools, and each seat's share of a pool.
import type { PeriodCloseRow, PracticePoolRow } from "../../../../indexer/store/mirror.ts";
import type { ApiContext } from "../../../context.ts";
import { loadMember } from "../../member/loadMember.ts";
import { loadProposal } from "../../proposal/loadProposal.ts";
import { formatMonth } from "../inputs.ts";
import { claimsOfPool, poolsOfClose, seatsAt } from "../queries/books.ts";
import { formattedAmounts } from "../units.ts";
import { transactionOf } from "./refs.ts";

const ROLE_NAMES: Record<string, string> = { Lead: "LEAD", Member: "MEMBER", Technician: "TECHNICIAN" };

function weightOf(pool: PracticePoolRow, role: string): number {
  if (role === "Lead") return pool.leadWeight;
  if (role === "Member") return pool.memberWeight;
  if (role === "Technician") return pool.technicianWeight;
  return 0;
}

export const PracticePool = {
  ...formattedAmounts<PracticePoolRow>(["amount", "claimed", "reclaimed"]),
  id: (pool: PracticePoolRow) => pool.poolId.toString(),
  month: (pool: PracticePoolRow) => formatMonth(pool.month),
  practice: (pool: PracticePoolRow) => pool.practiceId,
  token: (pool: PracticePoolRow) => pool.token,
  /** Each seat's share as Books._claimPool pays it: floor(amount * weight / totalWeight). */
  async shares(pool: PracticePoolRow, _: unknown, ctx: ApiContext) {
    const [seats, claims] = await Promise.all([seatsAt(ctx.db, pool), claimsOfPool(ctx.db, pool.poolId)]);
    const claimed = new Set(claims.map((claim) => claim.member));
    return Promise.all(
      seats
        .map((seat) => ({ ...seat, weight: weightOf(pool, seat.role) }))
        .filter((seat) => seat.weight > 0)
        .map(async (seat) => ({
          member: await loadMember(ctx, seat.account, null),
          role: ROLE_NAMES[seat.role] ?? seat.role,
          weight: seat.weight,
          amount:
            pool.totalWeight === 0 ? 0n : (pool.amount * BigInt(seat.weight)) / BigInt(pool.totalWeight),
          claimed: claimed.has(seat.account),
        })),
    );
  },
};

export const PeriodClose = {
  ...formattedAmounts<PeriodCloseRow>(["net", "toPractices", "lockstep", "carriedLoss"]),
  month: (close: PeriodCloseRow) => formatMonth(close.month),
  token: (close: PeriodCloseRow) => close.token,
  net: (close: PeriodCloseRow) => close.net.toString(),
  distribution: (close: PeriodCloseRow, _: unknown, ctx: ApiContext) =>
    close.distributionId === null ? null : ctx.loaders.distributionById.load(close.distributionId.toString()),
  proposal: (close: PeriodCloseRow, _: unknown, ctx: ApiContext) => loadProposal(ctx, close.proposalId),
  pools: (close: PeriodCloseRow, _: unknown, ctx: ApiContext) => poolsOfClose(ctx.db, close),
  transaction: (close: PeriodCloseRow) => transactionOf(close.closedTx, close.closedBlock, close.closedAt),
};
