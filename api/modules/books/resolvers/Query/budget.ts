// Query.budget and Query.budgets: budgets with this period's use, "now" as the API reads it.
import { zeroHash } from "viem";
import type { ApiContext } from "../../../../context.ts";
import { budgetNode } from "../../budgets.ts";
import { practiceIdOf } from "../../inputs.ts";
import { allBudgets, latestBudget } from "../../queries/books.ts";

export async function budget(_: unknown, args: { practice?: string | null }, ctx: ApiContext) {
  const practiceId = (await practiceIdOf(ctx, args.practice)) ?? zeroHash;
  const row = await latestBudget(ctx.db, practiceId);
  return row ? budgetNode(ctx.db, row, await ctx.now()) : null;
}

export async function budgets(_: unknown, __: unknown, ctx: ApiContext) {
  const now = await ctx.now();
  const rows = (await allBudgets(ctx.db)).filter((row) => !row.revoked);
  const slugOf = async (id: string) =>
    id === zeroHash ? "" : ((await ctx.loaders.practiceById.load(id))?.slug ?? id);
  const keyed = await Promise.all(
    rows.map(async (row) => ({
      slug: await slugOf(row.practiceId),
      node: await budgetNode(ctx.db, row, now),
    })),
  );
  return keyed.sort((a, b) => a.slug.localeCompare(b.slug)).map((entry) => entry.node);
}
