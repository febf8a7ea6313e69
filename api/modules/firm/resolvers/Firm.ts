// Firm: the deployment, its contracts, the governance parameters in force (the leave rules and the
// expulsion supermajority included), the treasury tokens withdrawals pay a share of, and the counts.
import type { ApiContext } from "../../../context.ts";
import { countFirm } from "../queries/countFirm.ts";

export const Firm = {
  name: (_: unknown, __: unknown, ctx: ApiContext) => ctx.firmName,
  deployment: (_: unknown, __: unknown, ctx: ApiContext) => ctx.manifest.name,
  chainId: (_: unknown, __: unknown, ctx: ApiContext) => ctx.manifest.chainId,
  startBlock: (_: unknown, __: unknown, ctx: ApiContext) => ctx.manifest.startBlock,
  contracts: (_: unknown, __: unknown, ctx: ApiContext) =>
    Object.fromEntries(
      Object.entries(ctx.manifest.contracts).map(([name, address]) => [name, address.toLowerCase()]),
    ),
  async parameters(_: unknown, __: unknown, ctx: ApiContext) {
    const row = await ctx.loaders.settings.load("current");
    return {
      votingDelay: row?.votingDelay ?? null,
      votingPeriod: row?.votingPeriod ?? null,
      gracePeriod: row?.gracePeriod ?? null,
      equityQuorumBps: row?.equityQuorumBps ?? null,
      headcountQuorumBps: row?.headcountQuorumBps ?? null,
      expulsionEquityBps: row?.expulsionEquityBps ?? null,
      expulsionHeadcountBps: row?.expulsionHeadcountBps ?? null,
      timelockDelay: row?.timelockDelay ?? null,
      claimWindow: row?.claimWindow ?? null,
      minLeave: row?.minLeave ?? null,
      leaveCooldown: row?.leaveCooldown ?? null,
    };
  },
  async treasuryTokens(_: unknown, __: unknown, ctx: ApiContext) {
    return (await ctx.statements.listedTreasuryTokens.execute()).map((row) => row.token);
  },
  counts: async (_: unknown, __: unknown, ctx: ApiContext) => countFirm(ctx.db, await ctx.now()),
};
