// The grant module's by-key statements: grants by id and every grant of a beneficiary.
import { asc } from "drizzle-orm";
import type { Database } from "../../../indexer/store/db.ts";
import { grants } from "../../../indexer/store/schema.ts";
import { inKeys } from "../core/keys.ts";

export function createGrantStatements(db: Database) {
  return {
    grantsById: db.select().from(grants).where(inKeys(grants.grantId)).prepare("api_grants_by_id"),
    grantsByBeneficiary: db
      .select()
      .from(grants)
      .where(inKeys(grants.beneficiary))
      .orderBy(asc(grants.grantId))
      .prepare("api_grants_by_beneficiary"),
  };
}
