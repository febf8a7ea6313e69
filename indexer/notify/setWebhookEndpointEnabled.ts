// Enables or disables a webhook endpoint (`firm webhooks enable|disable`). A disabled endpoint gets no
// delivery for a notification written meanwhile (enqueueNotification skips it, so enabling it later
// does not replay what it missed), and its deliveries already pending wait, kept: the worker claims
// only for enabled endpoints, so they go out, with their own webhook-ids, once it is enabled again.
// A delivery already in flight when it is disabled finishes.
import { sql } from "drizzle-orm";
import { queryRows, type SqlExecutor } from "../store/sql.ts";

export interface SetWebhookEndpointEnabledReturnType {
  /** Whether it was enabled before. */
  wasEnabled: boolean;
  /** Its deliveries not yet settled (pending or in flight): they wait while it is disabled. */
  pending: number;
}

/**
 * Sets endpoint `id`'s `enabled`; undefined when there is no such endpoint.
 *
 * @example
 * const result = await setWebhookEndpointEnabled(db, 3, false); // { wasEnabled: true, pending: 2 }
 */
export async function setWebhookEndpointEnabled(
  executor: SqlExecutor,
  id: number,
  enabled: boolean,
): Promise<SetWebhookEndpointEnabledReturnType | undefined> {
  const [row] = await queryRows<{ was_enabled: boolean; pending: number }>(
    executor,
    sql`WITH previous AS (SELECT id, enabled FROM webhook_endpoints WHERE id = ${id} FOR UPDATE),
        updated AS (UPDATE webhook_endpoints e SET enabled = ${enabled} FROM previous WHERE e.id = previous.id)
        SELECT previous.enabled AS was_enabled,
          (SELECT count(*)::int FROM webhook_deliveries
           WHERE endpoint_id = ${id} AND state IN ('pending', 'delivering')) AS pending
        FROM previous`,
  );
  return row ? { wasEnabled: row.was_enabled, pending: row.pending } : undefined;
}
