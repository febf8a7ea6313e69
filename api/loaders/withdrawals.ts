// member_withdrawals and withdrawal_payments: a member's withdrawals (rage-quit) and the withdrawal
// desk's book for them (credits, skipped tokens, claims), oldest first.
import type { MemberWithdrawalRow, WithdrawalPaymentRow } from "../../indexer/store/mirror.ts";
import { createLoader, groupedByKey } from "./createLoader.ts";
import type { LoaderDeps } from "./deps.ts";

export function createWithdrawalLoaders({ statements, metrics }: LoaderDeps) {
  return {
    withdrawalsByMember: createLoader<string, MemberWithdrawalRow[]>(
      { name: "member_withdrawals", metrics },
      async (keys) =>
        groupedByKey(
          keys,
          await statements.withdrawalsByMember.execute({ keys: [...keys] }),
          (r) => r.account,
        ),
    ),
    withdrawalPaymentsByMember: createLoader<string, WithdrawalPaymentRow[]>(
      { name: "withdrawal_payments", metrics },
      async (keys) =>
        groupedByKey(
          keys,
          await statements.withdrawalPaymentsByMember.execute({ keys: [...keys] }),
          (r) => r.member,
        ),
    ),
  };
}
