// The firm's mirror in Ponder's schema language: the same tables our indexer keeps (members, leaves,
// practices and seats, grants, equity holders with a delta row per change, proposals, votes,
// distributions and claims, governance settings, timelock calls), so both do the same work per event.
// Times are chain timestamps (seconds); amounts are bigints, as the contracts emit them.
//
// Indexes: the ones our mirror has on the same tables (indexer/store/schema.ts), so the API benchmark
// compares the servers, not the indexes: members by admission order and by role/status, practices by
// lead and status, grants by beneficiary, proposals in creation order and by proposer, ballots by
// voter, seats by account.
import { index, onchainTable, primaryKey, relations } from "ponder";

export const member = onchainTable(
  "member",
  (t) => ({
    id: t.hex().primaryKey(),
    role: t.integer().notNull(),
    status: t.integer().notNull(),
    memberIndex: t.bigint().notNull(),
    since: t.bigint().notNull(),
    updatedAt: t.bigint().notNull(),
  }),
  (table) => ({
    memberIndexIndex: index().on(table.memberIndex),
    roleStatusIndex: index().on(table.role, table.status, table.memberIndex),
  }),
);

export const leave = onchainTable(
  "leave",
  (t) => ({
    id: t.bigint().primaryKey(),
    partner: t.hex().notNull(),
    cover: t.hex().notNull(),
    from: t.bigint().notNull(),
    until: t.bigint().notNull(),
    endedEarly: t.boolean().notNull(),
  }),
  (table) => ({ partnerIndex: index().on(table.partner) }),
);

export const practice = onchainTable(
  "practice",
  (t) => ({
    id: t.hex().primaryKey(),
    slug: t.text().notNull(),
    name: t.text().notNull(),
    lead: t.hex().notNull(),
    active: t.boolean().notNull(),
    createdAt: t.bigint().notNull(),
    memberCount: t.integer().notNull(),
  }),
  (table) => ({
    slugIndex: index().on(table.slug),
    leadIndex: index().on(table.lead),
    activeIndex: index().on(table.active, table.slug),
  }),
);

export const practiceMember = onchainTable(
  "practice_member",
  (t) => ({
    practiceId: t.hex().notNull(),
    account: t.hex().notNull(),
    role: t.integer().notNull(),
    since: t.bigint().notNull(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.practiceId, table.account] }),
    accountIndex: index().on(table.account),
  }),
);

export const succession = onchainTable("succession", (t) => ({
  id: t.text().primaryKey(),
  partner: t.hex().notNull(),
  successor: t.hex().notNull(),
  practiceId: t.hex().notNull(),
  at: t.bigint().notNull(),
}));

export const grant = onchainTable(
  "grant",
  (t) => ({
    id: t.bigint().primaryKey(),
    beneficiary: t.hex().notNull(),
    units: t.bigint().notNull(),
    released: t.bigint().notNull(),
    start: t.bigint().notNull(),
    cliffEnd: t.bigint().notNull(),
    end: t.bigint().notNull(),
    revokedAt: t.bigint(),
    forfeited: t.bigint(),
  }),
  (table) => ({
    beneficiaryIndex: index().on(table.beneficiary, table.id),
    revokedIndex: index().on(table.revokedAt),
  }),
);

/** An equity holder's current balance (released units) and votes (granted, not forfeited). */
export const holder = onchainTable("holder", (t) => ({
  id: t.hex().primaryKey(),
  balance: t.bigint().notNull(),
  votes: t.bigint().notNull(),
}));

/** One row per change of a balance (Transfer) or of votes (DelegateVotesChanged). */
export const equityChange = onchainTable(
  "equity_change",
  (t) => ({
    id: t.text().primaryKey(),
    account: t.hex().notNull(),
    kind: t.text().notNull(), // "balance" | "votes"
    delta: t.bigint().notNull(),
    value: t.bigint().notNull(),
    blockNumber: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (table) => ({ accountIndex: index().on(table.account, table.blockNumber) }),
);

export const snapshot = onchainTable("snapshot", (t) => ({
  id: t.bigint().primaryKey(),
  totalSupply: t.bigint().notNull(),
  at: t.bigint().notNull(),
}));

export const buyback = onchainTable("buyback", (t) => ({
  id: t.text().primaryKey(),
  account: t.hex().notNull(),
  kind: t.text().notNull(), // "bought" | "paid"
  units: t.bigint(),
  token: t.hex().notNull(),
  amount: t.bigint().notNull(),
}));

export const proposal = onchainTable(
  "proposal",
  (t) => ({
    id: t.bigint().primaryKey(),
    proposer: t.hex().notNull(),
    targets: t.json().$type<string[]>().notNull(),
    values: t.json().$type<string[]>().notNull(),
    calldatas: t.json().$type<string[]>().notNull(),
    description: t.text().notNull(),
    voteStart: t.bigint().notNull(),
    voteEnd: t.bigint().notNull(),
    createdBlock: t.bigint().notNull(),
    createdAt: t.bigint().notNull(),
    status: t.text().notNull(), // "pending" | "queued" | "executed" | "canceled" (active/defeated follow the clock)
    eta: t.bigint(),
    subject: t.hex(),
    againstEquity: t.bigint().notNull(),
    forEquity: t.bigint().notNull(),
    abstainEquity: t.bigint().notNull(),
    againstHeads: t.integer().notNull(),
    forHeads: t.integer().notNull(),
    abstainHeads: t.integer().notNull(),
  }),
  (table) => ({
    createdIndex: index().on(table.createdBlock, table.id),
    proposerIndex: index().on(table.proposer, table.createdBlock, table.id),
    // Ours has a partial index on open proposals in creation order; "pending" is Ponder's open.
    statusIndex: index().on(table.status, table.createdBlock, table.id),
  }),
);

export const vote = onchainTable(
  "vote",
  (t) => ({
    proposalId: t.bigint().notNull(),
    voter: t.hex().notNull(),
    support: t.integer().notNull(),
    weight: t.bigint().notNull(),
    reason: t.text().notNull(),
    coveredPartner: t.hex(),
    coveredWeight: t.bigint(),
    blockNumber: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.proposalId, table.voter] }),
    voterIndex: index().on(table.voter, table.proposalId),
  }),
);

export const recusal = onchainTable(
  "recusal",
  (t) => ({ proposalId: t.bigint().notNull(), subject: t.hex().notNull() }),
  (table) => ({ pk: primaryKey({ columns: [table.proposalId, table.subject] }) }),
);

export const distribution = onchainTable("distribution", (t) => ({
  id: t.bigint().primaryKey(),
  token: t.hex().notNull(),
  amount: t.bigint().notNull(),
  snapshotId: t.bigint().notNull(),
  supplyAtSnapshot: t.bigint().notNull(),
  claimDeadline: t.bigint().notNull(),
  claimed: t.bigint().notNull(),
  reclaimed: t.bigint(),
}));

export const claim = onchainTable(
  "claim",
  (t) => ({
    distributionId: t.bigint().notNull(),
    holder: t.hex().notNull(),
    amount: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.distributionId, table.holder] }),
    holderIndex: index().on(table.holder),
  }),
);

/** Governance settings as last set (one row, id "firm"). */
export const settings = onchainTable("settings", (t) => ({
  id: t.text().primaryKey(),
  votingDelay: t.bigint(),
  votingPeriod: t.bigint(),
  gracePeriod: t.bigint(),
  equityQuorumBps: t.integer(),
  headcountQuorumBps: t.integer(),
  claimWindow: t.bigint(),
  timelockMinDelay: t.bigint(),
}));

export const timelockCall = onchainTable(
  "timelock_call",
  (t) => ({
    id: t.text().primaryKey(), // operation hash - index (Ponder reserves "operation" and "operation_id")
    operationHash: t.hex().notNull(),
    index: t.bigint().notNull(),
    target: t.hex().notNull(),
    value: t.bigint().notNull(),
    delay: t.bigint().notNull(),
    scheduledAt: t.bigint().notNull(),
    executedAt: t.bigint(),
  }),
  (table) => ({ operationIndex: index().on(table.operationHash) }),
);

export const timelockOperation = onchainTable("timelock_operation", (t) => ({
  id: t.hex().primaryKey(),
  salt: t.hex(),
  cancelled: t.boolean().notNull(),
}));

export const timelockRole = onchainTable(
  "timelock_role",
  (t) => ({
    role: t.hex().notNull(),
    account: t.hex().notNull(),
    granted: t.boolean().notNull(),
    adminRole: t.hex(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.role, table.account] }) }),
);

// Relations, for the GraphQL API the API benchmark queries.
export const memberRelations = relations(member, ({ many, one }) => ({
  grants: many(grant),
  seats: many(practiceMember),
  holding: one(holder, { fields: [member.id], references: [holder.id] }),
}));
export const grantRelations = relations(grant, ({ one }) => ({
  member: one(member, { fields: [grant.beneficiary], references: [member.id] }),
}));
export const practiceRelations = relations(practice, ({ many }) => ({ seats: many(practiceMember) }));
export const practiceMemberRelations = relations(practiceMember, ({ one }) => ({
  practice: one(practice, { fields: [practiceMember.practiceId], references: [practice.id] }),
  member: one(member, { fields: [practiceMember.account], references: [member.id] }),
}));
export const proposalRelations = relations(proposal, ({ many }) => ({ votes: many(vote) }));
export const voteRelations = relations(vote, ({ one }) => ({
  proposal: one(proposal, { fields: [vote.proposalId], references: [proposal.id] }),
}));
export const distributionRelations = relations(distribution, ({ many }) => ({ claims: many(claim) }));
export const claimRelations = relations(claim, ({ one }) => ({
  distribution: one(distribution, { fields: [claim.distributionId], references: [distribution.id] }),
}));
