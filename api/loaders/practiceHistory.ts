// practice_history: a practice's record as of a block (time travel).
import { sql } from "drizzle-orm";
import type { PracticeRow } from "../../indexer/store/mirror.ts";
import { practiceHistory } from "../../indexer/store/schema.ts";
import { queryRows } from "../../indexer/store/sql.ts";
import { rowFrom } from "../domain/rows.ts";
import { createLoader } from "./createLoader.ts";
import type { LoaderDeps } from "./deps.ts";

export interface PracticeAsOfKey {
  practiceId: string;
  block: number;
}

export function createPracticeHistoryLoaders({ db, metrics }: LoaderDeps) {
  return {
    /** The practice after the last change at or before `block`, or null if it did not exist yet. */
    practiceAsOf: createLoader<PracticeAsOfKey, PracticeRow | null, string>(
      { name: "practice_history", metrics, cacheKeyFn: (k) => `${k.practiceId}@${k.block}` },
      async (keys) => {
        const rows = await queryRows<Record<string, unknown>>(
          db,
          sql`SELECT k.i AS key_index, h.*
              FROM unnest(${sql.param(keys.map((k) => k.practiceId))}::text[], ${sql.param(keys.map((k) => k.block))}::bigint[])
                WITH ORDINALITY AS k(practice_id, block, i)
              CROSS JOIN LATERAL (
                SELECT * FROM practice_history h
                WHERE h.practice_id = k.practice_id AND h.block_number <= k.block
                ORDER BY h.block_number DESC, h.log_index DESC LIMIT 1
              ) h`,
        );
        const found = new Map(
          rows.map((raw) => [Number(raw.key_index) - 1, rowFrom(practiceHistory, raw) as PracticeRow]),
        );
        return keys.map((_, i) => found.get(i) ?? null);
      },
    ),
  };
}
