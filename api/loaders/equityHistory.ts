// equity_history: an account's balance and votes after its last change at or before a time (voting
// power, ERC-5805 getPastVotes) or a block (time travel). The primary key (account, block_number,
// log_index) serves each lookup as a backward index scan.
import { sql } from "drizzle-orm";
import { queryRows } from "../../indexer/store/sql.ts";
import { createLoader } from "./createLoader.ts";
import type { LoaderDeps } from "./deps.ts";

export interface EquityPointKey {
  account: string;
  /** A unix time or a block number, depending on the loader. */
  point: number;
}

export interface EquityPoint {
  balance: bigint;
  votes: bigint;
}

const NONE: EquityPoint = { balance: 0n, votes: 0n };

export function createEquityHistoryLoaders({ db, metrics }: LoaderDeps) {
  const lookup = (column: "block_timestamp" | "block_number") => async (keys: readonly EquityPointKey[]) => {
    const rows = await queryRows<{ key_index: number | string; balance: string; votes: string }>(
      db,
      sql`SELECT k.i AS key_index, e.balance::text AS balance, e.votes::text AS votes
          FROM unnest(${sql.param(keys.map((k) => k.account))}::text[], ${sql.param(keys.map((k) => k.point))}::bigint[])
            WITH ORDINALITY AS k(account, point, i)
          CROSS JOIN LATERAL (
            SELECT balance, votes FROM equity_history e
            WHERE e.account = k.account AND e.${sql.raw(column)} <= k.point
            ORDER BY e.block_number DESC, e.log_index DESC LIMIT 1
          ) e`,
    );
    const found = new Map(
      rows.map((row) => [
        Number(row.key_index) - 1,
        { balance: BigInt(row.balance), votes: BigInt(row.votes) },
      ]),
    );
    return keys.map((_, i) => found.get(i) ?? NONE);
  };
  const cacheKeyFn = (key: EquityPointKey) => `${key.account}@${key.point}`;
  return {
    /** Balance and votes at a unix time: a change in a block stamped exactly then counts (upperLookup). */
    equityAtTime: createLoader<EquityPointKey, EquityPoint, string>(
      { name: "equity_history", metrics, cacheKeyFn },
      lookup("block_timestamp"),
    ),
    /** Balance and votes after block `point`. */
    equityAtBlock: createLoader<EquityPointKey, EquityPoint, string>(
      { name: "equity_history", metrics, cacheKeyFn },
      lookup("block_number"),
    ),
  };
}
