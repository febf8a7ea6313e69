// The distribution module's by-key statements: distributions by id.
import type { Database } from "../../../indexer/store/db.ts";
import { distributions } from "../../../indexer/store/schema.ts";
import { prepareByKeys } from "../core/prepareByKeys.ts";

export function createDistributionStatements(db: Database) {
  return {
    distributionsById: prepareByKeys(db, "api_distributions_by_id", distributions, "distributionId"),
  };
}

declare module "../defineModule.ts" {
  interface Statements extends ReturnType<typeof createDistributionStatements> {}
}
