// Ballot lists: a proposal's ballots in voter order (primary key (proposal_id, voter)), and a
// member's ballots in proposal order (the votes_voter_idx index, then a sort of that member's rows).
import { and, asc, count, eq, gt, lte, type SQL, sql } from "drizzle-orm";
import type { Database } from "../../indexer/store/db.ts";
import type { VoteRow } from "../../indexer/store/mirror.ts";
import { votes } from "../../indexer/store/schema.ts";

export function listProposalVotes(
  db: Database,
  { proposalId, after, limit }: { proposalId: string; after: string | undefined; limit: number },
): Promise<VoteRow[]> {
  return db
    .select()
    .from(votes)
    .where(
      and(
        sql`${votes.proposalId} = ${proposalId}::numeric`,
        after === undefined ? undefined : gt(votes.voter, after),
      ),
    )
    .orderBy(asc(votes.voter))
    .limit(limit);
}

export async function countProposalVotes(db: Database, proposalId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(votes)
    .where(sql`${votes.proposalId} = ${proposalId}::numeric`);
  return row?.n ?? 0;
}

export interface VoterFilter {
  voter: string;
  /** Ballots recorded at or before this block only. */
  throughBlock?: number | undefined;
}

export function listVoterVotes(
  db: Database,
  { filter, after, limit }: { filter: VoterFilter; after: string | undefined; limit: number },
): Promise<VoteRow[]> {
  return db
    .select()
    .from(votes)
    .where(
      and(
        ...voterConditions(filter),
        after === undefined ? undefined : sql`${votes.proposalId} > ${after}::numeric`,
      ),
    )
    .orderBy(asc(votes.proposalId))
    .limit(limit);
}

export async function countVoterVotes(db: Database, filter: VoterFilter): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(votes)
    .where(and(...voterConditions(filter)));
  return row?.n ?? 0;
}

function voterConditions({ voter, throughBlock }: VoterFilter): (SQL | undefined)[] {
  return [
    eq(votes.voter, voter),
    throughBlock === undefined ? undefined : lte(votes.blockNumber, throughBlock),
  ];
}
