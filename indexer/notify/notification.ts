// What a notification is, the kinds there are (issue 15's list) and the words each is announced with.
// The worker (./deliveryWorker.ts) lives in the indexer because the outbox is the mirror's: the range
// that produces a notification writes it in its own transaction, and the worker needs nothing above
// the store (no API, no CLI), so the layering scripts -> api -> indexer stays acyclic.

/** Every kind of notification, with the title chat formats show. A new kind joins this list. */
export const NOTIFICATION_KINDS = {
  "proposal.created": "New proposal",
  "proposal.voting_ends_soon": "Voting ends in 24 hours",
  "proposal.succeeded": "Proposal succeeded",
  "proposal.defeated": "Proposal defeated",
  "proposal.queued": "Proposal queued",
  "proposal.executed": "Proposal executed",
  "member.admitted": "Member admitted",
  "member.retired": "Member retired",
  "member.removed": "Member removed",
  "leave.started": "Leave started",
  "leave.ended": "Leave ended",
  "cover.accepted": "Cover accepted",
  "grant.cliff_reached": "Grant cliff reached",
  "distribution.created": "Distribution created",
  /**
   * Not one of the firm's events: a correction, sent to every endpoint an earlier notification
   * reached when a reorg removed the block it came from (./retractNotifications.ts).
   */
  "notification.retracted": "Correction: an earlier notification is withdrawn",
} as const;

export type NotificationKind = keyof typeof NOTIFICATION_KINDS;

/** Whether `kind` is one of NOTIFICATION_KINDS. */
export function isNotificationKind(kind: string): kind is NotificationKind {
  return Object.hasOwn(NOTIFICATION_KINDS, kind);
}

/** One notification as the outbox holds it. */
export interface Notification {
  /** Deterministic (./notificationId.ts): the Standard Webhooks `webhook-id`. */
  eventId: string;
  kind: NotificationKind;
  /** Unix seconds (the block's time for a chain event). */
  occurredAt: number;
  /**
   * Plain JSON, no bigint. `summary`, when a string, is the one line chat formats lead with; every
   * other scalar is listed as a fact.
   */
  data: Record<string, unknown>;
}

/** The formats an endpoint can ask for, one formatter each (./formatRaw.ts, ./formatSlack.ts, ./formatTeams.ts). */
export const WEBHOOK_FORMATS = ["raw", "slack", "teams"] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** The title and facts that the chat formats show, shared so Slack and Teams say the same. */
export function describeNotification(notification: Notification): {
  title: string;
  summary: string | undefined;
  facts: { name: string; value: string }[];
} {
  const { summary, ...rest } = notification.data;
  const facts = Object.entries(rest)
    .filter(([, value]) => value !== null && value !== undefined && typeof value !== "object")
    .map(([name, value]) => ({ name, value: String(value) }));
  return {
    title: NOTIFICATION_KINDS[notification.kind],
    summary: typeof summary === "string" ? summary : undefined,
    facts,
  };
}

/** Unix seconds as ISO 8601 without milliseconds, as the summary lines chats show write a time. */
export function formatChainTime(seconds: number | bigint): string {
  return new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");
}
