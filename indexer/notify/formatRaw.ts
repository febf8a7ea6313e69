// The raw format: the Standard Webhooks body, `{type, timestamp, data}`, for receivers of our own.
import type { Notification } from "./notification.ts";

export interface RawWebhookBody {
  type: string;
  /** When it happened, ISO 8601. */
  timestamp: string;
  data: Record<string, unknown>;
}

/**
 * The Standard Webhooks JSON body of `notification`.
 *
 * @example
 * formatRaw({ eventId: "evt_1_2_0_member.admitted", kind: "member.admitted", occurredAt: 0, data: { member: "0xab" } })
 * // { type: "member.admitted", timestamp: "1970-01-01T00:00:00.000Z", data: { member: "0xab" } }
 */
export function formatRaw(notification: Notification): RawWebhookBody {
  return {
    type: notification.kind,
    timestamp: new Date(notification.occurredAt * 1000).toISOString(),
    data: notification.data,
  };
}
