// GET /books.csv?from=YYYY-MM&to=YYYY-MM&practice=<slug>: the books' movements as CSV (see
// api/modules/books/csv.ts), every movement when no parameter is given. A bad parameter is a 400 with
// one line saying what was wrong and the expected format.
import { eq, sql } from "drizzle-orm";
import type { Plugin } from "graphql-yoga";
import { zeroHash } from "viem";
import { monthOf } from "../../indexer/handlers/books.ts";
import { bookMovements, practices } from "../../indexer/store/schema.ts";
import type { AppServices } from "../context.ts";
import { booksCsvStream } from "../modules/books/csv.ts";
import { formatMonth, MONTH_FORMAT, readMonth } from "../modules/books/inputs.ts";

class BadParameter extends Error {}

function monthParameter(url: URL, name: string): number | undefined {
  const value = url.searchParams.get(name);
  if (value === null) return undefined;
  const month = readMonth(value);
  if (month === undefined)
    throw new BadParameter(`Invalid ${name} ${JSON.stringify(value)}: expected ${MONTH_FORMAT}.`);
  return month;
}

export function useBooksCsv({
  services,
  endpoint = "/books.csv",
}: {
  services: AppServices;
  endpoint?: string;
}): Plugin {
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== endpoint || request.method !== "GET") return;
      const db = services.db;
      let filter: { fromMonth?: number; toMonth?: number; practiceId?: string };
      try {
        const fromMonth = monthParameter(url, "from");
        const toMonth = monthParameter(url, "to");
        if (fromMonth !== undefined && toMonth !== undefined && fromMonth > toMonth)
          throw new BadParameter(
            `Invalid from ${formatMonth(fromMonth)}: expected a month no later than to (${formatMonth(toMonth)}).`,
          );
        filter = { fromMonth, toMonth };
        const slug = url.searchParams.get("practice");
        if (slug !== null) {
          if (slug === "") filter.practiceId = zeroHash;
          else {
            const [row] = await db.select().from(practices).where(eq(practices.slug, slug)).limit(1);
            if (!row)
              throw new BadParameter(
                `Invalid practice ${JSON.stringify(slug)}: expected the slug of an existing practice, or an empty value for the firm.`,
              );
            filter.practiceId = row.practiceId;
          }
        }
      } catch (error) {
        if (!(error instanceof BadParameter)) throw error;
        endResponse(
          new fetchAPI.Response(`${error.message}\n`, {
            status: 400,
            headers: { "content-type": "text/plain; charset=utf-8" },
          }),
        );
        return;
      }
      // The file is named after the months it covers: the first and last with a movement when open.
      let { fromMonth, toMonth } = filter;
      if (fromMonth === undefined || toMonth === undefined) {
        const [span] = await db
          .select({
            first: sql<number | null>`min(${bookMovements.month})`,
            last: sql<number | null>`max(${bookMovements.month})`,
          })
          .from(bookMovements);
        const current = monthOf(Math.floor(services.clock() / 1000));
        fromMonth ??= span?.first ?? current;
        toMonth ??= span?.last ?? current;
      }
      const body = await booksCsvStream(db, filter);
      endResponse(
        new fetchAPI.Response(body, {
          headers: {
            "content-type": "text/csv; charset=utf-8",
            "content-disposition": `attachment; filename="books-${formatMonth(fromMonth)}-${formatMonth(toMonth)}.csv"`,
            "x-content-type-options": "nosniff",
          },
        }),
      );
    },
  };
}
