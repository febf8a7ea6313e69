// Value leaving the treasury because a call of the timelock moved it (an executed call's ETH, a
// buy-back price or a distribution in an ERC-20): a treasury_flows row now, given its proposal when
// the governor's ProposalExecuted arrives later in the same transaction (none if no proposal ran it).
import type { ChangeAt } from "../store/entities.ts";
import type { TreasuryFlowRow } from "../store/mirror.ts";
import type { HandlerContext } from "./context.ts";

/** What left, to whom, and why (treasury_flows.kind: "call", "buyback", "distribution"). */
export type TreasuryOutflow = Pick<TreasuryFlowRow, "kind" | "token" | "amount" | "counterparty">;

/** Records `outflow` at `at` and links it to the proposal executing in its transaction. */
export function recordTreasuryOutflow(ctx: HandlerContext, at: ChangeAt, outflow: TreasuryOutflow): void {
  const flow = ctx.treasuryFlows.push({ ...at, direction: "out", ...outflow, proposalId: null });
  ctx.linker.whenExecuted(at, (proposalId) => {
    flow.proposalId = proposalId;
  });
}
