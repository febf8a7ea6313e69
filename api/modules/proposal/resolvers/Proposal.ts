// Proposal: its intent, timeline, tally, quorums, what For must reach, and state at any time; and its
// ballots.
import type { ProposalRow } from "../../../../indexer/store/mirror.ts";
import { expiresAt, forThresholds, quorumOf } from "../../../../indexer/store/views.ts";
import type { ApiContext } from "../../../context.ts";
import { pageConnection } from "../../../domain/pageConnection.ts";
import type { AtArgs, PageArgs } from "../../core/nodes.ts";
import { loadMember } from "../../member/loadMember.ts";
import { loadBases, proposalState } from "../proposalState.ts";
import { countVotes, listVotes } from "../queries/votes.ts";

export const Proposal = {
  id: (p: ProposalRow) => p.proposalId.toString(),

  async kind(p: ProposalRow, _: unknown, ctx: ApiContext) {
    const intents = new Set(
      (await ctx.loaders.actionsByProposal.load(p.proposalId.toString())).map((a) => a.intent),
    );
    if (intents.size === 1) return [...intents][0];
    return intents.size === 0 ? "OTHER" : "MIXED";
  },

  proposerMember: (p: ProposalRow, _: unknown, ctx: ApiContext) => loadMember(ctx, p.proposer, null),

  state: (p: ProposalRow, { at }: AtArgs, ctx: ApiContext) => proposalState(p, at, ctx),

  creation: (p: ProposalRow) => ({ hash: p.createdTx, blockNumber: p.createdBlock, timestamp: p.createdAt }),
  execution: (p: ProposalRow) =>
    p.executedTx === null || p.executedBlock === null
      ? null
      : { hash: p.executedTx, blockNumber: p.executedBlock, timestamp: p.executedAt },

  async actions(p: ProposalRow, _: unknown, ctx: ApiContext) {
    const actions = await ctx.loaders.actionsByProposal.load(p.proposalId.toString());
    return actions.map((a) => ({
      index: a.actionIndex,
      target: a.target,
      value: a.value,
      calldata: a.calldata,
      intent: a.intent,
      arguments: a.args,
      summary: a.summary,
    }));
  },

  tally: (p: ProposalRow) => ({
    for: { equity: p.forEquity, headcount: p.forHeads },
    against: { equity: p.againstEquity, headcount: p.againstHeads },
    abstain: { equity: p.abstainEquity, headcount: p.abstainHeads },
  }),

  expiresAt: (p: ProposalRow) => expiresAt(p),

  async quorum(p: ProposalRow, _: unknown, ctx: ApiContext) {
    const bases = await loadBases(ctx, p);
    const measure = (bps: number, base: bigint, counted: bigint) => {
      const required = quorumOf(base, bps);
      return { bps, base, required, counted, reached: counted >= required };
    };
    const equity = measure(p.equityQuorumBps, bases.equityBase, p.forEquity + p.abstainEquity);
    const headcount = measure(
      p.headcountQuorumBps,
      BigInt(bases.headcountBase),
      BigInt(p.forHeads + p.abstainHeads),
    );
    const needed = forThresholds(p, bases);
    return {
      equity,
      headcount,
      reached: equity.reached && headcount.reached,
      supermajority: p.supermajority,
      supermajorityEquityBps: p.expulsionEquityBps,
      supermajorityHeadcountBps: p.expulsionHeadcountBps,
      forEquityNeeded: needed.equity,
      forHeadcountNeeded: Number(needed.headcount),
      forReached: p.forEquity >= needed.equity && BigInt(p.forHeads) >= needed.headcount,
    };
  },

  votes(p: ProposalRow, { first, after }: PageArgs, ctx: ApiContext) {
    const filter = { proposalId: p.proposalId.toString() };
    return pageConnection({
      list: "proposalVotes:VOTER_ASC",
      first,
      after,
      cursorTypes: ["string"],
      fetch: (page) => listVotes(ctx.db, { filter, after: page.after?.[0], limit: page.limit }),
      keyOf: (row) => [row.voter],
      count: () => countVotes(ctx.db, filter),
    });
  },

  async recusals(p: ProposalRow, _: unknown, ctx: ApiContext) {
    return (await ctx.loaders.recusalsByProposal.load(p.proposalId.toString())).map((r) => r.subject);
  },
};
