// Ponder's indexing functions for the firm: one per event the five contracts emit, writing the same
// rows our indexer writes. Written the way Ponder's docs recommend for speed: upserts and updates by
// primary key, with a read only where the contract's own state depends on it (a practice seat is
// counted once).
import { ponder } from "ponder:registry";
import {
  buyback,
  claim,
  distribution,
  equityChange,
  grant,
  holder,
  leave,
  member,
  practice,
  practiceMember,
  proposal,
  recusal,
  settings,
  snapshot,
  succession,
  timelockCall,
  timelockOperation,
  timelockRole,
  vote,
} from "ponder:schema";

const ZERO = "0x0000000000000000000000000000000000000000";
const SETTINGS_ID = "firm";
const SUPPORT = ["against", "for", "abstain"] as const;

// ---------------------------------------------------------------------------------------------
// Partnership: members, leaves, grants, equity
// ---------------------------------------------------------------------------------------------

ponder.on("Partnership:MemberAdmitted", async ({ event, context }) => {
  await context.db.insert(member).values({
    id: event.args.account,
    role: event.args.role,
    status: 1, // Active
    memberIndex: event.args.index,
    since: BigInt(event.args.since),
    updatedAt: event.block.timestamp,
  });
});

ponder.on("Partnership:MemberRoleChanged", async ({ event, context }) => {
  await context.db
    .update(member, { id: event.args.account })
    .set({ role: event.args.newRole, updatedAt: event.block.timestamp });
});

ponder.on("Partnership:MemberStatusChanged", async ({ event, context }) => {
  await context.db
    .update(member, { id: event.args.account })
    .set({ status: event.args.newStatus, updatedAt: event.block.timestamp });
});

ponder.on("Partnership:LeaveDeclared", async ({ event, context }) => {
  await context.db.insert(leave).values({
    id: event.args.leaveId,
    partner: event.args.partner,
    cover: event.args.cover,
    from: BigInt(event.args.from),
    until: BigInt(event.args.until),
    endedEarly: false,
  });
});

ponder.on("Partnership:LeaveEnded", async ({ event, context }) => {
  await context.db
    .update(leave, { id: event.args.leaveId })
    .set({ until: BigInt(event.args.at), endedEarly: true });
});

ponder.on("Partnership:GrantCreated", async ({ event, context }) => {
  await context.db.insert(grant).values({
    id: event.args.grantId,
    beneficiary: event.args.beneficiary,
    units: event.args.units,
    released: 0n,
    start: BigInt(event.args.start),
    cliffEnd: BigInt(event.args.cliffEnd),
    end: BigInt(event.args.end),
  });
});

ponder.on("Partnership:GrantReleased", async ({ event, context }) => {
  await context.db.update(grant, { id: event.args.grantId }).set({ released: event.args.totalReleased });
});

ponder.on("Partnership:GrantRevoked", async ({ event, context }) => {
  await context.db
    .update(grant, { id: event.args.grantId })
    .set({ revokedAt: BigInt(event.args.at), forfeited: event.args.forfeited });
});

ponder.on("Partnership:Transfer", async ({ event, context }) => {
  // Units only appear (release) or disappear (buy-back burn): one side is always the zero address.
  const { from, to, value } = event.args;
  for (const [account, delta] of [
    [to, value],
    [from, -value],
  ] as const) {
    if (account === ZERO) continue;
    const row = await context.db
      .insert(holder)
      .values({ id: account, balance: delta, votes: 0n })
      .onConflictDoUpdate((h) => ({ balance: h.balance + delta }));
    await context.db.insert(equityChange).values({
      id: `${event.id}-balance-${account}`,
      account,
      kind: "balance",
      delta,
      value: row.balance,
      blockNumber: event.block.number,
      timestamp: event.block.timestamp,
    });
  }
});

ponder.on("Partnership:DelegateVotesChanged", async ({ event, context }) => {
  const { delegate: account, previousVotes, newVotes } = event.args;
  await context.db
    .insert(holder)
    .values({ id: account, balance: 0n, votes: newVotes })
    .onConflictDoUpdate({ votes: newVotes });
  await context.db.insert(equityChange).values({
    id: `${event.id}-votes`,
    account,
    kind: "votes",
    delta: newVotes - previousVotes,
    value: newVotes,
    blockNumber: event.block.number,
    timestamp: event.block.timestamp,
  });
});

ponder.on("Partnership:SnapshotTaken", async ({ event, context }) => {
  await context.db
    .insert(snapshot)
    .values({ id: event.args.snapshotId, totalSupply: event.args.totalSupply, at: BigInt(event.args.at) });
});

ponder.on("Partnership:UnitsBoughtBack", async ({ event, context }) => {
  await context.db.insert(buyback).values({
    id: event.id,
    account: event.args.account,
    kind: "bought",
    units: event.args.amount,
    token: event.args.token,
    amount: event.args.price,
  });
});

ponder.on("Partnership:BuybackPaid", async ({ event, context }) => {
  await context.db.insert(buyback).values({
    id: event.id,
    account: event.args.account,
    kind: "paid",
    token: event.args.token,
    amount: event.args.amount,
  });
});

// ---------------------------------------------------------------------------------------------
// Practices
// ---------------------------------------------------------------------------------------------

ponder.on("Practices:PracticeCreated", async ({ event, context }) => {
  await context.db.insert(practice).values({
    id: event.args.practiceId,
    slug: event.args.slug,
    name: event.args.name,
    lead: event.args.lead,
    active: true,
    createdAt: BigInt(event.args.at),
    memberCount: 0,
  });
});

ponder.on("Practices:PracticeSunset", async ({ event, context }) => {
  await context.db.update(practice, { id: event.args.practiceId }).set({ active: false });
});

ponder.on("Practices:PracticeLeadChanged", async ({ event, context }) => {
  await context.db.update(practice, { id: event.args.practiceId }).set({ lead: event.args.newLead });
});

ponder.on("Practices:PracticeMemberSet", async ({ event, context }) => {
  const key = { practiceId: event.args.practiceId, account: event.args.account };
  // A role change keeps the seat (and its `since`); only a new seat counts as a new member.
  const existing = await context.db.find(practiceMember, key);
  if (existing) {
    await context.db.update(practiceMember, key).set({ role: event.args.role });
    return;
  }
  await context.db.insert(practiceMember).values({ ...key, role: event.args.role, since: BigInt(event.args.at) });
  await context.db
    .update(practice, { id: event.args.practiceId })
    .set((p) => ({ memberCount: p.memberCount + 1 }));
});

ponder.on("Practices:PracticeMemberRemoved", async ({ event, context }) => {
  await context.db.delete(practiceMember, { practiceId: event.args.practiceId, account: event.args.account });
  await context.db
    .update(practice, { id: event.args.practiceId })
    .set((p) => ({ memberCount: p.memberCount - 1 }));
});

ponder.on("Practices:Succession", async ({ event, context }) => {
  await context.db.insert(succession).values({
    id: event.id,
    partner: event.args.partner,
    successor: event.args.successor,
    practiceId: event.args.practiceId,
    at: BigInt(event.args.at),
  });
});

// ---------------------------------------------------------------------------------------------
// Revenue share
// ---------------------------------------------------------------------------------------------

ponder.on("RevenueShare:DistributionCreated", async ({ event, context }) => {
  await context.db.insert(distribution).values({
    id: event.args.distributionId,
    token: event.args.token,
    amount: event.args.amount,
    snapshotId: event.args.snapshotId,
    supplyAtSnapshot: event.args.supplyAtSnapshot,
    claimDeadline: BigInt(event.args.claimDeadline),
    claimed: 0n,
  });
});

ponder.on("RevenueShare:DistributionClaimed", async ({ event, context }) => {
  await context.db.insert(claim).values({
    distributionId: event.args.distributionId,
    holder: event.args.holder,
    amount: event.args.amount,
    timestamp: event.block.timestamp,
  });
  await context.db
    .update(distribution, { id: event.args.distributionId })
    .set((d) => ({ claimed: d.claimed + event.args.amount }));
});

ponder.on("RevenueShare:DistributionReclaimed", async ({ event, context }) => {
  await context.db.update(distribution, { id: event.args.distributionId }).set({ reclaimed: event.args.amount });
});

ponder.on("RevenueShare:ClaimWindowChanged", async ({ event, context }) => {
  const claimWindow = BigInt(event.args.newWindow);
  await context.db.insert(settings).values({ id: SETTINGS_ID, claimWindow }).onConflictDoUpdate({ claimWindow });
});

// ---------------------------------------------------------------------------------------------
// Governor
// ---------------------------------------------------------------------------------------------

ponder.on("Governor:ProposalCreated", async ({ event, context }) => {
  const a = event.args;
  await context.db.insert(proposal).values({
    id: a.proposalId,
    proposer: a.proposer,
    targets: [...a.targets],
    values: a.values.map(String),
    calldatas: [...a.calldatas],
    description: a.description,
    voteStart: a.voteStart,
    voteEnd: a.voteEnd,
    createdBlock: event.block.number,
    createdAt: event.block.timestamp,
    status: "pending",
    againstEquity: 0n,
    forEquity: 0n,
    abstainEquity: 0n,
    againstHeads: 0,
    forHeads: 0,
    abstainHeads: 0,
  });
});

ponder.on("Governor:ProposalQueued", async ({ event, context }) => {
  await context.db
    .update(proposal, { id: event.args.proposalId })
    .set({ status: "queued", eta: event.args.etaSeconds });
});

ponder.on("Governor:ProposalExecuted", async ({ event, context }) => {
  await context.db.update(proposal, { id: event.args.proposalId }).set({ status: "executed" });
});

ponder.on("Governor:ProposalCanceled", async ({ event, context }) => {
  await context.db.update(proposal, { id: event.args.proposalId }).set({ status: "canceled" });
});

ponder.on("Governor:VoteCast", async ({ event, context }) => {
  const { voter, proposalId, support, weight, reason } = event.args;
  await context.db.insert(vote).values({
    proposalId,
    voter,
    support,
    weight,
    reason,
    blockNumber: event.block.number,
    timestamp: event.block.timestamp,
  });
  // One head per call here; a cover's second ballot is added by VoteCastByCover, emitted next.
  const side = SUPPORT[support];
  await context.db.update(proposal, { id: proposalId }).set((p) =>
    side === "for"
      ? { forEquity: p.forEquity + weight, forHeads: p.forHeads + 1 }
      : side === "against"
        ? { againstEquity: p.againstEquity + weight, againstHeads: p.againstHeads + 1 }
        : { abstainEquity: p.abstainEquity + weight, abstainHeads: p.abstainHeads + 1 },
  );
});

ponder.on("Governor:VoteCastByCover", async ({ event, context }) => {
  const { proposalId, cover, partner, support, weight, alsoSelf } = event.args;
  await context.db
    .update(vote, { proposalId, voter: cover })
    .set({ coveredPartner: partner, coveredWeight: weight });
  // VoteCast counted one head for the call: add the second only when the cover also voted for itself.
  if (!alsoSelf) return;
  const side = SUPPORT[support];
  await context.db.update(proposal, { id: proposalId }).set((p) =>
    side === "for"
      ? { forHeads: p.forHeads + 1 }
      : side === "against"
        ? { againstHeads: p.againstHeads + 1 }
        : { abstainHeads: p.abstainHeads + 1 },
  );
});

ponder.on("Governor:VoterRecused", async ({ event, context }) => {
  const { proposalId, subject } = event.args;
  await context.db.insert(recusal).values({ proposalId, subject }).onConflictDoNothing();
  await context.db.update(proposal, { id: proposalId }).set((p) => (p.subject ? {} : { subject }));
});

ponder.on("Governor:QuorumChanged", async ({ event, context }) => {
  const values = { equityQuorumBps: event.args.newEquityBps, headcountQuorumBps: event.args.newHeadcountBps };
  await context.db.insert(settings).values({ id: SETTINGS_ID, ...values }).onConflictDoUpdate(values);
});

ponder.on("Governor:VotingDelaySet", async ({ event, context }) => {
  const votingDelay = event.args.newVotingDelay;
  await context.db.insert(settings).values({ id: SETTINGS_ID, votingDelay }).onConflictDoUpdate({ votingDelay });
});

ponder.on("Governor:VotingPeriodSet", async ({ event, context }) => {
  const votingPeriod = event.args.newVotingPeriod;
  await context.db.insert(settings).values({ id: SETTINGS_ID, votingPeriod }).onConflictDoUpdate({ votingPeriod });
});

ponder.on("Governor:GracePeriodSet", async ({ event, context }) => {
  const gracePeriod = event.args.newGracePeriod;
  await context.db.insert(settings).values({ id: SETTINGS_ID, gracePeriod }).onConflictDoUpdate({ gracePeriod });
});

// ---------------------------------------------------------------------------------------------
// Timelock
// ---------------------------------------------------------------------------------------------

ponder.on("Timelock:CallScheduled", async ({ event, context }) => {
  const a = event.args;
  await context.db.insert(timelockCall).values({
    id: `${a.id}-${a.index}`,
    operationHash: a.id,
    index: a.index,
    target: a.target,
    value: a.value,
    delay: a.delay,
    scheduledAt: event.block.timestamp,
  });
});

ponder.on("Timelock:CallExecuted", async ({ event, context }) => {
  await context.db
    .update(timelockCall, { id: `${event.args.id}-${event.args.index}` })
    .set({ executedAt: event.block.timestamp });
});

ponder.on("Timelock:CallSalt", async ({ event, context }) => {
  await context.db
    .insert(timelockOperation)
    .values({ id: event.args.id, salt: event.args.salt, cancelled: false })
    .onConflictDoUpdate({ salt: event.args.salt });
});

ponder.on("Timelock:Cancelled", async ({ event, context }) => {
  await context.db
    .insert(timelockOperation)
    .values({ id: event.args.id, cancelled: true })
    .onConflictDoUpdate({ cancelled: true });
});

ponder.on("Timelock:MinDelayChange", async ({ event, context }) => {
  const timelockMinDelay = event.args.newDuration;
  await context.db
    .insert(settings)
    .values({ id: SETTINGS_ID, timelockMinDelay })
    .onConflictDoUpdate({ timelockMinDelay });
});

ponder.on("Timelock:RoleGranted", async ({ event, context }) => {
  await context.db
    .insert(timelockRole)
    .values({ role: event.args.role, account: event.args.account, granted: true })
    .onConflictDoUpdate({ granted: true });
});

ponder.on("Timelock:RoleRevoked", async ({ event, context }) => {
  await context.db
    .insert(timelockRole)
    .values({ role: event.args.role, account: event.args.account, granted: false })
    .onConflictDoUpdate({ granted: false });
});

ponder.on("Timelock:RoleAdminChanged", async ({ event, context }) => {
  // Recorded on the role's row for the zero account: the admin role belongs to the role, not to anyone.
  await context.db
    .insert(timelockRole)
    .values({ role: event.args.role, account: ZERO, granted: false, adminRole: event.args.newAdminRole })
    .onConflictDoUpdate({ adminRole: event.args.newAdminRole });
});
