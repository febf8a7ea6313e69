// Subscription.proposalUpdated: the proposal, each time a committed block range changes it.
import type { ApiContext } from "../../../../context.ts";
import { parseUintId } from "../../../../domain/inputs.ts";
import { notFound } from "../../../../errors.ts";
import { eventsOf } from "../../../core/eventsOf.ts";

export const proposalUpdated = {
  subscribe(_: unknown, { id }: { id: string }, ctx: ApiContext) {
    const proposalId = parseUintId(id);
    return eventsOf(ctx, (notice) => (notice.proposalIds.includes(proposalId) ? [proposalId] : []));
  },
  async resolve(proposalId: string, _: unknown, ctx: ApiContext) {
    ctx.refresh();
    const row = await ctx.loaders.proposalById.load(proposalId);
    if (!row) throw notFound("proposal", proposalId, "it was rolled back");
    return row;
  },
};
