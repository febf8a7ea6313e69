// A proposal by id for the resolvers of every module that links to one (created by, retired by, a
// ballot's proposal).
import type { ProposalRow } from "../../../indexer/store/mirror.ts";
import type { ApiContext } from "../../context.ts";
import { notFound } from "../../errors.ts";

/** A proposal by id, or null (for a nullable link such as "created by"). */
export function loadProposal(
  ctx: ApiContext,
  proposalId: bigint | string | null,
): Promise<ProposalRow | null> {
  if (proposalId === null) return Promise.resolve(null);
  return ctx.loaders.proposalById.load(proposalId.toString());
}

/** A proposal that must exist (a ballot's): a missing one means the mirror is inconsistent. */
export async function requireProposal(ctx: ApiContext, proposalId: bigint | string): Promise<ProposalRow> {
  const row = await loadProposal(ctx, proposalId);
  if (!row) throw notFound("proposal", proposalId.toString());
  return row;
}
