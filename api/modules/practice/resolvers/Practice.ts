// Practice: a practice's record, now or as of a block, and its seats. A practice may have no lead (its
// lead departed with no successor): `lead` and `leadMember` are null then, never a departed member.
import type { PracticeRoleName } from "../../indexer/decode/enums.ts";
import type { ApiContext } from "../context.ts";
import { decodeCursor, pageSize, toConnection } from "../domain/pagination.ts";
import { countSeats, listSeats } from "../queries/practices.ts";
import {
  loadMember,
  loadPractice,
  loadProposal,
  type PageArgs,
  type PracticeNode,
  type SeatNode,
} from "./nodes.ts";

export const Practice = {
  id: (p: PracticeNode) => p.practiceId,
  leadMember: (p: PracticeNode, _: unknown, ctx: ApiContext) =>
    p.lead === null ? null : loadMember(ctx, p.lead, p.asOf),
  createdBy: (p: PracticeNode, _: unknown, ctx: ApiContext) => loadProposal(ctx, p.createdProposalId),
  creation: (p: PracticeNode) => ({ hash: p.createdTx, blockNumber: p.createdBlock, timestamp: p.createdAt }),
  sunsetBy: (p: PracticeNode, _: unknown, ctx: ApiContext) => loadProposal(ctx, p.sunsetProposalId),

  async members(
    p: PracticeNode,
    { first, after, role }: PageArgs & { role?: PracticeRoleName | null },
    ctx: ApiContext,
  ) {
    const size = pageSize(first);
    const list = "practiceMembers:ACCOUNT_ASC";
    const [afterAccount] = decodeCursor(list, after, ["string"]) ?? [];
    const filter = { practiceId: p.practiceId, role, asOfBlock: p.asOf?.block };
    const rows = await listSeats(ctx.db, {
      filter,
      after: afterAccount as string | undefined,
      limit: size + 1,
    });
    return toConnection(rows, {
      size,
      after,
      list,
      keyOf: (row) => [row.account],
      nodeOf: (row): SeatNode => ({ ...row, asOf: p.asOf }),
      count: () => countSeats(ctx.db, filter),
    });
  },

  async asOfBlock(p: PracticeNode, _: unknown, ctx: ApiContext) {
    return p.asOf?.block ?? (await ctx.mirror()).checkpointBlock;
  },

  async asOfTimestamp(p: PracticeNode, _: unknown, ctx: ApiContext) {
    return p.asOf?.timestamp ?? (await ctx.mirror()).checkpointTimestamp;
  },
};

export const PracticeSeat = {
  async practice(s: SeatNode, _: unknown, ctx: ApiContext) {
    return loadPractice(ctx, s.practiceId, s.asOf);
  },
  member: (s: SeatNode, _: unknown, ctx: ApiContext) => loadMember(ctx, s.account, s.asOf),
};
