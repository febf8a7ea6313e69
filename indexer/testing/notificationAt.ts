// A notification as if a chain event at `blockNumber` had produced it, for the webhook suites that
// write the outbox directly (the indexer's own notifications are tested in notify/notifications.test.ts).
// Not a test file.
import type { Notification, NotificationKind } from "../notify/notification.ts";
import { notificationId } from "../notify/notificationId.ts";

/**
 * A `kind` notification (proposal.created unless said) of block `blockNumber`, with a summary and `data`.
 *
 * @example
 * await enqueueNotification(db, notificationAt(7)); // id "evt_31337_7_00_0_proposal.created"
 */
export function notificationAt(
  blockNumber: number,
  { kind = "proposal.created", data = {} }: { kind?: NotificationKind; data?: Record<string, unknown> } = {},
): Notification {
  return {
    eventId: notificationId({ chainId: 31337, blockNumber, blockHash: "0x00", position: 0, kind }),
    kind,
    occurredAt: 1_796_000_000 + blockNumber,
    data: { summary: `${kind} at block ${blockNumber}`, proposalId: String(blockNumber), ...data },
  };
}
