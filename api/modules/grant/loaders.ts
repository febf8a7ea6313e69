// The grant module's loaders: grants by id (decimal string), and every grant of a beneficiary (oldest
// first), which primes the first.
import { createRowLoader, createRowsLoader } from "../core/createLoader.ts";
import type { LoaderDeps } from "../defineModule.ts";

export function createGrantLoaders({ statements, metrics }: LoaderDeps) {
  const grantById = createRowLoader(statements.grantsById, metrics);
  const grantsByBeneficiary = createRowsLoader(statements.grantsByBeneficiary, metrics, (rows) => {
    for (const row of rows) grantById.prime(row.grantId.toString(), row);
  });
  return { grantById, grantsByBeneficiary };
}

declare module "../defineModule.ts" {
  interface Loaders extends ReturnType<typeof createGrantLoaders> {}
}
