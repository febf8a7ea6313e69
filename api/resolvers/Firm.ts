// Firm: the deployment, its contracts, the governance parameters in force and the counts.
import type { ApiContext } from "../context.ts";
import { countFirm } from "../queries/firm.ts";

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
      timelockDelay: row?.timelockDelay ?? null,
      claimWindow: row?.claimWindow ?? null,
    };
  },
  counts: async (_: unknown, __: unknown, ctx: ApiContext) => countFirm(ctx.db, await ctx.now()),
};
