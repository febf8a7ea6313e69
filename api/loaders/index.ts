// Every loader of one request. Built per request (context.ts), so a cache never outlives the request
// that filled it and one client never sees another's cached rows.
import { createAccountLoaders } from "./accounts.ts";
import type { LoaderDeps } from "./deps.ts";
import { createDistributionLoaders } from "./distributions.ts";
import { createEquityHistoryLoaders } from "./equityHistory.ts";
import { createGrantLoaders } from "./grants.ts";
import { createLeaveLoaders } from "./leaves.ts";
import { createMemberHistoryLoaders } from "./memberHistory.ts";
import { createMemberLoaders } from "./members.ts";
import { createPracticeHistoryLoaders } from "./practiceHistory.ts";
import { createPracticeMemberLoaders } from "./practiceMembers.ts";
import { createPracticeLoaders } from "./practices.ts";
import { createProposalActionLoaders } from "./proposalActions.ts";
import { createProposalLoaders } from "./proposals.ts";
import { createQuorumBaseLoaders } from "./quorumBases.ts";
import { createRawEventLoaders } from "./rawEvents.ts";
import { createRecusalLoaders } from "./recusals.ts";
import { createSettingsLoaders } from "./settings.ts";
import { createVoteLoaders } from "./votes.ts";
import { createWithdrawalLoaders } from "./withdrawals.ts";

export type { LoaderDeps } from "./deps.ts";

/**
 * Creates a fresh set of loaders.
 *
 * @example
 * const loaders = createLoaders({ db, statements, metrics });
 * const [a, b] = await Promise.all([loaders.memberByAddress.load(x), loaders.memberByAddress.load(y)]); // one query
 */
export function createLoaders(deps: LoaderDeps) {
  return {
    ...createMemberLoaders(deps),
    ...createMemberHistoryLoaders(deps),
    ...createPracticeLoaders(deps),
    ...createPracticeHistoryLoaders(deps),
    ...createPracticeMemberLoaders(deps),
    ...createLeaveLoaders(deps),
    ...createAccountLoaders(deps),
    ...createEquityHistoryLoaders(deps),
    ...createGrantLoaders(deps),
    ...createProposalLoaders(deps),
    ...createProposalActionLoaders(deps),
    ...createVoteLoaders(deps),
    ...createRecusalLoaders(deps),
    ...createDistributionLoaders(deps),
    ...createSettingsLoaders(deps),
    ...createQuorumBaseLoaders(deps),
    ...createRawEventLoaders(deps),
    ...createWithdrawalLoaders(deps),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
