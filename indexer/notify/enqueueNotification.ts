// Writes a notification to the outbox and fans it out to every enabled endpoint subscribed to its
// kind, in the caller's transaction: the range that produced it commits it, or neither exists.
import { sql } from "drizzle-orm";
import { run, type SqlExecutor } from "../store/sql.ts";
import type { Notification } from "./notification.ts";

/**
 * Adds `notification` to the outbox with one pending delivery per subscribed endpoint. Writing the
 * same event id again (a range applied twice, a re-index) changes nothing and sends nothing twice.
 *
 * @example
 * await db.transaction(async (tx) => {
 *   await enqueueNotification(tx, { eventId, kind: "member.admitted", occurredAt, data: { member } });
 * });
 */
export async function enqueueNotification(executor: SqlExecutor, notification: Notification): Promise<void> {
  const { eventId, kind, occurredAt, data } = notification;
  await run(
    executor,
    sql`INSERT INTO notifications (event_id, kind, occurred_at, payload)
        VALUES (${eventId}, ${kind}, ${occurredAt}, ${JSON.stringify(data)}::jsonb)
        ON CONFLICT (event_id) DO NOTHING`,
  );
  await run(
    executor,
    sql`INSERT INTO webhook_deliveries (event_id, endpoint_id, state)
        SELECT ${eventId}, id, 'pending' FROM webhook_endpoints
        WHERE enabled AND (${kind} = ANY(events) OR '*' = ANY(events))
        ON CONFLICT (event_id, endpoint_id) DO NOTHING`,
  );
}
