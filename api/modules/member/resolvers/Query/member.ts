// Query.member: a member by address, now or as of a point; NOT_FOUND when not a member then.
import type { ApiContext } from "../../../../context.ts";
import { parseAddress } from "../../../../domain/inputs.ts";
import { notFound } from "../../../../errors.ts";
import { type AsOfInput, resolveAsOf } from "../../../core/resolveAsOf.ts";
import { loadMember } from "../../loadMember.ts";

export async function member(
  _: unknown,
  { address, asOf }: { address: string; asOf?: AsOfInput | null },
  ctx: ApiContext,
) {
  const account = parseAddress(address);
  const point = asOf ? await resolveAsOf(ctx.db, ctx.manifest.chainId, asOf, await ctx.mirror()) : null;
  const found = await loadMember(ctx, account, point);
  if (!found) throw notFound("member", account, point ? `at block ${point.block}` : undefined);
  return found;
}
