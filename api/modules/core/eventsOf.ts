// Subscriptions, served over SSE: each commit notice the bus delivers (one per committed block range)
// is turned into the events this subscription asks for, and each event re-reads the mirror with fresh
// loaders, so a subscriber sees exactly what a query would return at that moment.
import { Repeater } from "graphql-yoga";
import type { CommitNotice } from "../../indexer/store/types.ts";
import type { ApiContext } from "../context.ts";
import { parseAddress, parseUintId } from "../domain/inputs.ts";
import { notFound } from "../errors.ts";
import type { BallotKey } from "../loaders/votes.ts";
import { loadMember } from "./nodes.ts";

/** The events of each notice selected by `select`, until the client goes away. */
function eventsOf<Event>(ctx: ApiContext, select: (notice: CommitNotice) => Event[]): AsyncIterable<Event> {
  return new Repeater<Event>(async (push, stop) => {
    const unsubscribe = ctx.bus.subscribe((notice) => {
      if (notice.chainId !== ctx.manifest.chainId) return;
      for (const event of select(notice)) void push(event);
    });
    await stop;
    unsubscribe();
  });
}

export const Subscription = {
  proposalUpdated: {
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
  },

  voteCast: {
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
  },

  memberChanged: {
    subscribe(_: unknown, { address }: { address: string }, ctx: ApiContext) {
      const account = parseAddress(address);
      return eventsOf(ctx, (notice) =>
        notice.members.some((m) => m.toLowerCase() === account) ? [account] : [],
      );
    },
    async resolve(account: string, _: unknown, ctx: ApiContext) {
      ctx.refresh();
      const member = await loadMember(ctx, account, null);
      if (!member) throw notFound("member", account, "it was rolled back");
      return member;
    },
  },
};
