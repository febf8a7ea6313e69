// The member module's loaders: each member's current record and its record as of a block or a time
// (member_history), their leaves, their balance and votes now (accounts) and at a block or a time
// (equity_history: voting power, ERC-5805 getPastVotes), and their withdrawals and the desk's book for
// them (member_withdrawals, withdrawal_payments), oldest first.
import { equityHistory, memberHistory } from "../../../indexer/store/schema.ts";
import { createHistoryLoader } from "../core/createHistoryLoader.ts";
import { createRowLoader, createRowsLoader } from "../core/createLoader.ts";
import type { LoaderDeps } from "../defineModule.ts";

export function createMemberLoaders({ db, statements, metrics }: LoaderDeps) {
  const history = { db, metrics };
  return {
    /** address (lowercase) → the member, or null. */
    memberByAddress: createRowLoader(statements.membersByAddress, metrics),
    /** The member's record after the last change at or before block `point`, or null. */
    memberAsOfBlock: createHistoryLoader({ ...history, table: memberHistory, key: "address", by: "block" }),
    /** The member's record after the last change at or before time `point`, or null. */
    memberAtTime: createHistoryLoader({ ...history, table: memberHistory, key: "address", by: "time" }),
    /** Every leave a partner declared, oldest first. */
    leavesByPartner: createRowsLoader(statements.leavesByPartner, metrics),
    /** Released units (balance) and voting units now. */
    accountByAddress: createRowLoader(statements.accountsByAddress, metrics),
    /** Balance and votes after the last change at or before block `point` (null: none yet). */
    equityAtBlock: createHistoryLoader({ ...history, table: equityHistory, key: "account", by: "block" }),
    /** Balance and votes at a unix time: a change in a block stamped exactly then counts (upperLookup). */
    equityAtTime: createHistoryLoader({ ...history, table: equityHistory, key: "account", by: "time" }),
    withdrawalsByMember: createRowsLoader(statements.withdrawalsByMember, metrics),
    withdrawalPaymentsByMember: createRowsLoader(statements.withdrawalPaymentsByMember, metrics),
  };
}

declare module "../defineModule.ts" {
  interface Loaders extends ReturnType<typeof createMemberLoaders> {}
}
