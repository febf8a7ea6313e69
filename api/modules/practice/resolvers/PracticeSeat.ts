// PracticeSeat: a seat in a practice, with the practice and the member read at the seat's asOf point.
import type { ApiContext } from "../../../context.ts";
import { loadMember } from "../../member/loadMember.ts";
import { loadPractice, type SeatNode } from "../loadPractice.ts";

export const PracticeSeat = {
  practice: (s: SeatNode, _: unknown, ctx: ApiContext) => loadPractice(ctx, s.practiceId, s.asOf),
  member: (s: SeatNode, _: unknown, ctx: ApiContext) => loadMember(ctx, s.account, s.asOf),
};
