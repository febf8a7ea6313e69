// Subscription.memberChanged: the member, each time a committed block range changes their record.
import type { ApiContext } from "../../../../context.ts";
import { parseAddress } from "../../../../domain/inputs.ts";
import { notFound } from "../../../../errors.ts";
import { eventsOf } from "../../../core/eventsOf.ts";
import { loadMember } from "../../loadMember.ts";

export const memberChanged = {
  subscribe(_: unknown, { address }: { address: string }, ctx: ApiContext) {
    const account = parseAddress(address);
    return eventsOf(ctx, (notice) =>
      notice.members.some((m) => m.toLowerCase() === account) ? [account] : [],
    );
  },
  async resolve(account: string, _: unknown, ctx: ApiContext) {
    ctx.refresh();
    const member = await loadMember(ctx, account, null);
    if (!member) throw notFound("member", account, "it was rolled back");
    return member;
  },
};
