// RevenueShare events: distributions, claims, reclaims and the claim window.
import { zeroAddress } from "viem";
import type { ContractHandlers } from "./context.ts";
import { recordTreasuryOutflow } from "./recordTreasuryOutflow.ts";
import { changeSetting } from "./settings.ts";

export const revenueShareHandlers: ContractHandlers<"revenueShare"> = {
  DistributionCreated({ args, at }, ctx) {
    const key = String(args.distributionId);
    ctx.distributions.insert(
      {
        distributionId: args.distributionId,
        token: args.token,
        amount: args.amount,
        snapshotId: args.snapshotId,
        supplyAtSnapshot: args.supplyAtSnapshot,
        claimDeadline: args.claimDeadline,
        claimed: 0n,
        claims: 0,
        reclaimed: null,
        reclaimedAt: null,
        createdAt: at.blockTimestamp,
        createdBlock: at.blockNumber,
        createdTx: at.txHash,
        proposalId: null,
        updatedBlock: at.blockNumber,
      },
      at,
    );
    // An ERC-20 amount is pulled from the treasury here; an ETH amount shows as the call's value.
    if (args.token !== zeroAddress) {
      recordTreasuryOutflow(ctx, at, {
        kind: "distribution",
        token: args.token,
        amount: args.amount,
        counterparty: ctx.manifest.contracts.revenueShare.toLowerCase(),
      });
    }
    ctx.linker.whenExecuted(at, (proposalId) => {
      ctx.distributions.amend(key, { proposalId });
    });
  },

  DistributionClaimed({ args, at }, ctx) {
    const key = String(args.distributionId);
    const distribution = ctx.distributions.require(key);
    ctx.distributionClaims.push({
      distributionId: args.distributionId,
      holder: args.holder,
      amount: args.amount,
      ...at,
    });
    ctx.distributions.update(
      key,
      {
        claimed: distribution.claimed + args.amount,
        claims: distribution.claims + 1,
        updatedBlock: at.blockNumber,
      },
      at,
    );
  },

  DistributionReclaimed({ args, at }, ctx) {
    const key = String(args.distributionId);
    const distribution = ctx.distributions.require(key);
    ctx.distributions.update(
      key,
      { reclaimed: args.amount, reclaimedAt: at.blockTimestamp, updatedBlock: at.blockNumber },
      at,
    );
    ctx.treasuryFlows.push({
      ...at,
      direction: "in",
      kind: "reclaim",
      token: distribution.token,
      amount: args.amount,
      counterparty: ctx.manifest.contracts.revenueShare.toLowerCase(),
      proposalId: null,
    });
  },

  ClaimWindowChanged({ args, at }, ctx) {
    changeSetting(ctx, at, "revenueShare", "claimWindow", args.previousWindow, args.newWindow);
  },
};
