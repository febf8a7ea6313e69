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
import { inKeys } from "../core/keys.ts";

export function createMemberStatements(db: Database) {
  return {
    membersByAddress: db
      .select()
      .from(members)
      .where(inKeys(members.address))
      .prepare("api_members_by_address"),
    leavesByPartner: db
      .select()
      .from(leaves)
      .where(inKeys(leaves.partner))
      .orderBy(asc(leaves.leaveId))
      .prepare("api_leaves_by_partner"),
    accountsByAddress: db
      .select()
      .from(accounts)
      .where(inKeys(accounts.address))
      .prepare("api_accounts_by_address"),
    withdrawalsByMember: db
      .select()
      .from(memberWithdrawals)
      .where(inKeys(memberWithdrawals.account))
      .orderBy(asc(memberWithdrawals.blockNumber), asc(memberWithdrawals.logIndex))
      .prepare("api_withdrawals_by_member"),
    withdrawalPaymentsByMember: db
      .select()
      .from(withdrawalPayments)
      .where(inKeys(withdrawalPayments.member))
      .orderBy(asc(withdrawalPayments.blockNumber), asc(withdrawalPayments.logIndex))
      .prepare("api_withdrawal_payments_by_member"),
  };
}
