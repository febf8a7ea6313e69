// Query.indexingStatus: how far the mirror has indexed the chain, against the cached head.
import type { ApiContext } from "../../../../context.ts";
import { readIndexingStatus } from "../../readIndexingStatus.ts";

export async function indexingStatus(_: unknown, __: unknown, ctx: ApiContext) {
  return readIndexingStatus(ctx, await ctx.mirror());
}
