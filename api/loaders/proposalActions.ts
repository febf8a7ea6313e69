// proposal_actions: a proposal's decoded calls, in order.
import type { ProposalActionRow } from "../../indexer/store/mirror.ts";
import { createLoader, groupedByKey } from "./createLoader.ts";
import type { LoaderDeps } from "./deps.ts";

export function createProposalActionLoaders({ statements, metrics }: LoaderDeps) {
  return {
    actionsByProposal: createLoader<string, ProposalActionRow[]>(
      { name: "proposal_actions", metrics },
      async (keys) =>
        groupedByKey(keys, await statements.actionsByProposal.execute({ keys: [...keys] }), (row) =>
          row.proposalId.toString(),
        ),
    ),
  };
}
