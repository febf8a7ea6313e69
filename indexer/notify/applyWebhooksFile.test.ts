import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { type Database, queryRows } from "../store/sql.ts";
import { TEST_BACKENDS } from "../testing/testDatabase.ts";
import { useWebhookDatabase } from "../testing/useWebhookDatabase.ts";
import { addWebhookEndpoint } from "./addWebhookEndpoint.ts";
import { applyWebhooksFile } from "./applyWebhooksFile.ts";
import type { DeclaredEndpoint } from "./webhooksFile.ts";

const SECRET = `whsec_${Buffer.from("apply-webhooks-file-test-secret!").toString("base64")}`;
const OTHER_SECRET = `whsec_${Buffer.from("another-webhooks-file-secret-32b").toString("base64")}`;
const SLACK: DeclaredEndpoint = {
  name: "ops-slack",
  url: "https://203.0.114.7/services/T/B/X",
  format: "slack",
  events: ["proposal.created"],
  secret: SECRET,
  enabled: true,
};
const AUDIT: DeclaredEndpoint = { ...SLACK, name: "audit", format: "raw", events: ["*"] };

describe.each(TEST_BACKENDS)("applyWebhooksFile on %s", (backend) => {
  const database = useWebhookDatabase(backend);
  let db: Database;
  beforeEach(() => {
    db = database.db;
  });

  const endpoints = () =>
    queryRows<Record<string, unknown>>(
      db,
      sql`SELECT name, url, format, events, secret, enabled FROM webhook_endpoints ORDER BY id`,
    );

  it("adds what is new; applied a second time it changes nothing", async () => {
    const first = await applyWebhooksFile(db, { endpoints: [SLACK, AUDIT] });
    expect(first.map(({ name, change }) => [name, change])).toEqual([
      ["ops-slack", "add"],
      ["audit", "add"],
    ]);
    const after = await endpoints();
    const second = await applyWebhooksFile(db, { endpoints: [SLACK, AUDIT] });
    expect(second.map(({ change }) => change)).toEqual(["unchanged", "unchanged"]);
    expect(second.map(({ id }) => id)).toEqual(first.map(({ id }) => id));
    expect(await endpoints()).toEqual(after);
  });

  it("updates by name, naming the fields that changed and not their values", async () => {
    await applyWebhooksFile(db, { endpoints: [SLACK] });
    const [planned] = await applyWebhooksFile(db, {
      endpoints: [{ ...SLACK, secret: OTHER_SECRET, events: ["member.admitted"], enabled: false }],
    });
    expect(planned).toMatchObject({
      name: "ops-slack",
      change: "update",
      fields: ["events", "secret", "enabled"],
    });
    expect(JSON.stringify(planned)).not.toContain(OTHER_SECRET);
    expect(await endpoints()).toEqual([
      expect.objectContaining({ secret: OTHER_SECRET, events: ["member.admitted"], enabled: false }),
    ]);
  });

  it("prunes only named endpoints the file dropped; a dry run writes nothing", async () => {
    await applyWebhooksFile(db, { endpoints: [SLACK, AUDIT] });
    await addWebhookEndpoint(db, {
      url: "https://203.0.114.9/hook",
      events: ["*"],
      format: "raw",
      secret: SECRET,
      allowPrivate: false,
    });
    const before = await endpoints();
    const dry = await applyWebhooksFile(db, { endpoints: [SLACK], prune: true, dryRun: true });
    expect(dry.map(({ name, change }) => [name, change])).toEqual([
      ["ops-slack", "unchanged"],
      ["audit", "remove"],
    ]);
    expect(await endpoints()).toEqual(before);
    await applyWebhooksFile(db, { endpoints: [SLACK], prune: true });
    // The endpoint `firm webhooks add` made has no name: no file owns it, so no prune removes it.
    expect((await endpoints()).map((row) => row.name)).toEqual(["ops-slack", null]);
  });
});
