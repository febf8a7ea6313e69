// Withdrawals events: the desk's book of withdrawing members' shares (credited as they arrived,
// skipped, claimed) and the treasury tokens whose shares it pays.
import type { ContractHandlers } from "./context.ts";

export const withdrawalsHandlers: ContractHandlers<"withdrawals"> = {
  // Follows the partnership's MemberWithdrew and the timelock's WithdrawalPaidOut of the same call.
  WithdrawalCredited({ args, at }, ctx) {
    ctx.withdrawalPayments.push({
      member: args.member,
      token: args.token,
      kind: "credit",
      amount: args.amount,
      ...at,
    });
  },

  // The treasury could not pay this token's share: it stays in the treasury.
  WithdrawalTokenSkipped({ args, at }, ctx) {
    ctx.withdrawalPayments.push({
      member: args.member,
      token: args.token,
      kind: "skip",
      amount: null,
      ...at,
    });
  },

  WithdrawalClaimed({ args, at }, ctx) {
    ctx.withdrawalPayments.push({
      member: args.member,
      token: args.token,
      kind: "claim",
      amount: args.amount,
      ...at,
    });
  },

  TreasuryTokenListed({ args, at }, ctx) {
    const patch = {
      listed: args.listed,
      changedAt: at.blockTimestamp,
      changedBlock: at.blockNumber,
      proposalId: null,
      updatedBlock: at.blockNumber,
    };
    ctx.treasuryTokens.upsert(args.token, { token: args.token, ...patch }, patch, at);
    ctx.linker.whenExecuted(at, (proposalId) => ctx.treasuryTokens.amend(args.token, { proposalId }));
  },
};
