// Movement: one money movement (book_movements row).
import type { BookMovementRow } from "../../../../indexer/store/mirror.ts";
import type { ApiContext } from "../../../context.ts";
import { loadProposal } from "../../proposal/loadProposal.ts";
import { formatMonth } from "../inputs.ts";
import { formattedAmounts } from "../units.ts";
import { transactionOf } from "./refs.ts";

/** BUDGET for a budget payment, PROPOSAL for a payment by proposal or a close's lockstep, else null. */
export function authorityOf(row: BookMovementRow): "BUDGET" | "PROPOSAL" | null {
  if (row.kind === "PAYMENT") return row.budgetId === null ? "PROPOSAL" : "BUDGET";
  if (row.kind === "LOCKSTEP") return "PROPOSAL";
  return null;
}

export const Movement = {
  ...formattedAmounts<BookMovementRow>(["amount"]),
  id: (row: BookMovementRow) => `${row.blockNumber}-${row.logIndex}`,
  month: (row: BookMovementRow) => formatMonth(row.month),
  practice: (row: BookMovementRow) => row.practiceId,
  token: (row: BookMovementRow) => row.token,
  authority: authorityOf,
  budgetId: (row: BookMovementRow) => row.budgetId?.toString() ?? null,
  proposal: (row: BookMovementRow, _: unknown, ctx: ApiContext) => loadProposal(ctx, row.proposalId),
  timestamp: (row: BookMovementRow) => row.blockTimestamp,
  transaction: (row: BookMovementRow) => transactionOf(row.txHash, row.blockNumber, row.blockTimestamp),
};
