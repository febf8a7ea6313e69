// Grant: terms, releases and revocation, and the vesting figures at any time (vesting.ts, which is
// the contract's math).
import type { GrantRow } from "../../../../indexer/store/mirror.ts";
import type { ApiContext } from "../../../context.ts";
import { badUserInput } from "../../../errors.ts";
import type { AtArgs } from "../../core/nodes.ts";
import { loadMember } from "../../member/loadMember.ts";
import { loadProposal } from "../../proposal/loadProposal.ts";
import {
  MAX_SCHEDULE_POINTS,
  nextUnlock,
  releasableAt,
  type VestingTerms,
  vestedAt,
  vestingSchedule,
} from "../vesting.ts";

const terms = (g: GrantRow): VestingTerms => ({
  units: g.units,
  start: g.startAt,
  cliffEnd: g.cliffEnd,
  end: g.endAt,
  revokedAt: g.revokedAt,
});

export const Grant = {
  id: (g: GrantRow) => g.grantId.toString(),
  beneficiaryMember: (g: GrantRow, _: unknown, ctx: ApiContext) => loadMember(ctx, g.beneficiary, null),
  start: (g: GrantRow) => g.startAt,
  cliff: (g: GrantRow) => g.cliffEnd,
  end: (g: GrantRow) => g.endAt,
  revoked: (g: GrantRow) => g.revokedAt !== null,
  vestedAt: async (g: GrantRow, { at }: AtArgs, ctx: ApiContext) => vestedAt(terms(g), await ctx.timeAt(at)),
  releasableAt: async (g: GrantRow, { at }: AtArgs, ctx: ApiContext) =>
    releasableAt(terms(g), g.released, await ctx.timeAt(at)),
  schedule(g: GrantRow, { points }: { points: number }) {
    if (!Number.isInteger(points) || points < 2 || points > MAX_SCHEDULE_POINTS) {
      throw badUserInput("points", points, `from 2 to ${MAX_SCHEDULE_POINTS}`);
    }
    return vestingSchedule(terms(g), points);
  },
  nextUnlock: async (g: GrantRow, { at }: AtArgs, ctx: ApiContext) =>
    nextUnlock(terms(g), await ctx.timeAt(at)),
  createdBy: (g: GrantRow, _: unknown, ctx: ApiContext) => loadProposal(ctx, g.createdProposalId),
  revokedBy: (g: GrantRow, _: unknown, ctx: ApiContext) => loadProposal(ctx, g.revokedProposalId),
  creation: (g: GrantRow) => ({ hash: g.createdTx, blockNumber: g.createdBlock, timestamp: null }),
};
