// The member module's loaders: each member's current record and its record as of a block or a time
// (member_history), their leaves, their balance and votes now (accounts) and at a block or a time
// (equity_history: voting power, ERC-5805 getPastVotes), and their withdrawals and the desk's book for
// them (member_withdrawals, withdrawal_payments), oldest first.
import { equityHistory, memberHistory } from "../../../indexer/store/schema.ts";
import { createHistoryLoader } from "../core/createHistoryLoader.ts";
import { createRowLoader, createRowsLoader } from "../core/createLoader.ts";
import type { LoaderDeps } from "../defineModule.ts";

export function createMemberLoaders({ db, statements, metrics }: LoaderDeps) {
  const memberHistoryBy = (by: "block" | "time") =>
    createHistoryLoader({
      name: "member_history",
      metrics,
      db,
      table: memberHistory,
      keyColumn: memberHistory.address,
      by,
    });
  const equityBy = (by: "block" | "time") =>
    createHistoryLoader({
      name: "equity_history",
      metrics,
      db,
      table: equityHistory,
      keyColumn: equityHistory.account,
      by,
    });
  return {
    /** address (lowercase) → the member, or null. */
    memberByAddress: createRowLoader({
      name: "members",
      metrics,
      statement: statements.membersByAddress,
      keyOf: (row) => row.address,
    }),
    /** The member's record after the last change at or before block `point`, or null. */
    memberAsOfBlock: memberHistoryBy("block"),
    /** The member's record after the last change at or before time `point`, or null. */
    memberAtTime: memberHistoryBy("time"),
    /** Every leave a partner declared, oldest first. */
    leavesByPartner: createRowsLoader({
      name: "leaves",
      metrics,
      statement: statements.leavesByPartner,
      keyOf: (row) => row.partner,
    }),
    /** Released units (balance) and voting units now. */
    accountByAddress: createRowLoader({
      name: "accounts",
      metrics,
      statement: statements.accountsByAddress,
      keyOf: (row) => row.address,
    }),
    /** Balance and votes after the last change at or before block `point` (null: none yet). */
    equityAtBlock: equityBy("block"),
    /** Balance and votes at a unix time: a change in a block stamped exactly then counts (upperLookup). */
    equityAtTime: equityBy("time"),
    withdrawalsByMember: createRowsLoader({
      name: "member_withdrawals",
      metrics,
      statement: statements.withdrawalsByMember,
      keyOf: (row) => row.account,
    }),
    withdrawalPaymentsByMember: createRowsLoader({
      name: "withdrawal_payments",
      metrics,
      statement: statements.withdrawalPaymentsByMember,
      keyOf: (row) => row.member,
    }),
  };
}
