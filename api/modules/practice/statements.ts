// The practice module's by-key statements: practices by id and by slug, and an account's seats.
import { asc, sql } from "drizzle-orm";
import type { Database } from "../../../indexer/store/db.ts";
import { practiceMembers, practices } from "../../../indexer/store/schema.ts";
import { prepareByKeys } from "../core/prepareByKeys.ts";

export function createPracticeStatements(db: Database) {
  return {
    practicesById: prepareByKeys(db, "api_practices_by_id", practices, "practiceId"),
    practicesBySlug: prepareByKeys(db, "api_practices_by_slug", practices, "slug"),
    /** Seats held (a role other than None), by practice. */
    seatsByAccount: prepareByKeys(db, "api_seats_by_account", practiceMembers, "account", {
      // A constant of the text, not a parameter: a prefetch with a shape binds only what varies.
      where: sql`${practiceMembers.role} <> 'None'`,
      orderBy: [asc(practiceMembers.account), asc(practiceMembers.practiceId)],
    }),
  };
}

declare module "../defineModule.ts" {
  interface Statements extends ReturnType<typeof createPracticeStatements> {}
}
