// A practice and a seat as resolvers hand them on: the mirror's row plus the asOf point it was read
// at, so a practice read "as of block N" shows its lead and seats as of block N too.
import type { PracticeMemberRow, PracticeRow } from "../../../indexer/store/mirror.ts";
import type { ApiContext, AsOfPoint } from "../../context.ts";
import { loadAsOf } from "../core/loadAsOf.ts";
import type { AsOfNode } from "../core/nodes.ts";

export type PracticeNode = PracticeRow & AsOfNode;
export type SeatNode = PracticeMemberRow & AsOfNode;

/** A practice by id (as of a point when given), or null. */
export function loadPractice(
  ctx: ApiContext,
  practiceId: string,
  asOf: AsOfPoint | null,
): Promise<PracticeNode | null> {
  return loadAsOf(practiceId, asOf, ctx.loaders.practiceById, ctx.loaders.practiceAsOf);
}
