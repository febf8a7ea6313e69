// Leave: a partner's leave, the colleague asked to cover it, and when that cover held the ballot.
import { zeroAddress } from "viem";
import type { LeaveRow } from "../../../../indexer/store/mirror.ts";
import { coverHoldsAt, coverUntil } from "../../../../indexer/store/views.ts";
import type { ApiContext } from "../../../context.ts";
import type { AtArgs, TransactionNode } from "../../core/nodes.ts";
import { loadMember } from "../loadMember.ts";

/** Who was asked to cover, and whether they hold the ballot at a time (GraphQL's CoverStatus). */
export type CoverStatus = "NONE" | "ASKED" | "HOLDING" | "ENDED";

export function coverStatusAt(l: LeaveRow, t: number): CoverStatus {
  if (l.cover === zeroAddress) return "NONE";
  if (l.coverAcceptedAt === null || t < l.coverAcceptedAt) return "ASKED";
  return coverHoldsAt(l, t) ? "HOLDING" : "ENDED";
}

export const Leave = {
  from: (l: LeaveRow) => l.fromAt,
  until: (l: LeaveRow) => l.untilAt,
  coverAsked: (l: LeaveRow) => (l.cover === zeroAddress ? null : l.cover),
  coverMember: (l: LeaveRow, _: unknown, ctx: ApiContext) =>
    l.cover === zeroAddress ? null : loadMember(ctx, l.cover, null),
  /** Set only by an early end (stepped down, left the firm, leave ended early); a lapse sets nothing. */
  coverEndedAt: (l: LeaveRow) => l.coverEndedAt,
  coverUntil: (l: LeaveRow) => coverUntil(l),
  async coverHolds(l: LeaveRow, { at }: AtArgs, ctx: ApiContext) {
    return coverHoldsAt(l, await ctx.timeAt(at));
  },
  async coverStatus(l: LeaveRow, { at }: AtArgs, ctx: ApiContext) {
    return coverStatusAt(l, await ctx.timeAt(at));
  },
  endedEarly: (l: LeaveRow) => l.endedAt !== null,
  async inForce(l: LeaveRow, { at }: AtArgs, ctx: ApiContext) {
    const t = await ctx.timeAt(at);
    return l.fromAt <= t && t < l.untilAt;
  },
  declaration: (l: LeaveRow): TransactionNode => ({
    hash: l.declaredTx,
    blockNumber: l.declaredBlock,
    timestamp: null,
  }),
};
