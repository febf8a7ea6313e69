// Which chain events are news, and what they say: one entry per (contract, event) that issue 15 lists,
// run by the store over a range's events after the handlers (so the mirror's rows are the range's
// final state) and written in the range's own transaction. An event may also set a time at which a
// notification falls due (a vote's end, a grant's cliff, a leave's start and end): that becomes a row of
// notification_schedule, fired by ./fireDueNotifications.ts when the chain's time reaches it.
import { enumName, MEMBER_STATUSES, ROLES } from "../decode/enums.ts";
import type { ContractName, EventName, FirmLog } from "../decode/logs.ts";
import type { HandlerContext, HandlerEvent } from "../handlers/context.ts";
import type { ChangeAt } from "../store/entities.ts";
import type { notificationSchedule } from "../store/schema.ts";
import type { OutboxEntry } from "./enqueueNotification.ts";
import { formatChainTime, type NotificationKind } from "./notification.ts";
import { notificationId } from "./notificationId.ts";
import type { SubscribedKinds } from "./subscribedKinds.ts";

/** What a scheduled row fires as: a notification kind, or a vote's outcome (decided when it fires). */
export type ScheduledKind =
  | "proposal.voting_ends_soon"
  | "proposal.outcome"
  | "grant.cliff_reached"
  | "leave.started"
  | "leave.ended";

/** A row of notification_schedule as an event sets it (waiting: not fired yet). */
export type ScheduleEntry = typeof notificationSchedule.$inferSelect & {
  kind: ScheduledKind;
  firedBlock: null;
};

/** One event's news: notifications now, and notifications at a later time. */
interface Announcement {
  notify?: { kind: NotificationKind; data: Record<string, unknown> }[];
  schedule?: { kind: ScheduledKind; subject: bigint | number; dueAt: number }[];
}

type Announcer<C extends ContractName, N extends EventName<C>> = (
  event: HandlerEvent<C, N>,
  ctx: HandlerContext,
) => Announcement;

type Announcers = { [C in ContractName]?: { [N in EventName<C>]?: Announcer<C, N> } };

/** How long before a vote's end the reminder goes out. */
export const REMINDER_BEFORE_END_SECONDS = 86_400;

const ANNOUNCERS: Announcers = {
  governor: {
    ProposalCreated({ args }, ctx) {
      const proposal = ctx.proposals.require(String(args.proposalId));
      const schedule: NonNullable<Announcement["schedule"]> = [
        // The governor reads Defeated or Succeeded once the time is past voteEnd.
        { kind: "proposal.outcome", subject: args.proposalId, dueAt: proposal.voteEnd + 1 },
      ];
      // A vote shorter than the reminder's lead time has no "ends in 24 hours" moment: its creation is the news.
      const reminderAt = proposal.voteEnd - REMINDER_BEFORE_END_SECONDS;
      if (reminderAt > proposal.voteStart)
        schedule.push({ kind: "proposal.voting_ends_soon", subject: args.proposalId, dueAt: reminderAt });
      return {
        notify: [
          {
            kind: "proposal.created",
            data: {
              summary: `${proposal.title} (proposal ${args.proposalId}), voting until ${formatChainTime(proposal.voteEnd)}`,
              proposalId: args.proposalId.toString(),
              title: proposal.title,
              proposer: proposal.proposer,
              voteStart: proposal.voteStart,
              voteEnd: proposal.voteEnd,
            },
          },
        ],
        schedule,
      };
    },
    ProposalQueued({ args }, ctx) {
      const proposal = ctx.proposals.require(String(args.proposalId));
      return {
        notify: [
          {
            kind: "proposal.queued",
            data: {
              summary: `${proposal.title} (proposal ${args.proposalId}) can be executed from ${formatChainTime(args.etaSeconds)}`,
              proposalId: args.proposalId.toString(),
              title: proposal.title,
              eta: Number(args.etaSeconds),
            },
          },
        ],
      };
    },
    ProposalExecuted({ args }, ctx) {
      const proposal = ctx.proposals.require(String(args.proposalId));
      return {
        notify: [
          {
            kind: "proposal.executed",
            data: {
              summary: `${proposal.title} (proposal ${args.proposalId}) was executed`,
              proposalId: args.proposalId.toString(),
              title: proposal.title,
            },
          },
        ],
      };
    },
  },
  partnership: {
    MemberAdmitted({ args }) {
      const role = enumName(ROLES, args.role, "role");
      return {
        notify: [
          {
            kind: "member.admitted",
            data: {
              summary: `${args.account} joined as ${role}`,
              member: args.account,
              role,
              since: args.since,
            },
          },
        ],
      };
    },
    MemberStatusChanged({ args }) {
      const status = enumName(MEMBER_STATUSES, args.newStatus, "member status");
      const kind = status === "Retired" ? "member.retired" : status === "Removed" ? "member.removed" : null;
      if (!kind) return {};
      const verb = kind === "member.retired" ? "retired" : "was removed from the firm";
      return {
        notify: [{ kind, data: { summary: `${args.account} ${verb}`, member: args.account, at: args.at } }],
      };
    },
    LeaveDeclared({ args }) {
      return {
        schedule: [
          // Due at once when the leave starts now: the scheduler fires it in this same range.
          { kind: "leave.started", subject: args.leaveId, dueAt: Number(args.from) },
          { kind: "leave.ended", subject: args.leaveId, dueAt: Number(args.until) },
        ],
      };
    },
    LeaveEnded({ args }, ctx) {
      const leave = ctx.leaves.require(String(args.leaveId));
      // Ended before it began: nobody was away, and the scheduled start and end say nothing either.
      if (Number(args.at) <= leave.fromAt) return {};
      return {
        notify: [
          {
            kind: "leave.ended",
            data: {
              summary: `${args.partner} is back from leave (ended early)`,
              partner: args.partner,
              cover: args.cover,
              leaveId: args.leaveId.toString(),
              endedAt: args.at,
            },
          },
        ],
      };
    },
    CoverAccepted({ args }) {
      return {
        notify: [
          {
            kind: "cover.accepted",
            data: {
              summary: `${args.cover} now holds ${args.partner}'s ballot while they are on leave`,
              partner: args.partner,
              cover: args.cover,
              leaveId: args.leaveId.toString(),
              at: args.at,
            },
          },
        ],
      };
    },
    GrantCreated({ args }) {
      // A grant with no cliff vests from its start: there is no cliff to announce.
      if (args.cliffEnd <= args.start) return {};
      return {
        schedule: [{ kind: "grant.cliff_reached", subject: args.grantId, dueAt: Number(args.cliffEnd) }],
      };
    },
  },
  revenueShare: {
    DistributionCreated({ args }) {
      return {
        notify: [
          {
            kind: "distribution.created",
            data: {
              summary: `Distribution ${args.distributionId}: ${args.amount} of ${args.token} to equity holders, claimable until ${formatChainTime(args.claimDeadline)}`,
              distributionId: args.distributionId.toString(),
              token: args.token,
              amount: args.amount.toString(),
              claimDeadline: args.claimDeadline,
            },
          },
        ],
      };
    },
  },
  books: {
    PoolCreated({ args }, ctx) {
      const practice = ctx.practices.get(args.practiceId);
      const name = practice ? practice.slug : args.practiceId;
      return {
        notify: [
          {
            kind: "distribution.created",
            data: {
              summary: `Practice pool ${args.poolId} for ${name}: ${args.amount} of ${args.token} to its members, claimable until ${formatChainTime(args.claimDeadline)}`,
              poolId: args.poolId.toString(),
              practice: name,
              month: args.month,
              token: args.token,
              amount: args.amount.toString(),
              claimDeadline: args.claimDeadline,
            },
          },
        ],
      };
    },
  },
};

export interface Announcements {
  notifications: OutboxEntry[];
  schedule: ScheduleEntry[];
}

export interface AnnounceParameters {
  chainId: number;
  /** Events older than this (unix seconds) announce nothing now: a backfill does not page the firm about last year. */
  notBefore: number;
  /** Kinds nobody subscribes to are not built (./subscribedKinds.ts). */
  subscribed: SubscribedKinds;
}

/**
 * The notifications and schedule rows of a range's events, in chain order.
 *
 * @example
 * const { notifications, schedule } = announceEvents(events, ctx, { chainId: 31337, notBefore: now - 86_400, subscribed });
 */
export function announceEvents(
  events: readonly { event: FirmLog; at: ChangeAt }[],
  ctx: HandlerContext,
  { chainId, notBefore, subscribed }: AnnounceParameters,
): Announcements {
  const notifications: OutboxEntry[] = [];
  const schedule: ScheduleEntry[] = [];
  for (const { event, at } of events) {
    const announcer = (ANNOUNCERS[event.contract] as Record<string, Announcer<never, never>> | undefined)?.[
      event.eventName
    ];
    if (!announcer) continue;
    const announcement = announcer({ args: event.args as never, at, log: event.log } as never, ctx);
    // Scheduled rows are kept whatever their age: the scheduler applies the same horizon when they fall due.
    for (const entry of announcement.schedule ?? [])
      schedule.push({
        blockNumber: at.blockNumber,
        logIndex: at.logIndex,
        ...entry,
        subject: String(entry.subject),
        firedBlock: null,
      });
    if (at.blockTimestamp < notBefore) continue;
    for (const { kind, data } of announcement.notify ?? []) {
      if (!subscribed.has(kind)) continue;
      notifications.push({
        eventId: notificationId({
          chainId,
          blockNumber: at.blockNumber,
          blockHash: event.log.blockHash,
          position: at.logIndex,
          kind,
        }),
        kind,
        occurredAt: at.blockTimestamp,
        data: jsonSafe(data),
        blockNumber: at.blockNumber,
      });
    }
  }
  return { notifications, schedule };
}

/** Webhook bodies are JSON: a bigint that slipped through (uint256 ids, amounts) becomes a decimal string. */
export function jsonSafe(data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(data).map(([key, value]) => [key, typeof value === "bigint" ? value.toString() : value]),
  );
}
