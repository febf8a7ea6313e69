// The member module: members now or as of a point, their leaves and covers, equity and withdrawals,
// the members list and the memberChanged feed.
import { defineModule } from "../defineModule.ts";
import { createMemberLoaders } from "./loaders.ts";
import { Equity } from "./resolvers/Equity.ts";
import { MemberStatus, Role } from "./resolvers/enums.ts";
import { Leave } from "./resolvers/Leave.ts";
import { Admission, Member } from "./resolvers/Member.ts";
import { member } from "./resolvers/Query/member.ts";
import { members } from "./resolvers/Query/members.ts";
import { memberChanged } from "./resolvers/Subscription/memberChanged.ts";
import { createMemberStatements } from "./statements.ts";

declare module "../defineModule.ts" {
  interface Loaders extends ReturnType<typeof createMemberLoaders> {}
  interface Statements extends ReturnType<typeof createMemberStatements> {}
}

export const memberModule = defineModule({
  name: "member",
  typeDefs: new URL("./member.graphql", import.meta.url),
  resolvers: {
    Query: { member, members },
    Subscription: { memberChanged },
    Role,
    MemberStatus,
    Member,
    Admission,
    Leave,
    Equity,
  },
  loaders: createMemberLoaders,
  statements: createMemberStatements,
});
