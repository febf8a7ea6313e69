// member_history: a member's record as of a block (time travel) or a time (status at a past `at`),
// one lateral lookup per key, all keys of a tick in one query. The primary key (address,
// block_number, log_index) serves each lookup as a backward index scan.
import { sql } from "drizzle-orm";
import type { MemberRow } from "../../indexer/store/mirror.ts";
import { memberHistory } from "../../indexer/store/schema.ts";
import { queryRows } from "../../indexer/store/sql.ts";
import { rowFrom } from "../domain/rows.ts";
import { createLoader } from "./createLoader.ts";
import type { LoaderDeps } from "./deps.ts";

export interface MemberPointKey {
  address: string;
  /** A block number (asOf) or a unix time (at), depending on the loader. */
  point: number;
}

export function createMemberHistoryLoaders({ db, metrics }: LoaderDeps) {
  const lookup = (column: "block_number" | "block_timestamp") => async (keys: readonly MemberPointKey[]) => {
    const rows = await queryRows<Record<string, unknown>>(
      db,
      sql`SELECT k.i AS key_index, h.*
          FROM unnest(${sql.param(keys.map((k) => k.address))}::text[], ${sql.param(keys.map((k) => k.point))}::bigint[])
            WITH ORDINALITY AS k(address, point, i)
          CROSS JOIN LATERAL (
            SELECT * FROM member_history h
            WHERE h.address = k.address AND h.${sql.raw(column)} <= k.point
            ORDER BY h.block_number DESC, h.log_index DESC LIMIT 1
          ) h`,
    );
    const found = new Map(
      rows.map((raw) => [Number(raw.key_index) - 1, rowFrom(memberHistory, raw) as MemberRow]),
    );
    return keys.map((_, i) => found.get(i) ?? null);
  };
  const cacheKeyFn = (key: MemberPointKey) => `${key.address}@${key.point}`;
  return {
    /** The member's record after the last change at or before block `point`, or null. */
    memberAsOfBlock: createLoader<MemberPointKey, MemberRow | null, string>(
      { name: "member_history", metrics, cacheKeyFn },
      lookup("block_number"),
    ),
    /** The member's record after the last change at or before time `point`, or null. */
    memberAtTime: createLoader<MemberPointKey, MemberRow | null, string>(
      { name: "member_history", metrics, cacheKeyFn },
      lookup("block_timestamp"),
    ),
  };
}
