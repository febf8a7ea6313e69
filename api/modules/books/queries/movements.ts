// Movements (book_movements): filtered keyset pages in chain order, newest first for the connections
// and oldest first for the CSV. Every filter has an index (practice, counterparty, token, reference,
// time; schema.ts), so a page never scans history outside what it selects.
import { and, asc, desc, eq, getTableColumns, gte, inArray, lt, type SQL, sql } from "drizzle-orm";
import type { Database } from "../../../../indexer/store/db.ts";
import type { BookMovementRow } from "../../../../indexer/store/mirror.ts";
import { bookFlows, bookMovements as m } from "../../../../indexer/store/schema.ts";

/** A movement as the API shows it: the row, and whether its reference repeats an earlier one. */
export type MovementRow = BookMovementRow & { repeated: boolean };

/**
 * A deposit is repeated when the contract flagged it (Deposited.repeatedReference); a payment when an
 * earlier payment (chain order) to the same payee carries the same non-empty reference. The contract
 * no longer refuses a repeated payment, so the mirror flags it from the rows it holds, at read time:
 * one probe of book_movements_payment_reference_idx per row, and nothing to undo on a rollback.
 */
// Written with the table's name: drizzle leaves a column unqualified in a one-table select, where it
// would name the subquery's own row.
const repeated = sql<boolean>`case when book_movements.kind = 'PAYMENT' and book_movements.reference is not null
  then exists (
    select 1 from book_movements earlier
    where earlier.kind = 'PAYMENT' and earlier.reference is not null
      and earlier.counterparty = book_movements.counterparty and earlier.reference = book_movements.reference
      and (earlier.block_number, earlier.log_index) < (book_movements.block_number, book_movements.log_index)
  )
  else book_movements.repeated_reference end`;

export interface MovementFilter {
  kinds?: string[] | undefined;
  practiceId?: string | undefined;
  counterparty?: string | undefined;
  token?: string | undefined;
  reference?: string | undefined;
  /** Unix seconds, inclusive. */
  fromTime?: number | undefined;
  /** Unix seconds, exclusive. */
  toTime?: number | undefined;
  /** yyyymm, inclusive. */
  fromMonth?: number | undefined;
  toMonth?: number | undefined;
}

function where(filter: MovementFilter): SQL[] {
  const conditions: SQL[] = [];
  if (filter.kinds) conditions.push(inArray(m.kind, filter.kinds));
  if (filter.practiceId !== undefined) conditions.push(eq(m.practiceId, filter.practiceId));
  if (filter.counterparty !== undefined) conditions.push(eq(m.counterparty, filter.counterparty));
  if (filter.token !== undefined) conditions.push(eq(m.token, filter.token));
  if (filter.reference !== undefined) conditions.push(eq(m.reference, filter.reference));
  if (filter.fromTime !== undefined) conditions.push(gte(m.blockTimestamp, filter.fromTime));
  if (filter.toTime !== undefined) conditions.push(lt(m.blockTimestamp, filter.toTime));
  if (filter.fromMonth !== undefined) conditions.push(gte(m.month, filter.fromMonth));
  if (filter.toMonth !== undefined) conditions.push(sql`${m.month} <= ${filter.toMonth}`);
  return conditions;
}

/** A page of movements after the (block, log index) cursor, newest first or oldest first. */
export function listMovements(
  db: Database,
  filter: MovementFilter,
  page: { after: readonly [number, number] | undefined; limit: number; order: "newest" | "oldest" },
): Promise<MovementRow[]> {
  const conditions = where(filter);
  if (page.after) {
    const [block, logIndex] = page.after;
    conditions.push(
      page.order === "newest"
        ? sql`(${m.blockNumber}, ${m.logIndex}) < (${block}, ${logIndex})`
        : sql`(${m.blockNumber}, ${m.logIndex}) > (${block}, ${logIndex})`,
    );
  }
  const order = page.order === "newest" ? desc : asc;
  return db
    .select({ ...getTableColumns(m), repeated })
    .from(m)
    .where(and(...conditions))
    .orderBy(order(m.blockNumber), order(m.logIndex))
    .limit(page.limit);
}

export async function countMovements(db: Database, filter: MovementFilter): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(m)
    .where(and(...where(filter)));
  return row?.count ?? 0;
}

export interface MonthFlow {
  month: number;
  practiceId: string;
  token: string;
  revenue: bigint;
  expenses: bigint;
}

/** Revenue and expenses per month, practice and token in [from, to], as the handlers keep them in
 * book_flows: one primary-key range read, never a sum over movements. */
export async function monthlyFlows(
  db: Database,
  range: { from: number; to: number },
  practiceId: string | undefined,
): Promise<MonthFlow[]> {
  const conditions = [gte(bookFlows.month, range.from), sql`${bookFlows.month} <= ${range.to}`];
  if (practiceId !== undefined) conditions.push(eq(bookFlows.practiceId, practiceId));
  return db
    .select({
      month: bookFlows.month,
      practiceId: bookFlows.practiceId,
      token: bookFlows.token,
      revenue: bookFlows.revenue,
      expenses: bookFlows.expenses,
    })
    .from(bookFlows)
    .where(and(...conditions));
}
