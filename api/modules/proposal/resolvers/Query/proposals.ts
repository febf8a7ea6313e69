// Query.proposals: proposals newest first (or oldest), filtered by state (read now), proposer and kind.
import type { ProposalStateName } from "../../../../../indexer/decode/enums.ts";
import type { ProposalRow } from "../../../../../indexer/store/mirror.ts";
import type { ApiContext } from "../../../../context.ts";
import { parseAddress } from "../../../../domain/inputs.ts";
import { pageConnection } from "../../../../domain/pageConnection.ts";
import type { PageArgs } from "../../../core/nodes.ts";
import { proposalState } from "../../proposalState.ts";
import { countProposals, listProposals, type ProposalOrder } from "../../queries/proposals.ts";

export interface ProposalsArgs extends PageArgs {
  where?: { state?: ProposalStateName | null; proposer?: string | null; kind?: string | null } | null;
  orderBy?: ProposalOrder | null;
}

export function proposals(_: unknown, { first, after, where, orderBy }: ProposalsArgs, ctx: ApiContext) {
  const order = orderBy ?? "CREATED_DESC";
  const state = where?.state;
  return pageConnection({
    list: `proposals:${order}`,
    first,
    after,
    cursorTypes: ["int", "uint"],
    filter: async () => {
      const now = await ctx.now();
      return {
        state,
        proposer: where?.proposer ? parseAddress(where.proposer, "where.proposer") : undefined,
        kind: where?.kind,
        now,
        /** Decides exactly which candidates have the state (one boolean per row). */
        accept: async (rows: ProposalRow[]) =>
          Promise.all(rows.map(async (row) => (await proposalState(row, now, ctx)) === state)),
      };
    },
    fetch: ({ filter, after: cursor, limit }) =>
      listProposals(ctx.db, { filter, order, after: cursor, limit, accept: filter.accept }),
    keyOf: (row) => [row.createdBlock, row.proposalId.toString()],
    count: async (filter) => {
      if (!state) return countProposals(ctx.db, filter);
      // The exact state needs each candidate's eligible bases: count the candidates that pass.
      const all = await listProposals(ctx.db, {
        filter,
        order,
        after: undefined,
        limit: Number.MAX_SAFE_INTEGER,
        accept: filter.accept,
      });
      return all.length;
    },
  });
}
