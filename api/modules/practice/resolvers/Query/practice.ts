// Query.practice: a practice by slug, now or as of a point; NOT_FOUND for an unknown slug.
import type { GraphQLResolveInfo } from "graphql/index.js";
import { keccak256, toBytes } from "viem";
import type { ApiContext } from "../../../../context.ts";
import { parseSlug } from "../../../../domain/inputs.ts";
import { notFound } from "../../../../errors.ts";
import { type AsOfInput, resolveAsOf } from "../../../core/resolveAsOf.ts";
import { loadPractice, type PracticeNode } from "../../loadPractice.ts";
import { prefetchPractice } from "../../prefetchPractice.ts";

export async function practice(
  _: unknown,
  { slug, asOf }: { slug: string; asOf?: AsOfInput | null },
  ctx: ApiContext,
  info: GraphQLResolveInfo,
) {
  const valid = parseSlug(slug);
  let found: PracticeNode | null;
  if (asOf) {
    const point = await resolveAsOf(ctx.db, ctx.manifest.chainId, asOf, await ctx.mirror());
    found = await loadPractice(ctx, keccak256(toBytes(valid)), point);
    if (!found) throw notFound("practice", valid, `at block ${point.block}`);
  } else {
    // Read now, the practice, its page of seats and their members come in one round trip.
    await prefetchPractice(ctx, { slug: valid, practiceId: keccak256(toBytes(valid)) }, info);
    const row = await ctx.loaders.practiceBySlug.load(valid);
    found = row ? { ...row, asOf: null } : null;
    if (!found) throw notFound("practice", valid);
  }
  return found;
}
