// Query.profitRule: the rule in force (the contract's default until governance sets one).
import { eq } from "drizzle-orm";
import { DEFAULT_PROFIT_RULE, PROFIT_RULE_KEY } from "../../../../../indexer/handlers/books.ts";
import { profitRules } from "../../../../../indexer/store/schema.ts";
import type { ApiContext } from "../../../../context.ts";

export async function profitRule(_: unknown, __: unknown, ctx: ApiContext) {
  const [row] = await ctx.db.select().from(profitRules).where(eq(profitRules.id, PROFIT_RULE_KEY));
  return row ?? DEFAULT_PROFIT_RULE;
}
