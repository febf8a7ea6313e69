// The directory module's loaders: a member's live profile, their current mentor link, and the current
// links of a mentor (their mentees, in address order).
import { createRowLoader, createRowsLoader } from "../core/createLoader.ts";
import type { LoaderDeps } from "../defineModule.ts";

export function createDirectoryLoaders({ statements, metrics }: LoaderDeps) {
  return {
    profileByMember: createRowLoader(statements.profilesByMember, metrics),
    mentorshipByMentee: createRowLoader(statements.mentorshipsByMentee, metrics),
    menteesByMentor: createRowsLoader(statements.mentorshipsByMentor, metrics),
  };
}

declare module "../defineModule.ts" {
  interface Loaders extends ReturnType<typeof createDirectoryLoaders> {}
}
