// Query.proposal: a proposal by id (decimal, or 0x-hex); NOT_FOUND when the mirror has none.
import type { ApiContext } from "../../../../context.ts";
import { parseUintId } from "../../../../domain/inputs.ts";
import { notFound } from "../../../../errors.ts";

export async function proposal(_: unknown, { id }: { id: string }, ctx: ApiContext) {
  const proposalId = parseUintId(id);
  const row = await ctx.loaders.proposalById.load(proposalId);
  if (!row) throw notFound("proposal", proposalId);
  return row;
}
