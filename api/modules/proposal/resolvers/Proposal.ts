// Proposal: its intent, timeline, tally, quorums, what For must reach, and state at any time; and its
// ballots.
import type { ProposalRow } from "../../indexer/store/mirror.ts";
import { expiresAt, forThresholds, proposalStateAt, quorumOf } from "../../indexer/store/views.ts";
import type { ApiContext } from "../context.ts";
import { decodeCursor, pageSize, toConnection } from "../domain/pagination.ts";
import { countProposalVotes, listProposalVotes } from "../queries/votes.ts";
import { type AtArgs, loadMember, type PageArgs, requireProposal, type VoteRow } from "./nodes.ts";

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

  async votes(p: ProposalRow, { first, after }: PageArgs, ctx: ApiContext) {
    const size = pageSize(first);
    const list = "proposalVotes:VOTER_ASC";
    const [afterVoter] = decodeCursor(list, after, ["string"]) ?? [];
    const proposalId = p.proposalId.toString();
    const rows = await listProposalVotes(ctx.db, {
      proposalId,
      after: afterVoter as string | undefined,
      limit: size + 1,
    });
    return toConnection(rows, {
      size,
      after,
      list,
      keyOf: (row) => [row.voter],
      count: () => countProposalVotes(ctx.db, proposalId),
    });
  },

  async recusals(p: ProposalRow, _: unknown, ctx: ApiContext) {
    return (await ctx.loaders.recusalsByProposal.load(p.proposalId.toString())).map((r) => r.subject);
  },
};

export const Vote = {
  proposal: (v: VoteRow, _: unknown, ctx: ApiContext) => requireProposal(ctx, v.proposalId),
  voterMember: (v: VoteRow, _: unknown, ctx: ApiContext) => loadMember(ctx, v.voter, null),
  transaction: (v: VoteRow) => ({ hash: v.txHash, blockNumber: v.blockNumber, timestamp: v.blockTimestamp }),
};

/**
 * The governor's state(proposalId) at `at` (views.ts proposalStateAt). At or after the mirror's head
 * time the stored row is the whole story; before it, later events must not count: the ballots are
 * summed as of `at`, and queueing, execution and cancellation after `at` are undone.
 */
export async function proposalState(p: ProposalRow, at: number | null | undefined, ctx: ApiContext) {
  const [t, mirror, bases] = await Promise.all([ctx.timeAt(at), ctx.mirror(), loadBases(ctx, p)]);
  let row = p;
  if (mirror.checkpointTimestamp !== null && t < mirror.checkpointTimestamp) {
    const tally = await ctx.loaders.tallyAt.load({ proposalId: p.proposalId.toString(), at: t });
    const by = (time: number | null) => time !== null && time <= t;
    row = {
      ...p,
      ...tally,
      executedAt: by(p.executedAt) ? p.executedAt : null,
      canceledAt: by(p.canceledAt) ? p.canceledAt : null,
      eta: by(p.queuedAt) ? p.eta : null,
    };
  }
  return proposalStateAt(row, bases, t);
}

/** The proposal's eligible bases: every partner at its snapshot, less a recused partner subject. */
function loadBases(ctx: ApiContext, p: ProposalRow) {
  return ctx.loaders.quorumBases.load({ snapshot: p.snapshot, subject: p.subject });
}
