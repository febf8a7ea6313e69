// distributions: by id (decimal string).
import type { DistributionRow } from "../../indexer/store/mirror.ts";
import { byKey, createLoader } from "./createLoader.ts";
import type { LoaderDeps } from "./deps.ts";

export function createDistributionLoaders({ statements, metrics }: LoaderDeps) {
  return {
    distributionById: createLoader<string, DistributionRow | null>(
      { name: "distributions", metrics },
      async (keys) =>
        byKey(keys, await statements.distributionsById.execute({ keys: [...keys] }), (row) =>
          row.distributionId.toString(),
        ),
    ),
  };
}
