import { Writable } from "node:stream";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../kernel/logger.ts";
import { queryRows } from "../store/sql.ts";
import { notificationAt } from "../testing/notificationAt.ts";
import { subscribeReceiver } from "../testing/subscribeReceiver.ts";
import { TEST_BACKENDS } from "../testing/testDatabase.ts";
import { useWebhookDatabase } from "../testing/useWebhookDatabase.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../testing/webhookReceiver.ts";
import { WEBHOOK_DEFAULTS } from "./config.ts";
import { createDeliveryWorker } from "./deliveryWorker.ts";
import { enqueueNotification } from "./enqueueNotification.ts";
import { setWebhookEndpointEnabled } from "./setWebhookEndpointEnabled.ts";

const SECRET = `whsec_${Buffer.from("enable-disable-test-secret-32b!!").toString("base64")}`;
const silent = createLogger({
  level: "silent",
  pretty: false,
  stream: new Writable({ write: (_c, _e, done) => done() }),
});

describe.each(TEST_BACKENDS)("enabling and disabling an endpoint on %s", (backend) => {
  const database = useWebhookDatabase(backend);
  let receiver: WebhookReceiver | undefined;
  afterEach(async () => {
    await receiver?.close();
  });

  it("holds pending deliveries while disabled and sends them on enable; notifications meanwhile are not queued", async () => {
    const { db } = database;
    receiver = await startWebhookReceiver(SECRET);
    const id = await subscribeReceiver(db, receiver, { secret: SECRET });
    const worker = createDeliveryWorker({
      db,
      config: { ...WEBHOOK_DEFAULTS, worker: true, file: undefined, allowPrivate: true },
      logger: silent,
    });
    await enqueueNotification(db, notificationAt(1, { kind: "member.admitted" }));
    expect(await setWebhookEndpointEnabled(db, id, false)).toEqual({ wasEnabled: true, pending: 1 });
    await enqueueNotification(db, notificationAt(2, { kind: "member.admitted" }));
    expect(await worker.runOnce()).toEqual({ claimed: 0, delivered: 0, failed: 0 });
    expect(receiver.received).toHaveLength(0);

    expect(await setWebhookEndpointEnabled(db, id, true)).toEqual({ wasEnabled: false, pending: 1 });
    expect(await worker.runOnce()).toEqual({ claimed: 1, delivered: 1, failed: 0 });
    expect(receiver.received.map((request) => request.id)).toEqual([
      notificationAt(1, { kind: "member.admitted" }).eventId,
    ]);
    const rows = await queryRows(db, sql`SELECT event_id FROM webhook_deliveries WHERE endpoint_id = ${id}`);
    expect(rows).toEqual([{ event_id: notificationAt(1, { kind: "member.admitted" }).eventId }]);
    expect(await setWebhookEndpointEnabled(db, id + 1000, true)).toBeUndefined();
  });
});
