// The proposal module's by-key statements: proposals, their actions and recusals, and ballots by
// (proposal, voter).
import { asc, sql } from "drizzle-orm";
import type { Database } from "../../../indexer/store/db.ts";
import { proposalActions, proposals, recusals, votes } from "../../../indexer/store/schema.ts";
import { inKeys } from "../core/keys.ts";

export function createProposalStatements(db: Database) {
  return {
    proposalsById: db
      .select()
      .from(proposals)
      .where(inKeys(proposals.proposalId))
      .prepare("api_proposals_by_id"),
    actionsByProposal: db
      .select()
      .from(proposalActions)
      .where(inKeys(proposalActions.proposalId))
      .orderBy(asc(proposalActions.proposalId), asc(proposalActions.actionIndex))
      .prepare("api_actions_by_proposal"),
    votesByBallot: db
      .select()
      .from(votes)
      .where(
        sql`(${votes.proposalId}, ${votes.voter}) in (select * from unnest(${sql.placeholder("proposalIds")}::numeric[], ${sql.placeholder("voters")}::text[]))`,
      )
      .prepare("api_votes_by_ballot"),
    recusalsByProposal: db
      .select()
      .from(recusals)
      .where(inKeys(recusals.proposalId))
      .orderBy(asc(recusals.proposalId), asc(recusals.subject))
      .prepare("api_recusals_by_proposal"),
  };
}
