// The proposal module's loaders: proposals by id (decimal string), their decoded actions in order,
// their recusals, one ballot by (proposal, voter), a tally as it stood at a past time, and the eligible
// bases at a snapshot.
import type { VoteRow } from "../../../indexer/store/mirror.ts";
import type { TallySums } from "../../../indexer/store/views.ts";
import { byKey, createLoader, createRowLoader, createRowsLoader } from "../core/createLoader.ts";
import type { LoaderDeps } from "../defineModule.ts";
import { type BasesKey, type QuorumBases, readQuorumBases } from "./queries/quorumBases.ts";
import { readTalliesAt, type TallyAtKey } from "./queries/tallies.ts";

export interface BallotKey {
  proposalId: string;
  voter: string;
}

export function createProposalLoaders({ db, statements, metrics }: LoaderDeps) {
  const ballotOf = (k: BallotKey) => `${k.proposalId}:${k.voter}`;
  return {
    proposalById: createRowLoader(statements.proposalsById, metrics),
    actionsByProposal: createRowsLoader(statements.actionsByProposal, metrics),
    /** The members a proposal is about, who cannot vote on it. */
    recusalsByProposal: createRowsLoader(statements.recusalsByProposal, metrics),
    voteByBallot: createLoader<BallotKey, VoteRow | null, string>(
      { name: "votes", metrics, cacheKeyFn: ballotOf },
      async (keys) => {
        const rows = await statements.votesByBallot.execute({
          proposalIds: keys.map((k) => k.proposalId),
          voters: keys.map((k) => k.voter),
        });
        return byKey(keys.map(ballotOf), rows, (row) => `${row.proposalId}:${row.voter}`);
      },
    ),
    tallyAt: createLoader<TallyAtKey, TallySums, string>(
      { name: "votes", metrics, cacheKeyFn: (k) => `${k.proposalId}@${k.at}` },
      (keys) => readTalliesAt(db, keys),
    ),
    /** (snapshot, subject) → the eligible bases of a proposal with that snapshot and subject. */
    quorumBases: createLoader<BasesKey, QuorumBases, string>(
      { name: "quorum_bases", metrics, cacheKeyFn: (key) => `${key.snapshot}:${key.subject ?? ""}` },
      (keys) => readQuorumBases(db, keys),
    ),
  };
}

declare module "../defineModule.ts" {
  interface Loaders extends ReturnType<typeof createProposalLoaders> {}
}
