// Query.practices: practices in slug order, filtered by status and lead.
import type { PracticeStatusName } from "../../../../../indexer/decode/enums.ts";
import type { ApiContext } from "../../../../context.ts";
import { parseAddress } from "../../../../domain/inputs.ts";
import { pageConnection } from "../../../../domain/pageConnection.ts";
import type { PageArgs } from "../../../core/nodes.ts";
import { countPractices, listPractices } from "../../queries/practices.ts";

export interface PracticesArgs extends PageArgs {
  where?: { status?: PracticeStatusName | null; lead?: string | null } | null;
}

export function practices(_: unknown, { first, after, where }: PracticesArgs, ctx: ApiContext) {
  return pageConnection({
    list: "practices:SLUG_ASC",
    first,
    after,
    cursorTypes: ["string"],
    filter: () => ({
      status: where?.status,
      lead: where?.lead ? parseAddress(where.lead, "where.lead") : undefined,
    }),
    fetch: ({ filter, after: key, limit }) => listPractices(ctx.db, { filter, after: key?.[0], limit }),
    keyOf: (row) => [row.slug],
    nodeOf: (row) => ({ ...row, asOf: null }),
    count: (filter) => countPractices(ctx.db, filter),
  });
}
