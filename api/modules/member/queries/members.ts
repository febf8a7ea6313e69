// The members list: keyset pages in admission order over the unique index on member_index.
import { and, asc, desc, eq, gt, isNull, lt, lte, or, type SQL, sql } from "drizzle-orm";
import type { MemberStatusName, RoleName } from "../../../../indexer/decode/enums.ts";
import type { Database } from "../../../../indexer/store/db.ts";
import type { MemberRow } from "../../../../indexer/store/mirror.ts";
import { members } from "../../../../indexer/store/schema.ts";
import { countRows } from "../../core/countRows.ts";

export type MemberOrder = "ADMITTED_ASC" | "ADMITTED_DESC";

export interface MemberFilter {
  role?: RoleName | null | undefined;
  status?: MemberStatusName | null | undefined;
  /** A practice slug: members seated in it. */
  practice?: string | null | undefined;
  /** The time statuses are read at (a leave lapses by itself). */
  now: number;
}

/** Up to `limit` members after member index `after`, in `order`. */
export function listMembers(
  db: Database,
  {
    filter,
    order,
    after,
    limit,
  }: { filter: MemberFilter; order: MemberOrder; after: number | undefined; limit: number },
): Promise<MemberRow[]> {
  const ascending = order === "ADMITTED_ASC";
  const keyset =
    after === undefined
      ? undefined
      : ascending
        ? gt(members.memberIndex, after)
        : lt(members.memberIndex, after);
  return db
    .select()
    .from(members)
    .where(and(...conditions(filter), keyset))
    .orderBy(ascending ? asc(members.memberIndex) : desc(members.memberIndex))
    .limit(limit);
}

export function countMembers(db: Database, filter: MemberFilter): Promise<number> {
  return countRows(db, members, and(...conditions(filter)));
}

function conditions({ role, status, practice, now }: MemberFilter): (SQL | undefined)[] {
  return [
    role ? eq(members.role, role) : undefined,
    status ? statusCondition(status, now) : undefined,
    practice
      ? sql`exists (select 1 from practice_members pm join practices p on p.practice_id = pm.practice_id
                    where p.slug = ${practice} and pm.account = ${members.address} and pm.role <> 'None')`
      : undefined,
  ];
}

/** The stored status as read at `now`: OnLeave reads Active from the leave's end (views.ts memberStatusAt). */
function statusCondition(status: MemberStatusName, now: number): SQL | undefined {
  switch (status) {
    case "Active":
      return or(
        eq(members.status, "Active"),
        and(eq(members.status, "OnLeave"), lte(members.leaveUntil, now)),
      );
    case "OnLeave":
      return and(eq(members.status, "OnLeave"), or(isNull(members.leaveUntil), gt(members.leaveUntil, now)));
    case "None":
      return sql`false`;
    default:
      return eq(members.status, status);
  }
}
