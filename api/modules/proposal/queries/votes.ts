// Ballot lists: a proposal's ballots in voter order (primary key (proposal_id, voter)), and a
// member's ballots in proposal order (the votes_voter_idx index, then a sort of that member's rows).
import { and, asc, eq, gt, lte, type SQL, sql } from "drizzle-orm";
import type { Database } from "../../../../indexer/store/db.ts";
import type { VoteRow } from "../../../../indexer/store/mirror.ts";
import { votes } from "../../../../indexer/store/schema.ts";
import { countRows } from "../../core/countRows.ts";

/** A proposal's ballots, or a voter's (recorded at or before `throughBlock` when given). */
export type VoteFilter = { proposalId: string } | { voter: string; throughBlock?: number | undefined };

/** Up to `limit` ballots after `after`: a voter of the proposal's, or a proposal id of the voter's. */
export function listVotes(
  db: Database,
  { filter, after, limit }: { filter: VoteFilter; after: string | undefined; limit: number },
): Promise<VoteRow[]> {
  const byProposal = "proposalId" in filter;
  const keyset =
    after === undefined
      ? undefined
      : byProposal
        ? gt(votes.voter, after)
        : sql`${votes.proposalId} > ${after}::numeric`;
  return db
    .select()
    .from(votes)
    .where(and(...conditions(filter), keyset))
    .orderBy(byProposal ? asc(votes.voter) : asc(votes.proposalId))
    .limit(limit);
}

export function countVotes(db: Database, filter: VoteFilter): Promise<number> {
  return countRows(db, votes, and(...conditions(filter)));
}

function conditions(filter: VoteFilter): (SQL | undefined)[] {
  if ("proposalId" in filter) return [sql`${votes.proposalId} = ${filter.proposalId}::numeric`];
  return [
    eq(votes.voter, filter.voter),
    filter.throughBlock === undefined ? undefined : lte(votes.blockNumber, filter.throughBlock),
  ];
}
