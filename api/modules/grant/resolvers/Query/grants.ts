// Query.grants: grants in id order, filtered by beneficiary and revocation.
import type { ApiContext } from "../../../../context.ts";
import { parseAddress } from "../../../../domain/inputs.ts";
import { pageConnection } from "../../../../domain/pageConnection.ts";
import type { PageArgs } from "../../../core/nodes.ts";
import { countGrants, listGrants } from "../../queries/grants.ts";

export interface GrantsArgs extends PageArgs {
  where?: { beneficiary?: string | null; revoked?: boolean | null } | null;
}

export function grants(_: unknown, { first, after, where }: GrantsArgs, ctx: ApiContext) {
  return pageConnection({
    list: "grants:ID_ASC",
    first,
    after,
    cursorTypes: ["uint"],
    filter: () => ({
      beneficiary: where?.beneficiary ? parseAddress(where.beneficiary, "where.beneficiary") : undefined,
      revoked: where?.revoked,
    }),
    fetch: ({ filter, after: key, limit }) => listGrants(ctx.db, { filter, after: key?.[0], limit }),
    keyOf: (row) => [row.grantId.toString()],
    count: (filter) => countGrants(ctx.db, filter),
  });
}
