// Query.revenue and Query.expenses: money in and money out, newest first, filtered.

import { EXPENSE_KINDS, REVENUE_KINDS } from "../../../../../indexer/handlers/books.ts";
import type { ApiContext } from "../../../../context.ts";
import { parseAddress } from "../../../../domain/inputs.ts";
import { pageConnection } from "../../../../domain/pageConnection.ts";
import { practiceIdOf } from "../../inputs.ts";
import { countMovements, listMovements, type MovementFilter } from "../../queries/movements.ts";

interface MovementFilterInput {
  practice?: string | null;
  payee?: string | null;
  counterparty?: string | null;
  token?: string | null;
  reference?: string | null;
  from?: number | null;
  to?: number | null;
}

interface MovementArgs {
  filter?: MovementFilterInput | null;
  first?: number | null;
  after?: string | null;
}

async function movementFilter(
  ctx: ApiContext,
  kinds: string[],
  input: MovementFilterInput | null | undefined,
): Promise<MovementFilter> {
  const payee = input?.payee == null ? undefined : parseAddress(input.payee, "filter.payee");
  const counterparty =
    input?.counterparty == null ? undefined : parseAddress(input.counterparty, "filter.counterparty");
  return {
    kinds,
    practiceId: await practiceIdOf(ctx, input?.practice, "filter.practice"),
    counterparty: counterparty ?? payee,
    token: input?.token == null ? undefined : parseAddress(input.token, "filter.token"),
    reference: input?.reference ?? undefined,
    fromTime: input?.from ?? undefined,
    toTime: input?.to ?? undefined,
  };
}

function movements(list: string, kinds: string[]) {
  return (_: unknown, { filter, first, after }: MovementArgs, ctx: ApiContext) =>
    pageConnection({
      list,
      first,
      after,
      cursorTypes: ["int", "int"],
      filter: () => movementFilter(ctx, kinds, filter),
      fetch: (page) =>
        listMovements(ctx.db, page.filter, { after: page.after, limit: page.limit, order: "newest" }),
      keyOf: (row) => [row.blockNumber, row.logIndex],
      count: (f) => countMovements(ctx.db, f),
    });
}

export const revenue = movements("revenue:NEWEST", REVENUE_KINDS);
export const expenses = movements("expenses:NEWEST", EXPENSE_KINDS);
