// The mirror's tables as the handlers see them during a range: entity tables kept in memory between
// ranges, append-only buffers, the undo journal, and the link from an executed proposal to the effects
// its execution produced. Also the registry of which SQL table is which kind, for writes and rollback.
import type { PgTable } from "drizzle-orm/pg-core";
import {
  AppendTable,
  type ChangeAt,
  EntityTable,
  type EntityTableOptions,
  RowMisses,
  UndoJournal,
} from "./entities.ts";
import * as schema from "./schema.ts";

export type MemberRow = typeof schema.members.$inferSelect;
export type PracticeRow = typeof schema.practices.$inferSelect;
export type PracticeMemberRow = typeof schema.practiceMembers.$inferSelect;
export type LeaveRow = typeof schema.leaves.$inferSelect;
export type AccountRow = typeof schema.accounts.$inferSelect;
export type GrantRow = typeof schema.grants.$inferSelect;
export type ProposalRow = typeof schema.proposals.$inferSelect;
export type DistributionRow = typeof schema.distributions.$inferSelect;
export type SettingsRow = typeof schema.governanceSettings.$inferSelect;
export type EquityHistoryRow = typeof schema.equityHistory.$inferSelect;
export type VoteRow = typeof schema.votes.$inferSelect;
export type ProposalActionRow = typeof schema.proposalActions.$inferSelect;
export type RecusalRow = typeof schema.recusals.$inferSelect;
export type SettingChangeRow = typeof schema.settingChanges.$inferSelect;
export type EquitySnapshotRow = typeof schema.equitySnapshots.$inferSelect;
export type DistributionClaimRow = typeof schema.distributionClaims.$inferSelect;
export type BuybackRow = typeof schema.buybacks.$inferSelect;
export type BuybackPaymentRow = typeof schema.buybackPayments.$inferSelect;
export type TreasuryFlowRow = typeof schema.treasuryFlows.$inferSelect;
export type ProposalRuleRow = typeof schema.proposalRules.$inferSelect;
export type TreasuryTokenRow = typeof schema.treasuryTokens.$inferSelect;
export type MemberWithdrawalRow = typeof schema.memberWithdrawals.$inferSelect;
export type WithdrawalPaymentRow = typeof schema.withdrawalPayments.$inferSelect;
export type ProfileRow = typeof schema.profiles.$inferSelect;
export type MentorshipRow = typeof schema.mentorships.$inferSelect;
export type MentorshipOfferRow = typeof schema.mentorshipOffers.$inferSelect;
export type BookTokenRow = typeof schema.bookTokens.$inferSelect;
export type BookMovementRow = typeof schema.bookMovements.$inferSelect;
export type BudgetRow = typeof schema.budgets.$inferSelect;
export type BudgetSpendingRow = typeof schema.budgetSpending.$inferSelect;
export type BookFlowRow = typeof schema.bookFlows.$inferSelect;
export type ProfitRuleRow = typeof schema.profitRules.$inferSelect;
export type PeriodCloseRow = typeof schema.periodCloses.$inferSelect;
export type PracticePoolRow = typeof schema.practicePools.$inferSelect;
export type PoolClaimRow = typeof schema.poolClaims.$inferSelect;

/** The key of the single governance_settings row. */
export const SETTINGS_KEY = "current";

/**
 * Entity tables, updated in place. Members, practices and seats keep a per-change history the API
 * reads "as of" a block, and a rollback rebuilds them from it; accounts are rebuilt from the equity
 * deltas; the others are restored from undo records.
 */
export const ENTITY_TABLES = {
  members: { table: schema.members, keyFields: ["address"], history: schema.memberHistory, undo: "history" },
  practices: {
    table: schema.practices,
    keyFields: ["practiceId"],
    history: schema.practiceHistory,
    undo: "history",
  },
  practiceMembers: {
    table: schema.practiceMembers,
    keyFields: ["practiceId", "account"],
    history: schema.practiceMemberHistory,
    undo: "history",
  },
  accounts: { table: schema.accounts, keyFields: ["address"], undo: "history" },
  leaves: { table: schema.leaves, keyFields: ["leaveId"], undo: "journal" },
  grants: { table: schema.grants, keyFields: ["grantId"], undo: "journal" },
  proposals: { table: schema.proposals, keyFields: ["proposalId"], undo: "journal" },
  distributions: { table: schema.distributions, keyFields: ["distributionId"], undo: "journal" },
  settings: { table: schema.governanceSettings, keyFields: ["id"], undo: "journal" },
  proposalRules: { table: schema.proposalRules, keyFields: ["ruleIndex"], undo: "journal", iterated: true },
  treasuryTokens: { table: schema.treasuryTokens, keyFields: ["token"], undo: "journal" },
  profiles: { table: schema.profiles, keyFields: ["member"], undo: "journal" },
  mentorships: { table: schema.mentorships, keyFields: ["mentee"], undo: "journal" },
  mentorshipOffers: { table: schema.mentorshipOffers, keyFields: ["mentor", "mentee"], undo: "journal" },
  bookTokens: { table: schema.bookTokens, keyFields: ["token"], undo: "journal" },
  budgets: { table: schema.budgets, keyFields: ["budgetId"], undo: "journal", iterated: true },
  budgetSpending: { table: schema.budgetSpending, keyFields: ["budgetId", "period"], undo: "journal" },
  bookFlows: { table: schema.bookFlows, keyFields: ["month", "practiceId", "token"], undo: "journal" },
  profitRules: { table: schema.profitRules, keyFields: ["id"], undo: "journal" },
  periodCloses: { table: schema.periodCloses, keyFields: ["month", "token"], undo: "journal" },
  practicePools: { table: schema.practicePools, keyFields: ["poolId"], undo: "journal" },
} as const;

/** Append-only tables (every one has a block_number column: a rollback deletes the rows above it). */
export const APPEND_TABLES = {
  equityHistory: schema.equityHistory,
  votes: schema.votes,
  proposalActions: schema.proposalActions,
  recusals: schema.recusals,
  settingChanges: schema.settingChanges,
  equitySnapshots: schema.equitySnapshots,
  distributionClaims: schema.distributionClaims,
  buybacks: schema.buybacks,
  buybackPayments: schema.buybackPayments,
  treasuryFlows: schema.treasuryFlows,
  memberWithdrawals: schema.memberWithdrawals,
  withdrawalPayments: schema.withdrawalPayments,
  bookMovements: schema.bookMovements,
  poolClaims: schema.poolClaims,
} as const;

/** Tables the store itself keeps, outside the handlers' view. */
export const BOOKKEEPING_TABLES = [
  schema.mirrorState,
  schema.blocks,
  schema.undoLog,
  schema.rawEvents,
] as const;

/** Every append-only table a rollback trims by block number: buffers, histories and raw events. */
export function appendOnlyTables(): PgTable[] {
  const histories = Object.values(ENTITY_TABLES).flatMap((t) => ("history" in t ? [t.history] : []));
  return [...Object.values(APPEND_TABLES), ...histories, schema.rawEvents];
}

/** What the handlers read and write during one range. */
export interface MirrorTables {
  members: EntityTable<MemberRow>;
  practices: EntityTable<PracticeRow>;
  practiceMembers: EntityTable<PracticeMemberRow>;
  leaves: EntityTable<LeaveRow>;
  accounts: EntityTable<AccountRow>;
  grants: EntityTable<GrantRow>;
  proposals: EntityTable<ProposalRow>;
  distributions: EntityTable<DistributionRow>;
  settings: EntityTable<SettingsRow>;
  proposalRules: EntityTable<ProposalRuleRow>;
  treasuryTokens: EntityTable<TreasuryTokenRow>;
  profiles: EntityTable<ProfileRow>;
  mentorships: EntityTable<MentorshipRow>;
  mentorshipOffers: EntityTable<MentorshipOfferRow>;
  bookTokens: EntityTable<BookTokenRow>;
  budgets: EntityTable<BudgetRow>;
  budgetSpending: EntityTable<BudgetSpendingRow>;
  bookFlows: EntityTable<BookFlowRow>;
  profitRules: EntityTable<ProfitRuleRow>;
  periodCloses: EntityTable<PeriodCloseRow>;
  practicePools: EntityTable<PracticePoolRow>;
  equityHistory: AppendTable<EquityHistoryRow>;
  votes: AppendTable<VoteRow>;
  proposalActions: AppendTable<ProposalActionRow>;
  recusals: AppendTable<RecusalRow>;
  settingChanges: AppendTable<SettingChangeRow>;
  equitySnapshots: AppendTable<EquitySnapshotRow>;
  distributionClaims: AppendTable<DistributionClaimRow>;
  buybacks: AppendTable<BuybackRow>;
  buybackPayments: AppendTable<BuybackPaymentRow>;
  treasuryFlows: AppendTable<TreasuryFlowRow>;
  memberWithdrawals: AppendTable<MemberWithdrawalRow>;
  withdrawalPayments: AppendTable<WithdrawalPaymentRow>;
  bookMovements: AppendTable<BookMovementRow>;
  poolClaims: AppendTable<PoolClaimRow>;
}

export type EntityName = keyof typeof ENTITY_TABLES;
export type AppendName = keyof typeof APPEND_TABLES;

/**
 * Links effects to the proposal that caused them. The timelock runs a proposal's calls before the
 * governor emits ProposalExecuted in the same transaction, so an effect registers here and is completed
 * when that event arrives. Effects left at the end of a range had no proposal (deployment, or a
 * permissionless call) and keep a null proposal id.
 */
export class ProposalLinker {
  private pending: { txHash: string; apply: (proposalId: bigint) => void }[] = [];

  whenExecuted(at: ChangeAt, apply: (proposalId: bigint) => void): void {
    this.pending.push({ txHash: at.txHash, apply });
  }

  /** Hands `proposalId` to every effect of the transaction so far (a transaction that executes two
   * proposals gets each one's effects, since the first event clears the queue). */
  executed(at: ChangeAt, proposalId: bigint): void {
    const mine = this.pending.filter((p) => p.txHash === at.txHash);
    this.pending = this.pending.filter((p) => p.txHash !== at.txHash);
    for (const effect of mine) effect.apply(proposalId);
  }

  endRange(): void {
    this.pending = [];
  }
}

/**
 * Entity rows kept in memory per table between ranges (ENTITY_ROWS_IN_MEMORY): memory that follows
 * this setting, not the chain. 5,000, not more: at 20,000 the tables of the indexer benchmark's
 * chain were still filling at 500k events (heap snapshots of such a run: 24 MB more rows reachable
 * at 30 s than at 6 s), so a long backfill peaked higher than a short one. Rows beyond the budget
 * are read back in one statement per table ahead of the range that needs them (prefetch.ts).
 */
export const DEFAULT_ENTITY_ROWS_IN_MEMORY = 5_000;

export interface MirrorMemoryOptions {
  /** Rows kept per entity table between ranges; unbounded when absent (tests, small mirrors). */
  rowsPerTable?: number | undefined;
}

/** The in-memory mirror: the tables, the range's journal and the proposal linker. */
export class MirrorMemory {
  readonly tables: MirrorTables;
  readonly linker = new ProposalLinker();
  /** Rows the current pass wanted and memory did not hold (bounded tables only). */
  readonly misses = new RowMisses();
  journal = new UndoJournal();

  constructor({ rowsPerTable = Number.POSITIVE_INFINITY }: MirrorMemoryOptions = {}) {
    const journal = () => this.journal;
    const memory = { rowsPerTable, misses: this.misses };
    const entity = <Row extends object>(options: EntityTableOptions<Row>) =>
      new EntityTable<Row>(options, journal, memory);
    const e = ENTITY_TABLES;
    const a = APPEND_TABLES;
    this.tables = {
      members: entity<MemberRow>(e.members),
      practices: entity<PracticeRow>(e.practices),
      practiceMembers: entity<PracticeMemberRow>(e.practiceMembers),
      leaves: entity<LeaveRow>(e.leaves),
      accounts: entity<AccountRow>(e.accounts),
      grants: entity<GrantRow>(e.grants),
      proposals: entity<ProposalRow>(e.proposals),
      distributions: entity<DistributionRow>(e.distributions),
      settings: entity<SettingsRow>(e.settings),
      proposalRules: entity<ProposalRuleRow>(e.proposalRules),
      treasuryTokens: entity<TreasuryTokenRow>(e.treasuryTokens),
      profiles: entity<ProfileRow>(e.profiles),
      mentorships: entity<MentorshipRow>(e.mentorships),
      mentorshipOffers: entity<MentorshipOfferRow>(e.mentorshipOffers),
      bookTokens: entity<BookTokenRow>(e.bookTokens),
      budgets: entity<BudgetRow>(e.budgets),
      budgetSpending: entity<BudgetSpendingRow>(e.budgetSpending),
      bookFlows: entity<BookFlowRow>(e.bookFlows),
      profitRules: entity<ProfitRuleRow>(e.profitRules),
      periodCloses: entity<PeriodCloseRow>(e.periodCloses),
      practicePools: entity<PracticePoolRow>(e.practicePools),
      equityHistory: new AppendTable<EquityHistoryRow>(a.equityHistory),
      votes: new AppendTable<VoteRow>(a.votes),
      proposalActions: new AppendTable<ProposalActionRow>(a.proposalActions),
      recusals: new AppendTable<RecusalRow>(a.recusals),
      settingChanges: new AppendTable<SettingChangeRow>(a.settingChanges),
      equitySnapshots: new AppendTable<EquitySnapshotRow>(a.equitySnapshots),
      distributionClaims: new AppendTable<DistributionClaimRow>(a.distributionClaims),
      buybacks: new AppendTable<BuybackRow>(a.buybacks),
      buybackPayments: new AppendTable<BuybackPaymentRow>(a.buybackPayments),
      treasuryFlows: new AppendTable<TreasuryFlowRow>(a.treasuryFlows),
      memberWithdrawals: new AppendTable<MemberWithdrawalRow>(a.memberWithdrawals),
      withdrawalPayments: new AppendTable<WithdrawalPaymentRow>(a.withdrawalPayments),
      bookMovements: new AppendTable<BookMovementRow>(a.bookMovements),
      poolClaims: new AppendTable<PoolClaimRow>(a.poolClaims),
    };
  }

  /** The entity tables, in ENTITY_TABLES' order (the order the store writes them). */
  entityTables(): EntityTable<object>[] {
    return (Object.keys(ENTITY_TABLES) as EntityName[]).map(
      (name) => this.tables[name] as EntityTable<object>,
    );
  }

  /** The append-only buffers, in APPEND_TABLES' order. */
  appendTables(): AppendTable<object>[] {
    return (Object.keys(APPEND_TABLES) as AppendName[]).map(
      (name) => this.tables[name] as AppendTable<object>,
    );
  }

  /** Starts a range whose blocks at or below `finalThrough` need no undo records. */
  beginRange(finalThrough: number | null): void {
    this.journal = new UndoJournal(finalThrough);
  }

  /** Once the range is committed: its entity rows become the committed ones. */
  endRange(): void {
    for (const table of this.entityTables()) table.endRange();
    this.forgetRange();
  }

  /** Forgets everything the current pass wrote: it will run again, from the committed rows. */
  discardRange(): void {
    for (const table of this.entityTables()) table.discardRange();
    this.forgetRange();
  }

  private forgetRange(): void {
    for (const table of this.appendTables()) table.endRange();
    this.linker.endRange();
    this.journal = new UndoJournal();
  }
}
