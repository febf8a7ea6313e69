// Member: a member's record, now or as of a block, with every time-dependent field read at `at`.
import { memberStatusAt } from "../../../../indexer/store/views.ts";
import type { ApiContext } from "../../../context.ts";
import { pageConnection } from "../../../domain/pageConnection.ts";
import type { AtArgs, PageArgs, TransactionNode } from "../../core/nodes.ts";
import { asOfFields } from "../../core/resolvers/asOfFields.ts";
import { loadProposal } from "../../proposal/loadProposal.ts";
import { countVotes, listVotes } from "../../proposal/queries/votes.ts";
import type { MemberNode } from "../loadMember.ts";

export const Member = {
  address: (m: MemberNode) => m.address,
  index: (m: MemberNode) => m.memberIndex,
  since: (m: MemberNode) => m.admittedAt,

  async status(m: MemberNode, { at }: AtArgs, ctx: ApiContext) {
    // Read at now, the status changes with the clock only when a leave runs out (memberStatusAt).
    const t = await ctx.timeHolding(at, m.asOf, (now) =>
      now < m.updatedAt
        ? now + 1
        : m.status === "OnLeave" && m.leaveUntil !== null && now < m.leaveUntil
          ? m.leaveUntil
          : Number.POSITIVE_INFINITY,
    );
    // The record holds from its last change on; for an earlier time, read the record as it was then.
    if (t >= m.updatedAt) return memberStatusAt(m, t);
    const then = await ctx.loaders.memberAtTime.load({ key: m.address, point: t });
    return then ? memberStatusAt(then, t) : "None";
  },

  async leave(m: MemberNode, { at }: AtArgs, ctx: ApiContext) {
    const t = await ctx.timeAt(at, m.asOf);
    const leaves = await memberLeaves(m, ctx);
    return leaves.findLast((leave) => leave.fromAt <= t && t < leave.untilAt) ?? null;
  },

  leaves: (m: MemberNode, _: unknown, ctx: ApiContext) => memberLeaves(m, ctx),

  async practices(m: MemberNode, _: unknown, ctx: ApiContext) {
    const seats = m.asOf
      ? await ctx.loaders.seatsAsOf.load({ key: m.address, point: m.asOf.block })
      : await ctx.loaders.seatsByAccount.load(m.address);
    return seats.map((seat) => ({ ...seat, asOf: m.asOf }));
  },

  equity: (m: MemberNode) => ({ account: m.address, asOf: m.asOf }),

  async grants(m: MemberNode, _: unknown, ctx: ApiContext) {
    const grants = await ctx.loaders.grantsByBeneficiary.load(m.address);
    const asOf = m.asOf;
    return asOf ? grants.filter((g) => g.createdBlock <= asOf.block) : grants;
  },

  votes(m: MemberNode, { first, after }: PageArgs, ctx: ApiContext) {
    const filter = { voter: m.address, throughBlock: m.asOf?.block };
    return pageConnection({
      list: "memberVotes:PROPOSAL_ASC",
      first,
      after,
      cursorTypes: ["string"],
      fetch: (page) => listVotes(ctx.db, { filter, after: page.after?.[0], limit: page.limit }),
      keyOf: (row) => [row.proposalId.toString()],
      count: () => countVotes(ctx.db, filter),
    });
  },

  admission: (m: MemberNode) => ({
    proposalId: m.admissionProposalId,
    transaction: {
      hash: m.admissionTx,
      blockNumber: m.admissionBlock,
      timestamp: m.admittedAt,
    } satisfies TransactionNode,
  }),

  departure: (m: MemberNode, _: unknown, ctx: ApiContext) => loadProposal(ctx, m.departureProposalId),

  /** The member's withdrawals and the desk's book for them (up to the asOf block); null if none. */
  async withdrawal(m: MemberNode, _: unknown, ctx: ApiContext) {
    const asOf = m.asOf;
    const upTo = <Row extends { blockNumber: number }>(rows: Row[]) =>
      asOf ? rows.filter((row) => row.blockNumber <= asOf.block) : rows;
    const [withdrawals, payments] = await Promise.all([
      ctx.loaders.withdrawalsByMember.load(m.address).then(upTo),
      ctx.loaders.withdrawalPaymentsByMember.load(m.address).then(upTo),
    ]);
    if (withdrawals.length === 0 && payments.length === 0) return null;
    const last = withdrawals.at(-1);
    const shares = new Map<string, { token: string; credited: bigint; claimed: bigint; skipped: boolean }>();
    for (const p of payments) {
      const share = shares.get(p.token) ?? { token: p.token, credited: 0n, claimed: 0n, skipped: false };
      if (p.kind === "credit") share.credited += p.amount ?? 0n;
      else if (p.kind === "claim") share.claimed += p.amount ?? 0n;
      else share.skipped = true;
      shares.set(p.token, share);
    }
    return {
      unitsWithdrawn: withdrawals.reduce((sum, w) => sum + w.units, 0n),
      totalUnits: last?.totalUnits ?? null,
      withdrawnAt: last?.withdrawnAt ?? null,
      transaction: last
        ? ({
            hash: last.txHash,
            blockNumber: last.blockNumber,
            timestamp: last.blockTimestamp,
          } satisfies TransactionNode)
        : null,
      shares: [...shares.values()].map((share) => ({ ...share, owed: share.credited - share.claimed })),
    };
  },

  ...asOfFields,
};

export const Admission = {
  proposal: (a: { proposalId: bigint | null }, _: unknown, ctx: ApiContext) =>
    loadProposal(ctx, a.proposalId),
};

/** The member's leaves, up to the asOf block. */
async function memberLeaves(m: MemberNode, ctx: ApiContext) {
  const leaves = await ctx.loaders.leavesByPartner.load(m.address);
  const asOf = m.asOf;
  return asOf ? leaves.filter((leave) => leave.declaredBlock <= asOf.block) : leaves;
}
