// Equity: released units, voting units, and voting power at any time (ERC-5805 getPastVotes).
import type { ApiContext } from "../context.ts";
import type { AtArgs, EquityNode } from "./nodes.ts";

export const Equity = {
  async units(e: EquityNode, _: unknown, ctx: ApiContext) {
    if (e.asOf)
      return (await ctx.loaders.equityAtBlock.load({ account: e.account, point: e.asOf.block })).balance;
    return (await ctx.loaders.accountByAddress.load(e.account))?.balance ?? 0n;
  },
  async votes(e: EquityNode, _: unknown, ctx: ApiContext) {
    if (e.asOf)
      return (await ctx.loaders.equityAtBlock.load({ account: e.account, point: e.asOf.block })).votes;
    return (await ctx.loaders.accountByAddress.load(e.account))?.votes ?? 0n;
  },
  async votingPower(e: EquityNode, { at }: AtArgs, ctx: ApiContext) {
    const t = await ctx.timeAt(at, e.asOf);
    return (await ctx.loaders.equityAtTime.load({ account: e.account, point: t })).votes;
  },
};
