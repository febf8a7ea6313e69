// The eligible bases of proposals, batched by (snapshot time, recused subject): the partners' voting
// units then and the partners then (on leave or not), less the subject when they were a partner then.
// The same values as indexer/store/views.ts `proposalBases` (proposal.test.ts checks both agree for
// every proposal of the scenario), computed from the partners outwards: the partners come from the partial
// index on members.partner_since (a hundred rows, not every member), then each one's last equity
// change at or before the snapshot from equity_history's primary key. views.ts takes the last change
// of every account instead, which sorts the whole table once per snapshot (80 ms at 10,000 members).
import { sql } from "drizzle-orm";
import type { Database } from "../../../../indexer/store/db.ts";
import { queryRows } from "../../../../indexer/store/sql.ts";
import type { ProposalStateContext } from "../../../../indexer/store/views.ts";
import { toNumber } from "../../../domain/rows.ts";

export type QuorumBases = ProposalStateContext;

/** A proposal's snapshot and its recused subject (null: none), as the proposals row holds them. */
export interface BasesKey {
  snapshot: number;
  subject: string | null;
}

/** The eligible bases of each (snapshot, subject), in key order: one query for the whole batch. */
export async function readQuorumBases(db: Database, keys: readonly BasesKey[]): Promise<QuorumBases[]> {
  const rows = await queryRows<{
    key_index: number | string;
    equity_base: string;
    headcount_base: unknown;
    subject_partner: boolean | null;
    subject_votes: string;
  }>(
    db,
    // The partners are read once into a CTE the planner knows to be small (the partial index on
    // partner_since); compared to `members` directly, its estimate for "partner_since <= k.ts"
    // with an unknown k.ts is a third of all members, which made PostgreSQL JIT-compile the
    // query (tens of milliseconds) for a millisecond of work.
    sql`WITH partners AS MATERIALIZED (
          SELECT address, partner_since, partner_until FROM members WHERE partner_since IS NOT NULL
        )
        SELECT k.i AS key_index,
          (SELECT COALESCE(SUM(e.votes), 0) FROM partners p
            CROSS JOIN LATERAL (
              SELECT votes FROM equity_history e
              WHERE e.account = p.address AND e.block_timestamp <= k.ts
              ORDER BY e.block_number DESC, e.log_index DESC LIMIT 1
            ) e
            WHERE p.partner_since <= k.ts AND (p.partner_until IS NULL OR p.partner_until > k.ts)
          )::text AS equity_base,
          (SELECT count(*) FROM partners p
            WHERE p.partner_since <= k.ts AND (p.partner_until IS NULL OR p.partner_until > k.ts)
          ) AS headcount_base,
          (SELECT bool_or(p.partner_since <= k.ts AND (p.partner_until IS NULL OR p.partner_until > k.ts))
            FROM partners p WHERE p.address = k.subject) AS subject_partner,
          COALESCE((SELECT e.votes FROM equity_history e
            WHERE e.account = k.subject AND e.block_timestamp <= k.ts
            ORDER BY e.block_number DESC, e.log_index DESC LIMIT 1), 0)::text AS subject_votes
        FROM unnest(${sql.param(keys.map((k) => k.snapshot))}::bigint[],
                    ${sql.param(keys.map((k) => k.subject))}::text[]) WITH ORDINALITY AS k(ts, subject, i)`,
  );
  const found = new Map(
    rows.map((row) => {
      const equityBase = BigInt(row.equity_base);
      const headcountBase = toNumber(row.headcount_base);
      const bases = row.subject_partner
        ? { equityBase: equityBase - BigInt(row.subject_votes), headcountBase: headcountBase - 1 }
        : { equityBase, headcountBase };
      return [Number(row.key_index) - 1, bases];
    }),
  );
  return keys.map((_, i) => found.get(i) ?? { equityBase: 0n, headcountBase: 0 });
}
