// The notification's id, which is also its Standard Webhooks `webhook-id` and every receiver's
// idempotency key. It is built from where the notification came from, never from a clock or a random
// source, so a re-index of the same chain produces the same ids and a receiver can drop repeats.
import type { NotificationKind } from "./notification.ts";

export interface NotificationIdParameters {
  chainId: number;
  /** The block and log of the event that caused it (for a scheduled one: the event it follows up). */
  blockNumber: number;
  logIndex: number;
  kind: NotificationKind;
}

/**
 * The deterministic id of a notification: `evt_<chain>_<block>_<log>_<kind>`.
 *
 * @example
 * notificationId({ chainId: 31337, blockNumber: 12, logIndex: 3, kind: "proposal.created" })
 * // "evt_31337_12_3_proposal.created"
 */
export function notificationId({ chainId, blockNumber, logIndex, kind }: NotificationIdParameters): string {
  return `evt_${chainId}_${blockNumber}_${logIndex}_${kind}`;
}
