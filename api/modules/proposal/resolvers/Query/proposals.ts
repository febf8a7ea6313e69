// Query.proposals: proposals newest first (or oldest), filtered by state (read now), proposer and kind.
import type { ProposalStateName } from "../../../../../indexer/decode/enums.ts";
import type { ProposalRow } from "../../../../../indexer/store/mirror.ts";
import { proposals as proposalsTable } from "../../../../../indexer/store/schema.ts";
import type { ApiContext } from "../../../../context.ts";
import { parseAddress } from "../../../../domain/inputs.ts";
import { pageConnection } from "../../../../domain/pageConnection.ts";
import type { PageArgs } from "../../../core/nodes.ts";
import { prefetch } from "../../../core/prefetch.ts";
import { proposalState } from "../../proposalState.ts";
import {
  type BoundCursor,
  countProposals,
  decidedInSql,
  listProposals,
  type ProposalCursor,
  type ProposalFilter,
  type ProposalOrder,
  proposalOrder,
  selectProposals,
} from "../../queries/proposals.ts";

export interface ProposalsArgs extends PageArgs {
  where?: { state?: ProposalStateName | null; proposer?: string | null; kind?: string | null } | null;
  orderBy?: ProposalOrder | null;
}

export function proposals(_: unknown, { first, after, where, orderBy }: ProposalsArgs, ctx: ApiContext) {
  const order = orderBy ?? "CREATED_DESC";
  const state = where?.state;
  /** Decides exactly which candidates have the state at `now` (one boolean per row). */
  const acceptAt = (now: number) => async (rows: ProposalRow[]) =>
    Promise.all(rows.map(async (row) => (await proposalState(row, now, ctx)) === state));
  return pageConnection({
    list: `proposals:${order}`,
    first,
    after,
    cursorTypes: ["int", "uint"],
    filter: () => ({
      state,
      proposer: where?.proposer ? parseAddress(where.proposer, "where.proposer") : undefined,
      kind: where?.kind,
    }),
    fetch: async ({ filter, after: cursor, limit }) => {
      // A state SQL decides (ACTIVE, the one clients poll) is one statement with the mirror's reading
      // of "now" in it: one round trip. The others need each candidate's quorum bases.
      if (decidedInSql(state)) return listInOneStatement(ctx, { filter, order, after: cursor, limit });
      const now = await ctx.now();
      return listProposals(ctx.db, {
        filter: { ...filter, now },
        order,
        after: cursor,
        limit,
        accept: acceptAt(now),
      });
    },
    keyOf: (row) => [row.createdBlock, row.proposalId.toString()],
    count: async (filter) => {
      const now = await ctx.now();
      if (!state) return countProposals(ctx.db, { ...filter, now });
      // The exact state needs each candidate's eligible bases: count the candidates that pass.
      const all = await listProposals(ctx.db, {
        filter: { ...filter, now },
        order,
        after: undefined,
        limit: Number.MAX_SAFE_INTEGER,
        accept: acceptAt(now),
      });
      return all.length;
    },
  });
}

/** A page of a filter SQL decides, read with the mirror's checkpoint in one statement (core/prefetch.ts). */
async function listInOneStatement(
  ctx: ApiContext,
  page: {
    filter: Omit<ProposalFilter, "now">;
    order: ProposalOrder;
    after: ProposalCursor | undefined;
    limit: number;
  },
): Promise<ProposalRow[]> {
  let rows: ProposalRow[] = [];
  const { filter, order, after, limit } = page;
  // Which filters are given, and the order, decide the SQL; their values are bound.
  const shape = [
    "proposals",
    order,
    filter.state ?? "",
    filter.proposer ? "proposer" : "",
    filter.kind === "MIXED" ? "mixed" : filter.kind ? "kind" : "",
    after ? "after" : "",
  ].join(":");
  await prefetch(
    ctx,
    (reading, bind) => {
      const bound = {
        state: filter.state,
        proposer: filter.proposer ? bind("proposer", filter.proposer) : undefined,
        kind: filter.kind === "MIXED" ? filter.kind : filter.kind ? bind("kind", filter.kind) : undefined,
      };
      const boundAfter: BoundCursor | undefined = after && [
        bind("afterBlock", after[0]),
        bind("afterId", after[1]),
      ];
      const boundLimit = bind("limit", limit);
      return [
        {
          table: proposalsTable,
          select: () =>
            selectProposals(ctx.db, {
              filter: { ...bound, now: reading.now },
              order,
              after: boundAfter,
              limit: boundLimit,
            }).getSQL(),
          orderBy: proposalOrder(order),
          prime: (found: ProposalRow[]) => {
            rows = found;
          },
        },
      ];
    },
    { shape },
  );
  return rows;
}
