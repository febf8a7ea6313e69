// A proposal's tally as it stood at a past time, summed from the ballots cast by then (the proposals
// row only holds the running total): for a proposal's state at a past `at`.
import { sql } from "drizzle-orm";
import type { Database } from "../../../../indexer/store/db.ts";
import { queryRows } from "../../../../indexer/store/sql.ts";
import { noVotes, type TallySums } from "../../../../indexer/store/views.ts";
import { toNumber } from "../../../domain/rows.ts";

export interface TallyAtKey {
  proposalId: string;
  at: number;
}

/** Each key's tally, in key order: one query for the whole batch. */
export async function readTalliesAt(db: Database, keys: readonly TallyAtKey[]): Promise<TallySums[]> {
  const rows = await queryRows<{
    key_index: number | string;
    support: string;
    equity: string;
    heads: unknown;
  }>(
    db,
    sql`SELECT k.i AS key_index, v.support, SUM(v.weight)::text AS equity, SUM(v.headcount) AS heads
        FROM unnest(${sql.param(keys.map((k) => k.proposalId))}::numeric[], ${sql.param(keys.map((k) => k.at))}::bigint[])
          WITH ORDINALITY AS k(proposal_id, at, i)
        JOIN votes v ON v.proposal_id = k.proposal_id AND v.block_timestamp <= k.at
        GROUP BY k.i, v.support`,
  );
  return keys.map((_, i) => {
    const sums = noVotes();
    for (const row of rows) {
      if (Number(row.key_index) - 1 !== i) continue;
      const side = row.support === "For" ? "for" : row.support === "Against" ? "against" : "abstain";
      sums[`${side}Equity`] = BigInt(row.equity);
      sums[`${side}Heads`] = toNumber(row.heads);
    }
    return sums;
  });
}
