// The proposal module: proposals (intent, timeline, state at any time, tally, quorums), their ballots,
// the proposals list and the proposalUpdated and voteCast feeds.
import { defineModule } from "../defineModule.ts";
import { createProposalLoaders } from "./loaders.ts";
import { ProposalState, Support } from "./resolvers/enums.ts";
import { Proposal } from "./resolvers/Proposal.ts";
import { proposal } from "./resolvers/Query/proposal.ts";
import { proposals } from "./resolvers/Query/proposals.ts";
import { proposalUpdated } from "./resolvers/Subscription/proposalUpdated.ts";
import { voteCast } from "./resolvers/Subscription/voteCast.ts";
import { Vote } from "./resolvers/Vote.ts";
import { createProposalStatements } from "./statements.ts";

declare module "../defineModule.ts" {
  interface Loaders extends ReturnType<typeof createProposalLoaders> {}
  interface Statements extends ReturnType<typeof createProposalStatements> {}
}

export const proposalModule = defineModule({
  name: "proposal",
  typeDefs: new URL("./proposal.graphql", import.meta.url),
  resolvers: {
    Query: { proposal, proposals },
    Subscription: { proposalUpdated, voteCast },
    Support,
    ProposalState,
    Proposal,
    Vote,
  },
  loaders: createProposalLoaders,
  statements: createProposalStatements,
});
