// Technician: one result of Query.technicians: the member (read now), the profile, the seat's role
// and start, and the distance from the point asked about.
import type { ApiContext } from "../../../context.ts";
import { loadMember } from "../../member/loadMember.ts";
import type { TechnicianRow } from "../queries/technicians.ts";

export const Technician = {
  member: (t: TechnicianRow, _: unknown, ctx: ApiContext) => loadMember(ctx, t.profile.member, null),
  profile: (t: TechnicianRow) => t.profile,
};
