// The practice module's loaders: each practice now, by id (keccak256 of the slug) and by slug (each
// primes the other, so a practice read one way is not read again the other way), and as of a block
// (practice_history); pages of a practice's seats; and the seats an account holds, now or as of a block.
import { sql } from "drizzle-orm";
import type { PracticeMemberRow } from "../../../indexer/store/mirror.ts";
import { practiceHistory, practiceMemberHistory } from "../../../indexer/store/schema.ts";
import { queryRows } from "../../../indexer/store/sql.ts";
import { rowFrom } from "../../domain/rows.ts";
import { createHistoryLoader, type PointKey } from "../core/createHistoryLoader.ts";
import { createLoader, createRowLoader, createRowsLoader } from "../core/createLoader.ts";
import type { LoaderDeps } from "../defineModule.ts";
import { listSeats, type SeatPage } from "./queries/seats.ts";

export function createPracticeLoaders({ db, statements, metrics }: LoaderDeps) {
  const practiceById = createRowLoader(statements.practicesById, metrics, (rows) => {
    for (const row of rows) practiceBySlug.prime(row.slug, row);
  });
  const practiceBySlug = createRowLoader(statements.practicesBySlug, metrics, (rows) => {
    for (const row of rows) practiceById.prime(row.practiceId, row);
  });
  return {
    practiceById,
    practiceBySlug,
    /** The practice after the last change at or before block `point`, or null if it did not exist yet. */
    practiceAsOf: createHistoryLoader({
      db,
      metrics,
      table: practiceHistory,
      key: "practiceId",
      by: "block",
    }),
    /** A page of a practice's seats (Practice.members); Query.practice primes the one it prefetches. */
    seatPage: createLoader<SeatPage, PracticeMemberRow[], string>(
      { name: "practice_members_page", metrics, cacheKeyFn: seatPageKey },
      (pages) => Promise.all(pages.map((page) => listSeats(db, page))),
    ),
    /** account → its current seats (role other than None), by practice id. */
    seatsByAccount: createRowsLoader(statements.seatsByAccount, metrics),
    /** The seats an account held at block `point`: each practice's latest seat row at or before it. */
    seatsAsOf: createLoader<PointKey, PracticeMemberRow[], string>(
      { name: "practice_member_history", metrics, cacheKeyFn: (k) => `${k.key}@${k.point}` },
      async (keys) => {
        const rows = await queryRows<Record<string, unknown>>(
          db,
          sql`SELECT k.i AS key_index, s.*
              FROM unnest(${sql.param(keys.map((k) => k.key))}::text[], ${sql.param(keys.map((k) => k.point))}::bigint[])
                WITH ORDINALITY AS k(account, block, i)
              CROSS JOIN LATERAL (
                SELECT DISTINCT ON (h.practice_id) h.* FROM practice_member_history h
                WHERE h.account = k.account AND h.block_number <= k.block
                ORDER BY h.practice_id, h.block_number DESC, h.log_index DESC
              ) s
              WHERE s.role <> 'None'
              ORDER BY k.i, s.practice_id`,
        );
        const seats = rows.map((raw) => ({
          index: Number(raw.key_index) - 1,
          seat: rowFrom(practiceMemberHistory, raw) as PracticeMemberRow,
        }));
        return keys.map((_, i) => seats.filter((s) => s.index === i).map((s) => s.seat));
      },
    ),
  };
}

/** A page's cache key: two requests for the same rows share it. */
export function seatPageKey({ filter, after, limit }: SeatPage): string {
  return JSON.stringify([
    filter.practiceId,
    filter.role ?? null,
    filter.asOfBlock ?? null,
    after ?? null,
    limit,
  ]);
}

declare module "../defineModule.ts" {
  interface Loaders extends ReturnType<typeof createPracticeLoaders> {}
}
