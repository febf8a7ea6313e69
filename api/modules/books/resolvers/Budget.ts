// Budget: a budget with its current period's use (budgets.ts).
import type { ApiContext } from "../../../context.ts";
import { loadProposal } from "../../proposal/loadProposal.ts";
import type { BudgetNode } from "../budgets.ts";
import { formatMonth } from "../inputs.ts";

export const Budget = {
  id: (b: BudgetNode) => b.budgetId.toString(),
  practice: (b: BudgetNode) => b.practiceId,
  token: (b: BudgetNode) => b.token,
  cadence: (b: BudgetNode) => b.cadence.toUpperCase(),
  period: (b: BudgetNode) => formatMonth(b.period),
  proposal: (b: BudgetNode, _: unknown, ctx: ApiContext) => loadProposal(ctx, b.proposalId),
};
