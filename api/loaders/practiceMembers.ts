// practice_members (and its history): the seats an account holds, now or as of a block.
import { sql } from "drizzle-orm";
import type { PracticeMemberRow } from "../../indexer/store/mirror.ts";
import { practiceMemberHistory } from "../../indexer/store/schema.ts";
import { queryRows } from "../../indexer/store/sql.ts";
import { rowFrom } from "../domain/rows.ts";
import { createLoader, groupedByKey } from "./createLoader.ts";
import type { LoaderDeps } from "./deps.ts";

export interface SeatsAsOfKey {
  account: string;
  block: number;
}

export function createPracticeMemberLoaders({ db, statements, metrics }: LoaderDeps) {
  return {
    /** account → its current seats (role other than None), by practice id. */
    seatsByAccount: createLoader<string, PracticeMemberRow[]>(
      { name: "practice_members", metrics },
      async (keys) =>
        groupedByKey(
          keys,
          await statements.seatsByAccount.execute({ keys: [...keys] }),
          (row) => row.account,
        ),
    ),
    /** The seats an account held at `block`: each practice's latest seat row at or before it. */
    seatsAsOf: createLoader<SeatsAsOfKey, PracticeMemberRow[], string>(
      { name: "practice_member_history", metrics, cacheKeyFn: (k) => `${k.account}@${k.block}` },
      async (keys) => {
        const rows = await queryRows<Record<string, unknown>>(
          db,
          sql`SELECT k.i AS key_index, s.*
              FROM unnest(${sql.param(keys.map((k) => k.account))}::text[], ${sql.param(keys.map((k) => k.block))}::bigint[])
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
