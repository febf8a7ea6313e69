// The grant module's loaders: grants by id (decimal string), and every grant of a beneficiary (oldest
// first), which primes the first.
import { createRowLoader, createRowsLoader } from "../core/createLoader.ts";
import type { LoaderDeps } from "../defineModule.ts";

export function createGrantLoaders({ statements, metrics }: LoaderDeps) {
  const grantById = createRowLoader({
    name: "grants",
    metrics,
    statement: statements.grantsById,
    keyOf: (row) => row.grantId.toString(),
  });
  const grantsByBeneficiary = createRowsLoader({
    name: "grants",
    metrics,
    statement: statements.grantsByBeneficiary,
    keyOf: (row) => row.beneficiary,
    onRows: (rows) => {
      for (const row of rows) grantById.prime(row.grantId.toString(), row);
    },
  });
  return { grantById, grantsByBeneficiary };
}
