// Query.member: a member by address, now or as of a point; NOT_FOUND when not a member then.
import type { GraphQLResolveInfo } from "graphql/index.js";
import type { ApiContext } from "../../../../context.ts";
import { parseAddress } from "../../../../domain/inputs.ts";
import { notFound } from "../../../../errors.ts";
import { type AsOfInput, resolveAsOf } from "../../../core/resolveAsOf.ts";
import { selectedFields } from "../../../core/selection.ts";
import { loadMember } from "../../loadMember.ts";
import { prefetchMember } from "../../prefetchMember.ts";

export async function member(
  _: unknown,
  { address, asOf }: { address: string; asOf?: AsOfInput | null },
  ctx: ApiContext,
  info: GraphQLResolveInfo,
) {
  const account = parseAddress(address);
  const point = asOf ? await resolveAsOf(ctx.db, ctx.manifest.chainId, asOf, await ctx.mirror()) : null;
  // Read now, the member and what its fields ask come in one round trip; as of a point (rarer, and
  // reading history tables), the loaders read them.
  if (!point) await prefetchMember(ctx, account, selectedFields(info));
  const found = await loadMember(ctx, account, point);
  if (!found) throw notFound("member", account, point ? `at block ${point.block}` : undefined);
  return found;
}
