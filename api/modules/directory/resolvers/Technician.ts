// Technician: one result of Query.technicians: the member (read now), the profile, the seat's role
// and start, and the distance from the point asked about.
import type { ApiContext } from "../../../context.ts";
import type { MemberNode } from "../../member/loadMember.ts";
import type { TechnicianRow } from "../queries/technicians.ts";

export const Technician = {
  member: (t: TechnicianRow, _: unknown, ctx: ApiContext): MemberNode => {
    // Read with the technician: later fields of the same request find it in the loader's cache.
    ctx.loaders.memberByAddress.prime(t.member.address, t.member);
    return { ...t.member, asOf: null };
  },
  profile: (t: TechnicianRow) => t.profile,
};
