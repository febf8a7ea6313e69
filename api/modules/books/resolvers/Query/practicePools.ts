// Query.practicePools: pools of closed months, newest first.
import type { ApiContext } from "../../../../context.ts";
import { pageConnection } from "../../../../domain/pageConnection.ts";
import { practiceIdOf } from "../../inputs.ts";
import { countPools, listPools } from "../../queries/books.ts";

export function practicePools(
  _: unknown,
  args: { practice?: string | null; first?: number | null; after?: string | null },
  ctx: ApiContext,
) {
  return pageConnection({
    list: "practicePools:ID_DESC",
    first: args.first,
    after: args.after,
    cursorTypes: ["uint"],
    filter: () => practiceIdOf(ctx, args.practice),
    fetch: (page) =>
      listPools(ctx.db, { practiceId: page.filter, after: page.after?.[0], limit: page.limit }),
    keyOf: (row) => [row.poolId.toString()],
    count: (practiceId) => countPools(ctx.db, practiceId),
  });
}
