// The distribution module's by-key statements: distributions by id.
import type { Database } from "../../../indexer/store/db.ts";
import { distributions } from "../../../indexer/store/schema.ts";
import { inKeys } from "../core/keys.ts";

export function createDistributionStatements(db: Database) {
  return {
    distributionsById: db
      .select()
      .from(distributions)
      .where(inKeys(distributions.distributionId))
      .prepare("api_distributions_by_id"),
  };
}
