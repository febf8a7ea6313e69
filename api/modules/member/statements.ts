// The member module's by-key statements: members, their leaves, accounts (balance and votes) and
// withdrawals, each for a batch of addresses.
import { asc } from "drizzle-orm";
import type { Database } from "../../../indexer/store/db.ts";
import {
  accounts,
  leaves,
  members,
  memberWithdrawals,
  withdrawalPayments,
} from "../../../indexer/store/schema.ts";
import { prepareByKeys } from "../core/prepareByKeys.ts";

export function createMemberStatements(db: Database) {
  const inBookOrder = {
    withdrawals: [asc(memberWithdrawals.blockNumber), asc(memberWithdrawals.logIndex)],
    payments: [asc(withdrawalPayments.blockNumber), asc(withdrawalPayments.logIndex)],
  };
  return {
    membersByAddress: prepareByKeys(db, "api_members_by_address", members, "address"),
    leavesByPartner: prepareByKeys(db, "api_leaves_by_partner", leaves, "partner", {
      orderBy: [asc(leaves.leaveId)],
    }),
    accountsByAddress: prepareByKeys(db, "api_accounts_by_address", accounts, "address"),
    withdrawalsByMember: prepareByKeys(db, "api_withdrawals_by_member", memberWithdrawals, "account", {
      orderBy: inBookOrder.withdrawals,
    }),
    withdrawalPaymentsByMember: prepareByKeys(
      db,
      "api_withdrawal_payments_by_member",
      withdrawalPayments,
      "member",
      { orderBy: inBookOrder.payments },
    ),
  };
}

declare module "../defineModule.ts" {
  interface Statements extends ReturnType<typeof createMemberStatements> {}
}
