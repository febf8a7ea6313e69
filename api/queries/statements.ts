// The API's hot paths as prepared statements, built once per app: every by-key lookup the loaders
// batch. On PostgreSQL each is parsed and planned once per pooled connection (node-postgres named
// statements), not once per request; on PGlite they are plain queries with the same SQL.
import { and, asc, eq, ne, sql } from "drizzle-orm";
import type { Database } from "../../indexer/store/db.ts";
import {
  accounts,
  blocks,
  distributions,
  governanceSettings,
  grants,
  leaves,
  members,
  memberWithdrawals,
  mirrorState,
  practiceMembers,
  practices,
  proposalActions,
  proposals,
  rawEvents,
  recusals,
  treasuryTokens,
  votes,
  withdrawalPayments,
} from "../../indexer/store/schema.ts";

/** The batch of keys a statement looks up, bound as one array parameter (`= any($1)`). */
const KEYS = sql.placeholder("keys");

/**
 * Prepares the API's by-key statements on `db`.
 *
 * @example
 * const statements = createStatements(db);
 * const rows = await statements.membersByAddress.execute({ keys: ["0xab…", "0xcd…"] });
 */
export function createStatements(db: Database) {
  return {
    membersByAddress: db
      .select()
      .from(members)
      .where(sql`${members.address} = any(${KEYS})`)
      .prepare("api_members_by_address"),
    practicesById: db
      .select()
      .from(practices)
      .where(sql`${practices.practiceId} = any(${KEYS})`)
      .prepare("api_practices_by_id"),
    practicesBySlug: db
      .select()
      .from(practices)
      .where(sql`${practices.slug} = any(${KEYS})`)
      .prepare("api_practices_by_slug"),
    seatsByAccount: db
      .select()
      .from(practiceMembers)
      .where(and(sql`${practiceMembers.account} = any(${KEYS})`, ne(practiceMembers.role, "None")))
      .orderBy(asc(practiceMembers.account), asc(practiceMembers.practiceId))
      .prepare("api_seats_by_account"),
    leavesByPartner: db
      .select()
      .from(leaves)
      .where(sql`${leaves.partner} = any(${KEYS})`)
      .orderBy(asc(leaves.leaveId))
      .prepare("api_leaves_by_partner"),
    accountsByAddress: db
      .select()
      .from(accounts)
      .where(sql`${accounts.address} = any(${KEYS})`)
      .prepare("api_accounts_by_address"),
    grantsById: db
      .select()
      .from(grants)
      .where(sql`${grants.grantId} = any(${KEYS})`)
      .prepare("api_grants_by_id"),
    grantsByBeneficiary: db
      .select()
      .from(grants)
      .where(sql`${grants.beneficiary} = any(${KEYS})`)
      .orderBy(asc(grants.grantId))
      .prepare("api_grants_by_beneficiary"),
    proposalsById: db
      .select()
      .from(proposals)
      .where(sql`${proposals.proposalId} = any(${KEYS})`)
      .prepare("api_proposals_by_id"),
    actionsByProposal: db
      .select()
      .from(proposalActions)
      .where(sql`${proposalActions.proposalId} = any(${KEYS})`)
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
      .where(sql`${recusals.proposalId} = any(${KEYS})`)
      .orderBy(asc(recusals.proposalId), asc(recusals.subject))
      .prepare("api_recusals_by_proposal"),
    distributionsById: db
      .select()
      .from(distributions)
      .where(sql`${distributions.distributionId} = any(${KEYS})`)
      .prepare("api_distributions_by_id"),
    settings: db.select().from(governanceSettings).prepare("api_settings"),
    withdrawalsByMember: db
      .select()
      .from(memberWithdrawals)
      .where(sql`${memberWithdrawals.account} = any(${KEYS})`)
      .orderBy(asc(memberWithdrawals.blockNumber), asc(memberWithdrawals.logIndex))
      .prepare("api_withdrawals_by_member"),
    withdrawalPaymentsByMember: db
      .select()
      .from(withdrawalPayments)
      .where(sql`${withdrawalPayments.member} = any(${KEYS})`)
      .orderBy(asc(withdrawalPayments.blockNumber), asc(withdrawalPayments.logIndex))
      .prepare("api_withdrawal_payments_by_member"),
    listedTreasuryTokens: db
      .select()
      .from(treasuryTokens)
      .where(eq(treasuryTokens.listed, true))
      .orderBy(asc(treasuryTokens.changedBlock), asc(treasuryTokens.token))
      .prepare("api_listed_treasury_tokens"),
    /** The time of blocks with firm events (a transaction's block time where a table has none). */
    blockTimes: db
      .selectDistinctOn([rawEvents.blockNumber], {
        number: rawEvents.blockNumber,
        timestamp: rawEvents.blockTimestamp,
      })
      .from(rawEvents)
      .where(
        and(eq(rawEvents.chainId, sql.placeholder("chainId")), sql`${rawEvents.blockNumber} = any(${KEYS})`),
      )
      .orderBy(asc(rawEvents.blockNumber))
      .prepare("api_block_times"),
    /** The checkpoint with its block's timestamp: the store keeps the checkpoint's header. */
    mirrorState: db
      .select({
        startBlock: mirrorState.startBlock,
        checkpointBlock: mirrorState.checkpointBlock,
        checkpointTimestamp: blocks.timestamp,
        prunedThrough: mirrorState.prunedThrough,
        revision: mirrorState.revision,
      })
      .from(mirrorState)
      .leftJoin(
        blocks,
        and(eq(blocks.chainId, mirrorState.chainId), eq(blocks.number, mirrorState.checkpointBlock)),
      )
      .where(eq(mirrorState.chainId, sql.placeholder("chainId")))
      .prepare("api_mirror_state"),
  };
}

export type Statements = ReturnType<typeof createStatements>;
