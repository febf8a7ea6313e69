// Timelock events: the treasury's outgoing ETH (the value of executed calls), withdrawal pay-outs and
// its delay. Scheduling and roles change nothing the API reads (they stay in raw_events).
import { zeroAddress } from "viem";
import { type ContractHandlers, noEffect } from "./context.ts";
import { recordTreasuryOutflow } from "./recordTreasuryOutflow.ts";
import { changeSetting } from "./settings.ts";

export const timelockHandlers: ContractHandlers<"timelock"> = {
  CallExecuted({ args, at }, ctx) {
    if (args.value === 0n) return;
    recordTreasuryOutflow(ctx, at, {
      kind: "call",
      token: zeroAddress,
      amount: args.value,
      counterparty: args.target,
    });
  },

  // A withdrawing member's share leaving the treasury for the withdrawal desk (not a proposal's).
  WithdrawalPaidOut({ args, at }, ctx) {
    ctx.treasuryFlows.push({
      ...at,
      direction: "out",
      kind: "withdrawal",
      token: args.token,
      amount: args.amount,
      counterparty: args.desk,
      proposalId: null,
    });
  },

  MinDelayChange({ args, at }, ctx) {
    changeSetting(ctx, at, "timelock", "timelockDelay", args.oldDuration, args.newDuration);
  },

  CallScheduled: noEffect,
  CallSalt: noEffect,
  Cancelled: noEffect,
  RoleGranted: noEffect,
  RoleRevoked: noEffect,
  RoleAdminChanged: noEffect,
};
