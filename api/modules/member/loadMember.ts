// A member as resolvers hand it on: the mirror's row plus the asOf point it was read at, so a member
// read "as of block N" shows its practices, equity and leaves as of block N too.
import type { MemberRow } from "../../../indexer/store/mirror.ts";
import type { ApiContext, AsOfPoint } from "../../context.ts";
import type { AsOfNode } from "../core/nodes.ts";

export type MemberNode = MemberRow & AsOfNode;

/** A member (as of a point when given), or null when not a member then. */
export async function loadMember(
  ctx: ApiContext,
  address: string,
  asOf: AsOfPoint | null,
): Promise<MemberNode | null> {
  const row = asOf
    ? await ctx.loaders.memberAsOfBlock.load({ key: address, point: asOf.block })
    : await ctx.loaders.memberByAddress.load(address);
  return row ? { ...row, asOf } : null;
}
