// The proposal module's by-key statements: proposals, their actions and recusals, and ballots by
// (proposal, voter).
import { asc, sql } from "drizzle-orm";
import type { Database } from "../../../indexer/store/db.ts";
import { proposalActions, proposals, recusals, votes } from "../../../indexer/store/schema.ts";
import { prepareByKeys } from "../core/prepareByKeys.ts";

export function createProposalStatements(db: Database) {
  return {
    proposalsById: prepareByKeys(db, "api_proposals_by_id", proposals, "proposalId"),
    actionsByProposal: prepareByKeys(db, "api_actions_by_proposal", proposalActions, "proposalId", {
      orderBy: [asc(proposalActions.proposalId), asc(proposalActions.actionIndex)],
    }),
    recusalsByProposal: prepareByKeys(db, "api_recusals_by_proposal", recusals, "proposalId", {
      orderBy: [asc(recusals.proposalId), asc(recusals.subject)],
    }),
    votesByBallot: db
      .select()
      .from(votes)
      .where(
        sql`(${votes.proposalId}, ${votes.voter}) in (select * from unnest(${sql.placeholder("proposalIds")}::numeric[], ${sql.placeholder("voters")}::text[]))`,
      )
      .prepare("api_votes_by_ballot"),
  };
}

declare module "../defineModule.ts" {
  interface Statements extends ReturnType<typeof createProposalStatements> {}
}
