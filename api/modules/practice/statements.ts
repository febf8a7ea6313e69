// The practice module's by-key statements: practices by id and by slug, and an account's seats.
import { and, asc, ne } from "drizzle-orm";
import type { Database } from "../../../indexer/store/db.ts";
import { practiceMembers, practices } from "../../../indexer/store/schema.ts";
import { inKeys } from "../core/keys.ts";

export function createPracticeStatements(db: Database) {
  return {
    practicesById: db
      .select()
      .from(practices)
      .where(inKeys(practices.practiceId))
      .prepare("api_practices_by_id"),
    practicesBySlug: db
      .select()
      .from(practices)
      .where(inKeys(practices.slug))
      .prepare("api_practices_by_slug"),
    seatsByAccount: db
      .select()
      .from(practiceMembers)
      .where(and(inKeys(practiceMembers.account), ne(practiceMembers.role, "None")))
      .orderBy(asc(practiceMembers.account), asc(practiceMembers.practiceId))
      .prepare("api_seats_by_account"),
  };
}
