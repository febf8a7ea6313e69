// The objects resolvers hand to each other: mirror rows, plus the asOf point they were read at, so a
// member read "as of block N" shows its practices, equity and lead as of block N too.
import type {
  DistributionRow,
  GrantRow,
  LeaveRow,
  MemberRow,
  PracticeMemberRow,
  PracticeRow,
  ProposalRow,
  VoteRow,
} from "../../indexer/store/mirror.ts";
import type { ApiContext, AsOfPoint } from "../context.ts";
import { notFound } from "../errors.ts";

export type MemberNode = MemberRow & { asOf: AsOfPoint | null };
export type PracticeNode = PracticeRow & { asOf: AsOfPoint | null };
export type SeatNode = PracticeMemberRow & { asOf: AsOfPoint | null };
export interface EquityNode {
  account: string;
  asOf: AsOfPoint | null;
}
export interface TransactionNode {
  hash: string;
  blockNumber: number;
  /** Null when the table that recorded it keeps no time: read from the block's events then. */
  timestamp: number | null;
}
export type { DistributionRow, GrantRow, LeaveRow, ProposalRow, VoteRow };

/** Arguments of a field that depends on time. */
export interface AtArgs {
  at?: number | null;
}

/** Arguments of a connection field. */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

/** A member (as of a point when given), or null when not a member then. */
export async function loadMember(
  ctx: ApiContext,
  address: string,
  asOf: AsOfPoint | null,
): Promise<MemberNode | null> {
  const row = asOf
    ? await ctx.loaders.memberAsOfBlock.load({ address, point: asOf.block })
    : await ctx.loaders.memberByAddress.load(address);
  return row ? { ...row, asOf } : null;
}

/** A practice by id (as of a point when given), or null. */
export async function loadPractice(
  ctx: ApiContext,
  practiceId: string,
  asOf: AsOfPoint | null,
): Promise<PracticeNode | null> {
  const row = asOf
    ? await ctx.loaders.practiceAsOf.load({ practiceId, block: asOf.block })
    : await ctx.loaders.practiceById.load(practiceId);
  return row ? { ...row, asOf } : null;
}

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
