// A member as resolvers hand it on: the mirror's row plus the asOf point it was read at, so a member
// read "as of block N" shows its practices, equity and leaves as of block N too.
import type { MemberRow } from "../../../indexer/store/mirror.ts";
import type { ApiContext, AsOfPoint } from "../../context.ts";
import { loadAsOf } from "../core/loadAsOf.ts";
import type { AsOfNode } from "../core/nodes.ts";

export type MemberNode = MemberRow & AsOfNode;

/** A member (as of a point when given), or null when not a member then. */
export function loadMember(
  ctx: ApiContext,
  address: string,
  asOf: AsOfPoint | null,
): Promise<MemberNode | null> {
  return loadAsOf(address, asOf, ctx.loaders.memberByAddress, ctx.loaders.memberAsOfBlock);
}
