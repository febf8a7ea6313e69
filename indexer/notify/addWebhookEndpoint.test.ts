import { sql } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, migrateDatabase } from "../store/db.ts";
import { queryRows } from "../store/sql.ts";
import { openTestDatabase, type TestDatabase } from "../testing/testDatabase.ts";
import { addWebhookEndpoint, WebhookEndpointInvalidError } from "./addWebhookEndpoint.ts";
import type { WebhookFormat } from "./notification.ts";
import { WebhookUrlRefusedError } from "./ssrfGuard.ts";

describe("addWebhookEndpoint", () => {
  let database: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    database = await openTestDatabase("pglite");
    db = database.db;
    await migrateDatabase(db);
  });
  afterAll(async () => {
    await database?.dispose();
  });

  const base = {
    url: "http://127.0.0.1:9/hook",
    events: ["*"],
    format: "raw" as WebhookFormat,
    allowPrivate: true,
  };

  it("stores an enabled endpoint with a new Standard Webhooks secret", async () => {
    const { id, secret } = await addWebhookEndpoint(db, {
      ...base,
      events: ["proposal.created", "member.admitted"],
    });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(() => new Webhook(secret)).not.toThrow();
    const [row] = await queryRows(
      db,
      sql`SELECT url, events, format, enabled FROM webhook_endpoints WHERE id = ${id}`,
    );
    expect(row).toEqual({
      url: base.url,
      events: ["proposal.created", "member.admitted"],
      format: "raw",
      enabled: true,
    });
  });

  it("refuses unknown kinds, no kinds, an unknown format, and a malformed secret without quoting it", async () => {
    await expect(addWebhookEndpoint(db, { ...base, events: ["proposal.made"] })).rejects.toThrow(
      "Unknown event kinds: proposal.made.",
    );
    await expect(addWebhookEndpoint(db, { ...base, events: [] })).rejects.toThrow(
      WebhookEndpointInvalidError,
    );
    await expect(addWebhookEndpoint(db, { ...base, format: "email" as WebhookFormat })).rejects.toThrow(
      'Unknown webhook format "email".',
    );
    const error = await addWebhookEndpoint(db, { ...base, secret: "hunter2-not-a-whsec" }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WebhookEndpointInvalidError);
    expect((error as Error).message).not.toContain("hunter2");
  });

  it("refuses a private target unless allowed, and any non-http(s) URL", async () => {
    await expect(addWebhookEndpoint(db, { ...base, allowPrivate: false })).rejects.toThrow(
      WebhookUrlRefusedError,
    );
    await expect(addWebhookEndpoint(db, { ...base, url: "file:///etc/passwd" })).rejects.toThrow(
      "must be an http(s) URL",
    );
  });
});
