// The webhook delivery worker: claims due deliveries from the outbox, POSTs each signed, and settles it
// as delivered, pending again (with backoff) or dead. Any number of workers may run against one
// PostgreSQL database: a claim takes rows with FOR UPDATE SKIP LOCKED and gives each a lease, so a row
// is sent by one worker at a time; a worker that dies mid-delivery leaves a lease that runs out, and
// the row is sent again with the same webhook-id (at least once, never silently lost). On PGlite (one
// process, one connection) the same SQL runs unchanged; SKIP LOCKED simply never meets a lock.
// A worker asked to stop lets its requests in flight finish for a moment (STOP_GRACE_MS), then cuts
// them short and releases their claims: pending again, due at once, the cut attempt not counted, so
// the next worker sends them with the same webhook-id without waiting for a lease to run out.
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { redactUrl, redactUrls, serializeError } from "../../kernel/errors.ts";
import type { Logger } from "../../kernel/logger.ts";
import type { Database } from "../store/sql.ts";
import { queryRows } from "../store/sql.ts";
import { backoffDelay } from "../sync/backoff.ts";
import type { WebhookConfig } from "./config.ts";
import { formatNotification } from "./formatNotification.ts";
import type { WebhookMetrics } from "./metrics.ts";
import type { NotificationKind, WebhookFormat } from "./notification.ts";
import { postWebhook } from "./postWebhook.ts";
import { WebhookUrlRefusedError } from "./ssrfGuard.ts";

export interface CreateDeliveryWorkerParameters {
  db: Database;
  config: WebhookConfig;
  logger: Logger;
  metrics?: WebhookMetrics | undefined;
}

export interface DeliveryBatchReturnType {
  /** Rows this call claimed (and settled, unless its lease was lost). */
  claimed: number;
  delivered: number;
  failed: number;
}

export interface DeliveryWorker {
  /** Claims one batch of due deliveries, sends them concurrently and settles each. */
  runOnce(): Promise<DeliveryBatchReturnType>;
  /** Runs batches until `stop`: straight on while there is a backlog, every pollIntervalMs when idle. */
  start(): void;
  /** Stops after the batch in flight: requests still unanswered after STOP_GRACE_MS are cut short
   * and their claims released (pending again, due at once). */
  stop(): Promise<void>;
}

/** 1 s: a healthy receiver answers in well under that, and SIGTERM's usual grace (10 s in Docker,
 * 30 s in Kubernetes) leaves room for the rest of the process to stop after it. */
export const STOP_GRACE_MS = 1_000;

interface ClaimedRow extends Record<string, unknown> {
  event_id: string;
  endpoint_id: number;
  attempts: number;
  kind: NotificationKind;
  occurred_at: string | number;
  payload: Record<string, unknown>;
  url: string;
  format: WebhookFormat;
  secret: string;
}

/**
 * Creates a delivery worker over the mirror's outbox.
 *
 * @example
 * const worker = createDeliveryWorker({ db, config: parseWebhookConfig(process.env).config, logger });
 * worker.start();
 * // on shutdown:
 * await worker.stop();
 */
export function createDeliveryWorker({
  db,
  config,
  logger,
  metrics,
}: CreateDeliveryWorkerParameters): DeliveryWorker {
  let loop: Promise<void> | undefined;
  let stopping = false;
  let wake: (() => void) | undefined;
  /** Aborted when a stop's grace has passed: cuts the requests still in flight short. */
  let cutShort = new AbortController();

  async function runOnce(): Promise<DeliveryBatchReturnType> {
    await buryExpiredLastAttempts();
    const token = randomUUID();
    const rows = await claim(token);
    const outcomes = await Promise.all(rows.map((row) => deliver(row, token)));
    const delivered = outcomes.filter(Boolean).length;
    return { claimed: rows.length, delivered, failed: rows.length - delivered };
  }

  /** A lease that ran out on the last allowed attempt (its worker died): no attempt is left to make. */
  async function buryExpiredLastAttempts(): Promise<void> {
    await db.execute(sql`
      UPDATE webhook_deliveries
      SET state = 'dead', lease_until = NULL, lease_token = NULL,
          last_error = 'The last attempt was cut short (its worker stopped before the lease ran out).'
      WHERE state = 'delivering' AND lease_until <= now() AND attempts >= ${config.maxAttempts}`);
  }

  function claim(token: string): Promise<ClaimedRow[]> {
    // One statement, so the lock, the lease and the attempt count commit together: SKIP LOCKED passes
    // over rows another worker is claiming this instant, and the lease keeps them away from others
    // once that claim has committed. An expired lease is due again, as a pending row is.
    return queryRows<ClaimedRow>(
      db,
      sql`
      WITH due AS (
        SELECT d.event_id, d.endpoint_id FROM webhook_deliveries d
        JOIN webhook_endpoints e ON e.id = d.endpoint_id AND e.enabled
        WHERE (d.state = 'pending' AND d.next_attempt_at <= now())
           OR (d.state = 'delivering' AND d.lease_until <= now())
        ORDER BY d.next_attempt_at
        LIMIT ${config.batchSize}
        FOR UPDATE OF d SKIP LOCKED
      ), claimed AS (
        UPDATE webhook_deliveries d
        SET state = 'delivering', attempts = d.attempts + 1, lease_token = ${token},
            lease_until = now() + ${config.leaseMs}::double precision * interval '1 millisecond'
        FROM due WHERE d.event_id = due.event_id AND d.endpoint_id = due.endpoint_id
        RETURNING d.event_id, d.endpoint_id, d.attempts
      )
      SELECT c.event_id, c.endpoint_id, c.attempts, n.kind, n.occurred_at, n.payload, e.url, e.format, e.secret
      FROM claimed c
      JOIN notifications n ON n.event_id = c.event_id
      JOIN webhook_endpoints e ON e.id = c.endpoint_id`,
    );
  }

  async function deliver(row: ClaimedRow, token: string): Promise<boolean> {
    const started = performance.now();
    const coordinates = { eventId: row.event_id, endpointId: row.endpoint_id, attempt: row.attempts };
    const notification = {
      eventId: row.event_id,
      kind: row.kind,
      occurredAt: Number(row.occurred_at),
      data: row.payload,
    };
    let failure: string | undefined;
    let permanent = false;
    try {
      const status = await postWebhook({
        url: row.url,
        secret: row.secret,
        eventId: row.event_id,
        body: formatNotification(row.format, notification),
        timeoutMs: config.timeoutMs,
        allowPrivate: config.allowPrivate,
        signal: cutShort.signal,
      });
      if (status < 200 || status >= 300) failure = `HTTP ${status} from ${redactUrl(row.url)}`;
    } catch (error) {
      if (cutShort.signal.aborted) return release(row, token, coordinates);
      // A refused target stays refused (the operator must change the endpoint or the setting): retrying
      // it would only repeat the refusal until the attempts ran out.
      permanent = error instanceof WebhookUrlRefusedError;
      failure = describeFailure(error, row);
    }
    const seconds = (performance.now() - started) / 1000;
    metrics?.attemptSeconds.observe(seconds);
    const durationMs = Math.round(seconds * 1000);

    if (failure === undefined) {
      const settled = await settle(
        row,
        token,
        sql`state = 'delivered', delivered_at = now(), last_error = NULL`,
      );
      metrics?.attempts.inc({ outcome: "delivered" });
      if (settled) logger.info({ msg: "Delivered webhook", ...coordinates, durationMs });
      else logger.warn({ msg: "Delivered webhook after its lease ran out", ...coordinates, durationMs });
      return true;
    }
    const dead = permanent || row.attempts >= config.maxAttempts;
    const delayMs = backoffDelay(row.attempts, {
      baseDelayMs: config.backoffBaseMs,
      maxDelayMs: config.backoffMaxMs,
    });
    await settle(
      row,
      token,
      dead
        ? sql`state = 'dead', last_error = ${failure}`
        : sql`state = 'pending', last_error = ${failure},
              next_attempt_at = now() + ${delayMs}::double precision * interval '1 millisecond'`,
    );
    metrics?.attempts.inc({ outcome: dead ? "dead" : "retry" });
    if (dead) logger.error({ msg: "Webhook delivery gave up", ...coordinates, error: failure, durationMs });
    else
      logger.warn({
        msg: "Webhook delivery failed; retrying",
        ...coordinates,
        error: failure,
        retryInMs: Math.round(delayMs),
      });
    return false;
  }

  /**
   * Gives a claim cut short by a stop back: pending, due now, its attempt uncounted (the receiver never
   * answered it, so it says nothing about the receiver). The receiver may still have got the request;
   * the same webhook-id lets it see the repeat as one.
   */
  async function release(
    row: ClaimedRow,
    token: string,
    coordinates: Record<string, unknown>,
  ): Promise<boolean> {
    await settle(
      row,
      token,
      sql`state = 'pending', attempts = GREATEST(attempts - 1, 0), next_attempt_at = now()`,
    );
    metrics?.attempts.inc({ outcome: "released" });
    logger.info({ msg: "Released a webhook delivery cut short by the stop", ...coordinates });
    return false;
  }

  /** Ends the lease with `assignments`, only if this claim still holds it (another may have taken over). */
  async function settle(
    row: ClaimedRow,
    token: string,
    assignments: ReturnType<typeof sql>,
  ): Promise<boolean> {
    const settled = await queryRows(
      db,
      sql`UPDATE webhook_deliveries SET ${assignments}, lease_until = NULL, lease_token = NULL
          WHERE event_id = ${row.event_id} AND endpoint_id = ${row.endpoint_id} AND lease_token = ${token}
          RETURNING event_id`,
    );
    return settled.length > 0;
  }

  async function run(): Promise<void> {
    while (!stopping) {
      let backlog = false;
      try {
        const { claimed } = await runOnce();
        backlog = claimed === config.batchSize;
      } catch (error) {
        // The database went away or refused: wait a poll interval and try again, as live indexing does.
        logger.warn({ msg: "Webhook delivery batch failed; retrying", err: error });
      }
      if (!backlog && !stopping)
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, config.pollIntervalMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
    }
  }

  return {
    runOnce,
    start() {
      if (loop) return;
      stopping = false;
      cutShort = new AbortController();
      loop = run();
    },
    async stop() {
      stopping = true;
      wake?.();
      const grace = setTimeout(() => cutShort.abort(), STOP_GRACE_MS);
      try {
        await loop;
      } finally {
        clearTimeout(grace);
        loop = undefined;
      }
    },
  };
}

/**
 * The failure in words for logs and last_error: URLs redacted (a Slack or Teams webhook URL is itself
 * a credential) and the signing secret cut out should any error ever quote it.
 */
function describeFailure(error: unknown, row: ClaimedRow): string {
  const { message } = serializeError(error) as { message: string };
  const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
  const text = timedOut ? "The receiver did not answer in time" : message;
  return `${redactUrls(text).replaceAll(row.secret, "[secret]").replaceAll(row.url, redactUrl(row.url))} (${redactUrl(row.url)})`;
}
