// The member module: members now or as of a point, their leaves and covers, equity and withdrawals,
// the members list and the memberChanged feed.
import { MEMBER_STATUSES, ROLES } from "../../../indexer/decode/enums.ts";
import { enumResolver } from "../core/enumResolver.ts";
import { defineModule } from "../defineModule.ts";
import { createMemberLoaders } from "./loaders.ts";
import { Equity } from "./resolvers/Equity.ts";
import { Leave } from "./resolvers/Leave.ts";
import { Admission, Member } from "./resolvers/Member.ts";
import { member } from "./resolvers/Query/member.ts";
import { members } from "./resolvers/Query/members.ts";
import { memberChanged } from "./resolvers/Subscription/memberChanged.ts";
import { createMemberStatements } from "./statements.ts";

export const memberModule = defineModule(import.meta.url, {
  resolvers: {
    Query: { member, members },
    Subscription: { memberChanged },
    Role: enumResolver(ROLES, { omit: ["None"] }),
    MemberStatus: enumResolver(MEMBER_STATUSES),
    Member,
    Admission,
    Leave,
    Equity,
  },
  loaders: createMemberLoaders,
  statements: createMemberStatements,
});
