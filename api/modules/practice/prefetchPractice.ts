// Query.practice (read now) in one round trip: the practice, the page of seats its selection asks for
// and those seats' members, with the mirror's checkpoint for the members' status (core/prefetch.ts
// says why and how).
import { type SQL, sql } from "drizzle-orm";
import type { GraphQLResolveInfo } from "graphql/index.js";
import type { PracticeMemberRow } from "../../../indexer/store/mirror.ts";
import { practiceMembers } from "../../../indexer/store/schema.ts";
import type { ApiContext } from "../../context.ts";
import { readPage } from "../../domain/pageConnection.ts";
import { keysOf, type PrefetchPart, prefetch, rowPart, rowPartFor } from "../core/prefetch.ts";
import { selectedArguments, selectsPath } from "../core/selection.ts";
import {
  type BoundSeatPage,
  SEAT_ORDER,
  SEATS_CURSOR,
  SEATS_LIST,
  type SeatPage,
  selectCurrentSeats,
} from "./queries/seats.ts";

/**
 * Primes the request's loaders with the practice of `slug` (id `practiceId`) and, when `info` selects
 * its members, the page asked for and its seats' members.
 */
export function prefetchPractice(
  ctx: ApiContext,
  { slug, practiceId }: { slug: string; practiceId: string },
  info: GraphQLResolveInfo,
): Promise<void> {
  const { statements, loaders } = ctx;
  const page = askedSeatPage(info, practiceId);
  // Whether the members are asked (and their member rows), and which of role and cursor are given,
  // decide the SQL; the slug and the page's values are bound.
  const shape = [
    "practice",
    page ? "seats" : "",
    page?.members ? "members" : "",
    page?.page.filter.role ? "role" : "",
    page?.page.after !== undefined ? "after" : "",
  ].join(":");
  return prefetch(
    ctx,
    (_, bind) => {
      const parts: PrefetchPart[] = [
        rowPart(statements.practicesBySlug, loaders.practiceBySlug, keysOf(bind, [slug], "slug"), (rows) => {
          for (const row of rows) loaders.practiceById.prime(row.practiceId, row);
        }),
      ];
      if (!page) return parts;
      const { filter, after, limit } = page.page;
      const bound: BoundSeatPage = {
        filter: {
          practiceId: bind("practiceId", filter.practiceId),
          role: filter.role ? bind("role", filter.role) : undefined,
        },
        after: after !== undefined ? bind("after", after) : undefined,
        limit: bind("limit", limit),
      };
      let seats: SQL | undefined;
      const seatsSql = () => {
        seats ??= selectCurrentSeats(ctx.db, bound).getSQL();
        return seats;
      };
      let accounts: string[] = [];
      parts.push({
        table: practiceMembers,
        select: seatsSql,
        orderBy: SEAT_ORDER,
        prime(rows: PracticeMemberRow[]) {
          loaders.seatPage.prime(page.page, rows);
          accounts = rows.map((seat) => seat.account);
        },
      });
      if (page.members)
        parts.push(
          rowPartFor(
            statements.membersByAddress,
            loaders.memberByAddress,
            () => sql`array(SELECT s.account FROM (${seatsSql()}) s)`,
            () => accounts,
          ),
        );
      return parts;
    },
    { shape },
  );
}

/** The practices of `practiceIds` (builds an SQL array expression) as a part of a prefetch, by id and by slug. */
export function practicesPart(
  { statements, loaders }: ApiContext,
  practiceIds: () => SQL,
  idsOf: () => readonly string[],
): PrefetchPart {
  return rowPartFor(statements.practicesById, loaders.practiceById, practiceIds, idsOf, (rows) => {
    for (const row of rows) loaders.practiceBySlug.prime(row.slug, row);
  });
}

/**
 * The page of current seats Practice.members will ask for, and whether its seats' members are
 * selected; undefined when members is not selected, or with a page or cursor the field will refuse
 * (it reports that itself).
 */
function askedSeatPage(
  info: GraphQLResolveInfo,
  practiceId: string,
): { page: SeatPage; members: boolean } | undefined {
  const members = selectedArguments(info, "members");
  if (!members) return undefined;
  const { first, after, role } = members.args as { first?: number; after?: string; role?: string };
  let asked: ReturnType<typeof readPage<typeof SEATS_CURSOR>>;
  try {
    asked = readPage({ list: SEATS_LIST, first, after, cursorTypes: SEATS_CURSOR });
  } catch {
    return undefined;
  }
  return {
    page: {
      filter: { practiceId, role: role as SeatPage["filter"]["role"], asOfBlock: undefined },
      after: asked.key?.[0],
      limit: asked.size + 1,
    },
    members: selectsPath(info, [members.node], ["edges", "node", "member"]),
  };
}
