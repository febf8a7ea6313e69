import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../../kernel/logger.ts";
import { createDatabase, type Database } from "../store/db.ts";
import { queryRows } from "../store/sql.ts";
import { killChildIndexers, startChildRunner } from "../testing/childIndexer.ts";
import { notificationAt } from "../testing/notificationAt.ts";
import { subscribeReceiver } from "../testing/subscribeReceiver.ts";
import { TEST_BACKENDS } from "../testing/testDatabase.ts";
import { useWebhookDatabase } from "../testing/useWebhookDatabase.ts";
import {
  type Answer,
  FAST_WEBHOOK_CONFIG,
  SECRET,
  startWebhookReceiver,
  type WebhookReceiver,
} from "../testing/webhookReceiver.ts";
import { addWebhookEndpoint } from "./addWebhookEndpoint.ts";
import { createDeliveryWorker } from "./deliveryWorker.ts";
import { enqueueNotification } from "./enqueueNotification.ts";
import { formatNotification } from "./formatNotification.ts";
import type { WebhookFormat } from "./notification.ts";

const RUNNER = fileURLToPath(new URL("../testing/runDeliveryWorker.ts", import.meta.url));

/** A logger whose JSON lines are kept, so a test can read everything the worker said. */
function capturedLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger({ level: "debug", pretty: false, stream }), text: () => lines.join("") };
}

interface DeliveryRow extends Record<string, unknown> {
  event_id: string;
  endpoint_id: number;
  state: string;
  attempts: number;
  last_error: string | null;
}

function deliveries(db: Database): Promise<DeliveryRow[]> {
  return queryRows<DeliveryRow>(
    db,
    sql`SELECT event_id, endpoint_id, state, attempts, last_error FROM webhook_deliveries ORDER BY event_id, endpoint_id`,
  );
}

/** Runs batches until `done` holds, letting backoff delays pass in between (bounded, so a bug fails). */
async function runUntil(run: () => Promise<unknown>, done: () => Promise<boolean>): Promise<void> {
  for (let round = 0; round < 100; round++) {
    if (await done()) return;
    await run();
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("The deliveries did not settle within 100 rounds");
}

const receivers: WebhookReceiver[] = [];
async function receiver(...args: Parameters<typeof startWebhookReceiver>): Promise<WebhookReceiver> {
  const started = await startWebhookReceiver(...args);
  receivers.push(started);
  return started;
}

afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});
afterAll(() => killChildIndexers());

describe.each(TEST_BACKENDS)("webhook delivery on %s", (backend) => {
  const database = useWebhookDatabase(backend);
  let db: Database;
  beforeEach(() => {
    db = database.db;
  });

  /** A receiver answering as `answer` says, subscribed to every kind in `format`, sharing SECRET. */
  async function subscribedReceiver(answer?: Answer, format: WebhookFormat = "raw") {
    const r = await receiver(SECRET, answer);
    await subscribeReceiver(db, r, { format, secret: SECRET });
    return r;
  }

  it("signs every format per Standard Webhooks, one request per endpoint, and a re-enqueue sends nothing again", async () => {
    const byFormat = new Map<WebhookFormat, WebhookReceiver>();
    for (const format of ["raw", "slack", "teams"] as const) {
      // A secret of its own per endpoint: each receiver verifies with its own key only.
      const secret = `whsec_${Buffer.from(`${format}-secret-of-24-bytes!!!`).toString("base64")}`;
      const r = await receiver(secret);
      byFormat.set(format, r);
      await addWebhookEndpoint(db, {
        url: r.url,
        events: ["proposal.created"],
        format,
        secret,
        allowPrivate: true,
      });
    }
    // Subscribed to another kind only: gets nothing.
    const other = await receiver(SECRET);
    await subscribeReceiver(db, other, { events: ["member.admitted"] });

    const notification = notificationAt(7);
    await db.transaction((tx) => enqueueNotification(tx, notification));
    const { logger } = capturedLogger();
    const worker = createDeliveryWorker({ db, config: FAST_WEBHOOK_CONFIG, logger });
    expect(await worker.runOnce()).toEqual({ claimed: 3, delivered: 3, failed: 0 });

    for (const [format, r] of byFormat) {
      expect(r.received).toHaveLength(1);
      const [request] = r.received;
      expect(request?.verified).toBe(true);
      expect(request?.id).toBe("evt_31337_7_00_0_proposal.created");
      expect(request?.body).toBe(formatNotification(format, notification));
    }
    expect(other.received).toHaveLength(0);
    expect((await deliveries(db)).map((row) => [row.state, row.attempts])).toEqual([
      ["delivered", 1],
      ["delivered", 1],
      ["delivered", 1],
    ]);

    // The same event id again (a range re-applied): no new delivery, nothing sent.
    await db.transaction((tx) => enqueueNotification(tx, notification));
    expect(await worker.runOnce()).toEqual({ claimed: 0, delivered: 0, failed: 0 });
    expect(await deliveries(db)).toHaveLength(3);
  });

  it("retries a receiver that answers 500, then delivers once more with the same id", async () => {
    const r = await subscribedReceiver(({ index }) => (index === 0 ? 500 : 200));
    await enqueueNotification(db, notificationAt(1));
    const worker = createDeliveryWorker({ db, config: FAST_WEBHOOK_CONFIG, logger: capturedLogger().logger });

    expect(await worker.runOnce()).toEqual({ claimed: 1, delivered: 0, failed: 1 });
    const [failed] = await deliveries(db);
    expect(failed?.state).toBe("pending");
    expect(failed?.attempts).toBe(1);
    expect(failed?.last_error).toMatch(/^HTTP 500 from http:\/\/127\.0\.0\.1:\d+\/…$/);

    await runUntil(worker.runOnce, async () => (await deliveries(db))[0]?.state === "delivered");
    expect(r.received.map((request) => [request.id, request.verified])).toEqual([
      ["evt_31337_1_00_0_proposal.created", true],
      ["evt_31337_1_00_0_proposal.created", true],
    ]);
    expect((await deliveries(db))[0]).toMatchObject({ state: "delivered", attempts: 2, last_error: null });
  });

  it("bounds a receiver that hangs by the timeout, and delivers on a later attempt", async () => {
    const r = await subscribedReceiver(({ index }) => (index === 0 ? "hang" : 200));
    await enqueueNotification(db, notificationAt(2));
    const worker = createDeliveryWorker({ db, config: FAST_WEBHOOK_CONFIG, logger: capturedLogger().logger });

    const started = performance.now();
    expect(await worker.runOnce()).toEqual({ claimed: 1, delivered: 0, failed: 1 });
    const elapsedMs = performance.now() - started;
    expect(elapsedMs).toBeGreaterThanOrEqual(FAST_WEBHOOK_CONFIG.timeoutMs - 5);
    expect(elapsedMs).toBeLessThan(FAST_WEBHOOK_CONFIG.timeoutMs + 1_500);
    expect((await deliveries(db))[0]?.last_error).toMatch(/^The receiver did not answer in time/);

    await runUntil(worker.runOnce, async () => (await deliveries(db))[0]?.state === "delivered");
    expect(r.received.map((request) => request.id)).toEqual([
      "evt_31337_2_00_0_proposal.created",
      "evt_31337_2_00_0_proposal.created",
    ]);
  });

  it("marks a delivery dead after the last attempt and sends it no more", async () => {
    const r = await subscribedReceiver(() => 503);
    await enqueueNotification(db, notificationAt(3));
    const worker = createDeliveryWorker({ db, config: FAST_WEBHOOK_CONFIG, logger: capturedLogger().logger });

    await runUntil(worker.runOnce, async () => (await deliveries(db))[0]?.state === "dead");
    expect((await deliveries(db))[0]).toMatchObject({
      state: "dead",
      attempts: FAST_WEBHOOK_CONFIG.maxAttempts,
    });
    expect(r.received).toHaveLength(FAST_WEBHOOK_CONFIG.maxAttempts);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await worker.runOnce()).toEqual({ claimed: 0, delivered: 0, failed: 0 });
    expect(r.received).toHaveLength(FAST_WEBHOOK_CONFIG.maxAttempts);
  });

  it("never writes the secret or the URL's token to the log or last_error", async () => {
    const secret = "whsec_U2VjcmV0VmFsdWVUaGF0TXVzdE5vdExlYWsxMjM0";
    const r = await receiver(secret, ({ index }) => (index === 0 ? 500 : index === 1 ? "hang" : 200));
    const url = r.url.replace("receiver-token", "xoxb-token-in-the-url");
    await addWebhookEndpoint(db, { url, events: ["*"], format: "slack", secret, allowPrivate: true });
    await enqueueNotification(db, notificationAt(4));
    const { logger, text } = capturedLogger();
    const worker = createDeliveryWorker({ db, config: FAST_WEBHOOK_CONFIG, logger });
    await runUntil(worker.runOnce, async () => (await deliveries(db))[0]?.state === "delivered");

    expect(text()).toContain("Webhook delivery failed; retrying");
    expect(text()).toContain("Delivered webhook");
    const errors = (
      await queryRows<{ last_error: string | null }>(db, sql`SELECT last_error FROM webhook_deliveries`)
    )
      .map((row) => row.last_error)
      .join("\n");
    for (const leak of [secret, secret.slice("whsec_".length), "xoxb-token-in-the-url"]) {
      expect(text()).not.toContain(leak);
      expect(errors).not.toContain(leak);
    }
  });

  it("refuses a loopback target at delivery unless the operator allows private targets", async () => {
    // Added while allowed; the operator has since turned it off: the delivery-time check holds.
    const r = await subscribedReceiver();
    await expect(
      addWebhookEndpoint(db, { url: r.url, events: ["*"], format: "raw", allowPrivate: false }),
    ).rejects.toThrow("not a public address");
    await enqueueNotification(db, notificationAt(5));
    const worker = createDeliveryWorker({
      db,
      config: { ...FAST_WEBHOOK_CONFIG, allowPrivate: false },
      logger: capturedLogger().logger,
    });

    expect(await worker.runOnce()).toEqual({ claimed: 1, delivered: 0, failed: 1 });
    const [row] = await deliveries(db);
    expect(row).toMatchObject({ state: "dead", attempts: 1 });
    expect(row?.last_error).toContain("resolves to 127.0.0.1, which is not a public address");
    expect(r.received).toHaveLength(0);
  });

  it("keeps delivering while started, and stops cleanly", async () => {
    const r = await subscribedReceiver(undefined, "teams");
    const worker = createDeliveryWorker({ db, config: FAST_WEBHOOK_CONFIG, logger: capturedLogger().logger });
    worker.start();
    for (let block = 10; block < 13; block++) await enqueueNotification(db, notificationAt(block));
    await r.waitForRequests(3);
    await worker.stop();
    expect(new Set(r.received.map((request) => request.id)).size).toBe(3);
    expect(r.received.every((request) => request.verified)).toBe(true);
  });

  it.runIf(backend === "postgres")(
    "two workers on PostgreSQL never send the same delivery at the same time, and send each once",
    async () => {
      const r = await subscribedReceiver();
      const count = 60;
      for (let block = 100; block < 100 + count; block++)
        await enqueueNotification(db, notificationAt(block));
      // A pool of its own per worker, as two processes would have.
      const url = await databaseUrl(db);
      const second = await createDatabase({ databaseUrl: url });
      const config = { ...FAST_WEBHOOK_CONFIG, batchSize: 4, pollIntervalMs: 5 };
      const workers = [
        createDeliveryWorker({ db, config, logger: capturedLogger().logger }),
        createDeliveryWorker({ db: second, config, logger: capturedLogger().logger }),
      ];
      try {
        const results = await Promise.all(
          workers.map(async (worker) => {
            let delivered = 0;
            for (let round = 0; round < 200; round++) {
              const batch = await worker.runOnce();
              delivered += batch.delivered;
              if (batch.claimed === 0) break;
            }
            return delivered;
          }),
        );
        expect(results[0]! + results[1]!).toBe(count);
        expect(results.every((delivered) => delivered > 0)).toBe(true);
      } finally {
        await second.close();
      }
      const ids = r.received.map((request) => request.id);
      expect(ids).toHaveLength(count);
      expect(new Set(ids).size).toBe(count);
      expect(r.received.every((request) => request.concurrentWithSameId === 1)).toBe(true);
      expect((await deliveries(db)).every((row) => row.state === "delivered" && row.attempts === 1)).toBe(
        true,
      );
    },
  );

  it.runIf(backend === "postgres")(
    "a worker killed with SIGKILL mid-delivery loses nothing: its leases run out and the same ids are sent again",
    async () => {
      // Every request hangs while the child works, so the kill lands mid-delivery for all of them.
      const r = await subscribedReceiver(() => "hang");
      const count = 5;
      for (let block = 200; block < 200 + count; block++)
        await enqueueNotification(db, notificationAt(block));
      const leaseMs = 3_000;
      const child = startChildRunner(RUNNER, {
        DATABASE_URL: await databaseUrl(db),
        WEBHOOKS_ALLOW_PRIVATE: "1",
        WEBHOOKS_TIMEOUT_MS: "2500",
        WEBHOOKS_LEASE_MS: String(leaseMs),
        WEBHOOKS_POLL_INTERVAL_MS: "20",
      });
      await r.waitForRequests(count);
      child.kill("SIGKILL");
      expect((await child.exited).signal).toBe("SIGKILL");
      const killedAt = performance.now();
      expect((await deliveries(db)).map((row) => row.state)).toEqual(Array(count).fill("delivering"));

      r.answer = () => 200;
      const worker = createDeliveryWorker({
        db,
        config: FAST_WEBHOOK_CONFIG,
        logger: capturedLogger().logger,
      });
      // Before the leases run out, nothing is due: the dead worker still holds them.
      expect(await worker.runOnce()).toEqual({ claimed: 0, delivered: 0, failed: 0 });
      await runUntil(
        async () => {
          await worker.runOnce();
          await new Promise((resolve) => setTimeout(resolve, 200));
        },
        async () => (await deliveries(db)).every((row) => row.state === "delivered"),
      );
      expect(performance.now() - killedAt).toBeGreaterThanOrEqual(leaseMs - 1_000);
      const rows = await deliveries(db);
      expect(rows.map((row) => [row.state, row.attempts])).toEqual(Array(count).fill(["delivered", 2]));
      // Each id arrived twice (the cut-short attempt, then the retry), every copy signed alike.
      const perId = new Map<string, number>();
      for (const request of r.received) perId.set(request.id, (perId.get(request.id) ?? 0) + 1);
      expect([...perId.keys()].sort()).toEqual(rows.map((row) => row.event_id).sort());
      expect([...perId.values()]).toEqual(Array(count).fill(2));
      expect(r.received.every((request) => request.verified)).toBe(true);
    },
  );
});

/** The scratch database's URL, from the server it is on (the test helper made it, so it is a plain URL). */
async function databaseUrl(db: Database): Promise<string> {
  const [row] = await queryRows<{ name: string }>(db, sql`SELECT current_database() AS name`);
  const url = new URL(process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test");
  url.pathname = `/${row?.name}`;
  return url.toString();
}
