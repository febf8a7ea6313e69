// A proposal's state at any time, as the governor's state(proposalId) would answer then, and the
// eligible bases its quorums are measured against.
import type { ProposalRow } from "../../../indexer/store/mirror.ts";
import { proposalStateAt } from "../../../indexer/store/views.ts";
import type { ApiContext } from "../../context.ts";

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
export function loadBases(ctx: ApiContext, p: ProposalRow) {
  return ctx.loaders.quorumBases.load({ snapshot: p.snapshot, subject: p.subject });
}
