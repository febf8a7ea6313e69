// What a reorg does to the notifications of the blocks it removes, in the rollback's transaction:
// - one that reached no endpoint (every delivery still pending with no attempt) is forgotten, as if
//   never written, and its pending deliveries go with it;
// - one that may have reached an endpoint (an attempt started, or settled either way) is marked
//   retracted, its remaining retries are cancelled, and a correction (kind notification.retracted,
//   id "<its id>_retracted") goes to exactly the endpoints it may have reached: a receiver that
//   acted on it hears that it no longer holds, rather than silence;
// - the schedule rows set by removed events go, and those fired by removed blocks wait again.
// The blocks that replace them are new blocks with new hashes, so what they announce has new ids
// (./notificationId.ts): a receiver never mistakes a re-announcement for a repeat.
import { sql } from "drizzle-orm";
import { queryRows, run, type SqlExecutor } from "../store/sql.ts";

/** A correction's id: the retracted notification's own id, suffixed. */
export const RETRACTION_SUFFIX = "_retracted";

export interface Retraction {
  /** Notifications of removed blocks that had reached no endpoint, now gone. */
  forgotten: number;
  /** Notifications of removed blocks that may have reached an endpoint, now followed by a correction. */
  retracted: number;
}

/**
 * Forgets or retracts the notifications recorded above block `ancestor`, and re-arms the schedule.
 *
 * @example
 * await db.transaction(async (tx) => { await retractNotificationsAbove(tx, 41); await undoAbove(tx, 41, chainId); });
 */
export async function retractNotificationsAbove(
  executor: SqlExecutor,
  ancestor: number,
): Promise<Retraction> {
  await run(executor, sql`DELETE FROM notification_schedule WHERE block_number > ${ancestor}`);
  await run(
    executor,
    sql`UPDATE notification_schedule SET fired_block = NULL WHERE fired_block > ${ancestor}`,
  );
  const [forgotten] = await queryRows<{ count: number }>(
    executor,
    sql`WITH gone AS (
          DELETE FROM notifications n
          WHERE n.block_number > ${ancestor} AND n.retracted_at IS NULL
            AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d
                            WHERE d.event_id = n.event_id AND (d.attempts > 0 OR d.state <> 'pending'))
          RETURNING 1)
        SELECT count(*)::int AS count FROM gone`,
  );
  // One statement, so every part reads the deliveries as they were before it (the corrections go
  // where the originals had gone, then the originals' retries stop), and each reads only what this
  // rollback retracts: the cost follows the removed blocks, never the outbox's history.
  const [retracted] = await queryRows<{ count: number }>(
    executor,
    sql`WITH gone AS (
          UPDATE notifications SET retracted_at = now()
          WHERE block_number > ${ancestor} AND retracted_at IS NULL
          RETURNING event_id, kind, payload),
        corrections AS (
          INSERT INTO notifications (event_id, kind, occurred_at, payload, retracts)
          SELECT event_id || ${RETRACTION_SUFFIX}, 'notification.retracted', extract(epoch FROM now())::bigint,
            jsonb_build_object(
              'summary', 'Withdrawn: ' || COALESCE(payload->>'summary', kind)
                || ' (a chain reorganization removed the block it came from)',
              'retractedEventId', event_id,
              'retractedKind', kind,
              'reason', 'reorg'),
            event_id
          FROM gone
          ON CONFLICT (event_id) DO NOTHING
          RETURNING event_id, retracts),
        -- The correction goes where the original may have gone: an attempt started or settled.
        sent AS (
          INSERT INTO webhook_deliveries (event_id, endpoint_id, state)
          SELECT c.event_id, d.endpoint_id, 'pending'
          FROM corrections c JOIN webhook_deliveries d ON d.event_id = c.retracts
          WHERE d.state <> 'cancelled' AND (d.attempts > 0 OR d.state <> 'pending')
          ON CONFLICT (event_id, endpoint_id) DO NOTHING),
        -- Retries of a retracted notification stop; one in flight settles as its worker finds it.
        stopped AS (
          UPDATE webhook_deliveries d
          SET state = 'cancelled', last_error = 'withdrawn: a chain reorganization removed its block'
          FROM gone g
          WHERE d.event_id = g.event_id AND d.state = 'pending')
        SELECT count(*)::int AS count FROM corrections`,
  );
  return { forgotten: forgotten?.count ?? 0, retracted: retracted?.count ?? 0 };
}
