// Distribution: a revenue distribution and its claim window.
import type { DistributionRow } from "../../../../indexer/store/mirror.ts";
import type { ApiContext } from "../../../context.ts";
import type { AtArgs } from "../../core/nodes.ts";
import { loadProposal } from "../../proposal/loadProposal.ts";

export const Distribution = {
  id: (d: DistributionRow) => d.distributionId.toString(),
  snapshotId: (d: DistributionRow) => d.snapshotId.toString(),
  creation: (d: DistributionRow) => ({
    hash: d.createdTx,
    blockNumber: d.createdBlock,
    timestamp: d.createdAt,
  }),
  proposal: (d: DistributionRow, _: unknown, ctx: ApiContext) => loadProposal(ctx, d.proposalId),
  /** RevenueShare.claim accepts claims while block.timestamp <= claimDeadline. */
  async open(d: DistributionRow, { at }: AtArgs, ctx: ApiContext) {
    return d.reclaimedAt === null && (await ctx.timeAt(at)) <= d.claimDeadline;
  },
};
