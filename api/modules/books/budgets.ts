// A budget's period, allowance, use and rest, computed as Books.budgetOf does from the mirrored
// spending: the period containing `month`, the amount plus (rolling over) last period's unspent
// amount, at most one amount, never into the budget's first period.
import { type BudgetCadence, monthOf, periodOf, previousPeriod } from "../../../indexer/handlers/books.ts";
import type { Database } from "../../../indexer/store/db.ts";
import type { BudgetRow } from "../../../indexer/store/mirror.ts";
import { spending } from "./queries/books.ts";

export interface BudgetUse {
  period: number;
  allowance: bigint;
  used: bigint;
  remaining: bigint;
}

/** Each budget's use in the period containing each of `months`, keyed "budgetId:month". */
export async function budgetUses(
  db: Database,
  rows: BudgetRow[],
  months: number[],
): Promise<Map<string, BudgetUse>> {
  const periods = new Set<number>();
  for (const row of rows)
    for (const month of months) {
      const period = periodOf(row.cadence as BudgetCadence, month);
      periods.add(period);
      periods.add(previousPeriod(row.cadence as BudgetCadence, period));
    }
  const spent = await spending(
    db,
    rows.map((row) => row.budgetId),
    [...periods],
  );
  const uses = new Map<string, BudgetUse>();
  for (const row of rows)
    for (const month of months) {
      const cadence = row.cadence as BudgetCadence;
      const period = periodOf(cadence, month);
      const used = spent.get(`${row.budgetId}:${period}`) ?? 0n;
      let allowance = row.amount;
      if (row.revoked) allowance = 0n;
      else if (row.rollover && period > row.startPeriod) {
        const before = spent.get(`${row.budgetId}:${previousPeriod(cadence, period)}`) ?? 0n;
        if (before < row.amount) allowance += row.amount - before;
      }
      uses.set(`${row.budgetId}:${month}`, {
        period,
        allowance,
        used,
        remaining: allowance > used ? allowance - used : 0n,
      });
    }
  return uses;
}

/** The budget as the API shows it at `now` (unix seconds). */
export async function budgetNode(db: Database, row: BudgetRow, now: number) {
  const month = monthOf(now);
  const use = (await budgetUses(db, [row], [month])).get(`${row.budgetId}:${month}`) as BudgetUse;
  return { ...row, ...use };
}
export type BudgetNode = Awaited<ReturnType<typeof budgetNode>>;
