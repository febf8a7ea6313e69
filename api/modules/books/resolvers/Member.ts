// Member.earnings: what a member claimed from practice pools, by pool month.
import type { ApiContext } from "../../../context.ts";
import type { MemberNode } from "../../member/loadMember.ts";
import { formatMonth, parseMonth } from "../inputs.ts";
import { claimsOfMember } from "../queries/books.ts";

export const Member = {
  async earnings(m: MemberNode, args: { from?: string | null; to?: string | null }, ctx: ApiContext) {
    const from = args.from == null ? null : parseMonth(args.from, "from");
    const to = args.to == null ? null : parseMonth(args.to, "to");
    const claims = await claimsOfMember(ctx.db, m.address, { from, to });
    const totals = new Map<string, bigint>();
    for (const { claim, pool } of claims)
      totals.set(pool.token, (totals.get(pool.token) ?? 0n) + claim.amount);
    return {
      from: from === null ? null : formatMonth(from),
      to: to === null ? null : formatMonth(to),
      totals: [...totals].map(([token, amount]) => ({ token, amount })),
      items: claims.map(({ claim, pool }) => ({
        pool,
        practice: pool.practiceId,
        month: formatMonth(pool.month),
        token: pool.token,
        amount: claim.amount,
        claimedAt: claim.blockTimestamp,
      })),
    };
  },
};
