// The directory module's by-key statements: live profiles by member, and current mentor links by
// mentee and by mentor (mentorships_mentor_idx).
import { asc, isNull, sql } from "drizzle-orm";
import type { Database } from "../../../indexer/store/db.ts";
import { mentorships, profiles } from "../../../indexer/store/schema.ts";
import { prepareByKeys } from "../core/prepareByKeys.ts";

export function createDirectoryStatements(db: Database) {
  return {
    profilesByMember: prepareByKeys(db, "api_profiles_by_member", profiles, "member", {
      where: sql`${profiles.live}`,
    }),
    mentorshipsByMentee: prepareByKeys(db, "api_mentorships_by_mentee", mentorships, "mentee", {
      where: isNull(mentorships.endedAt),
    }),
    mentorshipsByMentor: prepareByKeys(db, "api_mentorships_by_mentor", mentorships, "mentor", {
      where: isNull(mentorships.endedAt),
      orderBy: [asc(mentorships.mentee)],
    }),
  };
}

declare module "../defineModule.ts" {
  interface Statements extends ReturnType<typeof createDirectoryStatements> {}
}
