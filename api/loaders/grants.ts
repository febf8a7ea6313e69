// grants: by id, and every grant of a beneficiary (oldest first).
import type { GrantRow } from "../../indexer/store/mirror.ts";
import { byKey, createLoader, groupedByKey } from "./createLoader.ts";
import type { LoaderDeps } from "./deps.ts";

export function createGrantLoaders({ statements, metrics }: LoaderDeps) {
  const grantById = createLoader<string, GrantRow | null>({ name: "grants", metrics }, async (keys) =>
    byKey(keys, await statements.grantsById.execute({ keys: [...keys] }), (row) => row.grantId.toString()),
  );
  const grantsByBeneficiary = createLoader<string, GrantRow[]>({ name: "grants", metrics }, async (keys) => {
    const rows = await statements.grantsByBeneficiary.execute({ keys: [...keys] });
    for (const row of rows) grantById.prime(row.grantId.toString(), row);
    return groupedByKey(keys, rows, (row) => row.beneficiary);
  });
  return { grantById, grantsByBeneficiary };
}
