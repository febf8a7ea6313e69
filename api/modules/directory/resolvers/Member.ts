// Member's directory fields: the live profile, the mentor and the mentees. The directory's tables keep
// no history (they are journaled for rollback only), so these are the current record at any asOf.
import type { ApiContext } from "../../../context.ts";
import { loadMember, type MemberNode } from "../../member/loadMember.ts";

const DEPARTED = ["Retired", "Removed"];

export const Member = {
  // A departed member's profile is hidden, as the chain's profileOf reads it (live false), even while
  // nobody has cleared it.
  profile: (m: MemberNode, _: unknown, ctx: ApiContext) =>
    DEPARTED.includes(m.status) ? null : ctx.loaders.profileByMember.load(m.address),

  async mentor(m: MemberNode, _: unknown, ctx: ApiContext) {
    const link = await ctx.loaders.mentorshipByMentee.load(m.address);
    return link ? loadMember(ctx, link.mentor, null) : null;
  },

  async mentees(m: MemberNode, _: unknown, ctx: ApiContext) {
    const links = await ctx.loaders.menteesByMentor.load(m.address);
    const members = await Promise.all(links.map((link) => loadMember(ctx, link.mentee, null)));
    return members.filter((member) => member !== null);
  },
};
