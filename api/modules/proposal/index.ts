// The proposal module: proposals (intent, timeline, state at any time, tally, quorums), their ballots,
// the proposals list and the proposalUpdated and voteCast feeds.
import { PROPOSAL_STATES, SUPPORTS } from "../../../indexer/decode/enums.ts";
import { enumResolver } from "../core/enumResolver.ts";
import { defineModule } from "../defineModule.ts";
import { createProposalLoaders } from "./loaders.ts";
import { Proposal } from "./resolvers/Proposal.ts";
import { proposal } from "./resolvers/Query/proposal.ts";
import { proposals } from "./resolvers/Query/proposals.ts";
import { proposalUpdated } from "./resolvers/Subscription/proposalUpdated.ts";
import { voteCast } from "./resolvers/Subscription/voteCast.ts";
import { Vote } from "./resolvers/Vote.ts";
import { createProposalStatements } from "./statements.ts";

export const proposalModule = defineModule(import.meta.url, {
  resolvers: {
    Query: { proposal, proposals },
    Subscription: { proposalUpdated, voteCast },
    Support: enumResolver(SUPPORTS),
    ProposalState: enumResolver(PROPOSAL_STATES),
    Proposal,
    Vote,
  },
  loaders: createProposalLoaders,
  statements: createProposalStatements,
});
