// The books' other reads: closes and pools by month range, budgets and their spending, claims.
import { and, desc, eq, gte, inArray, lt, type SQL, sql } from "drizzle-orm";
import type { Database } from "../../../../indexer/store/db.ts";
import type {
  BudgetRow,
  PeriodCloseRow,
  PoolClaimRow,
  PracticePoolRow,
} from "../../../../indexer/store/mirror.ts";
import {
  budgetSpending,
  budgets,
  periodCloses,
  poolClaims,
  practiceMemberHistory,
  practicePools,
} from "../../../../indexer/store/schema.ts";

export function closesInRange(db: Database, range: { from: number; to: number }): Promise<PeriodCloseRow[]> {
  return db
    .select()
    .from(periodCloses)
    .where(and(gte(periodCloses.month, range.from), sql`${periodCloses.month} <= ${range.to}`))
    .orderBy(desc(periodCloses.month), periodCloses.token);
}

export function poolsOfMonths(db: Database, range: { from: number; to: number }): Promise<PracticePoolRow[]> {
  return db
    .select()
    .from(practicePools)
    .where(and(gte(practicePools.month, range.from), sql`${practicePools.month} <= ${range.to}`));
}

export function poolsOfClose(db: Database, close: PeriodCloseRow): Promise<PracticePoolRow[]> {
  return db
    .select()
    .from(practicePools)
    .where(and(eq(practicePools.month, close.month), eq(practicePools.token, close.token)))
    .orderBy(practicePools.poolId);
}

/** A page of pools, newest (highest id) first. */
export function listPools(
  db: Database,
  { practiceId, after, limit }: { practiceId: string | undefined; after: string | undefined; limit: number },
): Promise<PracticePoolRow[]> {
  const conditions: SQL[] = [];
  if (practiceId !== undefined) conditions.push(eq(practicePools.practiceId, practiceId));
  if (after !== undefined) conditions.push(sql`${practicePools.poolId} < ${after}::numeric`);
  return db
    .select()
    .from(practicePools)
    .where(and(...conditions))
    .orderBy(desc(practicePools.poolId))
    .limit(limit);
}

export async function countPools(db: Database, practiceId: string | undefined): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(practicePools)
    .where(practiceId === undefined ? undefined : eq(practicePools.practiceId, practiceId));
  return row?.count ?? 0;
}

export function allBudgets(db: Database): Promise<BudgetRow[]> {
  return db.select().from(budgets).orderBy(budgets.budgetId);
}

/** The practice's latest budget (in force or not), or undefined if none was ever set. */
export async function latestBudget(db: Database, practiceId: string): Promise<BudgetRow | undefined> {
  const [row] = await db
    .select()
    .from(budgets)
    .where(eq(budgets.practiceId, practiceId))
    .orderBy(desc(budgets.budgetId))
    .limit(1);
  return row;
}

/** What each of `budgetIds` spent in each of `periods`, keyed "budgetId:period". */
export async function spending(
  db: Database,
  budgetIds: bigint[],
  periods: number[],
): Promise<Map<string, bigint>> {
  if (budgetIds.length === 0 || periods.length === 0) return new Map();
  const rows = await db
    .select()
    .from(budgetSpending)
    .where(and(inArray(budgetSpending.budgetId, budgetIds), inArray(budgetSpending.period, periods)));
  return new Map(rows.map((row) => [`${row.budgetId}:${row.period}`, row.spent]));
}

/** The pool's seats at its timepoint: each account's latest seat row at or before it, seated. */
export async function seatsAt(
  db: Database,
  pool: PracticePoolRow,
): Promise<{ account: string; role: string }[]> {
  const h = practiceMemberHistory;
  const rows = await db
    .selectDistinctOn([h.account], { account: h.account, role: h.role })
    .from(h)
    .where(and(eq(h.practiceId, pool.practiceId), sql`${h.blockTimestamp} <= ${pool.timepoint}`))
    .orderBy(h.account, desc(h.blockNumber), desc(h.logIndex));
  return rows.filter((row) => row.role !== "None");
}

export function claimsOfPool(db: Database, poolId: bigint): Promise<PoolClaimRow[]> {
  return db.select().from(poolClaims).where(eq(poolClaims.poolId, poolId));
}

/** A member's claims of pools of months in [from, to] (all when null), newest first. */
export function claimsOfMember(
  db: Database,
  member: string,
  range: { from: number | null; to: number | null },
): Promise<{ claim: PoolClaimRow; pool: PracticePoolRow }[]> {
  const conditions: SQL[] = [eq(poolClaims.member, member)];
  if (range.from !== null) conditions.push(gte(practicePools.month, range.from));
  if (range.to !== null) conditions.push(lt(practicePools.month, range.to + 1));
  return db
    .select({ claim: poolClaims, pool: practicePools })
    .from(poolClaims)
    .innerJoin(practicePools, eq(practicePools.poolId, poolClaims.poolId))
    .where(and(...conditions))
    .orderBy(desc(poolClaims.blockNumber), desc(poolClaims.logIndex));
}
