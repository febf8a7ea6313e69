// The firm module's statements: the governance parameters in force (one row) and the treasury tokens
// the withdrawal desk pays a share of, in listing order.
import { asc, eq } from "drizzle-orm";
import type { Database } from "../../../indexer/store/db.ts";
import { governanceSettings, treasuryTokens } from "../../../indexer/store/schema.ts";

export function createFirmStatements(db: Database) {
  return {
    settings: db.select().from(governanceSettings).prepare("api_settings"),
    listedTreasuryTokens: db
      .select()
      .from(treasuryTokens)
      .where(eq(treasuryTokens.listed, true))
      .orderBy(asc(treasuryTokens.changedBlock), asc(treasuryTokens.token))
      .prepare("api_listed_treasury_tokens"),
  };
}

declare module "../defineModule.ts" {
  interface Statements extends ReturnType<typeof createFirmStatements> {}
}
