// The mirror's tables: the raw event log, the derived tables the API reads, and the bookkeeping that
// makes ranges atomic and reorgs reversible. drizzle-kit generates the SQL in ./migrations from this
// file (`npx drizzle-kit generate --config indexer/store/drizzle.config.ts`); a change here ships a new
// migration, never a "delete your data folder".
//
// Conventions, so that every reader can rely on them:
// - addresses, hashes and bytes are lowercase 0x-hex text (compare with `lower(...)` of user input);
// - uint256/uint64 chain values are numeric(78,0) (78 digits hold any uint256), read as bigint;
// - block numbers, log indexes and chain times (unix seconds) are bigint read as number (below 2^53);
// - enums are text holding the Solidity name ("Partner", "OnLeave", "For") rather than its ordinal;
// - every row carries the block that last wrote it, so "as of block N" reads filter on it.
//
// Two kinds of derived tables. Entity tables (members, practices, …) are updated in place; every change
// writes the row's previous image to `undo_log`, so a rollback can restore it. Append-only tables
// (histories, votes, equity deltas, …) only gain rows; a rollback deletes those above the ancestor.

import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  json,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

/** A uint256 (or narrower unsigned) chain value: 78 decimal digits hold 2^256 - 1. */
const uint = (name: string) => numeric(name, { precision: 78, scale: 0, mode: "bigint" });
/** A block number, log index or unix time in seconds: all stay far below 2^53. */
const int64 = (name: string) => bigint(name, { mode: "number" });

// ------------------------------------------------------------------------------------------------
// Bookkeeping
// ------------------------------------------------------------------------------------------------

/** Which deployment this database mirrors and how far: one row per database. */
export const mirrorState = pgTable("mirror_state", {
  chainId: integer("chain_id").primaryKey(),
  /** The manifest's contract addresses: a store refuses to write another deployment's events here. */
  contracts: jsonb("contracts").$type<Record<string, string>>().notNull(),
  startBlock: int64("start_block").notNull(),
  /** Null until the first range is applied (and again after a rollback to before startBlock). */
  checkpointBlock: int64("checkpoint_block"),
  checkpointHash: text("checkpoint_hash"),
  /** Undo data at and below this block is gone: rollbacks may not go below it. */
  prunedThrough: int64("pruned_through"),
  /** Bumped by every write, so a store can tell whether its in-memory copy is still current. */
  revision: int64("revision").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
});

/** Remembered block headers: the unfinalized window for reorg detection, pruned below finality. */
export const blocks = pgTable(
  "blocks",
  {
    chainId: integer("chain_id").notNull(),
    number: int64("number").notNull(),
    hash: text("hash").notNull(),
    parentHash: text("parent_hash").notNull(),
    timestamp: int64("timestamp").notNull(),
  },
  (t) => [primaryKey({ columns: [t.chainId, t.number] })],
);

/** Previous images of entity rows, one per (row, block) that changed it: what `rollbackTo` restores. */
export const undoLog = pgTable(
  "undo_log",
  {
    blockNumber: int64("block_number").notNull(),
    seq: integer("seq").notNull(),
    tableName: text("table_name").notNull(),
    /** The row's primary key values joined by ':' (see entities.ts `rowKey`). */
    rowKey: text("row_key").notNull(),
    /** The row before this block changed it; null when the block created it. json, not jsonb: it is
     * written for every change and read only by a rollback, so skipping jsonb's parse on write pays. */
    previous: json("previous"),
  },
  (t) => [primaryKey({ columns: [t.blockNumber, t.seq] }), index("undo_log_table_idx").on(t.tableName)],
);

// ------------------------------------------------------------------------------------------------
// The raw event log
// ------------------------------------------------------------------------------------------------

/** Every firm event, decoded. The derived tables below can be rebuilt from this table alone. */
export const rawEvents = pgTable(
  "raw_events",
  {
    chainId: integer("chain_id").notNull(),
    blockNumber: int64("block_number").notNull(),
    logIndex: integer("log_index").notNull(),
    blockHash: text("block_hash").notNull(),
    blockTimestamp: int64("block_timestamp").notNull(),
    txHash: text("tx_hash").notNull(),
    txIndex: integer("tx_index").notNull(),
    address: text("address").notNull(),
    /** The manifest name of the emitting contract: partnership, practices, revenueShare, governor, timelock. */
    contract: text("contract").notNull(),
    eventName: text("event_name").notNull(),
    /** Named arguments; uints as decimal strings, addresses lowercase. */
    args: jsonb("args").$type<Record<string, unknown>>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.chainId, t.blockNumber, t.logIndex] }),
    // asOf: {timestamp}: the last firm event at or before a time.
    index("raw_events_time_idx").on(t.chainId, t.blockTimestamp, t.blockNumber),
  ],
);

// ------------------------------------------------------------------------------------------------
// Members and practices (entity tables with per-change history)
// ------------------------------------------------------------------------------------------------

/** Columns of a member; shared by `members` (current) and `member_history` (after each change). */
const memberColumns = () => ({
  address: text("address").notNull(),
  memberIndex: integer("member_index").notNull(),
  role: text("role").notNull(),
  /** The stored status: "OnLeave" lapses to "Active" by itself at leaveUntil (see views.ts). */
  status: text("status").notNull(),
  admittedAt: int64("admitted_at").notNull(),
  admissionBlock: int64("admission_block").notNull(),
  admissionTx: text("admission_tx").notNull(),
  /** The proposal whose execution admitted the member; null for founders admitted at deployment. */
  admissionProposalId: uint("admission_proposal_id"),
  partnerSince: int64("partner_since"),
  partnerUntil: int64("partner_until"),
  /** The latest leave (see `leaves` for all of them); leaveCover is the colleague asked to cover it
   * (the zero address when nobody was asked), who holds the ballot only once they accepted. */
  leaveId: int64("leave_id"),
  leaveCover: text("leave_cover"),
  leaveFrom: int64("leave_from"),
  leaveUntil: int64("leave_until"),
  departedAt: int64("departed_at"),
  departureProposalId: uint("departure_proposal_id"),
  /** Who took over this partner's practice leads at retirement. */
  successor: text("successor"),
  updatedBlock: int64("updated_block").notNull(),
  updatedAt: int64("updated_at").notNull(),
});

/** Where a change recorded in a history table happened. */
const changeColumns = () => ({
  blockNumber: int64("block_number").notNull(),
  logIndex: integer("log_index").notNull(),
  blockTimestamp: int64("block_timestamp").notNull(),
  txHash: text("tx_hash").notNull(),
});

export const members = pgTable("members", { ...memberColumns() }, (t) => [
  primaryKey({ columns: [t.address] }),
  uniqueIndex("members_index_idx").on(t.memberIndex),
  // The members list filtered by role (and status), in admission order.
  index("members_role_status_idx").on(t.role, t.status, t.memberIndex),
  // Partners at a time (quorum bases, headcount): the hundred partners, not every member.
  index("members_partner_since_idx").on(t.partnerSince).where(sql`${t.partnerSince} IS NOT NULL`),
]);

export const memberHistory = pgTable("member_history", { ...memberColumns(), ...changeColumns() }, (t) => [
  primaryKey({ columns: [t.address, t.blockNumber, t.logIndex] }),
  index("member_history_block_idx").on(t.blockNumber),
]);

const practiceColumns = () => ({
  /** keccak256 of the slug, as the contract keys it. */
  practiceId: text("practice_id").notNull(),
  slug: text("slug").notNull(),
  name: text("name").notNull(),
  /** Null while the practice has no lead: its lead departed with no successor (PracticeLeadChanged to 0). */
  lead: text("lead"),
  status: text("status").notNull(),
  /** Seats held (lead included), as the contract counts them. */
  memberCount: integer("member_count").notNull(),
  createdAt: int64("created_at").notNull(),
  createdBlock: int64("created_block").notNull(),
  createdTx: text("created_tx").notNull(),
  createdProposalId: uint("created_proposal_id"),
  sunsetAt: int64("sunset_at"),
  sunsetProposalId: uint("sunset_proposal_id"),
  updatedBlock: int64("updated_block").notNull(),
  updatedAt: int64("updated_at").notNull(),
});

export const practices = pgTable("practices", { ...practiceColumns() }, (t) => [
  primaryKey({ columns: [t.practiceId] }),
  uniqueIndex("practices_slug_idx").on(t.slug),
  index("practices_lead_idx").on(t.lead),
  index("practices_status_idx").on(t.status, t.slug),
]);

export const practiceHistory = pgTable(
  "practice_history",
  { ...practiceColumns(), ...changeColumns() },
  (t) => [
    primaryKey({ columns: [t.practiceId, t.blockNumber, t.logIndex] }),
    index("practice_history_block_idx").on(t.blockNumber),
  ],
);

const practiceMemberColumns = () => ({
  practiceId: text("practice_id").notNull(),
  account: text("account").notNull(),
  /** "Lead", "Member" or "Technician"; "None" once removed (the row stays for history). */
  role: text("role").notNull(),
  /** When the current seat began; null while not seated. */
  since: int64("since"),
  updatedBlock: int64("updated_block").notNull(),
  updatedAt: int64("updated_at").notNull(),
});

export const practiceMembers = pgTable("practice_members", { ...practiceMemberColumns() }, (t) => [
  primaryKey({ columns: [t.practiceId, t.account] }),
  index("practice_members_account_idx").on(t.account),
]);

export const practiceMemberHistory = pgTable(
  "practice_member_history",
  { ...practiceMemberColumns(), ...changeColumns() },
  (t) => [
    primaryKey({ columns: [t.practiceId, t.account, t.blockNumber, t.logIndex] }),
    index("practice_member_history_block_idx").on(t.blockNumber),
    // A member's seats as of a block (time travel), every practice at once.
    index("practice_member_history_account_idx").on(t.account, t.practiceId, t.blockNumber, t.logIndex),
  ],
);

/**
 * Every leave ever declared; `untilAt` moves earlier when a leave ends early. `cover` is the colleague
 * asked (the zero address when nobody was); they hold the partner's ballot from `coverAcceptedAt`
 * (CoverAccepted) until `coverEndedAt` (they stepped down or left the firm, or the leave ended early),
 * else until `untilAt`. Outside that window the partner holds their own ballot.
 */
export const leaves = pgTable("leaves", {
  leaveId: int64("leave_id").primaryKey(),
  partner: text("partner").notNull(),
  cover: text("cover").notNull(),
  fromAt: int64("from_at").notNull(),
  untilAt: int64("until_at").notNull(),
  endedAt: int64("ended_at"),
  declaredBlock: int64("declared_block").notNull(),
  declaredTx: text("declared_tx").notNull(),
  updatedBlock: int64("updated_block").notNull(),
  // Added by migration 0002, so after updated_block in the table: declared here in the table's order.
  coverAcceptedAt: int64("cover_accepted_at"),
  coverEndedAt: int64("cover_ended_at"),
});

// ------------------------------------------------------------------------------------------------
// Equity and grants
// ------------------------------------------------------------------------------------------------

/** Current ERC-20 balance (released units) and ERC-5805 votes (granted, not forfeited) per account. */
export const accounts = pgTable("accounts", {
  address: text("address").primaryKey(),
  balance: uint("balance").notNull(),
  votes: uint("votes").notNull(),
  updatedBlock: int64("updated_block").notNull(),
});

/** One row per balance or votes change: read the last row at or before a block or time. */
export const equityHistory = pgTable(
  "equity_history",
  {
    account: text("account").notNull(),
    ...changeColumns(),
    deltaBalance: numeric("delta_balance", { precision: 78, scale: 0, mode: "bigint" }).notNull(),
    deltaVotes: numeric("delta_votes", { precision: 78, scale: 0, mode: "bigint" }).notNull(),
    balance: uint("balance").notNull(),
    votes: uint("votes").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.account, t.blockNumber, t.logIndex] }),
    index("equity_history_block_idx").on(t.blockNumber),
    index("equity_history_time_idx").on(t.blockTimestamp),
  ],
);

export const grants = pgTable(
  "grants",
  {
    grantId: uint("grant_id").primaryKey(),
    beneficiary: text("beneficiary").notNull(),
    units: uint("units").notNull(),
    startAt: int64("start_at").notNull(),
    cliffEnd: int64("cliff_end").notNull(),
    endAt: int64("end_at").notNull(),
    released: uint("released").notNull(),
    revokedAt: int64("revoked_at"),
    forfeited: uint("forfeited"),
    createdBlock: int64("created_block").notNull(),
    createdTx: text("created_tx").notNull(),
    createdProposalId: uint("created_proposal_id"),
    revokedProposalId: uint("revoked_proposal_id"),
    updatedBlock: int64("updated_block").notNull(),
  },
  (t) => [
    index("grants_beneficiary_idx").on(t.beneficiary, t.grantId),
    // grants(where: {revoked: true}): the few revoked grants, in id order.
    index("grants_revoked_idx").on(t.grantId).where(sql`${t.revokedAt} IS NOT NULL`),
  ],
);

/** Balance snapshots taken for distributions. */
export const equitySnapshots = pgTable("equity_snapshots", {
  snapshotId: uint("snapshot_id").primaryKey(),
  totalSupply: uint("total_supply").notNull(),
  takenAt: int64("taken_at").notNull(),
  blockNumber: int64("block_number").notNull(),
});

// ------------------------------------------------------------------------------------------------
// Governance
// ------------------------------------------------------------------------------------------------

/** The parameters in force, from the governor's, timelock's and revenue share's setter events. */
export const governanceSettings = pgTable("governance_settings", {
  /** Always "current": one row. */
  id: text("id").primaryKey(),
  votingDelay: int64("voting_delay"),
  votingPeriod: int64("voting_period"),
  gracePeriod: int64("grace_period"),
  equityQuorumBps: integer("equity_quorum_bps"),
  headcountQuorumBps: integer("headcount_quorum_bps"),
  timelockDelay: int64("timelock_delay"),
  claimWindow: int64("claim_window"),
  updatedBlock: int64("updated_block").notNull(),
  // Added by migration 0002, so after updated_block in the table: declared here in the table's order.
  /** The supermajority an expulsion or a constitutional change needs, of the eligible bases. */
  expulsionEquityBps: integer("expulsion_equity_bps"),
  expulsionHeadcountBps: integer("expulsion_headcount_bps"),
  /** The partnership's leave rules: a leave's minimum length, and the wait between two leaves. */
  minLeave: int64("min_leave"),
  leaveCooldown: int64("leave_cooldown"),
});

/**
 * The governor's proposal rules (ProposalRuleScheduled): the quorums, expulsion quorums and grace
 * period in force for proposals whose snapshot is at or after `since`. The settings events just
 * before a ProposalRuleScheduled describe its rule. A proposal keeps the rule of its snapshot.
 */
export const proposalRules = pgTable("proposal_rules", {
  ruleIndex: integer("rule_index").primaryKey(),
  since: int64("since").notNull(),
  equityQuorumBps: integer("equity_quorum_bps").notNull(),
  headcountQuorumBps: integer("headcount_quorum_bps").notNull(),
  expulsionEquityBps: integer("expulsion_equity_bps").notNull(),
  expulsionHeadcountBps: integer("expulsion_headcount_bps").notNull(),
  gracePeriod: int64("grace_period").notNull(),
  scheduledBlock: int64("scheduled_block").notNull(),
  scheduledTx: text("scheduled_tx").notNull(),
  updatedBlock: int64("updated_block").notNull(),
});

/** Every parameter change, with the proposal that made it (null for values set at deployment). */
export const settingChanges = pgTable(
  "setting_changes",
  {
    ...changeColumns(),
    contract: text("contract").notNull(),
    /** votingDelay, votingPeriod, gracePeriod, equityQuorumBps, headcountQuorumBps, timelockDelay, claimWindow. */
    parameter: text("parameter").notNull(),
    oldValue: uint("old_value").notNull(),
    newValue: uint("new_value").notNull(),
    proposalId: uint("proposal_id"),
  },
  (t) => [primaryKey({ columns: [t.blockNumber, t.logIndex, t.parameter] })],
);

export const proposals = pgTable(
  "proposals",
  {
    proposalId: uint("proposal_id").primaryKey(),
    proposer: text("proposer").notNull(),
    description: text("description").notNull(),
    /** The description's first line, without a leading Markdown '#'. */
    title: text("title").notNull(),
    /** Voting weight and ballots are read at this time (the governor's voteStart). */
    snapshot: int64("snapshot").notNull(),
    /** The first second a ballot counts: the governor accepts votes when now > snapshot. */
    voteStart: int64("vote_start").notNull(),
    voteEnd: int64("vote_end").notNull(),
    /** The rule in force at its snapshot (proposal_rules): later changes do not apply to it. */
    equityQuorumBps: integer("equity_quorum_bps").notNull(),
    headcountQuorumBps: integer("headcount_quorum_bps").notNull(),
    createdAt: int64("created_at").notNull(),
    createdBlock: int64("created_block").notNull(),
    createdTx: text("created_tx").notNull(),
    queuedAt: int64("queued_at"),
    eta: int64("eta"),
    queuedTx: text("queued_tx"),
    executedAt: int64("executed_at"),
    executedBlock: int64("executed_block"),
    executedTx: text("executed_tx"),
    canceledAt: int64("canceled_at"),
    canceledTx: text("canceled_tx"),
    /** Running tallies: equity units and ballots per support. */
    forEquity: uint("for_equity").notNull(),
    againstEquity: uint("against_equity").notNull(),
    abstainEquity: uint("abstain_equity").notNull(),
    forHeads: integer("for_heads").notNull(),
    againstHeads: integer("against_heads").notNull(),
    abstainHeads: integer("abstain_heads").notNull(),
    updatedBlock: int64("updated_block").notNull(),
    // Added by migration 0002, so after updated_block in the table: declared here in the table's order.
    ruleIndex: integer("rule_index").notNull().default(0),
    expulsionEquityBps: integer("expulsion_equity_bps").notNull().default(7_500),
    expulsionHeadcountBps: integer("expulsion_headcount_bps").notNull().default(7_500),
    /** How long it may wait to be queued after its deadline, and to be executed after its eta. */
    gracePeriod: int64("grace_period").notNull().default(0),
    /** What its actions are, as the governor's `_classify` sees them (indexer/decode/intents.ts):
     * an expulsion or a constitutional change needs the supermajority; moving funds locks For voters'
     * exits until it is over. */
    supermajority: boolean("supermajority").notNull().default(false),
    movesFunds: boolean("moves_funds").notNull().default(false),
    /** The first recused member (VoterRecused): a partner then leaves both eligible bases. */
    subject: text("subject"),
  },
  (t) => [
    // The proposals list's keyset order, and its proposer filter.
    index("proposals_created_idx").on(t.createdBlock, t.proposalId),
    index("proposals_proposer_idx").on(t.proposer, t.createdBlock, t.proposalId),
    // State filters other than Executed and Canceled read open proposals only: the newest few.
    index("proposals_open_idx")
      .on(t.createdBlock, t.proposalId)
      .where(sql`${t.executedAt} IS NULL AND ${t.canceledAt} IS NULL`),
  ],
);

/** A proposal's calls, decoded into typed intents (see indexer/decode/intents.ts). */
export const proposalActions = pgTable(
  "proposal_actions",
  {
    proposalId: uint("proposal_id").notNull(),
    actionIndex: integer("action_index").notNull(),
    target: text("target").notNull(),
    value: uint("value").notNull(),
    calldata: text("calldata").notNull(),
    /** ADMIT_MEMBER, CREATE_PRACTICE, …, SET_PARAMETER or OTHER. */
    intent: text("intent").notNull(),
    args: jsonb("args").$type<Record<string, unknown>>().notNull(),
    summary: text("summary").notNull(),
    blockNumber: int64("block_number").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.proposalId, t.actionIndex] }),
    // proposals(where: {kind}): proposals with an action of that intent.
    index("proposal_actions_intent_idx").on(t.intent, t.proposalId),
  ],
);

/** One row per ballot: a cover's vote for a partner on leave is the partner's row, cast_by the cover. */
export const votes = pgTable(
  "votes",
  {
    proposalId: uint("proposal_id").notNull(),
    /** Whose ballot this is. */
    voter: text("voter").notNull(),
    /** Who cast it: the voter, or their cover. */
    castBy: text("cast_by").notNull(),
    support: text("support").notNull(),
    weight: uint("weight").notNull(),
    /** Each ballot is one head in the headcount measure. */
    headcount: smallint("headcount").notNull(),
    reason: text("reason").notNull(),
    ...changeColumns(),
  },
  (t) => [
    primaryKey({ columns: [t.proposalId, t.voter] }),
    // A member's ballots in proposal order.
    index("votes_voter_idx").on(t.voter, t.proposalId),
    index("votes_block_idx").on(t.blockNumber),
  ],
);

/** Members a proposal is about, who cannot vote on it. */
export const recusals = pgTable(
  "recusals",
  {
    proposalId: uint("proposal_id").notNull(),
    subject: text("subject").notNull(),
    blockNumber: int64("block_number").notNull(),
  },
  (t) => [primaryKey({ columns: [t.proposalId, t.subject] })],
);

// ------------------------------------------------------------------------------------------------
// Treasury
// ------------------------------------------------------------------------------------------------

export const distributions = pgTable("distributions", {
  distributionId: uint("distribution_id").primaryKey(),
  /** The zero address for ETH. */
  token: text("token").notNull(),
  amount: uint("amount").notNull(),
  snapshotId: uint("snapshot_id").notNull(),
  supplyAtSnapshot: uint("supply_at_snapshot").notNull(),
  claimDeadline: int64("claim_deadline").notNull(),
  claimed: uint("claimed").notNull(),
  claims: integer("claims").notNull(),
  reclaimed: uint("reclaimed"),
  reclaimedAt: int64("reclaimed_at"),
  createdAt: int64("created_at").notNull(),
  createdBlock: int64("created_block").notNull(),
  createdTx: text("created_tx").notNull(),
  proposalId: uint("proposal_id"),
  updatedBlock: int64("updated_block").notNull(),
});

export const distributionClaims = pgTable(
  "distribution_claims",
  {
    distributionId: uint("distribution_id").notNull(),
    holder: text("holder").notNull(),
    amount: uint("amount").notNull(),
    ...changeColumns(),
  },
  (t) => [
    primaryKey({ columns: [t.distributionId, t.holder] }),
    index("distribution_claims_block_idx").on(t.blockNumber),
  ],
);

/** Units bought back from departing partners, and what the firm owes them for it. */
export const buybacks = pgTable(
  "buybacks",
  {
    account: text("account").notNull(),
    amount: uint("amount").notNull(),
    token: text("token").notNull(),
    price: uint("price").notNull(),
    proposalId: uint("proposal_id"),
    ...changeColumns(),
  },
  (t) => [primaryKey({ columns: [t.blockNumber, t.logIndex] })],
);

export const buybackPayments = pgTable(
  "buyback_payments",
  {
    account: text("account").notNull(),
    token: text("token").notNull(),
    amount: uint("amount").notNull(),
    ...changeColumns(),
  },
  (t) => [primaryKey({ columns: [t.blockNumber, t.logIndex] })],
);

/**
 * What the firm's events show of money moving in or out of the treasury (the timelock):
 * - out, "call": ETH sent with an executed proposal call (CallExecuted value), e.g. an ETH distribution
 *   or an ETH buy-back;
 * - out, "distribution" / "buyback": ERC-20 pulled from the treasury by createDistribution or retire;
 * - out, "withdrawal": a withdrawing member's share, paid to the withdrawal desk (WithdrawalPaidOut);
 * - in, "reclaim": an unclaimed distribution remainder returned by DistributionReclaimed.
 * Not recorded: plain ETH received by the timelock (it emits no event for it) and ERC-20 transfers to
 * it (those are the token's events, and the mirror indexes only the firm's contracts).
 */
export const treasuryFlows = pgTable(
  "treasury_flows",
  {
    ...changeColumns(),
    direction: text("direction").notNull(),
    kind: text("kind").notNull(),
    /** The zero address for ETH. */
    token: text("token").notNull(),
    amount: uint("amount").notNull(),
    counterparty: text("counterparty").notNull(),
    proposalId: uint("proposal_id"),
  },
  (t) => [primaryKey({ columns: [t.blockNumber, t.logIndex] })],
);

// ------------------------------------------------------------------------------------------------
// Withdrawals (rage-quit)
// ------------------------------------------------------------------------------------------------

/** Members who withdrew (MemberWithdrew): the units burned for their share of the treasury, which is
 * units / totalUnits (every unit outstanding then: granted and not forfeited or burned). */
export const memberWithdrawals = pgTable(
  "member_withdrawals",
  {
    account: text("account").notNull(),
    units: uint("units").notNull(),
    totalUnits: uint("total_units").notNull(),
    withdrawnAt: int64("withdrawn_at").notNull(),
    ...changeColumns(),
  },
  (t) => [
    primaryKey({ columns: [t.blockNumber, t.logIndex] }),
    index("member_withdrawals_account_idx").on(t.account),
  ],
);

/**
 * The withdrawal desk's book, one row per event: "credit" (WithdrawalCredited: a share, as it
 * arrived), "skip" (WithdrawalTokenSkipped: a token the treasury could not pay, amount null) and
 * "claim" (WithdrawalClaimed). What a member may still claim in a token is its credits less its claims.
 */
export const withdrawalPayments = pgTable(
  "withdrawal_payments",
  {
    member: text("member").notNull(),
    /** The zero address for ETH. */
    token: text("token").notNull(),
    kind: text("kind").notNull(),
    amount: uint("amount"),
    ...changeColumns(),
  },
  (t) => [
    primaryKey({ columns: [t.blockNumber, t.logIndex] }),
    index("withdrawal_payments_member_idx").on(t.member, t.token),
  ],
);

/** The treasury's ERC-20s that withdrawals pay a share of (TreasuryTokenListed); delisted rows stay. */
export const treasuryTokens = pgTable("treasury_tokens", {
  token: text("token").primaryKey(),
  listed: boolean("listed").notNull(),
  changedAt: int64("changed_at").notNull(),
  changedBlock: int64("changed_block").notNull(),
  proposalId: uint("proposal_id"),
  updatedBlock: int64("updated_block").notNull(),
});

// ------------------------------------------------------------------------------------------------
// The talent directory (Directory's events)
// ------------------------------------------------------------------------------------------------

/**
 * Each member's latest profile (ProfileSet), kept when cleared (ProfileCleared: `live` false), as the
 * chain's `profileOf` reads it. Coordinates are the event's hundredths of a degree divided by 100
 * (null without coordinates); enums as their Solidity names ("OnSite", "Remote", "Both"); an empty
 * region, city or contact URL is null.
 */
export const profiles = pgTable(
  "profiles",
  {
    member: text("member").primaryKey(),
    displayName: text("display_name").notNull(),
    skills: text("skills").array().notNull(),
    workMode: text("work_mode").notNull(),
    region: text("region"),
    city: text("city"),
    latitude: doublePrecision("latitude"),
    longitude: doublePrecision("longitude"),
    radiusKm: integer("radius_km").notNull(),
    contactUrl: text("contact_url"),
    /** keccak256(abi.encode(fields)), what the chain's profileOf returns: `firm audit` compares them. */
    contentHash: text("content_hash").notNull(),
    live: boolean("live").notNull(),
    /** The event's `at` (chain time) of the latest ProfileSet. */
    updatedAt: int64("updated_at").notNull(),
    clearedAt: int64("cleared_at"),
    clearedBy: text("cleared_by"),
    clearedReason: text("cleared_reason"),
    updatedBlock: int64("updated_block").notNull(),
  },
  (t) => [
    // technicians(near:): a bounding box is a latitude range scan (a 50 km box is 0.9 degrees of
    // 180, about 0.5% of the rows) with the longitude range checked in the index, before the exact
    // distance. Only live profiles with coordinates are in it.
    index("profiles_location_idx")
      .on(t.latitude, t.longitude)
      .where(sql`${t.live} AND ${t.latitude} IS NOT NULL`),
    index("profiles_region_idx").on(t.region).where(sql`${t.live}`),
  ],
);

/** Each associate's mentor link (MentorshipStarted), kept when it ends (MentorshipEnded: endedAt set). */
export const mentorships = pgTable(
  "mentorships",
  {
    mentee: text("mentee").primaryKey(),
    mentor: text("mentor").notNull(),
    since: int64("since").notNull(),
    endedAt: int64("ended_at"),
    endedBy: text("ended_by"),
    updatedBlock: int64("updated_block").notNull(),
  },
  // Member.mentees: a partner's current mentees.
  (t) => [index("mentorships_mentor_idx").on(t.mentor).where(sql`${t.endedAt} IS NULL`)],
);

/** Offers a partner made to an associate (MentorshipOffered); `open` until accepted or withdrawn. */
export const mentorshipOffers = pgTable(
  "mentorship_offers",
  {
    mentor: text("mentor").notNull(),
    mentee: text("mentee").notNull(),
    offeredAt: int64("offered_at").notNull(),
    open: boolean("open").notNull(),
    /** When it was accepted (MentorshipStarted) or withdrawn; null while open. */
    closedAt: int64("closed_at"),
    updatedBlock: int64("updated_block").notNull(),
  },
  (t) => [primaryKey({ columns: [t.mentor, t.mentee] }), index("mentorship_offers_mentee_idx").on(t.mentee)],
);

// ------------------------------------------------------------------------------------------------
// The books (Books' events)
// ------------------------------------------------------------------------------------------------

/**
 * ERC-20s governance allowed for deposits (TokenAllowed); disallowed rows stay. ETH (the zero
 * address) is always allowed and has no row. Symbol and decimals are null: handlers make no chain
 * calls (they run in memory, see handlers/context.ts), so readers fall back to base units.
 */
export const bookTokens = pgTable("book_tokens", {
  token: text("token").primaryKey(),
  allowed: boolean("allowed").notNull(),
  symbol: text("symbol"),
  decimals: integer("decimals"),
  changedAt: int64("changed_at").notNull(),
  proposalId: uint("proposal_id"),
  updatedBlock: int64("updated_block").notNull(),
});

/**
 * One row per movement of money through the books, so revenue, expenses and the CSV are one indexed
 * read each. `kind`: DEPOSIT, SWEEP (Deposited from the books themselves: untagged arrivals), PAYMENT
 * (Paid), POOL_CLAIM, LOCKSTEP (a close's share sent to the timelock), POOL_RECLAIM. `month` is yyyymm
 * as the contract counts it; `practice_id` the zero hash for the firm. `proposal_id` is set for a
 * payment by proposal (budget_id null) and a lockstep, from the ProposalExecuted of the same
 * transaction.
 */
export const bookMovements = pgTable(
  "book_movements",
  {
    ...changeColumns(),
    kind: text("kind").notNull(),
    direction: text("direction").notNull(),
    month: integer("month").notNull(),
    practiceId: text("practice_id").notNull(),
    /** The zero address for ETH. */
    token: text("token").notNull(),
    amount: uint("amount").notNull(),
    counterparty: text("counterparty"),
    reference: text("reference"),
    memo: text("memo"),
    repeatedReference: boolean("repeated_reference").notNull(),
    budgetId: uint("budget_id"),
    spender: text("spender"),
    proposalId: uint("proposal_id"),
    poolId: uint("pool_id"),
  },
  (t) => [
    primaryKey({ columns: [t.blockNumber, t.logIndex] }),
    index("book_movements_block_idx").on(t.blockNumber),
    index("book_movements_month_idx").on(t.month, t.practiceId),
    index("book_movements_practice_idx").on(t.practiceId, t.blockNumber),
    index("book_movements_counterparty_idx").on(t.counterparty, t.blockNumber),
    index("book_movements_token_idx").on(t.token, t.blockNumber),
    index("book_movements_reference_idx").on(t.reference),
    index("book_movements_time_idx").on(t.blockTimestamp),
    // A payment is flagged `repeated` at read time when an earlier payment to the same payee carries
    // the same reference (api/modules/books/queries/movements.ts): one probe of this index per row,
    // computed from what is in the mirror, so a rollback needs nothing more than removing rows.
    index("book_movements_payment_reference_idx")
      .on(t.counterparty, t.reference, t.blockNumber, t.logIndex)
      .where(sql`${t.kind} = 'PAYMENT' and ${t.reference} is not null`),
  ],
);

/** Budgets (BudgetSet), the latest image of each; a practice's newer budget replaces its older one. */
export const budgets = pgTable(
  "budgets",
  {
    budgetId: uint("budget_id").primaryKey(),
    practiceId: text("practice_id").notNull(),
    token: text("token").notNull(),
    amount: uint("amount").notNull(),
    /** "Monthly" or "Quarterly". */
    cadence: text("cadence").notNull(),
    rollover: boolean("rollover").notNull(),
    revoked: boolean("revoked").notNull(),
    spenders: text("spenders").array().notNull(),
    /** The budget period it started in (yyyymm): no rollover into it. */
    startPeriod: integer("start_period").notNull(),
    setAt: int64("set_at").notNull(),
    setTx: text("set_tx").notNull(),
    proposalId: uint("proposal_id"),
    updatedBlock: int64("updated_block").notNull(),
  },
  (t) => [index("budgets_practice_idx").on(t.practiceId)],
);

/** What each budget spent in each of its periods (yyyymm of the period's first month), from Paid. */
export const budgetSpending = pgTable(
  "budget_spending",
  {
    budgetId: uint("budget_id").notNull(),
    period: integer("period").notNull(),
    spent: uint("spent").notNull(),
    updatedBlock: int64("updated_block").notNull(),
  },
  (t) => [primaryKey({ columns: [t.budgetId, t.period] })],
);

/**
 * Revenue and expenses per month, practice and token, as Books.flowOf keeps them: the handlers add
 * each movement that counts (revenue: deposits, sweeps, reclaimed pool rests; expenses: payments), so
 * `books` over a year reads at most months x practices x tokens rows instead of summing movements.
 */
export const bookFlows = pgTable(
  "book_flows",
  {
    month: integer("month").notNull(),
    /** keccak256(slug); the zero hash is the firm (unattributed revenue, shared costs). */
    practiceId: text("practice_id").notNull(),
    token: text("token").notNull(),
    revenue: uint("revenue").notNull(),
    expenses: uint("expenses").notNull(),
    updatedBlock: int64("updated_block").notNull(),
  },
  (t) => [primaryKey({ columns: [t.month, t.practiceId, t.token] })],
);

/** The profit rule in force (ProfitRuleSet); no row means the contract's default 5000/3/2/1. */
export const profitRules = pgTable("profit_rules", {
  id: text("id").primaryKey(),
  practiceShareBps: integer("practice_share_bps").notNull(),
  leadWeight: integer("lead_weight").notNull(),
  memberWeight: integer("member_weight").notNull(),
  technicianWeight: integer("technician_weight").notNull(),
  updatedBlock: int64("updated_block").notNull(),
});

/** Closed months (PeriodClosed), with the proposal and the lockstep distribution of the same transaction. */
export const periodCloses = pgTable(
  "period_closes",
  {
    month: integer("month").notNull(),
    token: text("token").notNull(),
    /** Signed: the firm's net after the carried-in loss. */
    net: numeric("net", { precision: 78, scale: 0, mode: "bigint" }).notNull(),
    toPractices: uint("to_practices").notNull(),
    lockstep: uint("lockstep").notNull(),
    carriedLoss: uint("carried_loss").notNull(),
    closedAt: int64("closed_at").notNull(),
    closedBlock: int64("closed_block").notNull(),
    closedTx: text("closed_tx").notNull(),
    proposalId: uint("proposal_id"),
    distributionId: uint("distribution_id"),
    updatedBlock: int64("updated_block").notNull(),
  },
  (t) => [primaryKey({ columns: [t.month, t.token] })],
);

/** Practice pools of closed months (PoolCreated), their claims and reclaim. */
export const practicePools = pgTable(
  "practice_pools",
  {
    poolId: uint("pool_id").primaryKey(),
    month: integer("month").notNull(),
    practiceId: text("practice_id").notNull(),
    token: text("token").notNull(),
    amount: uint("amount").notNull(),
    claimed: uint("claimed").notNull(),
    reclaimed: uint("reclaimed"),
    totalWeight: integer("total_weight").notNull(),
    /** The profit rule's weights when the pool was created (the contract keeps them with the pool). */
    leadWeight: integer("lead_weight").notNull(),
    memberWeight: integer("member_weight").notNull(),
    technicianWeight: integer("technician_weight").notNull(),
    timepoint: int64("timepoint").notNull(),
    claimDeadline: int64("claim_deadline").notNull(),
    closedTx: text("closed_tx").notNull(),
    updatedBlock: int64("updated_block").notNull(),
  },
  (t) => [
    index("practice_pools_practice_idx").on(t.practiceId, t.month),
    index("practice_pools_month_idx").on(t.month),
  ],
);

/** Each member's claim of a pool (PoolClaimed): Member.earnings and a pool's shares read them. */
export const poolClaims = pgTable(
  "pool_claims",
  {
    poolId: uint("pool_id").notNull(),
    member: text("member").notNull(),
    amount: uint("amount").notNull(),
    ...changeColumns(),
  },
  (t) => [
    primaryKey({ columns: [t.poolId, t.member] }),
    index("pool_claims_member_idx").on(t.member, t.blockTimestamp),
    index("pool_claims_block_idx").on(t.blockNumber),
  ],
);

// ------------------------------------------------------------------------------------------------
// Notifications (issue 15): an outbox of what happened and, per subscribed webhook endpoint, one
// delivery row that the worker (indexer/notify/) claims, sends and settles. A reorg does not simply
// delete them: a notification that reached no endpoint is forgotten, one that did is retracted by a
// correction (indexer/notify/retractNotifications.ts), so a receiver hears of it rather than silence.
// ------------------------------------------------------------------------------------------------

/** A webhook receiver: where to POST, which kinds of notification, in which format, signed with what. */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    /** An http(s) URL, checked against private targets when added and again at every delivery. */
    url: text("url").notNull(),
    /** The notification kinds sent here; "*" subscribes to every kind. */
    events: text("events").array().notNull(),
    /** "raw" (the Standard Webhooks JSON body), "slack" (Block Kit) or "teams" (an Adaptive Card). */
    format: text("format").notNull(),
    /** The Standard Webhooks signing secret ("whsec_" + base64). Never logged, never in last_error. */
    secret: text("secret").notNull(),
    enabled: boolean("enabled").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** The name a WEBHOOKS_FILE gives it (notify/applyWebhooksFile.ts matches on it); null when added
     * by `firm webhooks add`, which such a file's --prune never touches. */
    name: text("name"),
  },
  // Unique, so applying a file twice cannot add a second endpoint of one name (NULLs never collide).
  (t) => [uniqueIndex("webhook_endpoints_name_idx").on(t.name)],
);

/**
 * The outbox: one row per notification, its id deterministic from where it came from (chain position
 * and kind), so indexing the same chain again yields the same ids and inserting one twice is a no-op.
 */
export const notifications = pgTable(
  "notifications",
  {
    /** The Standard Webhooks `webhook-id`: receivers deduplicate on it (notify/notificationId.ts). */
    eventId: text("event_id").primaryKey(),
    kind: text("kind").notNull(),
    /** When it happened, in unix seconds (the block's time for a chain event). */
    occurredAt: int64("occurred_at").notNull(),
    /** The `data` of the webhook body: JSON with no bigint (uint256 values as decimal strings). */
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /**
     * The block whose range recorded it (a chain event's own block; for a scheduled one, the block
     * whose time made it due). Null for a correction, which no reorg can take back.
     */
    blockNumber: int64("block_number"),
    /** Set when a reorg removed its block after it had reached an endpoint (a correction followed). */
    retractedAt: timestamp("retracted_at", { withTimezone: true }),
    /** For a correction (kind notification.retracted): the event id it takes back. */
    retracts: text("retracts"),
  },
  (t) => [
    index("notifications_kind_idx").on(t.kind, t.occurredAt),
    // A rollback reads the live notifications above the common ancestor: the last few blocks' worth.
    index("notifications_block_idx").on(t.blockNumber).where(sql`${t.retractedAt} IS NULL`),
  ],
);

/**
 * Notifications that fall due at a time rather than with an event (the 24-hour reminder, a vote's
 * outcome, a grant's cliff, a leave's start and end), written by the range of the event that set the
 * time. The range whose last block reaches `due_at` fires it in its own transaction and marks it with
 * that block, so a restart neither loses nor repeats one and a rollback below that block re-arms it.
 */
export const notificationSchedule = pgTable(
  "notification_schedule",
  {
    /** The event that set it (block, log), so an event's several schedules stay distinct by kind. */
    blockNumber: int64("block_number").notNull(),
    logIndex: integer("log_index").notNull(),
    /** A notification kind, or "proposal.outcome" (succeeded or defeated, decided when it fires). */
    kind: text("kind").notNull(),
    /** What it is about: a proposal, grant or leave id, as a decimal string. */
    subject: text("subject").notNull(),
    /** Unix seconds: fires in the first range whose last block's time is at or after it. */
    dueAt: int64("due_at").notNull(),
    /** The block of the range that fired it; null while waiting. */
    firedBlock: int64("fired_block"),
  },
  (t) => [
    primaryKey({ columns: [t.blockNumber, t.logIndex, t.kind] }),
    // Every range reads what came due: the waiting rows by time, never the fired history.
    index("notification_schedule_due_idx").on(t.dueAt).where(sql`${t.firedBlock} IS NULL`),
    index("notification_schedule_fired_idx").on(t.firedBlock),
  ],
);

/**
 * One notification to one endpoint, at most once per (event id, endpoint) by its key. `state` is
 * pending (waiting for next_attempt_at), delivering (a worker holds it until lease_until), delivered
 * or dead (attempts used up). A lease that runs out (its worker died) makes the row due again.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    eventId: text("event_id")
      .notNull()
      .references(() => notifications.eventId, { onDelete: "cascade" }),
    endpointId: integer("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    state: text("state").notNull(),
    /** Attempts started, counted when claimed, so an attempt cut short by a crash counts too. */
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    /** While delivering: the claim's expiry, and the claim's own token (only its holder may settle it). */
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
    leaseToken: text("lease_token"),
    /** The last failure, in words with the URL redacted and no secret. */
    lastError: text("last_error"),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.eventId, t.endpointId] }),
    // The worker's claim reads due rows in this order: pending by next attempt, leases by expiry.
    index("webhook_deliveries_due_idx").on(t.state, t.nextAttemptAt),
  ],
);
