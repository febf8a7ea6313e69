// Vote: a ballot, its proposal, the voter as a member, and its transaction.
import type { VoteRow } from "../../../../indexer/store/mirror.ts";
import type { ApiContext } from "../../../context.ts";
import { loadMember } from "../../member/loadMember.ts";
import { requireProposal } from "../loadProposal.ts";

export const Vote = {
  proposal: (v: VoteRow, _: unknown, ctx: ApiContext) => requireProposal(ctx, v.proposalId),
  voterMember: (v: VoteRow, _: unknown, ctx: ApiContext) => loadMember(ctx, v.voter, null),
  transaction: (v: VoteRow) => ({ hash: v.txHash, blockNumber: v.blockNumber, timestamp: v.blockTimestamp }),
};
