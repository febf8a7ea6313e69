// Query.grant: an equity grant by id; NOT_FOUND when the mirror has none.
import type { ApiContext } from "../../../../context.ts";
import { parseUintId } from "../../../../domain/inputs.ts";
import { notFound } from "../../../../errors.ts";

export async function grant(_: unknown, { id }: { id: string }, ctx: ApiContext) {
  const grantId = parseUintId(id);
  const row = await ctx.loaders.grantById.load(grantId);
  if (!row) throw notFound("grant", grantId);
  return row;
}
