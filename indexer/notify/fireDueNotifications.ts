// The scheduler: notifications that fall due at a time, not with an event. Each range, once its rows
// are written, fires the schedule rows its last block's time has reached, in the range's transaction.
// Chain time is the right clock: the governor's own states (Active, then Defeated or Succeeded) move
// with block time and no event, so a notification on block time says what the chain says. The rows
// and their "fired" marks live in the mirror, so a restart resumes where the last commit left off, and
// a rollback below the firing block re-arms them (./retractNotifications.ts).
import { eq, sql } from "drizzle-orm";
import { grants, leaves, proposals } from "../store/schema.ts";
import { queryRows, run, type Transaction } from "../store/sql.ts";
import type { BlockRef } from "../store/types.ts";
import { proposalBases, proposalPassed } from "../store/views.ts";
import type { ScheduledKind } from "./announceEvents.ts";
import { enqueueNotifications, type OutboxEntry } from "./enqueueNotification.ts";
import { formatChainTime, type NotificationKind } from "./notification.ts";
import { notificationId } from "./notificationId.ts";
import type { SubscribedKinds } from "./subscribedKinds.ts";

interface DueRow extends Record<string, unknown> {
  block_number: string | number;
  log_index: number;
  kind: ScheduledKind;
  subject: string;
  due_at: string | number;
}

export interface FireParameters {
  chainId: number;
  /** The range's last block: its time decides what is due, and it records what fires. */
  block: BlockRef;
  /** Rows that fell due before this (unix seconds) are marked fired without a word: old news. */
  notBefore: number;
  /** Rows of kinds nobody subscribes to are marked fired without being built (./subscribedKinds.ts). */
  subscribed: SubscribedKinds;
}

/** The kinds a schedule row may fire as: an outcome is built when either of its kinds is wanted. */
const FIRES_AS: Record<ScheduledKind, NotificationKind[]> = {
  "proposal.voting_ends_soon": ["proposal.voting_ends_soon"],
  "proposal.outcome": ["proposal.succeeded", "proposal.defeated"],
  "grant.cliff_reached": ["grant.cliff_reached"],
  "leave.started": ["leave.started"],
  "leave.ended": ["leave.ended"],
};

/** At most this many partners are named in a reminder's summary line; the full list is in `notVoted`. */
const NAMED_IN_SUMMARY = 20;

type Built = { kind: NotificationKind; data: Record<string, unknown> } | null;

/**
 * Fires every waiting schedule row due by `block`'s time and returns how many notifications it wrote.
 * One indexed read when nothing is due (most ranges).
 *
 * @example
 * await fireDueNotifications(tx, { chainId: 31337, block: range.toBlock, notBefore: now - 86_400, subscribed });
 */
export async function fireDueNotifications(
  tx: Transaction,
  { chainId, block, notBefore, subscribed }: FireParameters,
) {
  const now = Number(block.timestamp);
  const markFired = sql`UPDATE notification_schedule SET fired_block = ${Number(block.number)}
        WHERE fired_block IS NULL AND due_at <= ${now}`;
  // Nobody listens: mark what came due, so a later subscriber is not sent stale news, in one statement.
  if (subscribed.none) {
    await run(tx, markFired);
    return 0;
  }
  const due = await queryRows<DueRow>(
    tx,
    sql`SELECT block_number, log_index, kind, subject, due_at FROM notification_schedule
        WHERE fired_block IS NULL AND due_at <= ${now}
        ORDER BY due_at, block_number, log_index, kind`,
  );
  if (due.length === 0) return 0;
  const entries: OutboxEntry[] = [];
  for (const row of due) {
    const dueAt = Number(row.due_at);
    if (dueAt < notBefore || !FIRES_AS[row.kind].some((kind) => subscribed.has(kind))) continue;
    const built = await BUILDERS[row.kind](tx, row.subject, now);
    if (!built || !subscribed.has(built.kind)) continue;
    entries.push({
      eventId: notificationId({
        chainId,
        blockNumber: Number(block.number),
        blockHash: block.hash,
        position: `${row.block_number}.${row.log_index}`,
        kind: built.kind,
      }),
      kind: built.kind,
      occurredAt: dueAt,
      data: built.data,
      blockNumber: Number(block.number),
    });
  }
  await run(tx, markFired);
  await enqueueNotifications(tx, entries);
  return entries.length;
}

const BUILDERS: Record<ScheduledKind, (tx: Transaction, subject: string, now: number) => Promise<Built>> = {
  async "proposal.voting_ends_soon"(tx, subject, now) {
    const proposal = await proposalOf(tx, subject);
    // Canceled, or the chain was already past the deadline when it got here: nothing to remind of.
    if (!proposal || proposal.canceledAt !== null || now > proposal.voteEnd) return null;
    const notVoted = await partnersWhoHaveNotVoted(
      tx,
      proposal.proposalId,
      proposal.snapshot,
      proposal.subject,
    );
    if (notVoted.length === 0) return null;
    const named = notVoted.slice(0, NAMED_IN_SUMMARY).join(", ");
    const more = notVoted.length > NAMED_IN_SUMMARY ? ` and ${notVoted.length - NAMED_IN_SUMMARY} more` : "";
    return {
      kind: "proposal.voting_ends_soon",
      data: {
        summary: `Voting on ${proposal.title} (proposal ${subject}) ends at ${formatChainTime(proposal.voteEnd)}. Not voted yet: ${named}${more}`,
        proposalId: subject,
        title: proposal.title,
        voteEnd: proposal.voteEnd,
        notVotedCount: notVoted.length,
        notVoted,
      },
    };
  },
  async "proposal.outcome"(tx, subject) {
    const proposal = await proposalOf(tx, subject);
    if (!proposal || proposal.canceledAt !== null) return null;
    const passed = proposalPassed(proposal, await proposalBases(tx, proposal));
    const tally = `For ${proposal.forHeads}, Against ${proposal.againstHeads}, Abstain ${proposal.abstainHeads}`;
    return {
      kind: passed ? "proposal.succeeded" : "proposal.defeated",
      data: {
        summary: `${proposal.title} (proposal ${subject}) ${passed ? "passed" : "was defeated"}: ${tally}`,
        proposalId: subject,
        title: proposal.title,
        forEquity: proposal.forEquity.toString(),
        againstEquity: proposal.againstEquity.toString(),
        abstainEquity: proposal.abstainEquity.toString(),
        forHeads: proposal.forHeads,
        againstHeads: proposal.againstHeads,
        abstainHeads: proposal.abstainHeads,
      },
    };
  },
  async "grant.cliff_reached"(tx, subject) {
    const [grant] = await tx
      .select()
      .from(grants)
      .where(eq(grants.grantId, BigInt(subject)));
    // Revoked before its cliff: nothing ever vested.
    if (!grant || (grant.revokedAt !== null && grant.revokedAt < grant.cliffEnd)) return null;
    return {
      kind: "grant.cliff_reached",
      data: {
        summary: `Grant ${subject} to ${grant.beneficiary} passed its cliff: its vested units can now be released`,
        grantId: subject,
        beneficiary: grant.beneficiary,
        units: grant.units.toString(),
        cliffEnd: grant.cliffEnd,
        endAt: grant.endAt,
      },
    };
  },
  async "leave.started"(tx, subject) {
    const leave = await leaveOf(tx, subject);
    if (!leave || (leave.endedAt !== null && leave.endedAt <= leave.fromAt)) return null;
    return {
      kind: "leave.started",
      data: {
        summary: `${leave.partner} is on leave until ${formatChainTime(leave.untilAt)}; ${leave.cover} is asked to cover their ballot`,
        partner: leave.partner,
        cover: leave.cover,
        leaveId: subject,
        from: leave.fromAt,
        until: leave.untilAt,
      },
    };
  },
  async "leave.ended"(tx, subject) {
    const leave = await leaveOf(tx, subject);
    // Ended early (LeaveEnded sets endedAt, and untilAt to the same time): that end was its own
    // notification, or the leave never began.
    if (!leave || leave.endedAt !== null) return null;
    return {
      kind: "leave.ended",
      data: {
        summary: `${leave.partner} is back from leave`,
        partner: leave.partner,
        cover: leave.cover,
        leaveId: subject,
        endedAt: leave.untilAt,
      },
    };
  },
};

/** The proposal a schedule row is about (its subject is the id in decimal). */
async function proposalOf(tx: Transaction, subject: string) {
  const [proposal] = await tx
    .select()
    .from(proposals)
    .where(eq(proposals.proposalId, BigInt(subject)));
  return proposal;
}

/** The leave a schedule row is about. */
async function leaveOf(tx: Transaction, subject: string) {
  const [leave] = await tx
    .select()
    .from(leaves)
    .where(eq(leaves.leaveId, Number(subject)));
  return leave;
}

/**
 * The partners whose ballot on the proposal is still uncast: partners at its snapshot (on leave or
 * not: a cover votes on their ballot), less the recused, in admission order.
 */
async function partnersWhoHaveNotVoted(
  tx: Transaction,
  proposalId: bigint,
  snapshot: number,
  subject: string | null,
): Promise<string[]> {
  const rows = await queryRows<{ address: string }>(
    tx,
    sql`SELECT m.address FROM members m
        WHERE m.partner_since <= ${snapshot} AND (m.partner_until IS NULL OR m.partner_until > ${snapshot})
          AND m.address IS DISTINCT FROM ${subject}
          AND NOT EXISTS (SELECT 1 FROM votes v WHERE v.proposal_id = ${proposalId} AND v.voter = m.address)
          AND NOT EXISTS (SELECT 1 FROM recusals r WHERE r.proposal_id = ${proposalId} AND r.subject = m.address)
        ORDER BY m.member_index`,
  );
  return rows.map((row) => row.address);
}
