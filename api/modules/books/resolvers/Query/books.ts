// Query.books: revenue, expenses, budget use and what closes distributed, by month, practice and token.
import { zeroHash } from "viem";
import { addMonths } from "../../../../../indexer/handlers/books.ts";
import type { ApiContext } from "../../../../context.ts";
import { budgetUses } from "../../budgets.ts";
import { formatMonth, monthRange, practiceIdOf } from "../../inputs.ts";
import { allBudgets, closesInRange, poolsOfMonths } from "../../queries/books.ts";
import { monthlyFlows } from "../../queries/movements.ts";

interface BooksArgs {
  from?: string | null;
  to?: string | null;
  practice?: string | null;
}

const key = (month: number, practiceId: string, token: string) => `${month}|${practiceId}|${token}`;

export async function books(_: unknown, args: BooksArgs, ctx: ApiContext) {
  const range = monthRange(args.from, args.to, await ctx.now());
  const practiceId = await practiceIdOf(ctx, args.practice);
  const [flows, closes, pools, budgetRows] = await Promise.all([
    monthlyFlows(ctx.db, range, practiceId),
    closesInRange(ctx.db, range),
    poolsOfMonths(ctx.db, range),
    allBudgets(ctx.db),
  ]);
  const months: number[] = [];
  for (let m = range.from; m <= range.to; m = addMonths(m, 1)) months.push(m);

  const rows = new Map<
    string,
    { month: number; practiceId: string; token: string; revenue: bigint; expenses: bigint }
  >();
  for (const flow of flows) rows.set(key(flow.month, flow.practiceId, flow.token), flow);
  // A budget in force gives its practice a row in each month of the range since it was set.
  const inForce = budgetRows.filter(
    (b) => !b.revoked && (practiceId === undefined || b.practiceId === practiceId),
  );
  for (const budget of inForce)
    for (const month of months)
      if (month >= budget.startPeriod && !rows.has(key(month, budget.practiceId, budget.token)))
        rows.set(key(month, budget.practiceId, budget.token), {
          month,
          practiceId: budget.practiceId,
          token: budget.token,
          revenue: 0n,
          expenses: 0n,
        });
  const uses = await budgetUses(ctx.db, inForce, months);
  const closed = new Map(closes.map((close) => [`${close.month}|${close.token}`, close]));
  const poolOf = new Map(pools.map((pool) => [key(pool.month, pool.practiceId, pool.token), pool]));
  const slugs = new Map<string, string>();
  await Promise.all(
    [...new Set([...rows.values()].map((row) => row.practiceId))].map(async (id) =>
      slugs.set(id, id === zeroHash ? "" : ((await ctx.loaders.practiceById.load(id))?.slug ?? id)),
    ),
  );

  const out = [...rows.values()]
    .sort(
      (a, b) =>
        a.month - b.month ||
        (slugs.get(a.practiceId) ?? "").localeCompare(slugs.get(b.practiceId) ?? "") ||
        a.token.localeCompare(b.token),
    )
    .map((row) => {
      const budget = inForce.find((b) => b.practiceId === row.practiceId && b.token === row.token);
      const use = budget ? uses.get(`${budget.budgetId}:${row.month}`) : undefined;
      const close = closed.get(`${row.month}|${row.token}`);
      // The firm's share of a close is its lockstep; a practice's is its pool (0 when it earned none).
      const distributed = close
        ? row.practiceId === zeroHash
          ? close.lockstep
          : (poolOf.get(key(row.month, row.practiceId, row.token))?.amount ?? 0n)
        : null;
      return {
        month: formatMonth(row.month),
        practice: row.practiceId,
        token: row.token,
        revenue: row.revenue,
        expenses: row.expenses,
        net: (row.revenue - row.expenses).toString(),
        budgetUsed: use?.used ?? null,
        budgetRemaining: use?.remaining ?? null,
        distributed,
        closed: close !== undefined,
      };
    });

  const totals = new Map<string, { token: string; revenue: bigint; expenses: bigint; distributed: bigint }>();
  const totalOf = (token: string) => {
    const total = totals.get(token) ?? { token, revenue: 0n, expenses: 0n, distributed: 0n };
    totals.set(token, total);
    return total;
  };
  for (const row of rows.values()) {
    const total = totalOf(row.token);
    total.revenue += row.revenue;
    total.expenses += row.expenses;
  }
  for (const close of closes) totalOf(close.token).distributed += close.toPractices + close.lockstep;

  return {
    from: formatMonth(range.from),
    to: formatMonth(range.to),
    rows: out,
    totals: [...totals.values()]
      .sort((a, b) => a.token.localeCompare(b.token))
      .map((total) => ({ ...total, net: (total.revenue - total.expenses).toString() })),
    closes,
  };
}
