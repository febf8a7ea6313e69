// Writes notifications to the outbox and fans each out to every enabled endpoint subscribed to its
// kind, in the caller's transaction: the range that produced them commits them, or none exists.
import { sql } from "drizzle-orm";
import { run, type SqlExecutor } from "../store/sql.ts";
import type { Notification } from "./notification.ts";

/** A notification as the outbox records it: with the block that produced it (null: no reorg takes it back). */
export interface OutboxEntry extends Notification {
  blockNumber: number | null;
}

/**
 * Adds `entries` to the outbox with one pending delivery per subscribed endpoint, in two statements
 * whatever their number (a backfill range may produce hundreds). Writing an event id again (a test
 * that replays a range) changes nothing and sends nothing twice.
 *
 * @example
 * await db.transaction(async (tx) => {
 *   await enqueueNotifications(tx, [{ eventId, kind: "member.admitted", occurredAt, data: { member }, blockNumber }]);
 * });
 */
export async function enqueueNotifications(
  executor: SqlExecutor,
  entries: readonly OutboxEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  const rows = JSON.stringify(
    entries.map((entry) => ({
      event_id: entry.eventId,
      kind: entry.kind,
      occurred_at: entry.occurredAt,
      payload: entry.data,
      block_number: entry.blockNumber,
    })),
  );
  await run(
    executor,
    sql`INSERT INTO notifications (event_id, kind, occurred_at, payload, block_number)
        SELECT event_id, kind, occurred_at, payload, block_number
        FROM jsonb_to_recordset(${rows}::jsonb)
          AS n(event_id text, kind text, occurred_at bigint, payload jsonb, block_number bigint)
        ON CONFLICT (event_id) DO NOTHING`,
  );
  await run(
    executor,
    sql`INSERT INTO webhook_deliveries (event_id, endpoint_id, state)
        SELECT n.event_id, e.id, 'pending'
        FROM jsonb_to_recordset(${rows}::jsonb) AS n(event_id text, kind text)
        JOIN webhook_endpoints e ON e.enabled AND (n.kind = ANY(e.events) OR '*' = ANY(e.events))
        ON CONFLICT (event_id, endpoint_id) DO NOTHING`,
  );
}

/** One notification with no block behind it (a test, an operator's message): {@link enqueueNotifications}. */
export function enqueueNotification(executor: SqlExecutor, notification: Notification): Promise<void> {
  return enqueueNotifications(executor, [{ ...notification, blockNumber: null }]);
}
