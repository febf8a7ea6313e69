// A practice's seats, now or as of a block, in account order over the primary keys.
import { and, asc, eq, gt, sql } from "drizzle-orm";
import type { PracticeRoleName } from "../../../../indexer/decode/enums.ts";
import type { Database } from "../../../../indexer/store/db.ts";
import type { PracticeMemberRow } from "../../../../indexer/store/mirror.ts";
import { practiceMemberHistory, practiceMembers } from "../../../../indexer/store/schema.ts";
import { queryRows } from "../../../../indexer/store/sql.ts";
import { rowFrom, toNumber } from "../../../domain/rows.ts";
import { countRows } from "../../core/countRows.ts";
import type { Bindable } from "../../core/prefetch.ts";

export interface SeatFilter {
  practiceId: string;
  role?: PracticeRoleName | null | undefined;
  /** Read the seats as of this block (history); current seats when undefined. */
  asOfBlock?: number | undefined;
}

/** One page of a practice's seats: up to `limit` after account `after`. */
export interface SeatPage {
  filter: SeatFilter;
  after: string | undefined;
  limit: number;
}

/** Practice.members' list (its cursors name it) and its cursor's shape. */
export const SEATS_LIST = "practiceMembers:ACCOUNT_ASC";
export const SEATS_CURSOR = ["string"] as const;

/** The order of a practice's seats. */
export const SEAT_ORDER = [asc(practiceMembers.account)];

/** Up to `limit` seats of a practice after account `after`, in account order. */
export async function listSeats(
  db: Database,
  { filter, after, limit }: SeatPage,
): Promise<PracticeMemberRow[]> {
  if (filter.asOfBlock === undefined) return selectCurrentSeats(db, { filter, after, limit });
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`${seatsAsOf(filter, after)} ORDER BY s.account LIMIT ${limit}`,
  );
  return rows.map((raw) => rowFrom(practiceMemberHistory, raw) as PracticeMemberRow);
}

export async function countSeats(db: Database, filter: SeatFilter): Promise<number> {
  if (filter.asOfBlock === undefined)
    return countRows(db, practiceMembers, and(...currentConditions(filter)));
  const [row] = await queryRows<{ n: unknown }>(
    db,
    sql`SELECT count(*) AS n FROM (${seatsAsOf(filter, undefined)}) c`,
  );
  return toNumber(row?.n);
}

/** A page of current seats whose values may be bound placeholders (a statement built once: core/prefetch.ts). */
export type BoundSeatPage = Bindable<Omit<SeatPage, "filter"> & { filter: Omit<SeatFilter, "asOfBlock"> }>;

/** A page of the practice's current seats (asOfBlock undefined), as a query a statement may embed. */
export function selectCurrentSeats(db: Database, { filter, after, limit }: BoundSeatPage) {
  return db
    .select()
    .from(practiceMembers)
    .where(
      and(...currentConditions(filter), after === undefined ? undefined : gt(practiceMembers.account, after)),
    )
    .orderBy(...SEAT_ORDER)
    .limit(limit);
}

/** The practice's current seats (of the role when given; "None", a constant of the text). */
function currentConditions(filter: BoundSeatPage["filter"]) {
  return [
    eq(practiceMembers.practiceId, filter.practiceId),
    filter.role ? eq(practiceMembers.role, filter.role) : sql`${practiceMembers.role} <> 'None'`,
  ];
}

/** Each account's latest seat row of the practice at or before the block, seated ones only. */
function seatsAsOf(filter: SeatFilter, after: string | undefined) {
  return sql`SELECT s.* FROM (
      SELECT DISTINCT ON (h.account) h.* FROM practice_member_history h
      WHERE h.practice_id = ${filter.practiceId} AND h.block_number <= ${filter.asOfBlock}
        ${after === undefined ? sql`` : sql`AND h.account > ${after}`}
      ORDER BY h.account, h.block_number DESC, h.log_index DESC
    ) s
    WHERE ${filter.role ? sql`s.role = ${filter.role}` : sql`s.role <> 'None'`}`;
}
