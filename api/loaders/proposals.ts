// proposals: by id (decimal string).
import type { ProposalRow } from "../../indexer/store/mirror.ts";
import { byKey, createLoader } from "./createLoader.ts";
import type { LoaderDeps } from "./deps.ts";

export function createProposalLoaders({ statements, metrics }: LoaderDeps) {
  return {
    proposalById: createLoader<string, ProposalRow | null>({ name: "proposals", metrics }, async (keys) =>
      byKey(keys, await statements.proposalsById.execute({ keys: [...keys] }), (row) =>
        row.proposalId.toString(),
      ),
    ),
  };
}
