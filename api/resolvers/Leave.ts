// Leave: a partner's leave and its cover.
import type { ApiContext } from "../context.ts";
import { type AtArgs, type LeaveRow, loadMember, type TransactionNode } from "./nodes.ts";

export const Leave = {
  from: (l: LeaveRow) => l.fromAt,
  until: (l: LeaveRow) => l.untilAt,
  coverMember: (l: LeaveRow, _: unknown, ctx: ApiContext) => loadMember(ctx, l.cover, null),
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

export const Transaction = {
  timestamp: (t: TransactionNode, _: unknown, ctx: ApiContext) =>
    t.timestamp ?? ctx.loaders.blockTime.load(t.blockNumber),
};
