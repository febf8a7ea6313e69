// Query.members: members in admission order (or its reverse), filtered by role, status (read now) and
// practice.
import type { MemberStatusName, RoleName } from "../../../../../indexer/decode/enums.ts";
import type { ApiContext } from "../../../../context.ts";
import { parseSlug } from "../../../../domain/inputs.ts";
import { pageConnection } from "../../../../domain/pageConnection.ts";
import type { PageArgs } from "../../../core/nodes.ts";
import { countMembers, listMembers, type MemberOrder } from "../../queries/members.ts";

export interface MembersArgs extends PageArgs {
  where?: { role?: RoleName | null; status?: MemberStatusName | null; practice?: string | null } | null;
  orderBy?: MemberOrder | null;
}

export function members(_: unknown, { first, after, where, orderBy }: MembersArgs, ctx: ApiContext) {
  const order = orderBy ?? "ADMITTED_ASC";
  return pageConnection({
    list: `members:${order}`,
    first,
    after,
    cursorTypes: ["int"],
    filter: async () => ({
      role: where?.role,
      status: where?.status,
      practice: where?.practice ? parseSlug(where.practice, "where.practice") : undefined,
      now: await ctx.now(),
    }),
    fetch: ({ filter, after: key, limit }) => listMembers(ctx.db, { filter, order, after: key?.[0], limit }),
    keyOf: (row) => [row.memberIndex],
    nodeOf: (row) => ({ ...row, asOf: null }),
    count: (filter) => countMembers(ctx.db, filter),
  });
}
