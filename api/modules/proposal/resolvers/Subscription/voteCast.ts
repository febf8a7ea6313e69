// Subscription.voteCast: each ballot cast on the proposal, once its block range is committed.
import type { ApiContext } from "../../../../context.ts";
import { parseUintId } from "../../../../domain/inputs.ts";
import { notFound } from "../../../../errors.ts";
import { eventsOf } from "../../../core/eventsOf.ts";
import type { BallotKey } from "../../loaders.ts";

export const voteCast = {
  subscribe(_: unknown, { proposalId }: { proposalId: string }, ctx: ApiContext) {
    const id = parseUintId(proposalId, "proposalId");
    return eventsOf(ctx, (notice) =>
      notice.votes
        .filter((vote) => vote.proposalId === id)
        .map((vote): BallotKey => ({ proposalId: id, voter: vote.voter.toLowerCase() })),
    );
  },
  async resolve(ballot: BallotKey, _: unknown, ctx: ApiContext) {
    ctx.refresh();
    const row = await ctx.loaders.voteByBallot.load(ballot);
    if (!row) throw notFound("ballot", `${ballot.proposalId}:${ballot.voter}`, "it was rolled back");
    return row;
  },
};
