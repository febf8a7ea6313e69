// The grant module's by-key statements: grants by id and every grant of a beneficiary.
import { asc } from "drizzle-orm";
import type { Database } from "../../../indexer/store/db.ts";
import { grants } from "../../../indexer/store/schema.ts";
import { prepareByKeys } from "../core/prepareByKeys.ts";

export function createGrantStatements(db: Database) {
  return {
    grantsById: prepareByKeys(db, "api_grants_by_id", grants, "grantId"),
    grantsByBeneficiary: prepareByKeys(db, "api_grants_by_beneficiary", grants, "beneficiary", {
      orderBy: [asc(grants.grantId)],
    }),
  };
}

declare module "../defineModule.ts" {
  interface Statements extends ReturnType<typeof createGrantStatements> {}
}
