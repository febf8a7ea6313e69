// `firm index` runs the webhook delivery worker (on by default there, WEBHOOKS_WORKER=0 turns it off)
// on the mirror it opened, and applies WEBHOOKS_FILE at start: a notification written to the outbox
// reaches a receiver on 127.0.0.1, signed. SIGTERM mid-delivery releases the claims, and the next
// `firm index` sends the same webhook-ids: nothing is lost. On PostgreSQL, since the test writes the
// outbox while `firm index` holds the mirror. The chain is a closed port: the worker starts before
// the indexer reaches the chain, which it keeps retrying meanwhile (a paused sync, not a failure).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { enqueueNotification } from "../../indexer/notify/enqueueNotification.ts";
import type { Database } from "../../indexer/store/db.ts";
import { queryRows } from "../../indexer/store/sql.ts";
import { type ChildIndexer, killChildIndexers } from "../../indexer/testing/childIndexer.ts";
import { emitterManifest, temporaryDir, writeManifestFile } from "../../indexer/testing/fixtures.ts";
import { notificationAt } from "../../indexer/testing/notificationAt.ts";
import { postgresAvailable, type ScratchDatabase } from "../../indexer/testing/postgres.ts";
import { subscribeReceiver } from "../../indexer/testing/subscribeReceiver.ts";
import { startTestChain } from "../../indexer/testing/testChain.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../../indexer/testing/webhookReceiver.ts";
import { freePort } from "../start/support.ts";
import { isMsg, migratedScratchMirror, startFirmService } from "./support/firmService.ts";

/** A Standard Webhooks secret: "whsec_" and base64 of 33 bytes. */
const SECRET = `whsec_${Buffer.from("firm-index-webhook-test-secret!!!").toString("base64")}`;
const hasPostgres = await postgresAvailable();

describe.runIf(hasPostgres)("firm index and the webhook delivery worker", () => {
  let scratch: ScratchDatabase;
  let db: Database;
  let deployment: string;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    ({ scratch, db } = await migratedScratchMirror("webhooks_it"));
    const addresses = Array.from({ length: 8 }, (_, i) => `0x${String(i + 1).repeat(40)}` as const);
    deployment = writeManifestFile(emitterManifest(31337, 1n, addresses));
  });
  afterAll(async () => {
    killChildIndexers();
    await db?.close();
    await scratch?.drop();
  });
  beforeEach(async () => {
    await db.execute(sql`TRUNCATE webhook_deliveries, notifications, webhook_endpoints`);
  });
  afterEach(async () => {
    killChildIndexers();
    await Promise.all(receivers.splice(0).map((r) => r.close()));
  });

  async function receiver(answer?: Parameters<typeof startWebhookReceiver>[1]): Promise<WebhookReceiver> {
    const started = await startWebhookReceiver(SECRET, answer);
    receivers.push(started);
    return started;
  }

  /** A receiver, and an endpoint for it subscribed to every kind (as `firm webhooks add` makes one). */
  async function subscribedReceiver(answer?: Parameters<typeof startWebhookReceiver>[1]) {
    const r = await receiver(answer);
    await subscribeReceiver(db, r, { secret: SECRET });
    return r;
  }

  /** `firm index` as a user runs it, on the scratch mirror, with fast webhook settings. */
  function firmIndex(env: Record<string, string> = {}): ChildIndexer {
    return startFirmService("index", {
      RPC_URL: "http://127.0.0.1:9",
      DEPLOYMENT: deployment,
      DATABASE_URL: scratch.url,
      WEBHOOKS_ALLOW_PRIVATE: "1",
      WEBHOOKS_POLL_INTERVAL_MS: "20",
      WEBHOOKS_TIMEOUT_MS: "5000",
      ...env,
    });
  }

  function deliveries() {
    return queryRows<{ event_id: string; state: string; attempts: number }>(
      db,
      sql`SELECT event_id, state, attempts FROM webhook_deliveries ORDER BY event_id`,
    );
  }

  /** Neither the signing secret nor the URL's token reached the child's output. */
  function expectNoSecretIn(child: ChildIndexer): void {
    const log = JSON.stringify(child.lines) + child.stderr();
    expect(log).not.toContain(SECRET);
    expect(log).not.toContain("receiver-token");
  }

  async function stop(child: ChildIndexer): Promise<void> {
    child.kill("SIGTERM");
    expect(await child.exited).toEqual({ code: 0, signal: null });
  }

  it("runs the worker by default and delivers a notification from the outbox, signed", async () => {
    const r = await subscribedReceiver();
    const child = firmIndex();
    await child.waitFor(isMsg("Webhook delivery worker started"));
    await enqueueNotification(db, notificationAt(1));
    await r.waitForRequests(1);
    expect(r.received[0]).toMatchObject({ id: notificationAt(1).eventId, verified: true });
    await stop(child);
    expect(child.lines.some(isMsg("Webhook delivery worker stopped"))).toBe(true);
    expect((await deliveries()).map((row) => row.state)).toEqual(["delivered"]);
    expectNoSecretIn(child);
  }, 60_000);

  it("leaves the worker off with WEBHOOKS_WORKER=0: deliveries wait", async () => {
    const r = await subscribedReceiver();
    const child = firmIndex({ WEBHOOKS_WORKER: "0" });
    await child.waitFor(isMsg("Webhook delivery worker off (WEBHOOKS_WORKER=0)"));
    await enqueueNotification(db, notificationAt(2));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(r.received).toHaveLength(0);
    await stop(child);
    expect((await deliveries()).map((row) => row.state)).toEqual(["pending"]);
  }, 60_000);

  it("SIGTERM mid-delivery releases the claims, and the next firm index sends the same webhook-ids", async () => {
    // Every request hangs, so the stop lands while all of them are in flight.
    const r = await subscribedReceiver(() => "hang");
    // A 20 s request timeout: a stop that waited for it rather than releasing would show.
    const first = firmIndex({ WEBHOOKS_TIMEOUT_MS: "20000" });
    await first.waitFor(isMsg("Webhook delivery worker started"));
    // In one transaction, so one claim takes all three: a batch in flight holds the worker's loop.
    await db.transaction(async (tx) => {
      for (let block = 10; block < 13; block++) await enqueueNotification(tx, notificationAt(block));
    });
    await r.waitForRequests(3);
    const stoppedAt = performance.now();
    await stop(first);
    // About STOP_GRACE_MS (1 s) and the process's exit, not the 20 s request timeout nor a 60 s lease
    // (15 s leaves room for a loaded machine).
    expect(performance.now() - stoppedAt).toBeLessThan(15_000);
    expect(first.lines.filter(isMsg("Released a webhook delivery cut short by the stop"))).toHaveLength(3);
    expect((await deliveries()).map((row) => [row.state, row.attempts])).toEqual(
      Array(3).fill(["pending", 0]),
    );

    r.answer = () => 200;
    const second = firmIndex();
    await r.waitForRequests(6);
    await stop(second);
    const firstIds = r.received
      .slice(0, 3)
      .map((request) => request.id)
      .sort();
    const secondIds = r.received
      .slice(3)
      .map((request) => request.id)
      .sort();
    expect(secondIds).toEqual(firstIds);
    expect(r.received.every((request) => request.verified)).toBe(true);
    expect((await deliveries()).map((row) => [row.state, row.attempts])).toEqual(
      Array(3).fill(["delivered", 1]),
    );
  }, 60_000);

  it("applies WEBHOOKS_FILE at start, its secret from the environment, and delivers to it", async () => {
    const r = await receiver();
    const file = join(temporaryDir("webhooks"), "webhooks.json");
    writeFileSync(
      file,
      JSON.stringify({
        endpoints: [{ name: "local", url: r.url, events: "*", secret: { env: "LOCAL_HOOK_SECRET" } }],
      }),
    );
    const child = firmIndex({ WEBHOOKS_FILE: file, LOCAL_HOOK_SECRET: SECRET });
    const applied = await child.waitFor(isMsg("Applied the webhooks file"));
    expect(applied.endpoints).toEqual([{ name: "local", change: "add" }]);
    await enqueueNotification(db, notificationAt(20));
    await r.waitForRequests(1);
    expect(r.received[0]?.verified).toBe(true);
    await stop(child);
    expectNoSecretIn(child);
  }, 60_000);

  it("refuses to start on a bad WEBHOOKS_FILE or WEBHOOKS_WORKER, saying every problem", async () => {
    const file = join(temporaryDir("webhooks"), "webhooks.json");
    writeFileSync(
      file,
      JSON.stringify({ endpoints: [{ name: "x", url: "ftp://example.com/hook", secret: "nope" }] }),
    );
    const badFile = firmIndex({ WEBHOOKS_FILE: file });
    expect((await badFile.exited).code).toBe(2);
    const fileLog = JSON.stringify(badFile.lines);
    expect(fileLog).toContain("$.endpoints[0].url: is not an http(s) URL.");
    expect(fileLog).toContain("$.endpoints[0].secret: is not a Standard Webhooks secret.");

    // A bad webhooks variable is said with the indexer's own bad ones, in one message.
    const badWorker = firmIndex({ WEBHOOKS_WORKER: "maybe", POLL_INTERVAL_MS: "fast" });
    expect((await badWorker.exited).code).toBe(2);
    const variablesLog = JSON.stringify(badWorker.lines);
    expect(variablesLog).toContain("Invalid configuration (2 problems)");
    expect(variablesLog).toContain("WEBHOOKS_WORKER");
    expect(variablesLog).toContain("POLL_INTERVAL_MS");
  }, 60_000);

  it("firm serve runs a worker only with WEBHOOKS_WORKER=1, and stops it on SIGTERM", async () => {
    // The API checks the chain's id against the manifest at start: a chain of the manifest's id.
    const chain = await startTestChain();
    try {
      const r = await subscribedReceiver();
      const env = {
        RPC_URL: chain.url,
        DEPLOYMENT: writeManifestFile(emitterManifest(chain.chainId, 1n, [`0x${"1".repeat(40)}`])),
        DATABASE_URL: scratch.url,
        WEBHOOKS_ALLOW_PRIVATE: "1",
        WEBHOOKS_POLL_INTERVAL_MS: "20",
      };
      const plain = startFirmService("serve", { ...env, PORT: String(await freePort()) });
      await plain.waitFor(isMsg("API listening"));
      expect(plain.lines.some((line) => line.msg.startsWith("Webhook delivery worker"))).toBe(false);
      await stop(plain);

      const serve = startFirmService("serve", {
        ...env,
        PORT: String(await freePort()),
        WEBHOOKS_WORKER: "1",
      });
      await serve.waitFor(isMsg("Webhook delivery worker started"));
      await enqueueNotification(db, notificationAt(30));
      await r.waitForRequests(1);
      expect(r.received[0]?.verified).toBe(true);
      await stop(serve);
      expect(serve.lines.some(isMsg("Webhook delivery worker stopped"))).toBe(true);
      expectNoSecretIn(serve);
    } finally {
      await chain.close();
    }
  }, 90_000);
});
