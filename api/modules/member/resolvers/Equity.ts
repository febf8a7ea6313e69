// Equity: released units, voting units, and voting power at any time (ERC-5805 getPastVotes).
import type { ApiContext } from "../../../context.ts";
import type { AsOfNode, AtArgs } from "../../core/nodes.ts";

/** An account's equity, now or as of a point. */
export interface EquityNode extends AsOfNode {
  account: string;
}

export const Equity = {
  async units(e: EquityNode, _: unknown, ctx: ApiContext) {
    if (e.asOf)
      return (await ctx.loaders.equityAtBlock.load({ key: e.account, point: e.asOf.block }))?.balance ?? 0n;
    return (await ctx.loaders.accountByAddress.load(e.account))?.balance ?? 0n;
  },
  async votes(e: EquityNode, _: unknown, ctx: ApiContext) {
    if (e.asOf)
      return (await ctx.loaders.equityAtBlock.load({ key: e.account, point: e.asOf.block }))?.votes ?? 0n;
    return (await ctx.loaders.accountByAddress.load(e.account))?.votes ?? 0n;
  },
  async votingPower(e: EquityNode, { at }: AtArgs, ctx: ApiContext) {
    const t = await ctx.timeAt(at, e.asOf);
    return (await ctx.loaders.equityAtTime.load({ key: e.account, point: t }))?.votes ?? 0n;
  },
};
