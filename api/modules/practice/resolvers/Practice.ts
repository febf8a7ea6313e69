// Practice: a practice's record, now or as of a block, and its seats. A practice may have no lead (its
// lead departed with no successor): `lead` and `leadMember` are null then, never a departed member.
import type { PracticeRoleName } from "../../../../indexer/decode/enums.ts";
import type { ApiContext } from "../../../context.ts";
import { pageConnection } from "../../../domain/pageConnection.ts";
import type { PageArgs } from "../../core/nodes.ts";
import { asOfFields } from "../../core/resolvers/asOfFields.ts";
import { loadMember } from "../../member/loadMember.ts";
import { loadProposal } from "../../proposal/loadProposal.ts";
import type { PracticeNode, SeatNode } from "../loadPractice.ts";
import { countSeats, SEATS_CURSOR, SEATS_LIST } from "../queries/seats.ts";

export const Practice = {
  id: (p: PracticeNode) => p.practiceId,
  leadMember: (p: PracticeNode, _: unknown, ctx: ApiContext) =>
    p.lead === null ? null : loadMember(ctx, p.lead, p.asOf),
  createdBy: (p: PracticeNode, _: unknown, ctx: ApiContext) => loadProposal(ctx, p.createdProposalId),
  creation: (p: PracticeNode) => ({ hash: p.createdTx, blockNumber: p.createdBlock, timestamp: p.createdAt }),
  sunsetBy: (p: PracticeNode, _: unknown, ctx: ApiContext) => loadProposal(ctx, p.sunsetProposalId),

  members(
    p: PracticeNode,
    { first, after, role }: PageArgs & { role?: PracticeRoleName | null },
    ctx: ApiContext,
  ) {
    const filter = { practiceId: p.practiceId, role, asOfBlock: p.asOf?.block };
    return pageConnection({
      list: SEATS_LIST,
      first,
      after,
      cursorTypes: SEATS_CURSOR,
      fetch: (page) => ctx.loaders.seatPage.load({ filter, after: page.after?.[0], limit: page.limit }),
      keyOf: (row) => [row.account],
      nodeOf: (row): SeatNode => ({ ...row, asOf: p.asOf }),
      count: () => countSeats(ctx.db, filter),
    });
  },

  ...asOfFields,
};
