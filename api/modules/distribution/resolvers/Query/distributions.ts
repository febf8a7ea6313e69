// Query.distributions: revenue distributions in id order.
import type { ApiContext } from "../../../../context.ts";
import { pageConnection } from "../../../../domain/pageConnection.ts";
import type { PageArgs } from "../../../core/nodes.ts";
import { countDistributions, listDistributions } from "../../queries/distributions.ts";

export function distributions(_: unknown, { first, after }: PageArgs, ctx: ApiContext) {
  return pageConnection({
    list: "distributions:ID_ASC",
    first,
    after,
    cursorTypes: ["uint"],
    fetch: (page) => listDistributions(ctx.db, { after: page.after?.[0], limit: page.limit }),
    keyOf: (row) => [row.distributionId.toString()],
    count: () => countDistributions(ctx.db),
  });
}
