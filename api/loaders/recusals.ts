// recusals: the members a proposal is about, who cannot vote on it.
import type { RecusalRow } from "../../indexer/store/mirror.ts";
import { createLoader, groupedByKey } from "./createLoader.ts";
import type { LoaderDeps } from "./deps.ts";

export function createRecusalLoaders({ statements, metrics }: LoaderDeps) {
  return {
    recusalsByProposal: createLoader<string, RecusalRow[]>({ name: "recusals", metrics }, async (keys) =>
      groupedByKey(keys, await statements.recusalsByProposal.execute({ keys: [...keys] }), (row) =>
        row.proposalId.toString(),
      ),
    ),
  };
}
