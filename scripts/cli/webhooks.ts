// `firm webhooks add|list|remove|test|apply|enable|disable`: manages the webhook endpoints in the mirror's database (the
// one `firm index` and `npm start` use: DATABASE_URL, or the PGlite folder DATA_DIR). On the embedded
// default the folder belongs to one process at a time, so stop `npm start` first; with PostgreSQL the
// endpoints can be changed while everything runs. The secret is printed once, by `add`, and never again.
import { sql } from "drizzle-orm";
import { addWebhookEndpoint } from "../../indexer/notify/addWebhookEndpoint.ts";
import { parseWebhookConfig } from "../../indexer/notify/config.ts";
import { formatNotification } from "../../indexer/notify/formatNotification.ts";
import type { WebhookFormat } from "../../indexer/notify/notification.ts";
import { postWebhook } from "../../indexer/notify/postWebhook.ts";
import { setWebhookEndpointEnabled } from "../../indexer/notify/setWebhookEndpointEnabled.ts";
import { type Database, queryRows } from "../../indexer/store/sql.ts";
import { redactUrl } from "../../kernel/errors.ts";
import { UsageError } from "./errors.ts";
import { parseCommandArgs } from "./lib/args.ts";
import { withMirror } from "./lib/mirror.ts";
import type { Output } from "./lib/output.ts";
import { applyWebhooksCommand } from "./webhooksApply.ts";
import { WEBHOOKS_USAGE } from "./webhooksUsage.ts";

interface EndpointRow extends Record<string, unknown> {
  id: number;
  /** Set by a webhooks file (`apply`, WEBHOOKS_FILE); null for an endpoint from `add`. */
  name: string | null;
  url: string;
  events: string[];
  format: WebhookFormat;
  secret: string;
  enabled: boolean;
}

/** `firm webhooks <action> …` */
export async function run(args: string[], out: Output): Promise<number> {
  const [action, ...rest] = args;
  const webhooks = parseWebhookConfig(process.env).config;
  switch (action) {
    case "add": {
      const { values, positionals } = parseCommandArgs(
        rest,
        {
          format: { type: "string", default: "raw" },
          events: { type: "string", default: "*" },
          secret: { type: "string" },
        },
        { min: 1, max: 1, usage: WEBHOOKS_USAGE[0] },
      );
      const format = values.format as WebhookFormat;
      const events = values.events.split(",").map((kind) => kind.trim());
      return withMirror(async (db) => {
        const { id, secret } = await addWebhookEndpoint(db, {
          url: positionals[0] as string,
          events,
          format,
          secret: values.secret,
          allowPrivate: webhooks.allowPrivate,
        });
        out.line(`Added webhook endpoint ${id} (${format}, ${events.join(", ")}).`);
        out.line(`Signing secret (shown once; give it to the receiver): ${secret}`);
        out.result({ id, format, events, secret });
        return 0;
      });
    }
    case "list": {
      parseCommandArgs(rest, {}, { usage: WEBHOOKS_USAGE[1] });
      return withMirror(async (db) => {
        const rows = await queryRows<EndpointRow & { pending: number; delivered: number; dead: number }>(
          db,
          sql`SELECT e.id, e.name, e.url, e.events, e.format, e.enabled,
                count(*) FILTER (WHERE d.state IN ('pending', 'delivering'))::int AS pending,
                count(*) FILTER (WHERE d.state = 'delivered')::int AS delivered,
                count(*) FILTER (WHERE d.state = 'dead')::int AS dead
              FROM webhook_endpoints e LEFT JOIN webhook_deliveries d ON d.endpoint_id = e.id
              GROUP BY e.id ORDER BY e.id`,
        );
        // The URL's path and query are redacted: a Slack or Teams webhook URL is itself a credential.
        const endpoints = rows.map((row) => ({
          id: row.id,
          name: row.name,
          url: redactUrl(row.url),
          format: row.format,
          events: row.events,
          enabled: row.enabled,
          deliveries: { pending: row.pending, delivered: row.delivered, dead: row.dead },
        }));
        if (endpoints.length === 0) out.line("No webhook endpoints. Add one with `firm webhooks add <url>`.");
        for (const e of endpoints)
          out.line(
            `${e.id}${e.name === null ? "" : ` ${e.name}`}  ${e.url}  ${e.format}  ${e.events.join(",")}${e.enabled ? "" : "  (disabled)"}  ` +
              `pending ${e.deliveries.pending}, delivered ${e.deliveries.delivered}, dead ${e.deliveries.dead}`,
          );
        out.result({ endpoints });
        return 0;
      });
    }
    case "remove": {
      const { positionals } = parseCommandArgs(rest, {}, { min: 1, max: 1, usage: WEBHOOKS_USAGE[2] });
      const id = endpointId(positionals[0] as string);
      return withMirror(async (db) => {
        await findEndpoint(db, id);
        // Its deliveries go with it (ON DELETE CASCADE): nothing is left for the worker to send.
        await db.execute(sql`DELETE FROM webhook_endpoints WHERE id = ${id}`);
        out.line(`Removed webhook endpoint ${id}.`);
        out.result({ id, removed: true });
        return 0;
      });
    }
    case "test": {
      const { positionals } = parseCommandArgs(rest, {}, { min: 1, max: 1, usage: WEBHOOKS_USAGE[3] });
      const id = endpointId(positionals[0] as string);
      return withMirror(async (db) => {
        const endpoint = await findEndpoint(db, id);
        // A fresh id each time: a test is not a notification, and a receiver must not drop it as a repeat.
        const eventId = `test_${Date.now()}`;
        const body = formatNotification(endpoint.format, {
          eventId,
          kind: "proposal.created",
          occurredAt: Math.floor(Date.now() / 1000),
          data: {
            summary: "Test notification from `firm webhooks test`: no proposal was created.",
            test: true,
          },
        });
        const status = await postWebhook({
          url: endpoint.url,
          secret: endpoint.secret,
          eventId,
          body,
          timeoutMs: webhooks.timeoutMs,
          allowPrivate: webhooks.allowPrivate,
        });
        const ok = status >= 200 && status < 300;
        out.line(
          `${redactUrl(endpoint.url)} answered HTTP ${status}${ok ? "" : ": the receiver refused the test"}.`,
        );
        out.result({ id, status, delivered: ok, eventId });
        return ok ? 0 : 1;
      });
    }
    case "apply":
      return applyWebhooksCommand(rest, out, webhooks);
    case "enable":
    case "disable": {
      const enable = action === "enable";
      const { positionals } = parseCommandArgs(
        rest,
        {},
        {
          min: 1,
          max: 1,
          usage: WEBHOOKS_USAGE[enable ? 5 : 6],
        },
      );
      const id = endpointId(positionals[0] as string);
      return withMirror(async (db) => {
        const result = await setWebhookEndpointEnabled(db, id, enable);
        if (!result) throw unknownEndpoint(id);
        const { wasEnabled, pending } = result;
        const was = wasEnabled === enable ? " (it already was)" : "";
        out.line(
          enable
            ? `Enabled webhook endpoint ${id}${was}: ${pending} pending deliveries go out as they fall due; new notifications reach it again.`
            : `Disabled webhook endpoint ${id}${was}: it gets no new notifications; its ${pending} pending deliveries wait and go out if it is enabled again.`,
        );
        out.result({ id, enabled: enable, changed: wasEnabled !== enable, pending });
        return 0;
      });
    }
    default:
      throw new UsageError(
        action === undefined ? "`firm webhooks` needs an action" : `Unknown webhooks action "${action}"`,
        `Usage: ${WEBHOOKS_USAGE.map((usage) => `firm ${usage}`).join(" | ")}`,
      );
  }
}

function endpointId(text: string): number {
  if (!/^\d{1,9}$/.test(text))
    throw new UsageError(`"${text}" is not an endpoint id`, "Use the number `firm webhooks list` shows.");
  return Number(text);
}

async function findEndpoint(db: Database, id: number): Promise<EndpointRow> {
  const [row] = await queryRows<EndpointRow>(
    db,
    sql`SELECT id, name, url, events, format, secret, enabled FROM webhook_endpoints WHERE id = ${id}`,
  );
  if (!row) throw unknownEndpoint(id);
  return row;
}

function unknownEndpoint(id: number): UsageError {
  return new UsageError(`No webhook endpoint ${id}`, "`firm webhooks list` shows the endpoints there are.");
}
