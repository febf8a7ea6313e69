// votes: one ballot by (proposal, voter), and a proposal's tally as it stood at a past time (summed
// from the ballots cast by then; the proposals row only holds the running total).
import { sql } from "drizzle-orm";
import type { VoteRow } from "../../indexer/store/mirror.ts";
import { queryRows } from "../../indexer/store/sql.ts";
import { toNumber } from "../domain/rows.ts";
import { byKey, createLoader } from "./createLoader.ts";
import type { LoaderDeps } from "./deps.ts";

export interface BallotKey {
  proposalId: string;
  voter: string;
}

export interface TallyAtKey {
  proposalId: string;
  at: number;
}

/** Equity and heads per support, the shape of the proposals row's running tally. */
export interface TallySums {
  forEquity: bigint;
  againstEquity: bigint;
  abstainEquity: bigint;
  forHeads: number;
  againstHeads: number;
  abstainHeads: number;
}

export function createVoteLoaders({ db, statements, metrics }: LoaderDeps) {
  return {
    voteByBallot: createLoader<BallotKey, VoteRow | null, string>(
      { name: "votes", metrics, cacheKeyFn: (k) => `${k.proposalId}:${k.voter}` },
      async (keys) => {
        const rows = await statements.votesByBallot.execute({
          proposalIds: keys.map((k) => k.proposalId),
          voters: keys.map((k) => k.voter),
        });
        const found = byKey(
          keys.map((k) => `${k.proposalId}:${k.voter}`),
          rows,
          (row) => `${row.proposalId}:${row.voter}`,
        );
        return found;
      },
    ),
    tallyAt: createLoader<TallyAtKey, TallySums, string>(
      { name: "votes", metrics, cacheKeyFn: (k) => `${k.proposalId}@${k.at}` },
      async (keys) => {
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
          const sums: TallySums = {
            forEquity: 0n,
            againstEquity: 0n,
            abstainEquity: 0n,
            forHeads: 0,
            againstHeads: 0,
            abstainHeads: 0,
          };
          for (const row of rows) {
            if (Number(row.key_index) - 1 !== i) continue;
            const side = row.support === "For" ? "for" : row.support === "Against" ? "against" : "abstain";
            sums[`${side}Equity`] = BigInt(row.equity);
            sums[`${side}Heads`] = toNumber(row.heads);
          }
          return sums;
        });
      },
    ),
  };
}
